import type { Rect, TableCell, TableModel, TextRun } from '../model.ts';
import { makeSegment } from '../layout/lines.ts';

/** A table found on a page, in page units, with the words it consumed. */
export interface TableRegion {
  rect: Rect;
  table: TableModel;
  confidence: number;
  /** Cell rectangles (page units), parallel to table.cells. */
  cellRects: Rect[];
}

export const center = (r: Rect) => ({ x: (r.x0 + r.x1) / 2, y: (r.y0 + r.y1) / 2 });
export const inside = (r: Rect, outer: Rect, pad = 0) => {
  const c = center(r);
  return c.x >= outer.x0 - pad && c.x <= outer.x1 + pad && c.y >= outer.y0 - pad && c.y <= outer.y1 + pad;
};

/** Text of the words in a cell, line by line, in reading direction. */
export function cellText(runs: TextRun[]): string {
  const sorted = [...runs].sort((a, b) => a.rect.y0 - b.rect.y0);
  const lines: TextRun[][] = [];
  for (const r of sorted) {
    const line = lines[lines.length - 1];
    const h = r.rect.y1 - r.rect.y0;
    if (line && Math.abs(line[0].rect.y0 - r.rect.y0) < 0.5 * h) line.push(r);
    else lines.push([r]);
  }
  return lines.map((line) => makeSegment(line).text).join('\n');
}

/** A right-to-left table (Arabic, Hebrew) starts at the right: mirror its columns. */
export function mirrorIfRightToLeft(table: TableModel, cellRects: Rect[]): void {
  const text = table.cells.map((c) => c.text).join('');
  const rtl = text.match(/[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu)?.length ?? 0;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (rtl === 0 || rtl < 0.5 * letters) return;
  for (const c of table.cells) c.col = table.cols - c.col - c.colSpan;
  const order = table.cells.map((c, i) => i).sort((a, b) => table.cells[a].row - table.cells[b].row || table.cells[a].col - table.cells[b].col);
  const cells = order.map((i) => table.cells[i]);
  const rects = order.map((i) => cellRects[i]);
  table.cells.splice(0, table.cells.length, ...cells);
  cellRects.splice(0, cellRects.length, ...rects);
}

/** Cluster sorted values that lie within `tol` of each other; returns the cluster means. */
export function clusterValues(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((c) => c.reduce((s, v) => s + v, 0) / c.length);
}

/** A first row is a header unless it looks like data (mostly numbers). */
export function guessHeaderRows(cells: TableCell[], rows: number): number {
  if (rows < 2) return 0;
  const first = cells.filter((c) => c.row === 0 && c.text.trim());
  if (first.length === 0) return 0;
  const numeric = first.filter((c) => /^[-+(]?[\d.,%$€£\s)]+$/.test(c.text.trim())).length;
  return numeric / first.length > 0.5 ? 0 : 1;
}
