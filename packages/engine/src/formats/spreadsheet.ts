import type ExcelJS from 'exceljs';
import { format as formatNumber } from 'numfmt';
import { EngineError, throwIfAborted } from '../errors.ts';
import { documentLimits, overLimit } from '../limits.ts';
import type { DocBlock, PageInfo, ParsedDocument, TableCell, TableModel } from '../model.ts';
import type { ParseOptions, RunContext } from '../options.ts';
import { selectPages } from './pages.ts';
import type { SheetChart } from './sheet-charts.ts';
import { tableText } from './table.ts';

const DEFAULT_SPLIT_ROWS = 50;

/** How many times the cell budget a sheet's used range may span: its empty cells cost a few bytes each. */
const AREA_PER_CELL = 10;

/**
 * Refuse a workbook with more non-empty cells than the caller's `spreadsheet.max_cell_count`
 * (CELL_COUNT_EXCEEDED, as Reducto answers) or than the server's cell budget (DOCUMENT_TOO_LARGE).
 */
export function checkCellCount(count: number, options: ParseOptions, kind = 'workbook', { counting = false } = {}): void {
  const asked = options.spreadsheet?.max_cell_count;
  const { maxCells } = documentLimits();
  // `counting`: the count stopped at the first cell over the limit, so it is a lower bound.
  const has = `The ${kind} has ${counting ? 'more than ' : ''}${counting ? Math.min(maxCells, asked ?? Infinity) : count} non-empty cells`;
  if (asked != null && asked < maxCells && count > asked) throw new EngineError('CELL_COUNT_EXCEEDED', `${has}, over the limit of ${asked}`);
  if (count > maxCells) throw overLimit('maxCells', has, maxCells);
}

