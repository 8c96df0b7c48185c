import type { Rect, TextRun } from '../model.ts';
import { rowLines, unionRect, type Row, type Segment } from './lines.ts';

/**
 * Display equations. A typeset formula is drawn as many pieces on many baselines — limits under
 * an integral, a fraction's numerator and denominator, sub- and superscripts, bracket pieces,
 * an equation number at the margin — and line-level layout would scatter them as one-glyph
 * paragraphs, read its number after the column, or take its aligned pieces for a table. Here
 * the pieces of one formula are gathered into one region, read row by row, number included.
 */
export interface EquationRegion {
  rect: Rect;
  /** The formula's rows, top to bottom, each read left to right. */
  lines: Segment[];
  /** The page segments the region took. */
  segments: Segment[];
}

/**
 * Fonts that set mathematics: TeX's math italic, symbol and extension fonts and the AMS ones,
 * their Type 1 and OpenType successors, and the Symbol font word processors use.
 */
const MATH_FONT = /^(?:cmmi|cmsy|cmex|cmmib|cmbsy|msam|msbm|eufm|eusm|rsfs|stmary|wasy|lasy|esint|txmi|txsy|txex|pxmi|pxsy|pxex|ntxmi|ntxsy|ntxexx?|zxxmi|mtmi|mtsy|mtex|lmmath|latinmodern-?math|stix.*math|xits.*math|cambria.*math|asana.*math|symbol|mt-?extra|mathematicalpi|euler)/i;
const baseName = (name: string) => name.replace(/^[A-Z]{6}\+/, '');

/**
 * Characters that only mathematics uses in running matter: relations, operators, arrows, big
 * operators, and the bracket and brace pieces of the Symbol font's private area. Plus, minus,
 * ± and % are left out: they fill the cells of numeric tables too; so are Greek letters, which
 * head table columns as often as they appear in formulas.
 */
const OPERATOR = /[=<>≤≥≪≫≈≃≅≠≡∼∝∫∬∮∑∏∐√∂∇∞∈∉∋⊂⊃⊆⊇∪∩∧∨⊕⊗→←↔⇒⇐⇔↦⟶‖⟨⟩∀∃∅\uF8E5-\uF8FF]/u;
const MATH_LETTER = /[ℓℏ\u0391-\u03A9\u03B1-\u03D5\u03F5\u{1D400}-\u{1D7FF}]/u;
/** A word of prose: three or more lower-case letters, maybe with trailing punctuation. */
const PROSE_WORD = /^[a-z\u00DF-\u00FF]{3,}[,.;:]?$/u;
/** "(3.18)", "(12a)", "(A.1)", or with the formula's closing stop before it: ". (3.22)". */
/** Function names set upright in formulas: words of mathematics, not of prose. */
const MATH_FUNCTION = /^(?:sin|cos|tan|cot|sec|csc|sinh|cosh|tanh|arcsin|arccos|arctan|log|exp|max|min|sup|inf|lim|det|dim|ker|deg|arg|mod|gcd|tr|diag|sgn|sign)[,.;:]?$/;
const EQUATION_NUMBER = /^[.,;]?\s*\(\s*(?:[A-Z]?\d+(?:\.\d+)*[a-z]?|[ivx]+|[A-Z]\.\d+)\s*\)$/u;

/** A word of a line; read from the start of each line (lastIndex set to 0), one line at a time. */
const TOKEN = /\S+/g;

const isMathRun = (r: TextRun) => Boolean(r.fontName && MATH_FONT.test(baseName(r.fontName)));

/**
 * How a segment reads as mathematics by its own evidence: 'operator' when it has a relation or
 * an operator, 'letter' when only math letters or math fonts show, nothing for prose.
 */
