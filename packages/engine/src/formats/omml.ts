import { child, childElements, isElement, textContent, type XmlElement } from './xml.ts';

/** Unicode math characters Word stores literally, as LaTeX commands. */
const SYMBOLS: Record<string, string> = {
  'π': '\\pi', 'α': '\\alpha', 'β': '\\beta', 'γ': '\\gamma', 'δ': '\\delta', 'ε': '\\epsilon', 'θ': '\\theta',
  'λ': '\\lambda', 'μ': '\\mu', 'σ': '\\sigma', 'τ': '\\tau', 'φ': '\\phi', 'ω': '\\omega', 'Δ': '\\Delta',
  'Σ': '\\Sigma', 'Ω': '\\Omega', '∞': '\\infty', '×': '\\times', '÷': '\\div', '±': '\\pm', '≤': '\\leq',
  '≥': '\\geq', '≠': '\\neq', '≈': '\\approx', '→': '\\rightarrow', '∈': '\\in', '∂': '\\partial', '⋅': '\\cdot',
  '…': '\\ldots', '∑': '\\sum', '∏': '\\prod', '∫': '\\int', '√': '\\sqrt',
};

const NARY: Record<string, string> = { '∑': '\\sum', '∏': '\\prod', '∫': '\\int', '∬': '\\iint', '∮': '\\oint', '⋃': '\\bigcup', '⋂': '\\bigcap' };

/**
 * Office Math (OMML) to LaTeX, covering the structures documents use most: fractions,
 * scripts, radicals, n-ary operators, delimiters, functions, accents, matrices.
 * Anything unknown falls back to its text, so no content is lost.
 */
export function ommlToLatex(el: XmlElement): string {
  return convert(el).replace(/\s+/g, ' ').trim();
}

function arg(el: XmlElement | undefined, name: string): string {
  return convertChildren(child(el, name));
}

function convertChildren(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children.map((c) => (isElement(c) ? convert(c) : '')).join('');
}

function prop(el: XmlElement, pr: string, name: string): string | undefined {
  return child(child(el, pr), name)?.attrs['m:val'];
}

function convert(el: XmlElement): string {
  switch (el.name) {
    case 'm:r': {
      const text = textContent(child(el, 'm:t'));
      return [...text].map((ch) => (SYMBOLS[ch] ? ` ${SYMBOLS[ch]} ` : ch)).join('');
    }
    case 'm:f': {
      const num = arg(el, 'm:num'), den = arg(el, 'm:den');
      return prop(el, 'm:fPr', 'm:type') === 'noBar' ? `\\genfrac{}{}{0pt}{}{${num}}{${den}}` : `\\frac{${num}}{${den}}`;
    }
    case 'm:sSup': return `${arg(el, 'm:e')}^{${arg(el, 'm:sup')}}`;
    case 'm:sSub': return `${arg(el, 'm:e')}_{${arg(el, 'm:sub')}}`;
    case 'm:sSubSup': return `${arg(el, 'm:e')}_{${arg(el, 'm:sub')}}^{${arg(el, 'm:sup')}}`;
    case 'm:sPre': return `{}_{${arg(el, 'm:sub')}}^{${arg(el, 'm:sup')}}${arg(el, 'm:e')}`;
    case 'm:rad': {
      const deg = arg(el, 'm:deg');
      return deg ? `\\sqrt[${deg}]{${arg(el, 'm:e')}}` : `\\sqrt{${arg(el, 'm:e')}}`;
    }
    case 'm:nary': {
      const op = NARY[prop(el, 'm:naryPr', 'm:chr') ?? '∫'] ?? prop(el, 'm:naryPr', 'm:chr') ?? '\\int';
      const sub = arg(el, 'm:sub'), sup = arg(el, 'm:sup');
      return `${op}${sub ? `_{${sub}}` : ''}${sup ? `^{${sup}}` : ''}${arg(el, 'm:e')}`;
    }
    case 'm:d': {
      const beg = prop(el, 'm:dPr', 'm:begChr') ?? '(';
      const end = prop(el, 'm:dPr', 'm:endChr') ?? ')';
      const sep = prop(el, 'm:dPr', 'm:sepChr') ?? ',';
      const parts = childElements(el, 'm:e').map(convertChildren);
      const fence = (c: string): string => (c === '' ? '.' : c === '{' ? '\\{' : c === '}' ? '\\}' : c);
      return `\\left${fence(beg)}${parts.join(sep)}\\right${fence(end)}`;
    }
    case 'm:func': return `${arg(el, 'm:fName').trim()}${arg(el, 'm:e')}`;
    case 'm:limLow': return `${arg(el, 'm:e')}_{${arg(el, 'm:lim')}}`;
    case 'm:limUpp': return `${arg(el, 'm:e')}^{${arg(el, 'm:lim')}}`;
    case 'm:acc': {
      const chr = prop(el, 'm:accPr', 'm:chr') ?? '̂';
      const cmd = chr === '̄' ? '\\bar' : chr === '̃' ? '\\tilde' : chr === '̇' ? '\\dot' : chr === '⃗' ? '\\vec' : '\\hat';
      return `${cmd}{${arg(el, 'm:e')}}`;
    }
    case 'm:bar': return `\\overline{${arg(el, 'm:e')}}`;
    case 'm:groupChr': return `\\underbrace{${arg(el, 'm:e')}}`;
    case 'm:eqArr': {
      const rows = childElements(el, 'm:e').map(convertChildren);
      return rows.length === 1 ? rows[0] : `\\begin{array}{l}${rows.join(' \\\\ ')}\\end{array}`;
    }
    case 'm:m': {
      const rows = childElements(el, 'm:mr').map((mr) => childElements(mr, 'm:e').map(convertChildren).join(' & '));
      return `\\begin{matrix}${rows.join(' \\\\ ')}\\end{matrix}`;
    }
    case 'm:rPr': case 'm:ctrlPr': case 'm:fPr': case 'm:dPr': case 'm:naryPr': case 'm:sSupPr': case 'm:sSubPr':
    case 'm:radPr': case 'm:funcPr': case 'm:accPr': case 'm:oMathParaPr': case 'w:rPr':
      return '';
    default:
      return convertChildren(el);
  }
}
