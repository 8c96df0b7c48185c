import type { Rect, TextRun } from '../model.ts';

/** A horizontal stretch of words on one baseline with no wide gap inside: a line of a column, or a table cell's line. */
export interface Segment {
  runs: TextRun[];
  rect: Rect;
  text: string;
  fontSize: number;
  bold: boolean;
  /** Share of the characters set bold (a line can mix a bold title word with others). */
  boldShare: number;
  italic: boolean;
  smallCaps: boolean;
  confidence: number;
}

/** All segments sharing a baseline band across the page, left to right. */
export interface Row {
  rect: Rect;
  segments: Segment[];
}

/** A gap wider than this many font sizes splits a line into segments (column gutters, table cells). */
export const SEGMENT_GAP_EM = 0.9;

/** Between two figures, a gap wider than this many font sizes separates table columns. */
const NUMBER_GAP_EM = 0.5;
const NUMBER = /^[-+−(]?[$€£]?\d[\d.,]*%?\)?$/u;

const BULLET_ONLY = /^(?:[•●○◦▪▫■□►▸‣⁃∙·\-–—*✓✔➢➤☐☑☒❑❒\u0080-\u009F\uE000-\uF8FF]|\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])$/u;

export function unionRect(rects: Rect[]): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rects) {
    if (r.x0 < x0) x0 = r.x0;
    if (r.y0 < y0) y0 = r.y0;
    if (r.x1 > x1) x1 = r.x1;
    if (r.y1 > y1) y1 = r.y1;
  }
  return { x0, y0, x1, y1 };
}

/** The median font size of words (0 for none). */
export function medianSize(runs: TextRun[]): number {
  // Most lines are set in one size: that size is their median, with no sort.
  let k = 1;
  while (k < runs.length && runs[k].fontSize === runs[0].fontSize) k++;
  if (k === runs.length) return runs.length ? runs[0].fontSize : 0;
  const sizes = new Float64Array(runs.length);
  for (let i = 0; i < runs.length; i++) sizes[i] = runs[i].fontSize;
  sizes.sort();
  return sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
}

const SWAPPED_LAM_ALEF = /ا([اأإآ])ل/gu;
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu;
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/** Mostly Hebrew/Arabic letters: the words read right to left. */
export function isRightToLeft(runs: TextRun[]): boolean {
  if (!runs.some((r) => RTL_LETTER.test(r.text))) return false;
  const text = runs.map((r) => r.text).join('');
  const rtl = text.match(RTL_CHAR)?.length ?? 0;
  if (rtl === 0) return false;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return rtl > 0 && rtl >= 0.5 * letters;
}

const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/u;
const scriptsMeet = (a: string, b: string) => {
  const x = a.slice(-1), y = b.charAt(0);
  return (RTL_LETTER.test(x) && LATIN_LETTER.test(y)) || (LATIN_LETTER.test(x) && RTL_LETTER.test(y));
};

/**
 * In a right-to-left line, a number (or Latin word) that pdf.js split into touching pieces
 * still reads left to right: put each run of such pieces back in left-to-right order.
 */
function restoreLeftToRightPieces(sorted: TextRun[]): void {
  const ltr = (r: TextRun) => !RTL_LETTER.test(r.text) && /[\dA-Za-z]/.test(r.text);
  for (let i = 0; i < sorted.length; i++) {
    if (!ltr(sorted[i])) continue;
    let j = i;
    while (j + 1 < sorted.length && ltr(sorted[j + 1])
      && sorted[j].rect.x0 - sorted[j + 1].rect.x1 <= 0.12 * Math.min(sorted[j].fontSize, sorted[j + 1].fontSize)) j++;
    if (j > i) sorted.splice(i, j - i + 1, ...sorted.slice(i, j + 1).reverse());
    i = j;
  }
}

const leftToRight = (a: TextRun, b: TextRun) => a.rect.x0 - b.rect.x0;
const rightToLeft = (a: TextRun, b: TextRun) => b.rect.x1 - a.rect.x1;

/** Are the words in this order already (as a stable sort by it leaves them)? */
function inOrder(runs: TextRun[], order: (a: TextRun, b: TextRun) => number): boolean {
  for (let i = 1; i < runs.length; i++) if (order(runs[i - 1], runs[i]) > 0) return false;
  return true;
}

/** A sorted copy of the words (a stable sort): most lines come in order already and need none. */
function sortedCopy(runs: TextRun[], order: (a: TextRun, b: TextRun) => number): TextRun[] {
  return inOrder(runs, order) ? runs.slice() : runs.slice().sort(order);
}

