import { findDateText, parseNumber } from '../extract/coerce.ts';
import { unionRect } from '../layout/lines.ts';
import { centredIn } from '../layout/rows.ts';
import type { Rect } from '../model.ts';
import type { OcrToken } from './page.ts';

/**
 * Combining two recognisers' readings of the same image (ROVER-style voting, Fiscus 1997,
 * "A post-processing system to yield reduced word error rates"): two models that misread
 * *different* words make fewer errors together than either alone.
 *
 * Both readings are of one image, so they are aligned by position rather than by text:
 * lines into rows of print by overlap (each model may cut a row into several lines), then
 * words within a row pair into slots of boxes that overlap across the two readings (one
 * reading's "RM20. 40" is the other's "RM20.40"). A slot where
 * both agree is kept, more confident; where they disagree, the side with the higher
 * confidence wins, and text the extractor would take as an amount or a date outweighs text
 * it would not. Lines or words only one side read are kept when that side was sure of them.
 */

export interface OcrLineReading {
  rect: Rect;
  words: OcrToken[];
}

/** Confidence a word (or line) read by one side only needs to be kept. */
const LONE_CONFIDENCE = 0.7;
/** What an amount- or date-shaped reading is worth against a shapeless one, in confidence. */
const SHAPE_BONUS = 0.15;
/** Lines overlapping by this share of the lower one's height are the same line. */
const SAME_LINE = 0.5;

export function voteReadings(a: OcrLineReading[], b: OcrLineReading[]): OcrLineReading[] {
  // Two models' confidences are on different scales (one may be surer of everything): a
  // disputed word is judged by how sure each model is of it compared with its usual.
  const bias = meanConfidence(b.flatMap((l) => l.words)) - meanConfidence(a.flatMap((l) => l.words));
  const voted = rows(a, b).map((row) => ({ row, slots: row.a.length > 0 && row.b.length > 0 ? slots(merged(row.a).words, merged(row.b).words) : [] }));
  const verdicts = disputes(voted.flatMap((v) => v.slots), bias);
  const out: OcrLineReading[] = [];
  for (const { row, slots } of voted) {
    if (row.b.length === 0) out.push(...row.a);
    // A row only the second reading found (a faint line the first dropped as noise).
    else if (row.a.length === 0) out.push(...row.b.filter((line) => meanConfidence(line.words) >= LONE_CONFIDENCE));
    else out.push(...voteLine(row.a, slots, bias, verdicts, a));
  }
  return out.sort((x, y) => x.rect.y0 - y.rect.y0 || x.rect.x0 - y.rect.x0);
}

/**
 * The same disagreement met more than once on a page ("HARMONT" against "HARMONI" in the
 * street and again in the district name) is one question: a word printed twice is the same
 * word in the same type, so both prints' evidence decides every one of them. Keyed by the
 * two spellings; true when the second reading wins.
 */
function disputes(all: Slot[], bias: number): Map<string, boolean> {
  const sums = new Map<string, { a: number; b: number; n: number }>();
  for (const slot of all) {
    if (slot.a.length === 0 || slot.b.length === 0 || text(slot.a) === text(slot.b)) continue;
    const key = disputeKey(slot);
    // Marks ("}" against ")") are no word to recognise again.
    if (!/^[^\u0000]*[\p{L}\p{N}][^\u0000]*\u0000[^\u0000]*[\p{L}\p{N}]/u.test(key)) continue;
    const s = sums.get(key) ?? { a: 0, b: 0, n: 0 };
    s.a += score(slot.a);
    s.b += score(slot.b) - bias;
    s.n++;
    sums.set(key, s);
  }
  return new Map([...sums].filter(([, s]) => s.n > 1).map(([key, s]) => [key, s.b > s.a]));
}

/** The two spellings of a disputed slot, letter case and edge punctuation aside. */
function disputeKey(slot: Slot): string {
  const spell = (words: OcrToken[]) => text(words).toUpperCase().replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
  return `${spell(slot.a)}\u0000${spell(slot.b)}`;
}

interface Row { a: OcrLineReading[]; b: OcrLineReading[] }

/**
 * The two readings' lines grouped by the row of print they read: lines overlapping across
 * the readings (by half the lower one's height) are joined, strongest overlap first. The models cut a row into lines differently (one splits
 * a name from a price across a wide gap, or sets a stray mark apart as a line of its own;
 * the other reads the row whole), so a line may have several partners on the other side,
 * and every one of them must be weighed, not only the first found.
 */