/** A rectangle of sheet cells, 0-based and inclusive, in the grid of kept rows/columns. */
interface Region {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** One sheet reduced to what tables need: text per cell, merges, and the sheet coordinates kept. */
interface SheetGrid {
  name: string;
  text: string[][];
  merges: Merge[];
  /** 1-based sheet row / column number of each kept grid row / column. */
  rowIds: number[];
  colIds: number[];
}

/**
 * Turn a loaded exceljs workbook into the document model: one page per (visible) sheet,
 * each table region a Table block whose box is in cell coordinates (A1 = left 1, top 1),
 * as Reducto returns for spreadsheets.
 */
export function workbookToDocument(wb: ExcelJS.Workbook, options: ParseOptions, ctx: RunContext, charts = new Map<string, SheetChart[]>()): ParsedDocument {
  const sheetOpts = options.spreadsheet ?? {};
  const exclude = new Set(sheetOpts.exclude ?? []);
  let cellCount = 0;
  for (const ws of wb.worksheets) cellCount += countCells(ws);
  checkCellCount(cellCount, options);

  const sheets = wb.worksheets.filter((ws) => !(exclude.has('hidden_sheets') && ws.state !== 'visible'));
  const keep = selectPages(options, sheets.length, sheets.map((s) => s.name), 'sheets');
  const pages: PageInfo[] = [];
  const blocks: DocBlock[] = [];
  keep.forEach((originalPage, i) => {
    throwIfAborted(ctx.signal);
    const grid = readGrid(sheets[originalPage - 1], options);
    pages.push({ page: i + 1, originalPage, width: grid.colIds.length, height: grid.rowIds.length, name: grid.name, source: 'native' });
    // The sheet name heads its page, so chunks of a sheet carry which sheet they come from.
    blocks.push({ type: 'Section Header', level: 1, text: grid.name, box: { left: 0, top: 0, width: 0, height: 0, page: i + 1, original_page: originalPage }, confidence: 1 });
    const page = { page: i + 1, original_page: originalPage };
    const regions = sheetOpts.clustering === 'disabled' ? [boundingRegion(grid)].filter((r): r is Region => !!r) : findRegions(grid, sheetOpts.clustering === 'fast' ? 'fast' : 'accurate');
    const placed = regions.map((region) => ({ top: grid.rowIds[region.top], blocks: regionBlocks(grid, region, options, page) }));
    // Pictures and charts go in reading order among the tables: before the first table that starts below them.
    const drawn = (charts.get(grid.name) ?? []).map((c) => ({ top: c.row + 1, blocks: chartBlocks(c, page) }));
    if (!sheetOpts.exclude?.includes('spreadsheet_images')) {
      drawn.push(...imageBlocks(wb, sheets[originalPage - 1], options, page).map((b) => ({ top: b.box.top, blocks: [b] })));
    }
    for (const d of drawn.sort((a, b) => a.top - b.top)) {
      const at = placed.findIndex((p) => p.top > d.top);
      placed.splice(at < 0 ? placed.length : at, 0, d);
    }
    for (const p of placed) blocks.push(...p.blocks);
    ctx.onProgress?.(i + 1, keep.length);
  });
  return { pages, blocks, totalPages: sheets.length, properties: properties(wb) };
}

/** A chart's Figure and data Table, boxed by the cells its drawing anchor covers. */
function chartBlocks(c: SheetChart, page: PageRef): DocBlock[] {
  const box = { left: c.col + 1, top: c.row + 1, width: c.cols, height: c.rows, ...page };
  return c.blocks.map((b) => ({ ...b, box, confidence: b.confidence ?? 1 }));
}

/** Pictures placed on a sheet, as Figures boxed by the cells they cover. */
function imageBlocks(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, options: ParseOptions, page: PageRef): DocBlock[] {
  const wantBytes = options.settings?.return_images?.includes('figure') ?? false;
  return ws.getImages().map((img) => {
    const tl = img.range.tl as unknown as { nativeCol: number; nativeRow: number };
    const br = img.range.br as unknown as { nativeCol: number; nativeRow: number } | undefined;
    const block: DocBlock = {
      type: 'Figure', text: '', confidence: 1,
      box: { left: tl.nativeCol + 1, top: tl.nativeRow + 1, width: br ? br.nativeCol - tl.nativeCol + 1 : 1, height: br ? br.nativeRow - tl.nativeRow + 1 : 1, ...page },
    };
    const media = wantBytes ? wb.getImage(Number(img.imageId)) : undefined;
    if (media?.buffer) block.image = { bytes: new Uint8Array(media.buffer), mime: `image/${media.extension}` };
    return block;
  });
}

function countCells(ws: ExcelJS.Worksheet): number {
  let n = 0;
  ws.eachRow({ includeEmpty: false }, (row) => { n += row.actualCellCount; });
  return n;
}

function properties(wb: ExcelJS.Workbook): ParsedDocument['properties'] {
  const iso = (d: Date | undefined): string | null => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
  return {
    title: wb.title || null, author: wb.creator || null, subject: wb.subject || null, keywords: wb.keywords || null,
    creator: wb.creator || null, producer: wb.company || null, created_at: iso(wb.created), modified_at: iso(wb.modified),
  };
}

function readGrid(ws: ExcelJS.Worksheet, options: ParseOptions): SheetGrid {
  const exclude = new Set(options.spreadsheet?.exclude ?? []);
  const include = new Set(options.spreadsheet?.include ?? []);
  // exceljs merges are kept on a private map of master address → range.
  const rawMerges = Object.values((ws as unknown as { _merges: Record<string, Merge> })._merges ?? {});
  // The grid covers only the used area (cells with values, and merges): rows or columns
  // that are merely formatted out to the sheet's end cost nothing.
  const used = { top: Infinity, left: Infinity, bottom: 0, right: 0 };
  const use = (r0: number, c0: number, r1 = r0, c1 = c0): void => {
    used.top = Math.min(used.top, r0); used.left = Math.min(used.left, c0);
    used.bottom = Math.max(used.bottom, r1); used.right = Math.max(used.right, c1);
  };
  ws.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { if (cell.value !== null && cell.value !== undefined) use(r, c); }));
  for (const m of rawMerges) use(m.top, m.left, m.bottom, m.right);
  // The grid is dense over the used range: two values at opposite corners of a sheet span
  // 17 billion cells. Refuse a range over its budget before allocating it.
  const area = Math.max(0, used.bottom - used.top + 1) * Math.max(0, used.right - used.left + 1);
  const { maxCells } = documentLimits();
  if (area > maxCells * AREA_PER_CELL) {
    throw overLimit('maxCells', `Sheet "${ws.name}" spans ${used.bottom - used.top + 1} rows by ${used.right - used.left + 1} columns (${area} cells; a used range may span ${AREA_PER_CELL} times the cell limit)`, maxCells);
  }
  const rowIds: number[] = [];
  const colIds: number[] = [];
  for (let r = used.top; r <= used.bottom; r++) if (!(exclude.has('hidden_rows') && ws.getRow(r).hidden)) rowIds.push(r);
  for (let c = used.left; c <= used.right; c++) if (!(exclude.has('hidden_cols') && ws.getColumn(c).hidden)) colIds.push(c);
  const rowIndex = new Map(rowIds.map((r, i) => [r, i]));
  const colIndex = new Map(colIds.map((c, i) => [c, i]));
  const text: string[][] = rowIds.map(() => colIds.map(() => ''));
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const ri = rowIndex.get(r);
    if (ri === undefined) return;
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const ci = colIndex.get(c);
      if (ci === undefined || cell.isMerged && cell.master !== cell) return;
      text[ri][ci] = cellText(cell, include).trim();
    });
  });
  const merges: Merge[] = [];
  // A merge keeps the part of its area that survives hidden-row/column exclusion.
  const kept = (from: number, to: number, index: Map<number, number>): number[] => {
    const out: number[] = [];
    for (let k = from; k <= to; k++) if (index.has(k)) out.push(index.get(k)!);
    return out;
  };
  for (const m of rawMerges) {
    const rows = kept(m.top, m.bottom, rowIndex);
    const cols = kept(m.left, m.right, colIndex);
    if (rows.length && cols.length) merges.push({ top: rows[0], bottom: rows[rows.length - 1], left: cols[0], right: cols[cols.length - 1] });
  }
  return { name: ws.name, text, merges, rowIds, colIds };
}

