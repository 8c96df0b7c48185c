import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { damaged } from '../read-failure.ts';
import { OfficePackage } from './container.ts';
import { workbookToDocument } from './spreadsheet.ts';

/** XLSX / XLSM reader (exceljs): one page per sheet, table regions as Table blocks. */
export const readXlsx: Reader = async (bytes, _format, options, ctx) => {
  // exceljs inflates the package itself, without limits: the declared sizes are checked
  // first and every part is inflated once under the budget, so a zip bomb never reaches it.
  const pkg = await OfficePackage.open(bytes, 'xlsx');
  await pkg.verify();
  let wb: ExcelJS.Workbook;
  try {
    wb = await load(bytes);
  } catch {
    // exceljs trips over some drawing anchors; cell content does not depend on drawings,
    // so retry without them before giving up.
    try {
      wb = await load(await withoutDrawings(pkg));
    } catch (err) {
      if (err instanceof RangeError) throw err; // nesting: classified by the caller
      throw damaged('xlsx', 'its workbook structure is invalid');
    }
  }
  return workbookToDocument(wb, options, ctx);
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
