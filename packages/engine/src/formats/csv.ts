import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { EngineError } from '../errors.ts';
import { workbookToDocument } from './spreadsheet.ts';
import { decodeText } from './text.ts';

/** CSV / TSV reader: one sheet, parsed by exceljs (fast-csv) with values kept as written. */
export const readCsv: Reader = async (bytes, format, options, ctx) => {
  let text = decodeText(bytes);
  const delimiter = format === 'tsv' ? '\t' : sniffDelimiter(text);
  if (!text.endsWith('\n')) text += '\n';
  const wb = new ExcelJS.Workbook();
  try {
    await wb.csv.read(Readable.from([text]), {
      sheetName: ctx.filename?.replace(/^.*[\\/]/, '') || 'Sheet1',
      parserOptions: { delimiter, relaxColumnCount: true, ignoreEmpty: false },
      map: (v: string) => (v === '' ? null : v),
    } as unknown as Parameters<typeof wb.csv.read>[1]);
  } catch (err) {
    throw new EngineError('DOCUMENT_CORRUPT', `The ${format.toUpperCase()} file could not be parsed: ${(err as Error).message}`);
  }
  return workbookToDocument(wb, options, ctx);
};

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