export function makeSegment(runs: TextRun[]): Segment {
  const rtl = isRightToLeft(runs);
  const sorted = sortedCopy(runs, rtl ? rightToLeft : leftToRight);
  if (rtl) restoreLeftToRightPieces(sorted);
  let text = '';
  let prev: TextRun | undefined;
  for (const r of sorted) {
    // pdf.js may split one word into several items: glue pieces that touch.
    const gap = rtl && prev ? prev.rect.x0 - r.rect.x1 : prev ? r.rect.x0 - prev.rect.x1 : 0;
    // A right-to-left word and a Latin one never form one word, however close they sit;
    // nor do two words OCR read apart (tight print leaves gaps under 0.12 of a line height).
    if (prev && (gap > 0.12 * Math.min(r.fontSize, prev.fontSize) || scriptsMeet(prev.text, r.text) || (prev.word && r.word))) text += ' ';
    text += r.text;
    prev = r;
  }
  // pdf.js reverses a right-to-left line including the two letters of a lam-alef ligature,
  // so "الإ" comes out as "اإل": two alefs in a row never occur, and show where to swap back.
  if (rtl) text = text.replace(SWAPPED_LAM_ALEF, 'ال$1');
  let chars = 0, boldChars = 0, italicChars = 0, smallCapsChars = 0, confidence = 0;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of sorted) {
    if (r.rect.x0 < x0) x0 = r.rect.x0;
    if (r.rect.y0 < y0) y0 = r.rect.y0;
    if (r.rect.x1 > x1) x1 = r.rect.x1;
    if (r.rect.y1 > y1) y1 = r.rect.y1;
    chars += r.text.length;
    if (r.bold) boldChars += r.text.length;
    if (r.italic) italicChars += r.text.length;
    if (r.smallCaps) smallCapsChars += r.text.length;
    confidence += r.confidence ?? 1;
  }
  const total = chars || 1;
  return {
    runs: sorted,
    rect: { x0, y0, x1, y1 },
    text,
    fontSize: medianSize(sorted),
    bold: boldChars / total > 0.9,
    boldShare: boldChars / total,
    italic: italicChars / total > 0.6,
    smallCaps: smallCapsChars / total > 0.6,
    confidence: confidence / sorted.length,
  };
}

/**
 * Column gutters (x positions), the narrowest gap between two words that splits a line there
 * (wider than a word space), and how far from the gutter's middle such a gap may lie.
 */
export interface Gutters { at: number[]; minGap: number; reach: number }

/** Words sharing a line, kept in left-to-right order; a word overlapping one starts at most `widest` left of it. */
interface Band { y0: number; y1: number; runs: TextRun[]; widest: number }

/** Index of the first word of `runs` (sorted by x0) that starts right of x. */
function firstRightOf(runs: TextRun[], x: number): number {
  let lo = 0, hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].rect.x0 <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Is some word of the band drawn over or under this one? Only the words it overlaps in x can be. */
function stackedInBand(band: Band, run: TextRun, at: number): boolean {
  for (let k = at; k < band.runs.length && band.runs[k].rect.x0 < run.rect.x1; k++) if (stacked(band.runs[k], run)) return true;
  for (let k = at - 1; k >= 0 && band.runs[k].rect.x0 > run.rect.x0 - band.widest - 1; k--) if (stacked(band.runs[k], run)) return true;
  return false;
}

/** An accent that a PDF draws as a glyph of its own over its letter (alone or after a letter: "B¨"). */
const LONE_MARK = /^\S?[\p{M}\p{Sk}\u00B4\u02C6-\u02DD]\S?$/u;

/**
 * A word ending in an accent that the PDF draws as a glyph of its own ("Universit´"): the
 * accent's letter comes next, drawn back under it, so the two words overlap on one line.
 */
const TRAILING_MARK = /[\p{M}\p{Sk}\u00B4\u02C6-\u02DD]$/u;

/** Two words drawn one over the other (not side by side): they belong to different lines. */
function stacked(a: TextRun, b: TextRun): boolean {
  const overlap = Math.min(a.rect.x1, b.rect.x1) - Math.max(a.rect.x0, b.rect.x0);
  if (overlap <= 0.5 * Math.min(a.rect.x1 - a.rect.x0, b.rect.x1 - b.rect.x0)) return false;
  if (LONE_MARK.test(a.text) || LONE_MARK.test(b.text)) return false;
  // The accented letter after a word that ends in its accent, on the same baseline.
  const [left, right] = a.rect.x0 <= b.rect.x0 ? [a, b] : [b, a];
  return !(TRAILING_MARK.test(left.text) && Math.abs(left.rect.y1 - right.rect.y1) < 0.2 * Math.min(left.fontSize, right.fontSize));
}

/**
 * Horizontal words banded by vertical overlap, each band's words left to right; rotated words
 * (vertical labels) apart.
 */
