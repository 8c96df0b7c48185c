import type { TextRun } from '../model.ts';

/**
 * Weight and slant from a font's name, for the fonts whose descriptors do not say: TeX's
 * Computer Modern family (CMBX10 bold, CMTI10 italic), URW's abbreviations
 * (NimbusRomNo9L-Medi, -ReguItal) and the short "Bd"/"It" suffixes (MyriadBdIt).
 */
const BOLD_NAME = /bold|black|heavy|semibold|demi|medi(?:$|ital|[-_,])|^(?:cm|lm|ec)(?:ss|r|tt)?bx?\d|^cm(?:ss)?bx|^cmmib/i;
const BOLD_ABBREV = /(?<=[a-z-])Bd(?:It)?(?:$|[-_,])/;
const ITALIC_NAME = /italic|oblique|^(?:cm|ec)(?:bx)?(?:ti|sl|itt)\d/i;
const ITALIC_ABBREV = /(?<=[a-z-])(?:It|Ital)(?:$|[-_,])/;

const SMALL_CAPS_NAME = /^(?:cm|ec|lm)csc\d|small-?caps|(?<=[a-z])SC(?:$|[-_,])/i;

/** The font name without a subset prefix ("ABCDEF+CMBX12" → "CMBX12"). */
const baseName = (name: string) => name.replace(/^[A-Z]{6}\+/, '');

export function boldByName(name: string): boolean {
  const base = baseName(name);
  return BOLD_NAME.test(base) || BOLD_ABBREV.test(base);
}

export function italicByName(name: string): boolean {
  const base = baseName(name);
  return ITALIC_NAME.test(base) || ITALIC_ABBREV.test(base);
}

export function smallCapsByName(name: string): boolean {
  return SMALL_CAPS_NAME.test(baseName(name));
}

/** Runs with weight, slant and small capitals completed from their font names, each name read once. */
export function withNamedStyles(runs: TextRun[]): TextRun[] {
  const named = new Map<string, { bold: boolean; italic: boolean; smallCaps: boolean }>();
  return runs.map((run) => {
    if (!run.fontName) return run;
    let style = named.get(run.fontName);
    if (!style) {
      style = { bold: boldByName(run.fontName), italic: italicByName(run.fontName), smallCaps: smallCapsByName(run.fontName) };
      named.set(run.fontName, style);
    }
    const bold = run.bold || style.bold;
    const italic = run.italic || style.italic;
    const smallCaps = run.smallCaps || style.smallCaps;
    return bold === run.bold && italic === run.italic && smallCaps === Boolean(run.smallCaps) ? run : { ...run, bold, italic, smallCaps };
  });
}
