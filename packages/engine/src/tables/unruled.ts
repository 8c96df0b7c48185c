import type { Rect, TableCell } from '../model.ts';
import type { Row, Segment } from '../layout/lines.ts';
import { unionRect } from '../layout/lines.ts';
import { INDEX_SIZE } from '../layout/equations.ts';
import { guessHeaderRows, mirrorIfRightToLeft, type TableRegion } from './grid.ts';

/** Table cells are short: a run of rows whose segments average more words than this is prose in columns. */
const MAX_MEAN_WORDS_PER_CELL = 6;
const MIN_ROWS = 3;
/**
 * Relations and large operators of mathematics. A display formula set in pieces (a fraction's
 * numerator and denominator, a sum's limits, the equation number at the margin) lines up like
 * a table, but its pieces are relations and operators where a table's cells hold data.
 */
const MATH = /[=≤≥≈≠∑∏∫∮∂∇∣‖〈〉⟨⟩⊗⊕√∈∉⊂⊆→↦∞]/u;
const MAX_MATH_CELL_SHARE = 0.4;

const words = (s: Segment) => s.text.split(/\s+/).filter(Boolean).length;

/** An unruled table and the segments its cells were made of (text between its rows is not). */
export interface UnruledTable extends TableRegion {
  segments: Segment[];
}

/**
 * Tables without lines, from column alignment: runs of consecutive rows split into several
 * segments whose x-ranges line up. Columns are the gaps shared by the fullest rows; a segment
 * crossing a column gap becomes a spanning cell.
 */
export function findUnruledTables(rows: Row[], lineHeight: number): UnruledTable[] {
  const regions: UnruledTable[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].segments.length < 2) { i++; continue; }
    // Grow a run of rows: multi-segment rows, tolerating one single-segment row between them.
    let j = i + 1;
    let end = i;
    while (j < rows.length) {
      const gap = rows[j].rect.y0 - rows[j - 1].rect.y1;
      if (gap > 2.5 * lineHeight) break;
      if (rows[j].segments.length >= 2) end = j;
      else if (!(j + 1 < rows.length && rows[j + 1].segments.length >= 2)) break;
      j++;
    }
    const run = rows.slice(i, end + 1);
    // A table (or a figure's labels) in one column of a two-column page shares its rows with
    // the prose of the other column: look for the table in its own column only.
    const column = beside(run);
    if (column) { regions.push(...findUnruledTables(column, lineHeight)); i = end + 1; continue; }
    // Two pages of a spread, or two columns of forms, side by side: each half on its own.
    const halves = apart(run);
    if (halves) { regions.push(...halves.flatMap((h) => findUnruledTables(h, lineHeight))); i = end + 1; continue; }
    const region = tableFromRows(run);
    if (region) { regions.push(region); i = end + 1; } else i++;
  }
  return regions;
}

