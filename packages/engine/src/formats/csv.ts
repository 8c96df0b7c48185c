import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { EngineError } from '../errors.ts';
import { checkCharacterCount, documentLimits } from '../limits.ts';
import { kindOf } from '../read-failure.ts';
import { checkCellCount, workbookToDocument } from './spreadsheet.ts';
import { decodeText } from './text.ts';

/** Text handed to the CSV parser at a time, so a workbook over the cell budget stops early. */
const SLICE_CHARS = 1 << 16;

/** CSV / TSV reader: one sheet, parsed by exceljs (fast-csv) with values kept as written. */
export const readCsv: Reader = async (bytes, format, options, ctx) => {
  const kind = `${kindOf(format)} file`;
  let text = decodeText(bytes);
  checkCharacterCount(text.length, kind);
  const delimiter = format === 'tsv' ? '\t' : sniffDelimiter(text);
  if (!text.endsWith('\n')) text += '\n';
  // Cells are counted as the parser makes them; past the budget no more text is fed, so a
  // file of millions of one-character cells never becomes millions of cell objects.
  const { maxCells } = documentLimits();
  const budget = Math.min(maxCells, options.spreadsheet?.max_cell_count ?? Infinity);
  let cells = 0;
  function* slices(): Generator<string> {
    for (let at = 0; at < text.length && cells <= budget; at += SLICE_CHARS) yield text.slice(at, at + SLICE_CHARS);
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.csv.read(Readable.from(slices()), {
      sheetName: ctx.filename?.replace(/^.*[\\/]/, '') || 'Sheet1',
      parserOptions: { delimiter, relaxColumnCount: true, ignoreEmpty: false },
      map: (v: string) => {
        if (v === '') return null;
        cells++;
        return v;
      },
    } as unknown as Parameters<typeof wb.csv.read>[1]);
  } catch (err) {
    throw new EngineError('DOCUMENT_CORRUPT', `The ${format.toUpperCase()} file could not be parsed: ${(err as Error).message}`);
  }
  if (cells > budget) checkCellCount(cells, options, kind, { counting: true });
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
