import type { PageContent, Rect, Ruling, TableCell, TextRun } from '../model.ts';
import { cellText, clusterValues, guessHeaderRows, inside, mirrorIfRightToLeft, type TableRegion } from './grid.ts';
import { FIGURE } from './unruled.ts';

/** Tolerance (page units) for rulings meeting at a corner and for double lines. */
const SNAP = 3;
/** A plot's panel: this share of its frame or more, with text on less than PLOT_TEXT_SHARE of it. */
const PLOT_PANEL_SHARE = 0.5;
const PLOT_TEXT_SHARE = 0.1;

/** Merge collinear, touching rulings into longer ones. */
function mergeRulings(rulings: Ruling[]): Ruling[] {
  const out: Ruling[] = [];
  for (const orientation of ['h', 'v'] as const) {
    const list = rulings.filter((r) => r.orientation === orientation)
      .map((r) => orientation === 'h' ? { pos: r.y0, a: r.x0, b: r.x1 } : { pos: r.x0, a: r.y0, b: r.y1 })
      .sort((p, q) => p.pos - q.pos || p.a - q.a);
    const merged: Array<{ pos: number; a: number; b: number }> = [];
    for (const seg of list) {
      const same = merged.find((m) => Math.abs(m.pos - seg.pos) <= 1 && seg.a <= m.b + SNAP && seg.b >= m.a - SNAP);
      if (same) { same.a = Math.min(same.a, seg.a); same.b = Math.max(same.b, seg.b); }
      else merged.push({ ...seg });
    }
    for (const m of merged) {
      out.push(orientation === 'h'
        ? { orientation, x0: m.a, x1: m.b, y0: m.pos, y1: m.pos }
        : { orientation, x0: m.pos, x1: m.pos, y0: m.a, y1: m.b });
    }
  }
  return out;
}

const touches = (h: Ruling, v: Ruling) =>
  v.x0 >= h.x0 - SNAP && v.x0 <= h.x1 + SNAP && h.y0 >= v.y0 - SNAP && h.y0 <= v.y1 + SNAP;

/** Groups of rulings connected by intersections (each a candidate table frame). */
function frames(rulings: Ruling[]): Ruling[][] {
  const parent = rulings.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  // Only a horizontal and a vertical ruling can meet.
  const hs = rulings.flatMap((r, i) => (r.orientation === 'h' ? [i] : []));
  const vs = rulings.flatMap((r, i) => (r.orientation === 'h' ? [] : [i]));
  for (const i of hs) {
    for (const j of vs) if (touches(rulings[i], rulings[j])) parent[find(i)] = find(j);
  }
  const groups = new Map<number, Ruling[]>();
  rulings.forEach((r, i) => {
    const k = find(i);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  });
  return [...groups.values()];
}

/** Is the boundary x (from y0 to y1) drawn by some vertical ruling? */
function coveredV(vs: Ruling[], x: number, y0: number, y1: number): boolean {
  const need = (y1 - y0) * 0.6;
  let covered = 0;
  for (const v of vs) if (Math.abs(v.x0 - x) <= SNAP) covered += Math.max(0, Math.min(v.y1, y1) - Math.max(v.y0, y0));
  return covered >= need;
}
function coveredH(hs: Ruling[], y: number, x0: number, x1: number): boolean {
  const need = (x1 - x0) * 0.6;
  let covered = 0;
  for (const h of hs) if (Math.abs(h.y0 - y) <= SNAP) covered += Math.max(0, Math.min(h.x1, x1) - Math.max(h.x0, x0));
  return covered >= need;
}

/**
 * Rows ruled only at the top and bottom of a body: inside a ruled row band, text lines that
 * line up across most (and at least two) of the columns are separate rows; wrapped cells are not.
 */
