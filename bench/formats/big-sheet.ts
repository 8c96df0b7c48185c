/**
 * bench:big-sheet — time and peak memory to parse one large generated worksheet (default
 * 100,000 rows × 10 columns = 1,000,000 cells), split into 50-row tables as Reducto does
 * by default.
 *
 *   npm run bench:big-sheet [-- --rows 100000 --cols 10]
 *
 * The workbook is written with exceljs's streaming writer to a temporary file; the figures
 * are for the engine's `parse` (read + tables + output), printed and written to
 * bench/out/big-sheet.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { parse } from '../../packages/engine/src/index.ts';
import { ownPeakRssMb } from '../peak-rss.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, cols: { type: 'string', default: '10' } } });
const ROWS = Number(values.rows);
const COLS = Number(values.cols);

const dir = mkdtempSync(join(tmpdir(), 'folio-big-sheet-'));
const file = join(dir, 'big.xlsx');
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
const ws = writer.addWorksheet('Big');
ws.addRow(Array.from({ length: COLS }, (_, c) => `Column ${c + 1}`)).commit();
for (let r = 1; r < ROWS; r++) ws.addRow(Array.from({ length: COLS }, (_, c) => (c === 0 ? `Row ${r}` : r * c + 0.5))).commit();
ws.commit();
await writer.commit();
const bytes = new Uint8Array(readFileSync(file));
rmSync(dir, { recursive: true, force: true });

const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const out = await parse(bytes, {}, { filename: 'big.xlsx' });
const seconds = (performance.now() - t0) / 1000;
const blocks = out.result.type === 'full' ? out.result.chunks.reduce((n, c) => n + c.blocks.length, 0) : 0;
const figures = {
  cells: ROWS * COLS,
  file_mib: +(bytes.byteLength / 2 ** 20).toFixed(1),
  seconds: +seconds.toFixed(1),
  cells_per_second: Math.round((ROWS * COLS) / seconds),
  peak_rss_mib: Math.round(ownPeakRssMb()),
  rss_before_mib: Math.round(rssBefore / 2 ** 20),
  blocks,
};
console.log(figures);
mkdirSync(resolve('bench/out'), { recursive: true });
writeFileSync(resolve('bench/out/big-sheet.json'), `${JSON.stringify(figures, null, 2)}\n`);