function formulaEvidence(s: Segment): 'operator' | 'letter' | null {
  // Three words of prose settle it: the rest of a long line need not be read.
  let tokens = 0, proseWords = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(s.text); m; m = TOKEN.exec(s.text)) {
    tokens++;
    if (PROSE_WORD.test(m[0]) && !MATH_FUNCTION.test(m[0]) && ++proseWords >= 3) return null;
  }
  if (proseWords >= 2 && proseWords >= tokens / 3) return null;
  const chars = s.text.replace(/\s/g, '');
  if (!chars) return null;
  // Mostly digits: a numeric table's cell, not a formula.
  if ((chars.match(/\d/g)?.length ?? 0) > chars.length / 2) return null;
  if (OPERATOR.test(s.text)) return 'operator';
  const mathChars = s.runs.filter(isMathRun).reduce((n, r) => n + r.text.replace(/\s/g, '').length, 0);
  return mathChars >= chars.length * 0.3 || MATH_LETTER.test(s.text) ? 'letter' : null;
}

const isFormulaPiece = (s: Segment) => formulaEvidence(s) !== null;

/**
 * A formula piece, a scrap or an equation number: not a line of text. Column gutters are
 * looked for without them, since the white bands between a formula's pieces and its number
 * run down a one-column page too.
 */
export function isFormulaPart(s: Segment): boolean {
  return isFormulaPiece(s) || isScrap(s) || EQUATION_NUMBER.test(s.text.trim());
}

/** Type at most this share of the body size is an index's (TeX sets them at 0.7, 0.5 of it). */
export const INDEX_SIZE = 0.8;

const isProseWord = (t: string) => PROSE_WORD.test(t) && !MATH_FUNCTION.test(t);
/** A line with a word of prose in it: text, not a piece of a formula. */
const hasProse = (s: Segment) => s.text.split(/\s+/).some(isProseWord);

/** A scrap too small to be read on its own: a limit, an index, a lone variable or digit. */
function isScrap(s: Segment): boolean {
  // One to four characters besides white space (a line of prose fails at its fifth).
  return /^\s*(?:\S\s*){1,4}$/.test(s.text) && !/[a-z]{3}/i.test(s.text.replace(/\s/g, ''));
}

/**
 * Formula regions on a page: formula pieces, and the scraps and equation numbers beside them,
 * joined while they sit within a line's height of each other in one column. A region needs an
 * operator, and two pieces or a number: a single formula line already reads whole.
 */