/** A cell's displayed value, plus formula, colour and dropdown details when asked for. */
function cellText(cell: ExcelJS.Cell, include: Set<string>): string {
  let s = valueText(cell.value, cell.numFmt);
  const extras: string[] = [];
  if (include.has('formula') && cell.formula) extras.push(`formula: =${cell.formula}`);
  const fill = cell.fill as { type?: string; fgColor?: { argb?: string } } | undefined;
  if (include.has('cell_colors') && fill?.type === 'pattern' && fill.fgColor?.argb) extras.push(`color: #${fill.fgColor.argb.slice(-6)}`);
  // Looking a cell's validation up scans the sheet's rules: only when asked for.
  const dv = include.has('dropdowns') ? cell.dataValidation : undefined;
  if (dv?.type === 'list' && dv.formulae?.[0]) extras.push(`options: ${String(dv.formulae[0]).replace(/^"|"$/g, '')}`);
  if (extras.length) s = `${s} [${extras.join('; ')}]`.trim();
  return s;
}

function valueText(v: ExcelJS.CellValue, numFmt?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || v instanceof Date) return formatted(v, numFmt);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) return valueText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
  if ('text' in v) return valueText((v as ExcelJS.CellHyperlinkValue).text);
  return String(v);
}

/**
 * Numbers and dates as the sheet shows them, through the cell's number format (numfmt
 * implements Excel's format language). `General` numbers keep full precision rather than
 * Excel's column-width rounding.
 */
function formatted(v: number | Date, numFmt: string | undefined): string {
  const serial = v instanceof Date ? v.getTime() / 86_400_000 + 25_569 : v;
  if (numFmt && numFmt !== 'General') {
    try {
      return formatNumber(numFmt, serial);
    } catch {
      // An unparsable format: fall through to the plain value.
    }
  }
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
  }
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
}

