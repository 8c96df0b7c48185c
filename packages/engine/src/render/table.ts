import type { Box, TableModel } from '../model.ts';
import type { TableFormat } from '../options.ts';

/** Reducto's `dynamic` rule: Markdown for small simple tables, HTML otherwise. */
const DYNAMIC_MAX_CELLS = 30;
const DYNAMIC_MAX_MERGED = 4;

/** A table laid out on its full grid: each position points at its anchor cell (or null). */
function grid(table: TableModel): Array<Array<{ text: string; box?: Box; anchor: boolean } | null>> {
  const g: Array<Array<{ text: string; box?: Box; anchor: boolean } | null>> =
    Array.from({ length: table.rows }, () => Array.from({ length: table.cols }, () => null));
  for (const c of table.cells) {
    for (let r = c.row; r < Math.min(table.rows, c.row + c.rowSpan); r++) {
      for (let k = c.col; k < Math.min(table.cols, c.col + c.colSpan); k++) {
        g[r][k] = { text: c.text, box: c.box, anchor: r === c.row && k === c.col };
      }
    }
  }
  return g;
}

/** Text of every grid position; spanned positions repeat nothing (empty) so values are not double-counted. */
export function tableMatrix(table: TableModel): string[][] {
  return grid(table).map((row) => row.map((cell) => (cell?.anchor ? cell.text : '')));
}

export function mergedCellCount(table: TableModel): number {
  return table.cells.filter((c) => c.rowSpan > 1 || c.colSpan > 1).length;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function tableToMarkdown(table: TableModel): string {
  const rows = tableMatrix(table).map((row) => row.map((t) => oneLine(t).replace(/\|/g, '\\|')));
  if (rows.length === 0 || table.cols === 0) return '';
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  // GFM needs exactly one header row; without one, the first row plays the part.
  const [head, ...body] = rows;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

export function tableToHtml(table: TableModel): string {
  const anchored = new Map(table.cells.map((c) => [`${c.row},${c.col}`, c]));
  const taken = grid(table);
  const out: string[] = ['<table>'];
  for (let r = 0; r < table.rows; r++) {
    const tds: string[] = [];
    for (let k = 0; k < table.cols; k++) {
      const c = anchored.get(`${r},${k}`);
      // A position no cell covers is an empty cell: leaving it out would shift the rest of the row left.
      if (!c && taken[r][k]) continue;
      const tag = c?.header ?? (r < table.headerRows) ? 'th' : 'td';
      const attrs = c ? (c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : '') + (c.colSpan > 1 ? ` colspan="${c.colSpan}"` : '') : '';
      tds.push(`<${tag}${attrs}>${c ? escapeHtml(oneLine(c.text)) : ''}</${tag}>`);
    }
    out.push(`<tr>${tds.join('')}</tr>`);
  }
  out.push('</table>');
  return out.join('');
}

export function tableToCsv(table: TableModel): string {
  const quote = (t: string) => (/[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  return tableMatrix(table).map((row) => row.map(quote).join(',')).join('\n');
}

export function tableToJson(table: TableModel): string {
  return JSON.stringify(tableMatrix(table));
}

/** Like json, but each position is `{text, bbox}` (bbox null where the format has no geometry). */
export function tableToJsonBbox(table: TableModel): string {
  const rows = grid(table).map((row) => row.map((cell) => ({
    text: cell?.anchor ? cell.text : '',
    bbox: cell?.anchor ? cell.box ?? null : null,
  })));
  return JSON.stringify(rows);
}

export function isSimpleTable(table: TableModel): boolean {
  return table.rows * table.cols <= DYNAMIC_MAX_CELLS && mergedCellCount(table) <= DYNAMIC_MAX_MERGED;
}

export function renderTable(table: TableModel, format: TableFormat = 'dynamic'): string {
  switch (format) {
    case 'md': return tableToMarkdown(table);
    case 'html': return tableToHtml(table);
    case 'json': return tableToJson(table);
    case 'jsonbbox': return tableToJsonBbox(table);
    case 'csv': return tableToCsv(table);
    case 'dynamic': return isSimpleTable(table) ? tableToMarkdown(table) : tableToHtml(table);
  }
}

/** Natural-language rendering for embeddings: one sentence per row, keyed by the header. */
export function tableToSentences(table: TableModel): string {
  const m = tableMatrix(table).map((row) => row.map(oneLine));
  const header = table.headerRows > 0 ? m[table.headerRows - 1] : null;
  const body = m.slice(table.headerRows);
  return body
    .map((row) => row
      .map((v, i) => (v ? (header?.[i] ? `${header[i]}: ${v}` : v) : ''))
      .filter(Boolean)
      .join('; '))
    .filter(Boolean)
    .map((s) => `${s}.`)
    .join('\n');
}
