import ExcelJS from 'exceljs';
import type { Reader } from '../parse.ts';
import { damaged } from '../read-failure.ts';
import { OfficePackage } from './container.ts';
import { readSheetCharts } from './sheet-charts.ts';
import { checkCellCount, workbookToDocument } from './spreadsheet.ts';

/** XLSX / XLSM reader (exceljs): one page per sheet, table regions as Table blocks, charts with their data. */
export const readXlsx: Reader = async (bytes, _format, options, ctx) => {
  // exceljs inflates the package itself, without limits: the declared sizes are checked
  // first and every part is inflated once under the budget, so a zip bomb never reaches it.
  const pkg = await OfficePackage.open(bytes, 'xlsx');
  await pkg.verify();
  // The cell budget is checked on the raw sheet XML, streamed, before exceljs builds the
  // whole workbook in memory: an oversized workbook is refused in bounded time and memory.
  checkCellCount(await valuedCellCount(pkg), options, 'XLSX file');
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

/** Cells holding a value (a `<v>` or inline-string `<is>` element) across all worksheets. */
async function valuedCellCount(pkg: OfficePackage): Promise<number> {
  let n = 0;
  for (const name of pkg.names()) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    n += await new Promise<number>((resolve, reject) => {
      let count = 0;
      let tail = '';
      pkg.zip.file(name)!.nodeStream('nodebuffer')
        .on('data', (chunk: Buffer) => {
          // Tags are ASCII, so latin1 decodes any chunk boundary safely. A few characters
          // carry over so a tag cut between chunks is still seen, and counted once.
          const text = tail + chunk.toString('latin1');
          count += text.match(/<(?:\w+:)?(?:v|is)>/g)?.length ?? 0;
          const cut = text.lastIndexOf('<');
          tail = cut >= 0 && text.length - cut < 16 ? text.slice(cut) : '';
          if (tail) count -= tail.match(/<(?:\w+:)?(?:v|is)>/g)?.length ?? 0;
        })
        .on('error', reject)
        .on('end', () => resolve(count));
    });
  }
  return n;
}