function boundingRegion(g: SheetGrid): Region | undefined {
  let top = Infinity, left = Infinity, bottom = -1, right = -1;
  g.text.forEach((row, r) => row.forEach((t, c) => {
    if (!t) return;
    top = Math.min(top, r); bottom = Math.max(bottom, r);
    left = Math.min(left, c); right = Math.max(right, c);
  }));
  return bottom < 0 ? undefined : { top, left, bottom, right };
}

/**
 * Table regions: recursively cut the sheet at fully empty rows, then at fully empty
 * columns inside each band (an XY-cut), so side-by-side and stacked tables separate.
 * Merged areas count as filled so a merge never gets cut. `fast` cuts at every empty
 * line; `accurate` keeps a single empty row or column inside a table (a spacer between a
 * header and its data, or between column groups) when the pieces on both sides line up.
 */
function findRegions(g: SheetGrid, mode: 'accurate' | 'fast'): Region[] {
  const all = boundingRegion(g);
  if (!all) return [];
  const filled = g.text.map((row) => row.map((t) => t !== ''));
  for (const m of g.merges) for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) filled[r][c] = true;
  const out: Region[] = [];
  // Alternate row and column cuts until a region splits in neither direction.
  const settle = (reg: Region, horizontal: boolean, splitBefore: boolean): void => {
    let parts = splitAtEmptyLines(filled, reg, horizontal);
    if (mode === 'accurate') parts = keepSpacers(g, filled, parts, horizontal);
    if (parts.length === 1 && !splitBefore) out.push(parts[0]);
    else for (const part of parts) settle(part, !horizontal, parts.length > 1);
  };
  settle(all, true, true);
  return out;
}

/**
 * Rejoin neighbours split by a single empty line whose extents across the cut agree. A
 * spacer row separates a header band from its body, or a body from its totals; two bands
 * that are both bodies (three rows or more each), or a band that opens with a header row of
 * its own, are stacked tables instead; lines of merged prose (a title, notes) stay apart.
 */
function keepSpacers(g: SheetGrid, filled: boolean[][], parts: Region[], horizontal: boolean): Region[] {
  const out: Region[] = [];
  const rows = (r: Region): number => r.bottom - r.top + 1;
  let last: Region | undefined; // the band just before `part`, before any rejoining
  for (const part of parts) {
    const prev = out[out.length - 1];
    const gap = prev ? (horizontal ? part.top - prev.bottom : part.left - prev.right) - 1 : Infinity;
    const stacked = horizontal && last !== undefined && ((rows(last) >= 3 && rows(part) >= 3) || (rows(last) >= 2 && opensWithHeader(g, part))
      || bannerLines(g, last) !== undefined || bannerLines(g, part) !== undefined);
    if (prev && gap === 1 && !stacked && aligned(extent(filled, prev, horizontal), extent(filled, part, horizontal))) {
      out[out.length - 1] = horizontal ? { ...prev, bottom: part.bottom } : { ...prev, right: part.right };
    } else out.push(part);
    last = part;
  }
  return out;
}

/** A band whose first row is all words over rows holding numbers: a table's own header. */
function opensWithHeader(g: SheetGrid, reg: Region): boolean {
  if (reg.bottom === reg.top) return false;
  const first = g.text[reg.top].slice(reg.left, reg.right + 1).filter((t) => t !== '');
  const rest = g.text.slice(reg.top + 1, reg.bottom + 1).flatMap((row) => row.slice(reg.left, reg.right + 1));
  return first.length >= 2 && !first.some(isNumeric) && rest.some(isNumeric);
}

/** A displayed number: digits with grouping, sign, currency, percent or accounting brackets. */
function isNumeric(t: string): boolean {
  return /^[-+(]?\s*[$€£¥]?\s*\d[\d.,\s]*%?\)?$/.test(t);
}

