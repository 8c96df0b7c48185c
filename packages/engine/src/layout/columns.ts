import type { Row } from './lines.ts';

/** Fewer than this many lines on either side of a gap: no column, a ragged edge or a table. */
const MIN_LINES_PER_SIDE = 5;
/** A gutter is crossed by words on at most this share of the lines that reach across it. */
const MAX_CROSSING_SHARE = 0.2;

/** Per x (1-unit steps), counts of lines: see findGutters. */
interface LineCounts { cover: Int32Array; near: Int32Array; endsLeft: Int32Array; startsRight: Int32Array }

/**
 * The x step of a position on a page `w` units wide. A module-level function rather than a
 * closure per page: V8's optimized loops then call one and the same function every time.
 */
const clampX = (x: number, w: number) => Math.max(0, Math.min(w, Math.round(x)));

/**
 * Count x = from … to (inclusive) once more in an array of differences (+1 where a stretch
 * starts, -1 past its end), whose running sum is then the count at each x. A NaN end counts nothing.
 */
export const addStretch = (diff: Int32Array, from: number, to: number) => {
  if (!(from <= to)) return;
  diff[from]++;
  diff[to + 1]--;
};

/** Few lines cover x, though enough reach near it and lie on either side of it. */
const isGap = (c: LineCounts, x: number) => c.near[x] >= 2 * MIN_LINES_PER_SIDE && c.cover[x] <= MAX_CROSSING_SHARE * c.near[x]
  && c.endsLeft[x] >= MIN_LINES_PER_SIDE && c.startsRight[x] >= MIN_LINES_PER_SIDE;

/**
 * Column gutters found from the words themselves: x positions that the words of (almost) no
 * line cover although many lines lie on both sides. Inside a column of prose most lines have a
 * word over any given x (spaces are narrow), in a gutter only the few full-width lines do
 * (a title, a wide equation), and only where they have no space. Segments are split at these
 * positions, so a left-column element that reaches close to the right column (an equation
 * number, a long formula) no longer joins the right column's line into one piece.
 */
export function findGutters(rows: Row[], pageWidth: number): number[] {
  const hasWords = (r: Row) => r.segments.some((s) => s.runs.some((word) => !word.rotation));
  const lines = rows.filter(hasWords);
  if (lines.length < 2 * MIN_LINES_PER_SIDE) return [];
  const w = Math.ceil(pageWidth);
  // Per x (1-unit steps): lines with a word over x, lines that reach to within `reach` of x
  // (whether or not their baselines line up with the other column's), and lines with a word
  // ending left of it / starting right of it.
  const reach = 0.04 * pageWidth;
  // Counted as differences (see addStretch), summed up below.
  const cover = new Int32Array(w + 2);
  const near = new Int32Array(w + 2);
  const endsLeft = new Int32Array(w + 2);
  const startsRight = new Int32Array(w + 2);
  for (const line of lines) {
    let lo = Infinity, hi = -Infinity, firstEnd = Infinity, lastStart = -Infinity;
    for (const s of line.segments) {
      for (const word of s.runs) {
        if (word.rotation) continue;
        const r = word.rect;
        addStretch(cover, clampX(r.x0, w), clampX(r.x1, w));
        lo = Math.min(lo, r.x0);
        hi = Math.max(hi, r.x1);
        firstEnd = Math.min(firstEnd, r.x1);
        lastStart = Math.max(lastStart, r.x0);
      }
    }
    addStretch(near, clampX(lo - reach, w), clampX(hi + reach, w));
    // Prefix counts: a line counts left of x when some word ends before x.
    endsLeft[clampX(firstEnd, w) + 1]++;
    startsRight[clampX(lastStart, w)]++;
  }
  for (let x = 1; x <= w + 1; x++) {
    cover[x] += cover[x - 1];
    near[x] += near[x - 1];
    endsLeft[x] += endsLeft[x - 1];
  }
  for (let x = w; x >= 0; x--) startsRight[x] += startsRight[x + 1];

  const counts: LineCounts = { cover, near, endsLeft, startsRight };
  // Stretches of gap, a few units of crossing text inside one (a centred title's word)
  // not breaking it; each gutter is the middle of its stretch.
  const stretches: Array<[number, number]> = [];
  const margin = Math.round(0.1 * pageWidth);
  for (let x = margin; x <= w - margin; x++) {
    if (!isGap(counts, x)) continue;
    let end = x;
    while (end + 1 <= w - margin && isGap(counts, end + 1)) end++;
    const last = stretches[stretches.length - 1];
    if (last && x - last[1] <= reach) last[1] = end;
    else stretches.push([x, end]);
    x = end;
  }
  return stretches.map(([a, b]) => (a + b) / 2);
}