function splitUnruledRows(ys: number[], xs: number[], words: TextRun[]): number[] {
  const out = [ys[0]];
  const rowsRuled = ys.length >= 4;
  for (let r = 0; r + 1 < ys.length; r++) {
    const band = words.filter((w) => { const c = (w.rect.y0 + w.rect.y1) / 2; return c > ys[r] && c < ys[r + 1]; })
      .sort((a, b) => a.rect.y0 - b.rect.y0);
    const lines: TextRun[][] = [];
    for (const w of band) {
      const line = lines[lines.length - 1];
      const bottom = line ? Math.max(...line.map((x) => x.rect.y1)) : 0;
      if (line && (w.rect.y0 + w.rect.y1) / 2 < bottom) line.push(w);
      else lines.push([w]);
    }
    const colOf = (w: TextRun) => { const c = (w.rect.x0 + w.rect.x1) / 2; return xs.findIndex((x, k) => k + 1 < xs.length && c >= x && c < xs[k + 1]); };
    const top = (line: TextRun[]) => Math.min(...line.map((w) => w.rect.y0));
    const pitches = lines.slice(1).map((line, i) => top(line) - top(lines[i]));
    const widest = Math.max(0, ...pitches);
    // A line at the text's own leading, where the rows stand further apart, that goes on in
    // lower case (or leaves the first column empty) and holds no figures: wrapped cells.
    const continues = (i: number) => {
      const line = lines[i + 1];
      const size = Math.max(...line.map((w) => w.fontSize));
      // Where rows have rulings of their own, every line of a band belongs to one row.
      if (pitches[i] > 1.4 * size || (!rowsRuled && widest < pitches[i] + 0.4 * size)) return false;
      const firsts = new Map<number, TextRun>();
      for (const w of [...line].sort((a, b) => a.rect.x0 - b.rect.x0)) if (!firsts.has(colOf(w))) firsts.set(colOf(w), w);
      if (line.some((w) => FIGURE.test(w.text))) return false;
      const lower = [...firsts.values()].filter((w) => /^\p{Ll}/u.test(w.text)).length;
      return !firsts.has(0) || lower >= 0.5 * firsts.size;
    };
    for (let i = 0; i + 1 < lines.length; i++) {
      if (continues(i)) continue;
      const above = new Set(lines[i].map(colOf));
      const shared = new Set(lines[i + 1].map(colOf).filter((c) => above.has(c) && c >= 0));
      const union = new Set([...above, ...lines[i + 1].map(colOf)].filter((c) => c >= 0));
      if (shared.size >= 2 && shared.size >= 0.75 * union.size) {
        out.push((Math.max(...lines[i].map((w) => w.rect.y1)) + Math.min(...lines[i + 1].map((w) => w.rect.y0))) / 2);
      }
    }
    out.push(ys[r + 1]);
  }
  return out;
}

/** Does a word between `lo` and `hi` (on the other axis) cross the line at `at`? */
function straddles(words: TextRun[], at: number, axis: 'x' | 'y', lo: number, hi: number): boolean {
  return words.some((w) => {
    const [a0, a1, b0, b1] = axis === 'x' ? [w.rect.x0, w.rect.x1, w.rect.y0, w.rect.y1] : [w.rect.y0, w.rect.y1, w.rect.x0, w.rect.x1];
    const mid = (b0 + b1) / 2;
    return mid > lo && mid < hi && a0 < at - 1 && a1 > at + 1;
  });
}

const area = (r: Rect) => Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);

/**
 * A plot's frame and its axes: one panel takes most of the grid and little of it is text (a
 * few labels among the drawn data), the rest is tick labels around it. A table is a grid of
 * text; none of its cells is mostly blank space that big.
 */
function isPlotFrame(rect: Rect, cellRects: Rect[], words: TextRun[]): boolean {
  const panel = cellRects.reduce((a, b) => (area(b) > area(a) ? b : a));
  if (area(panel) < PLOT_PANEL_SHARE * area(rect)) return false;
  const inked = words.filter((w) => inside(w.rect, panel)).reduce((a, w) => a + area(w.rect), 0);
  return inked < PLOT_TEXT_SHARE * area(panel);
}

/**
 * Tables drawn with lines: each connected frame of horizontal and vertical rulings is a grid;
 * a cell boundary without a ruling means the neighbouring grid cells are one spanning cell.
 */