export function findEquations(rows: Row[], gutters: number[], bodySize: number): EquationRegion[] {
  const segments = rows.flatMap((r) => r.segments);
  const evidence = segments.map(formulaEvidence);
  const piece = evidence.map((e) => e !== null);
  const number = segments.map((s) => EQUATION_NUMBER.test(s.text.trim()));
  const candidate = segments.map((s, i) => piece[i] || number[i] || isScrap(s));
  // The column a segment sits in; a segment over a gutter spans both and meets either.
  const side = (r: Rect, g: number) => (r.x1 <= g ? -1 : r.x0 >= g ? 1 : 0);
  const sameColumn = (a: Rect, b: Rect) => {
    for (const g of gutters) {
      const sa = side(a, g), sb = side(b, g);
      if (sa !== 0 && sb !== 0 && sa !== sb) return false;
    }
    return true;
  };
  const dy = 1.3 * bodySize, dx = 4 * bodySize;
  const near = (a: Rect, b: Rect) => a.x0 - dx < b.x1 && b.x0 - dx < a.x1 && a.y0 - dy < b.y1 && b.y0 - dy < a.y1;
  // An equation number sits at the column's margin, however far from its formula, level with it.
  const level = (n: Rect, f: Rect) => (n.y0 + n.y1) / 2 > f.y0 - dy && (n.y0 + n.y1) / 2 < f.y1 + dy;

  const parent = segments.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const idx = segments.map((_, i) => i).filter((i) => candidate[i]);
  for (let m = 0; m < idx.length; m++) {
    for (let n = m + 1; n < idx.length; n++) {
      const i = idx[m], j = idx[n];
      // Rows come top to bottom: nothing further down can touch this segment.
      if (segments[j].rect.y0 > segments[i].rect.y1 + 10 * bodySize) break;
      // Scraps and numbers join through formula pieces only, so a column of page numbers or
      // table digits never becomes a formula of its own.
      if (!piece[i] && !piece[j]) continue;
      const a = segments[i].rect, b = segments[j].rect;
      const joined = number[i] ? level(a, b) : number[j] ? level(b, a) : near(a, b);
      if (joined && sameColumn(a, b)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  for (const i of idx) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  const regions: EquationRegion[] = [];
  /** A group's box, the lines of words level with it, and which of those lie between its rows. */
  const displayed = (pieces: Segment[]) => {
    const rect = pieces.length ? unionRect(pieces.map((s) => s.rect)) : { x0: 0, y0: 0, x1: 0, y1: 0 };
    const level = pieces.length ? levelWith(rect) : [];
    // Words between a formula's rows, or between a formula and its number on their row
    // ("↔ a solution exists   (34)"): running text never carries an equation number.
    const enclosed = (s: Segment) => {
      const h = s.rect.y1 - s.rect.y0;
      const onRow = (p: Segment) => Math.min(p.rect.y1, s.rect.y1) - Math.max(p.rect.y0, s.rect.y0) > 0.5 * Math.min(h, p.rect.y1 - p.rect.y0);
      const numbered = pieces.some((p) => EQUATION_NUMBER.test(p.text.trim()) && onRow(p) && p.rect.x0 >= s.rect.x1)
        && pieces.some((p) => !EQUATION_NUMBER.test(p.text.trim()) && onRow(p) && p.rect.x1 <= s.rect.x0);
      return numbered || (s.rect.x0 >= rect.x0 - dx && s.rect.x1 <= rect.x1 + dx && rect.y1 - rect.y0 > 3 * h
        && pieces.some((p) => p.rect.y1 <= s.rect.y0 + 0.2 * h) && pieces.some((p) => p.rect.y0 >= s.rect.y1 - 0.2 * h));
    };
    return { rect, level, enclosed };
  };
  // Lines of words in the column of a box, level with it and beside it.
  const prose = segments.filter((_, i) => !candidate[i]);
  const levelWith = (r: Rect) => prose.filter((s) => sameColumn(s.rect, r)
    && Math.min(s.rect.y1, r.y1) - Math.max(s.rect.y0, r.y0) > 0.3 * (s.rect.y1 - s.rect.y0)
    && s.rect.x0 - dx < r.x1 && r.x0 - dx < s.rect.x1);
  // Words in index size level with a formula ("k_B T_turb") are its sub- and superscripts:
  // running text beside a display is set in the body size.
  const proseBeside = (s: Segment) => s.runs.some((r) => r.fontSize > INDEX_SIZE * bodySize && r.text.split(/\s+/).some(isProseWord));
  for (let members of groups.values()) {
    // The tests at the end, asked first of the whole group: dropping pieces cannot pass them.
    if (!members.some((i) => evidence[i] === 'operator')) continue;
    if (members.length < 2 && !members.some((i) => number[i])) continue;
    // Display mathematics stands on rows of its own: pieces level with a line of text beside
    // them are an inline fraction, radical or index of that line, read with it; what is left
    // may still be a display (a formula right under a line whose radical reaches down to it).
    // An inline piece reaches at most a line above or below its line; a formula taller than
    // that is displayed, and a line of words between its rows is its own annotation
    // ("because …", "for all x"), read in it.
    // A level line without a word of prose ("3k2v2" over a fraction bar) is a piece of the
    // formula that carries no evidence of its own.
    let region = displayed(members.map((i) => segments[i]));
    const outside = region.level.filter((s) => proseBeside(s) && !region.enclosed(s));
    if (outside.length > 0) {
      members = members.filter((i) => {
        const level = levelWith(segments[i].rect);
        return !outside.some((s) => level.includes(s));
      });
      region = displayed(members.map((i) => segments[i]));
      if (region.level.some((s) => proseBeside(s) && !region.enclosed(s))) continue;
    }
    // A relation or an operator makes a formula; letters alone may be a table's header.
    if (!members.some((i) => evidence[i] === 'operator')) continue;
    const numbered = members.some((i) => number[i]);
    if (members.length < 2 && !numbered) continue;
    const taken = [...members.map((i) => segments[i]), ...region.level];
    const lines = rowLines(taken.flatMap((s) => s.runs));
    regions.push({ rect: region.rect, lines, segments: taken });
  }
  return regions;
}