function tableFromRows(run: Row[]): UnruledTable | null {
  // A row set wholly in index type beside the others' (the limits under a display formula's
  // integrals, a formula's scripts on a line of their own) hangs from the formula: it is no
  // row of a table. A table set small throughout is measured against its own type, and a
  // row of units a size smaller than the header (8 in 10) is no index.
  const size = median(run.flatMap((r) => r.segments.map((s) => s.fontSize)));
  const ofFormula = (r: Row) => r.segments.every((s) => s.fontSize < INDEX_SIZE * size);
  const multi = run.filter((r) => r.segments.length >= 2 && !ofFormula(r));
  if (multi.length < MIN_ROWS) return null;
  const segs = multi.flatMap((r) => r.segments);
  if (segs.reduce((s, x) => s + words(x), 0) / segs.length > MAX_MEAN_WORDS_PER_CELL) return null;

  // Column gaps: x-ranges no segment of the fullest rows covers.
  const maxCount = Math.max(...multi.map((r) => r.segments.length));
  const full = multi.filter((r) => r.segments.length >= Math.max(2, maxCount - 1));
  // Columns seen in one row only are a line that happens to break at wide spaces.
  if (full.length < 2) return null;
  const spans = full.flatMap((r) => r.segments.map((s) => [s.rect.x0, s.rect.x1] as const)).sort((a, b) => a[0] - b[0]);
  const columns: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const last = columns[columns.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else columns.push([a, b]);
  }
  if (columns.length < 2) return null;
  if (isProseColumns(columns, multi)) return null;
  // Lines mostly as wide as a column of text: prose, even if one line breaks at wide spaces.
  const span = Math.max(...segs.map((x) => x.rect.x1)) - Math.min(...segs.map((x) => x.rect.x0));
  if (segs.filter((x) => x.rect.x1 - x.rect.x0 >= 0.35 * span).length >= 0.6 * segs.length) return null;
  // Most multi-segment rows must actually use several of these columns.
  const colOf = (x0: number, x1: number) => columns.map((c, k) => (Math.min(c[1], x1) - Math.max(c[0], x0) > 0 ? k : -1)).filter((k) => k >= 0);
  const aligned = multi.filter((r) => new Set(r.segments.flatMap((s) => colOf(s.rect.x0, s.rect.x1))).size >= 2).length;
  if (aligned < 0.7 * multi.length) return null;

  const cells: TableCell[] = [];
  const cellRects: Rect[] = [];
  const rowsOut: Row[] = [];
  for (const row of run) {
    const r = rowsOut.length;
    const byCol = new Map<number, Segment[]>();
    const spanOf = new Map<number, number>();
    for (const s of row.segments) {
      let ks = colOf(s.rect.x0, s.rect.x1);
      if (ks.length === 0) {
        // In a gap: attach to the nearest column.
        const cx = (s.rect.x0 + s.rect.x1) / 2;
        let best = 0;
        columns.forEach((c, k) => { if (Math.abs((c[0] + c[1]) / 2 - cx) < Math.abs((columns[best][0] + columns[best][1]) / 2 - cx)) best = k; });
        ks = [best];
      }
      const k = ks[0];
      byCol.set(k, [...(byCol.get(k) ?? []), s]);
      spanOf.set(k, Math.max(spanOf.get(k) ?? 1, ks[ks.length - 1] - k + 1));
    }
    rowsOut.push(row);
    let covered = -1;
    for (const k of [...byCol.keys()].sort((a, b) => a - b)) {
      if (k <= covered) {
        // Overlaps a spanning cell to its left: fold its text in.
        const prev = cells[cells.length - 1];
        prev.text = `${prev.text} ${byCol.get(k)!.map((s) => s.text).join(' ')}`;
        continue;
      }
      const list = byCol.get(k)!;
      const span = Math.min(spanOf.get(k)!, columns.length - k);
      cells.push({ row: r, col: k, rowSpan: 1, colSpan: span, text: list.map((s) => s.text).join(' ') });
      cellRects.push(unionRect(list.map((s) => s.rect)));
      covered = k + span - 1;
    }
  }
  const filled = cells.filter((c) => c.text.trim());
  if (filled.filter((c) => MATH.test(c.text)).length >= MAX_MATH_CELL_SHARE * filled.length) return null;
  const rect = unionRect(run.map((r) => r.rect));
  const rowCount = joinWrappedLines(rowsOut, cells, cellRects);
  const table = { rows: rowCount, cols: columns.length, cells, headerRows: guessHeaderRows(cells, rowCount) };
  mirrorIfRightToLeft(table, cellRects);
  return { rect, table, confidence: 0.7, cellRects, segments: run.flatMap((r) => r.segments) };
}

/** A figure with a decimal point or comma ("58.8", "1,200", "12.5%"): data, not a wrapped line. */
export const FIGURE = /^[-+−(]?[$€£]?\d+[.,]\d+%?\)?$/u;

/** A pitch this many times another is that line's pitch with a blank line in between. */
const BLANK_LINE_PITCH = 1.8;

/**
 * Cells whose text wraps put each of their lines on a row of its own: a line set at the
 * text's own leading below the previous one, where many of the table's rows stand further apart,
 * that continues it (first column empty, or its cells going on in lower case) and holds no
 * figures, is folded into the row above. Renumbers the cells' rows; returns the row count.
 */