export function findRuledTables(page: PageContent, runs: TextRun[]): TableRegion[] {
  const rulings = mergeRulings(page.rulings);
  const regions: TableRegion[] = [];
  for (const frame of frames(rulings)) {
    const hs = frame.filter((r) => r.orientation === 'h');
    const vs = frame.filter((r) => r.orientation === 'v');
    if (hs.length < 2 || vs.length < 2) continue;
    const rect: Rect = {
      x0: Math.min(...frame.map((r) => r.x0)), x1: Math.max(...frame.map((r) => r.x1)),
      y0: Math.min(...frame.map((r) => r.y0)), y1: Math.max(...frame.map((r) => r.y1)),
    };
    const words = runs.filter((r) => inside(r.rect, rect));
    if (words.length === 0) continue;
    let xs = clusterValues([...vs.map((v) => v.x0), rect.x0, rect.x1], SNAP);
    let ys = splitUnruledRows(clusterValues([...hs.map((h) => h.y0), rect.y0, rect.y1], SNAP), xs, words);
    const empty = (r: number, c: number) => !words.some((w) => inside(w.rect, { x0: xs[c], x1: xs[c + 1], y0: ys[r], y1: ys[r + 1] }));
    // A line drawn only between empty cells (the arrows joining a diagram's boxes) separates
    // no text: it is no cell boundary. (Row boundaries that the text alone gave are kept.)
    const separatesText = (k: number, along: 'x' | 'y') => {
      const drawn = along === 'x'
        ? ys.slice(1).map((y, r) => coveredV(vs, xs[k], ys[r], y) ? !(empty(r, k - 1) && empty(r, k)) : undefined)
        : xs.slice(1).map((x, c) => coveredH(hs, ys[k], xs[c], x) ? !(empty(k - 1, c) && empty(k, c)) : undefined);
      return drawn.every((d) => d === undefined) || drawn.some((d) => d === true);
    };
    const keepX = xs.map((_, k) => k === 0 || k === xs.length - 1 || separatesText(k, 'x'));
    const keepY = ys.map((_, k) => k === 0 || k === ys.length - 1 || separatesText(k, 'y'));
    xs = xs.filter((_, k) => keepX[k]);
    ys = ys.filter((_, k) => keepY[k]);
    const cols = xs.length - 1, rows = ys.length - 1;
    if (cols < 2 || rows < 2) continue;

    // Boundaries drawn along most of their length.
    const colRuled = xs.map((x, k) => k > 0 && k < cols && ys.slice(1).filter((y, r) => coveredV(vs, x, ys[r], y)).length >= rows / 2);
    const rowRuled = ys.map((y, k) => k > 0 && k < rows && xs.slice(1).filter((x, c) => coveredH(hs, y, xs[c], x)).length >= cols / 2);
    // Union grid cells that no ruling separates.
    const id = (r: number, c: number) => r * cols + c;
    const parent = Array.from({ length: rows * cols }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // A missing ruling joins two grid cells when text runs across the boundary, or when the
        // boundary is drawn elsewhere (so its absence here is deliberate) and one side is empty.
        // Many tables rule only their header and separate body columns by whitespace alone.
        if (c + 1 < cols && !coveredV(vs, xs[c + 1], ys[r], ys[r + 1])
          && (straddles(words, xs[c + 1], 'x', ys[r], ys[r + 1])
            || (colRuled[c + 1] && (empty(r, c) || empty(r, c + 1))))) parent[find(id(r, c + 1))] = find(id(r, c));
        if (r + 1 < rows && !coveredH(hs, ys[r + 1], xs[c], xs[c + 1])
          && (straddles(words, ys[r + 1], 'y', xs[c], xs[c + 1])
            || (rowRuled[r + 1] && (empty(r, c) || empty(r + 1, c))))) parent[find(id(r + 1, c))] = find(id(r, c));
      }
    }
    const spans = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const k = find(id(r, c));
        const s = spans.get(k);
        if (!s) spans.set(k, { r0: r, r1: r, c0: c, c1: c });
        else { s.r0 = Math.min(s.r0, r); s.r1 = Math.max(s.r1, r); s.c0 = Math.min(s.c0, c); s.c1 = Math.max(s.c1, c); }
      }
    }
    // A frame that is one big cell (a boxed paragraph) or a single row of boxes is not a table.
    if (spans.size < 2) continue;

    const taken = new Set<string>();
    const cells: TableCell[] = [];
    const cellRects: Rect[] = [];
    for (const s of [...spans.values()].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0)) {
      const key = `${s.r0},${s.c0}`;
      if (taken.has(key)) continue;
      for (let r = s.r0; r <= s.r1; r++) for (let c = s.c0; c <= s.c1; c++) taken.add(`${r},${c}`);
      const cr: Rect = { x0: xs[s.c0], x1: xs[s.c1 + 1], y0: ys[s.r0], y1: ys[s.r1 + 1] };
      const text = cellText(words.filter((w) => inside(w.rect, cr)));
      cells.push({ row: s.r0, col: s.c0, rowSpan: s.r1 - s.r0 + 1, colSpan: s.c1 - s.c0 + 1, text });
      cellRects.push(cr);
    }
    // Chart grids and decorative boxes are mostly empty: a table has text in a good share of its cells.
    const filled = cells.filter((c) => c.text.trim()).length;
    if (filled < 2 || filled < 0.3 * cells.length) continue;
    if (isPlotFrame(rect, cellRects, words)) continue;
    const table = { rows, cols, cells, headerRows: guessHeaderRows(cells, rows) };
    mirrorIfRightToLeft(table, cellRects);
    regions.push({ rect, table, confidence: 0.9, cellRects });
  }
  return regions;
}