function bandsOf(runs: TextRun[]): { bands: Band[]; rotated: TextRun[] } {
  const horizontal = runs.filter((r) => !r.rotation || r.rotation % 360 === 0);
  const rotated = runs.filter((r) => r.rotation && r.rotation % 360 !== 0);
  const sorted = horizontal.sort((a, b) => (a.rect.y0 + a.rect.y1) - (b.rect.y0 + b.rect.y1));
  const bands: Band[] = [];
  for (const run of sorted) {
    const h = run.rect.y1 - run.rect.y0;
    // The open bands this word overlaps enough to share a line with; of those, the latest one
    // where it lands beside the words already there, not on top of one (two lines of a column
    // that a tall formula in the other column has pulled into one band must stay apart, or
    // their words interleave).
    let band: Band | undefined;
    let at = 0;
    for (let i = bands.length - 1; i >= Math.max(0, bands.length - 4); i--) {
      const b = bands[i];
      const overlap = Math.min(b.y1, run.rect.y1) - Math.max(b.y0, run.rect.y0);
      if (overlap <= 0.5 * Math.min(h, b.y1 - b.y0)) continue;
      at = firstRightOf(b.runs, run.rect.x0);
      if (stackedInBand(b, run, at)) continue;
      band = b;
      break;
    }
    if (band) {
      const bandH = band.y1 - band.y0;
      band.runs.splice(at, 0, run);
      band.widest = Math.max(band.widest, run.rect.x1 - run.rect.x0);
      // Grow the band only a little, so a tall neighbour does not swallow the next line.
      band.y0 = Math.min(band.y0, run.rect.y0);
      band.y1 = Math.max(band.y1, Math.min(run.rect.y1, band.y0 + 1.5 * bandH));
      continue;
    }
    bands.push({ y0: run.rect.y0, y1: run.rect.y1, runs: [run], widest: run.rect.x1 - run.rect.x0 });
  }
  return { bands, rotated };
}

/** A band's words split at wide gaps into segments. */
function rowOf(band: Band): Row {
  const byX = band.runs;
  const groups: TextRun[][] = [];
  let right = -Infinity;
  for (const run of byX) {
    const group = groups[groups.length - 1];
    const size = Math.max(run.fontSize, group ? group[group.length - 1].fontSize : 0);
    // A bullet or enumerator stays with its text however wide the tab after it.
    const marker = group && group.length === 1 && BULLET_ONLY.test(group[0].text) && run.rect.x0 - right <= 5 * size;
    // Figures side by side with more than a wide space between them are a table's columns.
    const figures = group && run.rect.x0 - right > NUMBER_GAP_EM * size && NUMBER.test(group[group.length - 1].text) && NUMBER.test(run.text);
    if (group && (marker || (!figures && run.rect.x0 - right <= SEGMENT_GAP_EM * size))) {
      group.push(run);
      right = Math.max(right, run.rect.x1);
    } else {
      groups.push([run]);
      right = run.rect.x1;
    }
  }
  const segments = groups.map(makeSegment);
  return { rect: unionRect(segments.map((s) => s.rect)), segments };
}

/**
 * Words → rows → segments. Horizontal words are banded by vertical overlap, then split at
 * wide gaps; rotated words (vertical labels) each form a segment of their own row.
 */
export function buildRows(runs: TextRun[]): Row[] {
  const { bands, rotated } = bandsOf(runs);
  const rows = bands.map(rowOf);
  for (const run of rotated) {
    const seg = makeSegment([run]);
    rows.push({ rect: seg.rect, segments: [seg] });
  }
  return rows.sort((a, b) => a.rect.y0 - b.rect.y0);
}

/**
 * Words → one segment per row of buildRows, its wide gaps included (a formula's lines, read
 * whole), top to bottom. A row of left-to-right words in order is its band as it is; others
 * go through their segments, which may reorder right-to-left words.
 */
export function rowLines(runs: TextRun[]): Segment[] {
  const { bands, rotated } = bandsOf(runs);
  const lines = bands.map((band) => (!band.runs.some((r) => RTL_LETTER.test(r.text)) && inOrder(band.runs, leftToRight)
    ? makeSegment(band.runs)
    : makeSegment(rowOf(band).segments.flatMap((s) => s.runs))));
  for (const run of rotated) lines.push(makeSegment([run]));
  return lines.sort((a, b) => a.rect.y0 - b.rect.y0);
}

/**
 * Rows with their segments split at the column gutters: two columns' lines stay apart however
 * close they come, where the gap is wider than a space between words of that size (a title
 * may cross the gutter).
 */
export function splitAtGutters(rows: Row[], gutters: Gutters): Row[] {
  if (gutters.at.length === 0) return rows;
  const atGutter = (right: number, run: TextRun, size: number) => run.rect.x0 - right >= Math.max(gutters.minGap, 0.75 * size)
    && gutters.at.some((g) => right <= g + gutters.reach && run.rect.x0 >= g - gutters.reach);
  const split = (seg: Segment): Segment[] => {
    // Only a segment reaching to a gutter's near side from beyond its far side can part there.
    if (!gutters.at.some((g) => seg.rect.x0 <= g + gutters.reach && seg.rect.x1 >= g - gutters.reach)) return [seg];
    const byX = [...seg.runs].sort((a, b) => a.rect.x0 - b.rect.x0);
    const pieces: TextRun[][] = [[byX[0]]];
    let right = byX[0].rect.x1;
    for (const run of byX.slice(1)) {
      const piece = pieces[pieces.length - 1];
      if (atGutter(right, run, Math.max(run.fontSize, piece[piece.length - 1].fontSize))) {
        pieces.push([run]);
        right = run.rect.x1;
      } else {
        piece.push(run);
        right = Math.max(right, run.rect.x1);
      }
    }
    return pieces.length === 1 ? [seg] : pieces.map(makeSegment);
  };
  return rows.map((row) => ({ ...row, segments: row.segments.flatMap(split) }));
}