/** The filled span of a region across the cut direction (columns for a row cut). */
function extent(filled: boolean[][], reg: Region, horizontal: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let r = reg.top; r <= reg.bottom; r++) {
    for (let c = reg.left; c <= reg.right; c++) {
      if (!filled[r][c]) continue;
      const k = horizontal ? c : r;
      lo = Math.min(lo, k); hi = Math.max(hi, k);
    }
  }
  return [lo, hi];
}

function aligned(a: [number, number], b: [number, number]): boolean {
  const overlap = Math.min(a[1], b[1]) - Math.max(a[0], b[0]) + 1;
  const union = Math.max(a[1], b[1]) - Math.min(a[0], b[0]) + 1;
  return overlap > 0 && overlap / union >= 0.8;
}

/** Split a region at fully empty rows (horizontal) or columns, dropping empty edges. */
function splitAtEmptyLines(filled: boolean[][], reg: Region, horizontal: boolean): Region[] {
  const lineHasContent = (i: number): boolean => {
    if (horizontal) { for (let c = reg.left; c <= reg.right; c++) if (filled[i][c]) return true; }
    else { for (let r = reg.top; r <= reg.bottom; r++) if (filled[r][i]) return true; }
    return false;
  };
  const [from, to] = horizontal ? [reg.top, reg.bottom] : [reg.left, reg.right];
  const parts: Region[] = [];
  let start = -1;
  for (let i = from; i <= to + 1; i++) {
    const any = i <= to && lineHasContent(i);
    if (any && start < 0) start = i;
    if (!any && start >= 0) {
      parts.push(horizontal ? { ...reg, top: start, bottom: i - 1 } : { ...reg, left: start, right: i - 1 });
      start = -1;
    }
  }
  return parts.length ? parts : [reg];
}

/** A region as blocks: a lone cell is Text, anything larger a Table (split when large). */
type PageRef = Pick<DocBlock['box'], 'page' | 'original_page'>;

function regionBlocks(g: SheetGrid, region: Region, options: ParseOptions, page: PageRef): DocBlock[] {
  const box = (r0: number, c0: number, rows: number, cols: number): DocBlock['box'] => ({
    left: g.colIds[c0], top: g.rowIds[r0], width: g.colIds[c0 + cols - 1] - g.colIds[c0] + 1,
    height: g.rowIds[r0 + rows - 1] - g.rowIds[r0] + 1, ...page,
  });
  // Lines of prose merged across the sheet (notes, footnotes) are text, not a table.
  const lines = bannerLines(g, region);
  if (lines) return lines.map(([r, c]) => ({ type: 'Text', text: g.text[r][c], box: box(r, c, 1, 1), confidence: 1 }));
  const blocks: DocBlock[] = [];
  // Title rows above a table (one filled cell, often merged across it) are text, not header cells.
  const reg = { ...region };
  while (reg.bottom - reg.top >= 2 && reg.right > reg.left) {
    const filled: number[] = [];
    for (let c = reg.left; c <= reg.right; c++) if (g.text[reg.top][c] !== '') filled.push(c);
    if (filled.length === 0) { reg.top++; continue; } // merged but empty banner rows
    if (filled.length !== 1) break;
    // A banner merged over several rows is peeled whole, if it is wide enough to be a title.
    const merge = g.merges.find((m) => m.top === reg.top && m.left === filled[0]);
    const rows = merge ? merge.bottom - merge.top + 1 : 1;
    if (rows > 1 && (merge!.right - merge!.left + 1) * 2 < reg.right - reg.left + 1) break;
    if (reg.bottom - reg.top + 1 - rows < 2) break;
    blocks.push({ type: 'Text', text: g.text[reg.top][filled[0]], box: box(reg.top, filled[0], rows, 1), confidence: 1 });
    reg.top += rows;
  }
  const nRows = reg.bottom - reg.top + 1;
  const nCols = reg.right - reg.left + 1;
  if (nRows === 1 && nCols === 1) {
    return [...blocks, { type: 'Text', text: g.text[reg.top][reg.left], box: box(reg.top, reg.left, 1, 1), confidence: 1 }];
  }
  const split = options.spreadsheet?.split_large_tables;
  const enabled = split?.enabled ?? true;
  const size = split?.size ?? DEFAULT_SPLIT_ROWS;
  const maxRows = enabled ? (typeof size === 'number' ? size : (size.row ?? Infinity)) : Infinity;
  const maxCols = enabled && typeof size === 'object' ? (size.column ?? Infinity) : Infinity;
  // The first row is the header; each piece of a split table repeats it.
  const bodyRows = Math.max(1, maxRows - 1);
  for (let c0 = reg.left; c0 <= reg.right; c0 += maxCols) {
    const cols = Math.min(maxCols, reg.right - c0 + 1);
    if (nRows <= maxRows) {
      blocks.push(tableBlock(g, [reg.top, reg.bottom], c0, cols, box(reg.top, c0, nRows, cols), page));
      continue;
    }
    for (let r0 = reg.top + 1; r0 <= reg.bottom; r0 += bodyRows) {
      const r1 = Math.min(reg.bottom, r0 + bodyRows - 1);
      blocks.push(tableBlock(g, [reg.top, reg.top, r0, r1], c0, cols, box(r0, c0, r1 - r0 + 1, cols), page));
    }
  }
  return blocks;
}

