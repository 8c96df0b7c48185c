import type { Row } from './lines.ts';

/** Fewer than this many lines on either side of a gap: no column, a ragged edge or a table. */
const MIN_LINES_PER_SIDE = 5;
/** A gutter is crossed by words on at most this share of the lines that reach across it. */
const MAX_CROSSING_SHARE = 0.2;

/**
 * Column gutters found from the words themselves: x positions that the words of (almost) no
 * line cover although many lines lie on both sides. Inside a column of prose most lines have a
 * word over any given x (spaces are narrow), in a gutter only the few full-width lines do
 * (a title, a wide equation), and only where they have no space. Segments are split at these
 * positions, so a left-column element that reaches close to the right column (an equation
 * number, a long formula) no longer joins the right column's line into one piece.
 */
export function findGutters(rows: Row[], pageWidth: number): number[] {
  const lines = rows
    .map((r) => r.segments.flatMap((s) => s.runs.filter((w) => !w.rotation).map((w) => w.rect)))
    .filter((words) => words.length > 0);
  if (lines.length < 2 * MIN_LINES_PER_SIDE) return [];
  const w = Math.ceil(pageWidth);
  // Per x (1-unit steps): lines with a word over x, lines that reach to within `reach` of x
  // (whether or not their baselines line up with the other column's), and lines with a word
  // ending left of it / starting right of it.
  const reach = 0.04 * pageWidth;
  const cover = new Int32Array(w + 1);
  const near = new Int32Array(w + 1);
  const endsLeft = new Int32Array(w + 2);
  const startsRight = new Int32Array(w + 2);
  const clampX = (x: number) => Math.max(0, Math.min(w, Math.round(x)));
  for (const words of lines) {
    let lo = Infinity, hi = -Infinity;
    for (const r of words) {
      for (let x = clampX(r.x0); x <= clampX(r.x1); x++) cover[x]++;
      lo = Math.min(lo, r.x0);
      hi = Math.max(hi, r.x1);
    }
    for (let x = clampX(lo - reach); x <= clampX(hi + reach); x++) near[x]++;
    // Prefix counts: a line counts left of x when some word ends before x.
    const firstEnd = Math.min(...words.map((r) => r.x1));
    const lastStart = Math.max(...words.map((r) => r.x0));
    endsLeft[clampX(firstEnd) + 1]++;
    startsRight[clampX(lastStart)]++;
  }
  for (let x = 1; x <= w + 1; x++) endsLeft[x] += endsLeft[x - 1];
  for (let x = w; x >= 0; x--) startsRight[x] += startsRight[x + 1];

  const isGap = (x: number) => near[x] >= 2 * MIN_LINES_PER_SIDE && cover[x] <= MAX_CROSSING_SHARE * near[x]
    && endsLeft[x] >= MIN_LINES_PER_SIDE && startsRight[x] >= MIN_LINES_PER_SIDE;
  // Stretches of gap, a few units of crossing text inside one (a centred title's word)
  // not breaking it; each gutter is the middle of its stretch.
  const stretches: Array<[number, number]> = [];
  const margin = Math.round(0.1 * pageWidth);
  for (let x = margin; x <= w - margin; x++) {
    if (!isGap(x)) continue;
    let end = x;
    while (end + 1 <= w - margin && isGap(end + 1)) end++;
    const last = stretches[stretches.length - 1];
    if (last && x - last[1] <= reach) last[1] = end;
    else stretches.push([x, end]);
    x = end;
  }
  return stretches.map(([a, b]) => (a + b) / 2);
}
