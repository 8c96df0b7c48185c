import type { TableCell, TableModel } from '../model.ts';

/**
 * Builds a TableModel row by row from formats that describe tables as rows of cells with
 * spans (DOCX, PPTX, HTML): tracks which grid positions earlier row spans already cover.
 */
export class TableBuilder {
  private readonly cells: TableCell[] = [];
  private readonly occupied: Array<Set<number>> = [];
  private row = -1;
  private col = 0;
  private maxCols = 0;

  startRow(): void {
    this.row++;
    this.col = 0;
    this.occupied[this.row] ??= new Set();
  }

  /** Leave grid columns empty (DOCX gridBefore). */
  skip(n: number): void {
    this.col += n;
  }

  add(text: string, opts: { rowSpan?: number; colSpan?: number; header?: boolean } = {}): TableCell {
    while (this.occupied[this.row].has(this.col)) this.col++;
    const rowSpan = Math.max(1, opts.rowSpan ?? 1);
    const colSpan = Math.max(1, opts.colSpan ?? 1);
    const cell: TableCell = { row: this.row, col: this.col, rowSpan, colSpan, text: text.trim() };
    if (opts.header) cell.header = true;
    this.cells.push(cell);
    this.cover(this.row, this.col, rowSpan, colSpan);
    this.col += colSpan;
    return cell;
  }

  /** A vertically merged continuation (DOCX vMerge): grow the cell above instead of adding one. */
  continueAbove(colSpan = 1): void {
    while (this.occupied[this.row].has(this.col)) this.col++;
    const above = this.cells.find((c) => c.col === this.col && c.row + c.rowSpan === this.row);
    if (!above) {
      this.add('', { colSpan });
      return;
    }
    above.rowSpan++;
    this.cover(this.row, this.col, 1, above.colSpan);
    this.col += above.colSpan;
  }

  private cover(row: number, col: number, rowSpan: number, colSpan: number): void {
    for (let r = row; r < row + rowSpan; r++) {
      const set = (this.occupied[r] ??= new Set());
      for (let c = col; c < col + colSpan; c++) set.add(c);
    }
    this.maxCols = Math.max(this.maxCols, col + colSpan);
  }

  get rowCount(): number {
    return this.row + 1;
  }

  build(headerRows = 0): TableModel {
    const rows = this.row + 1;
    // Row spans that run past the last row (sloppy HTML) are clipped to the table.
    for (const c of this.cells) c.rowSpan = Math.min(c.rowSpan, rows - c.row);
    return { rows, cols: this.maxCols, cells: this.cells, headerRows: Math.min(headerRows, rows) };
  }
}

/** Plain-text rendering of a table for block `text` (cells tab-separated, rows on lines). */
export function tableText(t: TableModel): string {
  const rows: string[][] = Array.from({ length: t.rows }, () => []);
  for (const c of [...t.cells].sort((a, b) => a.row - b.row || a.col - b.col)) rows[c.row]?.push(c.text.replace(/\s+/g, ' '));
  return rows.map((r) => r.join('\t')).join('\n');
}