function rows(a: OcrLineReading[], b: OcrLineReading[]): Row[] {
  const lines = [...a, ...b];
  const spans = lines.map(rowSpan);
  const members = lines.map((_, i) => [i]);
  const root = lines.map((_, i) => i);
  // Strongest overlaps first, and no join that would put two lines of one reading that are
  // not on one row into the same row: in dense print a padded or skewed box overlaps the
  // next line's, and joining by overlap alone would chain a paragraph into one "row".
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const x = spans[i], y = spans[a.length + j];
      if (verticalOverlap(x, y) >= SAME_LINE && horizontalOverlap(x, y) > 0) {
        pairs.push([i, a.length + j, (Math.min(x.y1, y.y1) - Math.max(x.y0, y.y0)) * horizontalOverlap(x, y)]);
      }
    }
  }
  pairs.sort((p, q) => q[2] - p[2]);
  for (const [i, j] of pairs) {
    const [ri, rj] = [root[i], root[j]];
    if (ri === rj) continue;
    const compatible = members[ri].every((m) => members[rj].every((n) => (m < a.length) !== (n < a.length) || verticalOverlap(spans[m], spans[n]) >= SAME_LINE));
    if (!compatible) continue;
    for (const n of members[rj]) root[n] = ri;
    members[ri].push(...members[rj]);
    members[rj] = [];
  }
  return members.filter((m) => m.length > 0).map((m) => ({
    a: m.filter((k) => k < a.length).sort((x, y) => x - y).map((k) => lines[k]),
    b: m.filter((k) => k >= a.length).sort((x, y) => x - y).map((k) => lines[k]),
  }));
}

/**
 * The height of the row a line stands on: the median of its words' tops and bottoms. One
 * misread word can stretch a line's box over the next row (a descender read as part of a
 * letter, a speck below it), and that box would then join the two rows.
 */
function rowSpan(line: OcrLineReading): Rect {
  if (line.words.length < 3) return line.rect;
  const mid = (xs: number[]) => xs.sort((p, q) => p - q)[xs.length >> 1];
  return { ...line.rect, y0: mid(line.words.map((w) => w.rect.y0)), y1: mid(line.words.map((w) => w.rect.y1)) };
}

/** One side's lines of a row as a single line, words left to right. */
function merged(lines: OcrLineReading[]): OcrLineReading {
  if (lines.length === 1) return lines[0];
  return { rect: unionRect(lines.map((l) => l.rect)), words: lines.flatMap((l) => l.words).sort((x, y) => x.rect.x0 - y.rect.x0) };
}

function voteLine(a: OcrLineReading[], row: Slot[], bias: number, verdicts: Map<string, boolean>, page: OcrLineReading[]): OcrLineReading[] {
  const words: OcrToken[] = [];
  const lone = new Set<OcrToken>();
  for (const slot of row) {
    if (slot.a.length === 0) {
      // A word off this row's lines (the second reading's line spans two rows) is another
      // row's word; the first reading's line there answers for it.
      const elsewhere = (w: OcrToken) => !a.some((l) => centredIn(w.rect, l.rect)) && page.some((l) => centredIn(w.rect, l.rect) && horizontalOverlap(l.rect, w.rect) > 0);
      if (meanConfidence(slot.b) >= LONE_CONFIDENCE) for (const w of slot.b) if (!elsewhere(w)) lone.add(w), words.push(w);
      continue;
    }
    if (slot.b.length === 0) {
      words.push(...slot.a);
      continue;
    }
    const frame = slot.a.map((w) => w.rect);
    if (text(slot.a) === text(slot.b)) {
      // Agreement (both models would have to be wrong the same way); where they split the
      // letters differently ("RM20. 40"), the better-scored split.
      const [kept, other] = score(slot.b) - bias > score(slot.a) ? [framed(slot.b, frame), slot.a] : [slot.a, slot.b];
      const sure = meanConfidence(other);
      words.push(...kept.map((w) => ({ ...w, confidence: agreed(w.confidence, sure) })));
      continue;
    }
    const second = verdicts.get(disputeKey(slot)) ?? score(slot.b) - bias > score(slot.a);
    words.push(...(second ? framed(slot.b, frame) : slot.a));
  }
  // The first reading's lines are kept as they are cut (a row of two columns stays two
  // lines, each its own height), each with the voted words over it.
  const own = a.map(() => [] as OcrToken[]);
  for (const w of words) {
    const k = nearestLine(a, w.rect);
    own[k].push(lone.has(w) ? framed([w], [a[k].rect])[0] : w);
  }
  return a.flatMap((line, k) => {
    if (own[k].length === 0) return [];
    own[k].sort((x, y) => x.rect.x0 - y.rect.x0);
    return [{ rect: unionRect([line.rect, ...own[k].map((w) => w.rect)]), words: own[k] }];
  });
}

