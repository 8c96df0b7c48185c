import type { Rect } from '../model.ts';
import type { Gutters } from './lines.ts';
import { fieldsOnRows, lineRows } from './rows.ts';
import { addStretch } from './columns.ts';

export interface Unit { rect: Rect }

const width = (r: Rect) => r.x1 - r.x0;

/** Column gutters found from the page's words, and how far from one a gap may lie to be it. */
type PageGutters = Pick<Gutters, 'at' | 'reach'>;

/**
 * The widest x-interval that no unit covers, if at least `minGap` wide; a page's column
 * gutter goes first however narrow the gap there (an equation number may come close to the
 * other column).
 */
function verticalGap(units: Unit[], minGap: number, gutters: PageGutters): number | null {
  const sorted = [...units].sort((a, b) => a.rect.x0 - b.rect.x0);
  let right = sorted[0].rect.x1;
  let best: { at: number; size: number } | null = null;
  for (const u of sorted.slice(1)) {
    const gap = u.rect.x0 - right;
    const gutter = gap > 0 && gutters.at.some((g) => right <= g + gutters.reach && u.rect.x0 >= g - gutters.reach);
    const size = gutter ? Infinity : gap;
    if ((gutter || gap >= minGap) && (!best || size > best.size)) best = { at: (u.rect.x0 + right) / 2, size };
    right = Math.max(right, u.rect.x1);
  }
  return best ? best.at : null;
}

/**
 * A column gutter blocked only by a few units that span it (a title, a full-width figure):
 * returns the blockers, so the region can be cut horizontally around them.
 */
function gutterBlockers(units: Unit[], minGap: number): Unit[] | null {
  if (units.length < 6) return null;
  const x0 = Math.floor(Math.min(...units.map((u) => u.rect.x0)));
  const x1 = Math.ceil(Math.max(...units.map((u) => u.rect.x1)));
  const w = x1 - x0;
  if (w <= 2 * minGap) return null;
  // How many units cover each x (1-unit steps): a gutter is a stretch covered by few of them.
  const cover = new Int32Array(w + 2);
  for (const u of units) addStretch(cover, Math.max(0, Math.ceil(u.rect.x0 - x0)), Math.min(w, Math.floor(u.rect.x1 - x0)));
  for (let x = 1; x <= w; x++) cover[x] += cover[x - 1];
  const lo = Math.floor(0.2 * w), hi = Math.ceil(0.8 * w);
  let min = Infinity;
  for (let x = lo; x <= hi; x++) min = Math.min(min, cover[x]);
  const limit = Math.max(1, Math.floor(units.length * 0.25));
  if (min === 0 || min > limit) return null;
  // The least-covered stretch wide enough to be a gutter: allow a few more blockers at a time.
  let best: [number, number] | null = null;
  for (let k = min; k <= limit && !best; k++) {
    for (let x = lo; x <= hi; x++) {
      if (cover[x] > k) continue;
      let e = x;
      while (e + 1 <= w && cover[e + 1] <= k) e++;
      if (e - x >= minGap && (!best || e - x > best[1] - best[0])) best = [x, e];
      x = e;
    }
  }
  if (!best) return null;
  const at = x0 + (best[0] + best[1]) / 2;
  const [g0, g1] = [x0 + best[0], x0 + best[1]];
  const blockers = units.filter((u) => u.rect.x0 < g1 && u.rect.x1 > g0);
  const rest = units.filter((u) => !blockers.includes(u));
  const left = rest.filter((u) => u.rect.x1 <= at).length;
  if (left < 2 || rest.length - left < 2) return null;
  return blockers;
}

/**
 * Two boxes one over the other, sharing most of even the wider one's width: two lines of a
 * column, not a formula's raised piece (an index, a bracket, a numerator) over a longer line.
 */
