import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { EngineError } from '../errors.ts';
import { OfficePackage } from './container.ts';
import { readSheetCharts } from './sheet-charts.ts';
import { workbookToDocument } from './spreadsheet.ts';

/** XLSX / XLSM reader (exceljs): one page per sheet, table regions as Table blocks, charts with their data. */
export const readXlsx: Reader = async (bytes, _format, options, ctx) => {
  // Checks the declared uncompressed sizes first, so a zip bomb never reaches exceljs.
  const pkg = await OfficePackage.open(bytes);
  let wb: ExcelJS.Workbook;
  try {
    wb = await load(bytes);
  } catch (first) {
    // exceljs trips over some drawing anchors; cell content does not depend on drawings,
    // so retry without them before giving up.
    try {
      wb = await load(await withoutDrawings(pkg));
    } catch {
      throw new EngineError('DOCUMENT_CORRUPT', `The spreadsheet could not be read: ${(first as Error).message}`);
    }
  }
  return workbookToDocument(wb, options, ctx, await readSheetCharts(pkg));
};

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  return wb;
}

async function withoutDrawings(pkg: OfficePackage): Promise<Uint8Array> {
  for (const name of pkg.names()) {
    if (name.startsWith('xl/drawings/')) pkg.zip.remove(name);
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    const xml = await pkg.text(name);
    if (xml) pkg.zip.file(name, xml.replace(/<(?:\w+:)?(?:drawing|legacyDrawing)\b[^>]*\/>/g, ''));
  }
  return pkg.zip.generateAsync({ type: 'uint8array' });
}
