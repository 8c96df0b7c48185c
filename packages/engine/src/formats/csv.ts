import { Readable } from 'node:stream';
import { parse as csvParser } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { EngineError } from '../errors.ts';
import { checkCharacterCount, documentLimits } from '../limits.ts';
import { kindOf } from '../read-failure.ts';
import { checkCellCount, workbookToDocument } from './spreadsheet.ts';
import { decodeText } from './text.ts';

/** Text handed to the counting parser at a time, so it can stop soon after the cell budget. */
const SLICE_CHARS = 1 << 16;

/** CSV / TSV reader: one sheet, parsed by exceljs (fast-csv) with values kept as written. */
export const readCsv: Reader = async (bytes, format, options, ctx) => {
  const kind = `${kindOf(format)} file`;
  let text = decodeText(bytes);
  checkCharacterCount(text.length, kind);
  const delimiter = format === 'tsv' ? '\t' : sniffDelimiter(text);
  if (!text.endsWith('\n')) text += '\n';
  const parserOptions = { delimiter, relaxColumnCount: true, ignoreEmpty: false };
  // exceljs makes a cell object per value (about 1 KB each): cells are counted first, by the
  // same parser without keeping anything, and a file over the budget is refused unbuilt.
  const budget = Math.min(documentLimits().maxCells, options.spreadsheet?.max_cell_count ?? Infinity);
  const cells = await nonEmptyCells(text, parserOptions, budget).catch((err: Error) => {
    throw new EngineError('DOCUMENT_CORRUPT', `The ${format.toUpperCase()} file could not be parsed: ${err.message}`);
  });
  if (cells > budget) checkCellCount(cells, options, kind, { counting: true });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.csv.read(Readable.from([text]), {
      sheetName: ctx.filename?.replace(/^.*[\\/]/, '') || 'Sheet1',
      parserOptions,
      map: (v: string) => (v === '' ? null : v),
    } as unknown as Parameters<typeof wb.csv.read>[1]);
  } catch (err) {
    throw new EngineError('DOCUMENT_CORRUPT', `The ${format.toUpperCase()} file could not be parsed: ${(err as Error).message}`);
  }
  return workbookToDocument(wb, options, ctx);
};

/** Non-empty values of a CSV text, counted up to just past `stopAfter`. */
function nonEmptyCells(text: string, parserOptions: { delimiter: string; relaxColumnCount: boolean; ignoreEmpty: boolean }, stopAfter: number): Promise<number> {
  let count = 0;
  function* slices(): Generator<string> {
    for (let at = 0; at < text.length && count <= stopAfter; at += SLICE_CHARS) yield text.slice(at, at + SLICE_CHARS);
  }
  return new Promise((resolve, reject) => {
    Readable.from(slices())
      .pipe(csvParser(parserOptions))
      .on('data', (row: string[]) => {
        for (const v of row) if (v !== '') count++;
      })
      .on('error', reject)
      .on('end', () => resolve(count));
  });
}

/** Comma unless the first lines are clearly separated by semicolons, tabs or pipes. */
function sniffDelimiter(text: string): string {
  const head = text.split(/\r?\n/, 5).filter(Boolean);
  let best = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t', '|']) {
    const counts = head.map((l) => l.split(d).length - 1);
    const min = Math.min(...counts);
    if (min > bestScore) { best = d; bestScore = min; }
  }
  return best;
}