function stacked(a: Rect, b: Rect): boolean {
  const overlapX = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  if (overlapX <= 0.5 * Math.max(width(a), width(b))) return false;
  const overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlapY < 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

/** Split units into slabs at horizontal gaps (top to bottom). */
function horizontalSlabs<U extends Unit>(units: U[], minGap: number): U[][] {
  const sorted = [...units].sort((a, b) => a.rect.y0 - b.rect.y0);
  const slabs: U[][] = [[sorted[0]]];
  let bottom = sorted[0].rect.y1;
  for (const u of sorted.slice(1)) {
    if (u.rect.y0 - bottom >= minGap) slabs.push([u]);
    else slabs[slabs.length - 1].push(u);
    bottom = Math.max(bottom, u.rect.y1);
  }
  return slabs;
}

/**
 * Reading order by recursive XY-cut: columns (vertical gaps) first, so aligned paragraph
 * breaks across columns cannot interleave them; full-width elements that block a gutter
 * are cut out horizontally; otherwise top to bottom.
 */
export function readingOrder<U extends Unit>(units: U[], minColumnGap: number, gutters: PageGutters = { at: [], reach: 0 }, depth = 0, recognised = false): U[] {
  if (units.length <= 1 || depth > 60) return units;
  const next = (part: U[]) => readingOrder(part, minColumnGap, gutters, depth + 1, recognised);
  const at = verticalGap(units, minColumnGap, gutters);
  if (at !== null) {
    const left = units.filter((u) => (u.rect.x0 + u.rect.x1) / 2 < at);
    const right = units.filter((u) => (u.rect.x0 + u.rect.x1) / 2 >= at);
    // A recognised page's labels and values on shared rows read row by row (see rows.ts).
    if (recognised && fieldsOnRows(left, right)) {
      const rows = lineRows(units);
      if (rows.length > 1) return rows.flatMap(next);
    }
    // A lone line beside a few others (a title next to a logo and a name) is no column:
    // read such a band top to bottom when it divides into rows.
    const lone = [left, right].some((side) => side.length === 1 && side[0].rect.y1 - side[0].rect.y0 <= 3 * minColumnGap);
    const slabs = lone ? horizontalSlabs(units, 0.5) : [];
    if (slabs.length > 1) return slabs.flatMap((slab) => next(slab));
    return [...next(left), ...next(right)];
  }
  const blockers = gutterBlockers(units, minColumnGap) as U[] | null;
  if (blockers && blockers.length > 0) {
    const out: U[] = [];
    const sortedBlockers = [...blockers].sort((a, b) => a.rect.y0 - b.rect.y0);
    let rest = units.filter((u) => !blockers.includes(u));
    // A piece that starts the blocker's own line (a caption's "Figure 6:" set apart by a wide
    // space) is read before it, not after it with the band below.
    const level = (u: U, b: U) => u.rect.x1 <= b.rect.x0 && Math.min(u.rect.y1, b.rect.y1) - Math.max(u.rect.y0, b.rect.y0)
      >= 0.5 * Math.min(u.rect.y1 - u.rect.y0, b.rect.y1 - b.rect.y0);
    let prevY = -Infinity;
    for (const b of sortedBlockers) {
      const line = rest.filter((u) => level(u, b) && (u.rect.y0 + u.rect.y1) / 2 >= prevY);
      rest = rest.filter((u) => !line.includes(u));
      const band = rest.filter((u) => (u.rect.y0 + u.rect.y1) / 2 >= prevY && (u.rect.y0 + u.rect.y1) / 2 < (b.rect.y0 + b.rect.y1) / 2);
      out.push(...next(band), ...[b, ...line].sort((u, v) => u.rect.x0 - v.rect.x0));
      prevY = (b.rect.y0 + b.rect.y1) / 2;
    }
    out.push(...next(rest.filter((u) => (u.rect.y0 + u.rect.y1) / 2 >= prevY)));
    return out;
  }
  // Recognised lines may touch with no white between them: they part where they share no row.
  const slabs = recognised ? lineRows(units) : horizontalSlabs(units, 0.5);
  if (slabs.length > 1) return slabs.flatMap(next);
  // Overlapping units with no gap either way. Pieces of one line (a formula with its raised
  // and lowered parts) read left to right; anything taller, or pieces drawn one over the other
  // (two lines of a column that a raised index makes touch), top to bottom, then left to right.
  const heights = units.map((u) => u.rect.y1 - u.rect.y0).sort((a, b) => a - b);
  const top = Math.min(...units.map((u) => u.rect.y0)), bottom = Math.max(...units.map((u) => u.rect.y1));
  if (bottom - top <= 2 * heights[heights.length >> 1] && !units.some((a, i) => units.some((b, j) => j > i && stacked(a.rect, b.rect)))) {
    return [...units].sort((a, b) => a.rect.x0 - b.rect.x0 || a.rect.y0 - b.rect.y0);
  }
  return byRows(units);
}

/**
 * Units top to bottom by the rows they share, each row left to right. A unit joins a row it
 * is level with (overlapping half its height or the row's), so the pieces of one line whose
 * tops differ (text beside a raised radicand or a tall bracket) keep their order along it.
 */
function byRows<U extends Unit>(units: U[]): U[] {
  const rows: Array<{ y0: number; y1: number; units: U[] }> = [];
  for (const u of [...units].sort((a, b) => a.rect.y0 + a.rect.y1 - b.rect.y0 - b.rect.y1)) {
    const h = u.rect.y1 - u.rect.y0;
    const row = rows.find((r) => Math.min(r.y1, u.rect.y1) - Math.max(r.y0, u.rect.y0) >= 0.5 * Math.min(h, r.y1 - r.y0));
    if (row) row.units.push(u);
    else rows.push({ y0: u.rect.y0, y1: u.rect.y1, units: [u] });
  }
  return rows.sort((a, b) => a.y0 - b.y0).flatMap((r) => r.units.sort((a, b) => a.rect.x0 - b.rect.x0));
}