/** The [row, col] of each line when every row holds one cell merged across several columns. */
function bannerLines(g: SheetGrid, reg: Region): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (let r = reg.top; r <= reg.bottom; r++) {
    const cols: number[] = [];
    for (let c = reg.left; c <= reg.right; c++) if (g.text[r][c] !== '') cols.push(c);
    if (cols.length === 0) continue;
    if (cols.length > 1 || !g.merges.some((m) => m.top === r && m.left === cols[0] && m.right > m.left)) return undefined;
    out.push([r, cols[0]]);
  }
  return out.length ? out : undefined;
}

/** Build a table from row ranges ([a,b] or [header,header,a,b]) and a column window. */
function tableBlock(g: SheetGrid, rowRanges: number[], c0: number, nCols: number, box: DocBlock['box'], page: PageRef): DocBlock {
  const rows: number[] = [];
  for (let i = 0; i < rowRanges.length; i += 2) for (let r = rowRanges[i]; r <= rowRanges[i + 1]; r++) rows.push(r);
  const cells: TableCell[] = [];
  // Numeric keys and only the merges this piece touches: large sheets have millions of cells.
  const covered = new Uint8Array(rows.length * nCols);
  const width = g.colIds.length;
  const mergeAt = new Map<number, Merge>();
  const [firstRow, lastRow] = [rows[0], rows[rows.length - 1]];
  for (const m of g.merges) {
    if (m.bottom < firstRow || m.top > lastRow || m.right < c0 || m.left >= c0 + nCols) continue;
    for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) mergeAt.set(r * width + c, m);
  }
  rows.forEach((sr, ri) => {
    for (let ci = 0; ci < nCols; ci++) {
      if (covered[ri * nCols + ci]) continue;
      const sc = c0 + ci;
      const m = mergeAt.get(sr * width + sc);
      let rowSpan = 1, colSpan = 1, text = g.text[sr][sc];
      if (m) {
        text = g.text[m.top][m.left];
        // Count how many of this piece's rows / window's columns the merge still covers.
        while (ri + rowSpan < rows.length && rows[ri + rowSpan] === sr + rowSpan && rows[ri + rowSpan] <= m.bottom) rowSpan++;
        colSpan = Math.min(m.right, c0 + nCols - 1) - sc + 1;
      }
      for (let r = ri; r < ri + rowSpan; r++) for (let c = ci; c < ci + colSpan; c++) covered[r * nCols + c] = 1;
      cells.push({ row: ri, col: ci, rowSpan, colSpan, text: text.trim(), box: { left: g.colIds[sc], top: g.rowIds[sr], width: colSpan, height: rowSpan, ...page } });
    }
  });
  const table: TableModel = { rows: rows.length, cols: nCols, cells, headerRows: 1 };
  return { type: 'Table', text: tableText(table), table, box, confidence: 1 };
}