/** The line most over the word (or nearest beside it). */
function nearestLine(lines: OcrLineReading[], r: Rect): number {
  let best = 0, bestScore = -Infinity;
  lines.forEach((line, k) => {
    const s = horizontalOverlap(line.rect, r);
    if (s > bestScore) [best, bestScore] = [k, s];
  });
  return best;
}

/**
 * The second reading's words with the height of the first's boxes over the same ink. The
 * models draw boxes differently (PP-OCR pads them, tesseract fits the letters): a row that
 * mixed both would look set in larger type than its neighbours, and layout compares rows'
 * type sizes to tell a name from its address or a heading from its text.
 */
function framed(words: OcrToken[], frame: Rect[]): OcrToken[] {
  const y0 = Math.min(...frame.map((r) => r.y0)), y1 = Math.max(...frame.map((r) => r.y1));
  return words.map((w) => ({ ...w, rect: { ...w.rect, y0, y1 } }));
}

interface Slot { a: OcrToken[]; b: OcrToken[] }

/**
 * Words of the two readings grouped into slots: connected runs of boxes overlapping across
 * the readings (by more than a third of the narrower box, so touching neighbours stay apart).
 */
function slots(a: OcrToken[], b: OcrToken[]): Slot[] {
  const all = [...a.map((w) => ({ w, side: 'a' as const })), ...b.map((w) => ({ w, side: 'b' as const }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const x = a[i].rect, y = b[j].rect;
      const overlap = Math.min(x.x1, y.x1) - Math.max(x.x0, y.x0);
      const narrower = Math.min(x.x1 - x.x0, y.x1 - y.x0);
      // On the same row of print too (one's middle within the other's height): padded
      // boxes of the next row reach into this one's.
      if (overlap > narrower / 3 && (centredIn(x, y) || centredIn(y, x))) parent[find(i)] = find(a.length + j);
    }
  }
  const groups = new Map<number, Slot>();
  all.forEach(({ w, side }, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { a: [], b: [] }));
    g[side].push(w);
  });
  return [...groups.values()];
}

function text(words: OcrToken[]): string {
  return words.map((w) => w.text).join('');
}

/** Two independent readings agreeing: wrong only if both are. */
function agreed(p: number, q: number): number {
  return 1 - (1 - p) * (1 - q);
}

/** Length-weighted confidence, plus the bonus for text shaped like an amount or a date. */
function score(words: OcrToken[]): number {
  return meanConfidence(words) + (shaped(words.map((w) => w.text).join(' ')) ? SHAPE_BONUS : 0);
}

/** An amount ("12.50", "RM1,234.00", "-0.01") or a valid date: what receipts and invoices are read for. */
export function shaped(t: string): boolean {
  const s = t.trim();
  if (/^[-(]?(?:[A-Z]{2,3}|[$€£¥])?\s?\d{1,3}(?:,\d{3})*[.,]\d{2}\)?$/.test(s) || /^[-(]?(?:[A-Z]{2,3}|[$€£¥])?\s?\d+[.,]\d{2}\)?$/.test(s)) {
    return parseNumber(s.replace(/^[-(]?(?:[A-Z]{2,3}|[$€£¥])?\s?/, '')) !== undefined;
  }
  return findDateText(s) === s.replace(/[.,;]$/, '') && s.length >= 6;
}

function meanConfidence(words: OcrToken[]): number {
  let sum = 0, n = 0;
  for (const w of words) {
    const k = Math.max(1, w.text.length);
    sum += w.confidence * k;
    n += k;
  }
  return n > 0 ? sum / n : 0;
}

function verticalOverlap(x: Rect, y: Rect): number {
  const overlap = Math.min(x.y1, y.y1) - Math.max(x.y0, y.y0);
  const lower = Math.min(x.y1 - x.y0, y.y1 - y.y0);
  return lower > 0 ? overlap / lower : 0;
}

function horizontalOverlap(x: Rect, y: Rect): number {
  return Math.min(x.x1, y.x1) - Math.max(x.x0, y.x0);
}