export function joinWrappedLines(rows: Row[], cells: TableCell[], cellRects: Rect[]): number {
  if (rows.length < 3) return rows.length;
  const size = median(rows.flatMap((r) => r.segments.map((s) => s.fontSize)));
  const pitch = rows.slice(1).map((r, i) => r.rect.y0 - rows[i].rect.y0);
  const target = rows.map((_, r) => r);
  const recognised = rows.some((row) => row.segments.some((seg) => seg.runs.some((w) => w.word)));
  for (let r = 1; r < rows.length; r++) {
    // Rows stand further apart than the lines of a cell. A text layer's pitches are exact, so
    // any wider one marks rows; recognised lines wander in height, so there a pitch that few
    // others exceed (a header's gap, a group's) is the table's own row pitch, not a wrap; nor
    // is a blank line's, about twice the pitch (groups of single-spaced rows, as on a receipt).
    const p = pitch[r - 1];
    const wider = pitch.filter((q) => q >= p + 0.4 * size && (!recognised || q < BLANK_LINE_PITCH * p)).length;
    if (p > 1.4 * size || wider < (recognised ? 0.25 * pitch.length : 1)) continue;
    const own = cells.filter((c) => c.row === r);
    if (own.length === 0 || own.some((c) => c.text.split(/\s+/).some((w) => FIGURE.test(w)))) continue;
    const lower = own.filter((c) => /^\p{Ll}/u.test(c.text.trim())).length;
    if (own.some((c) => c.col === 0) && lower < 0.5 * own.length) continue;
    target[r] = target[r - 1];
  }
  if (target.every((t, r) => t === r)) return rows.length;
  // Fold: text joins the target row's cell over the same columns (a spanning cell too, so
  // no two cells claim one grid position), or the cell moves up.
  const keep: number[] = [];
  const overlap = (a: TableCell, b: TableCell) => a.col < b.col + b.colSpan && b.col < a.col + a.colSpan;
  cells.forEach((c, i) => {
    const t = target[c.row];
    const host = t === c.row ? undefined : keep.find((k) => cells[k].row === t && overlap(cells[k], c));
    if (host !== undefined) {
      cells[host].text = `${cells[host].text}\n${c.text}`;
      cellRects[host] = unionRect([cellRects[host], cellRects[i]]);
    } else {
      c.row = t;
      keep.push(i);
    }
  });
  const kept = keep.map((i) => [cells[i], cellRects[i]] as const);
  const renumber = new Map([...new Set(target)].map((t, k) => [t, k]));
  cells.splice(0, cells.length, ...kept.map(([c]) => ({ ...c, row: renumber.get(c.row)! })));
  cellRects.splice(0, cellRects.length, ...kept.map(([, r]) => r));
  return renumber.size;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/** A column of prose: lines of several words, most of them filling the column's width. */
function isProseColumn(segs: Segment[], span: number): boolean {
  if (segs.length < 3) return false;
  const x0 = Math.min(...segs.map((s) => s.rect.x0)), x1 = Math.max(...segs.map((s) => s.rect.x1));
  const w = x1 - x0;
  if (w < 0.3 * span) return false;
  const meanWords = segs.reduce((n, s) => n + words(s), 0) / segs.length;
  const filling = segs.filter((s) => s.rect.x1 - s.rect.x0 >= 0.85 * w).length;
  return meanWords >= 5 && filling >= 0.6 * segs.length;
}

/**
 * Rows that a vertical gutter splits into a prose column on one side and several aligned
 * segments on the other: the other side's rows, for table detection on their own. Table
 * cells on the two sides of a real table share baselines; a column of prose next to a
 * table or figure keeps its own line pitch, so most of its lines do not line up.
 */
function beside(run: Row[]): Row[] | null {
  const segs = run.flatMap((r) => r.segments);
  if (segs.length < 6) return null;
  const x0 = Math.min(...segs.map((s) => s.rect.x0)), x1 = Math.max(...segs.map((s) => s.rect.x1));
  const sorted = [...segs].sort((a, b) => a.rect.x0 - b.rect.x0);
  let right = sorted[0].rect.x1;
  for (const s of sorted.slice(1)) {
    const gap = s.rect.x0 - right;
    if (gap > 0) {
      const at = (right + s.rect.x0) / 2;
      const left = segs.filter((t) => t.rect.x1 <= at), rightSide = segs.filter((t) => t.rect.x0 >= at);
      for (const [prose, other] of [[left, rightSide], [rightSide, left]] as const) {
        if (other.length < 3 || !isProseColumn(prose, x1 - x0) || isProseColumn(other, x1 - x0)) continue;
        const paired = run.filter((r) => r.segments.some((t) => prose.includes(t)) && r.segments.some((t) => other.includes(t)));
        const aligned = paired.filter((r) => {
          const a = r.segments.find((t) => prose.includes(t))!, b = r.segments.find((t) => other.includes(t))!;
          return Math.abs(a.rect.y1 - b.rect.y1) < 0.15 * Math.max(a.fontSize, b.fontSize);
        }).length;
        if (paired.length > 0 && aligned > 0.5 * paired.length) continue;
        const keep = new Set(other);
        return run
          .map((r) => ({ ...r, segments: r.segments.filter((t) => keep.has(t)) }))
          .filter((r) => r.segments.length > 0)
          .map((r) => ({ ...r, rect: unionRect(r.segments.map((t) => t.rect)) }));
      }
    }
    right = Math.max(right, s.rect.x1);
  }
  return null;
}

/** The rows restricted to the segments in `keep` (rows left empty are dropped). */
function restrict(run: Row[], keep: Set<Segment>): Row[] {
  return run
    .map((r) => ({ ...r, segments: r.segments.filter((t) => keep.has(t)) }))
    .filter((r) => r.segments.length > 0)
    .map((r) => ({ ...r, rect: unionRect(r.segments.map((t) => t.rect)) }));
}

/** Of the rows holding segments on both sides of `at`, the share whose two sides share a baseline. */
function alignedAcross(run: Row[], at: number): { paired: number; share: number } {
  let paired = 0, aligned = 0;
  for (const r of run) {
    const a = r.segments.filter((t) => t.rect.x1 <= at), b = r.segments.filter((t) => t.rect.x0 >= at);
    if (a.length === 0 || b.length === 0) continue;
    paired++;
    const [p, q] = [a[a.length - 1], b[0]];
    if (Math.abs(p.rect.y1 - q.rect.y1) < 0.15 * Math.max(p.fontSize, q.fontSize)) aligned++;
  }
  return { paired, share: paired ? aligned / paired : 1 };
}

/**
 * A gutter wider than a fifth of the run, with most rows not sharing a baseline across it
 * (one-sided, or out of step): two independent halves (facing pages, side-by-side forms),
 * not one table.
 */
function apart(run: Row[]): [Row[], Row[]] | null {
  const segs = run.flatMap((r) => r.segments);
  if (segs.length < 6) return null;
  const x0 = Math.min(...segs.map((s) => s.rect.x0)), x1 = Math.max(...segs.map((s) => s.rect.x1));
  const em = Math.max(...segs.map((s) => s.fontSize));
  const sorted = [...segs].sort((a, b) => a.rect.x0 - b.rect.x0);
  let right = sorted[0].rect.x1;
  for (const s of sorted.slice(1)) {
    const gap = s.rect.x0 - right;
    if (gap >= Math.max(5 * em, 0.2 * (x1 - x0))) {
      const at = (right + s.rect.x0) / 2;
      const { paired, share } = alignedAcross(run, at);
      if (run.length >= 4 && paired * share < 0.5 * run.length) {
        return [restrict(run, new Set(segs.filter((t) => t.rect.x1 <= at))), restrict(run, new Set(segs.filter((t) => t.rect.x0 >= at)))];
      }
    }
    right = Math.max(right, s.rect.x1);
  }
  return null;
}

/**
 * Text set in columns also aligns: its columns are wide and their lines fill them edge to
 * edge, where table cells are narrow or ragged.
 */
function isProseColumns(columns: Array<[number, number]>, rows: Row[]): boolean {
  const segs = rows.flatMap((r) => r.segments);
  const pageSpan = Math.max(...columns.map((c) => c[1])) - Math.min(...columns.map((c) => c[0]));
  return columns.every(([a, b]) => {
    const w = b - a;
    if (w < 0.3 * pageSpan) return false;
    const inCol = segs.filter((s) => s.rect.x0 >= a - 1 && s.rect.x1 <= b + 1);
    const filling = inCol.filter((s) => s.rect.x1 - s.rect.x0 >= 0.8 * w).length;
    return inCol.length > 0 && filling / inCol.length >= 0.5;
  });
}
