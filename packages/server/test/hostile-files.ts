import zlib from 'node:zlib';
import JSZip from 'jszip';
import { rawPdf } from '@folio/engine';

export { rawPdf };

/**
 * Hostile documents generated in code: zip bombs, lying zip headers, absurd nesting, page
 * counts and truncations. Each is small to make and to send; what it would cost to read
 * is what the server must refuse early.
 */

/** The part that makes a zip an Office document of each kind (what format detection looks for). */
const MARKER: Record<OfficeKind, [string, string]> = {
  docx: ['word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>bomb</w:t></w:r></w:p></w:body></w:document>'],
  xlsx: ['xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'],
  pptx: ['ppt/presentation.xml', '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'],
};
export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

/** Where the bomb sits inside each kind: a part its reader actually reads. */
const BOMB_PART: Record<OfficeKind, string> = {
  docx: 'word/document.xml',
  xlsx: 'xl/worksheets/sheet1.xml',
  pptx: 'ppt/presentation.xml',
};

/**
 * An Office file whose main part is `size` bytes of zeros (deflating ~1000:1). With
 * `declare`, its zip headers claim that uncompressed size instead of the true one.
 */
export async function officeBomb(kind: OfficeKind, size: number, declare?: number): Promise<Uint8Array> {
  const zip = new JSZip();
  const [marker, xml] = MARKER[kind];
  zip.file(marker, xml);
  zip.file(BOMB_PART[kind], new Uint8Array(size));
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  return declare === undefined ? bytes : declareSize(bytes, BOMB_PART[kind], declare);
}

/** Rewrite the uncompressed size a zip's local and central headers give for one entry. */
export function declareSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const out = Buffer.from(zip);
  const name = Buffer.from(entry);
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = out.readUInt32LE(i);
    // Local file header: size at 22, name length at 26, name at 30.
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + out.readUInt16LE(i + 26)).equals(name)) out.writeUInt32LE(size, i + 22);
    // Central directory header: size at 24, name length at 28, name at 46.
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + out.readUInt16LE(i + 28)).equals(name)) out.writeUInt32LE(size, i + 24);
  }
  return new Uint8Array(out);
}

/** A DOCX whose main part's compressed data is overwritten midway (not valid deflate any more). */
export async function damagedDocx(): Promise<Uint8Array> {
  const zip = new JSZip();
  const [marker] = MARKER.docx;
  const words = Array.from({ length: 4000 }, (_, i) => `<w:p><w:r><w:t>paragraph ${i} ${(i * 7919) % 1000}</w:t></w:r></w:p>`).join('');
  zip.file(marker, `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${words}</w:body></w:document>`);
  const bytes = Buffer.from(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  const start = 30 + Buffer.byteLength(marker);
  for (let i = start + 200; i < start + 400; i++) bytes[i] = 0xff;
  return new Uint8Array(bytes);
}

/** HTML with `depth` nested elements of `tag`. */
export function deepHtml(depth: number, tag = 'div'): Uint8Array {
  return Buffer.from(`<!doctype html><html><body>${`<${tag}>`.repeat(depth)}deep${`</${tag}>`.repeat(depth)}</body></html>`);
}

/** A Markdown list nested `depth` levels. */
export function deepMarkdown(depth: number): Uint8Array {
  return Buffer.from(Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n'));
}

/** A PDF of `pages` pages, all the same small page (the page tree lists it `pages` times). */
export function manyPagePdf(pages: number): Uint8Array {
  const content = 'BT /F1 12 Tf 72 700 Td (one of many) Tj ET';
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${'3 0 R '.repeat(pages)}] /Count ${pages} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A one-page PDF whose content stream is a Flate bomb: `mib` MiB of spaces after one line of text. */
export async function flateBombPdf(mib: number): Promise<Uint8Array> {
  const deflate = zlib.createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  deflate.write('BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n');
  const spaces = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < mib; i++) deflate.write(spaces);
  deflate.end();
  await done;
  const data = Buffer.concat(chunks).toString('latin1');
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n${data}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A CSV of `cells` one-character values, ten to a line: millions of cells in a few MB. */
export function manyCellCsv(cells: number): Uint8Array {
  return Buffer.from('1,1,1,1,1,1,1,1,1,1\n'.repeat(Math.ceil(cells / 10)));
}

/** Plain text of `chars` characters: short lines of prose, paragraphs between them. */
export function longText(chars: number): Uint8Array {
  const para = 'Words of a text far longer than any budget allows.\n\n';
  return Buffer.from(para.repeat(Math.ceil(chars / para.length)));
}

/** An XLSX whose one sheet has a value in its first cell and one in its last (A1 and XFD1048576). */
export async function cornerXlsx(): Promise<Uint8Array> {
  const zip = new JSZip();
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>');
  zip.file('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file('xl/workbook.xml', `<workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="Corners" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  zip.file('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`);
  zip.file('xl/worksheets/sheet1.xml', `<worksheet ${ns}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A PPTX listing `slides` slides, every one the same small slide part. */
export async function manySlidePptx(slides: number): Promise<Uint8Array> {
  const zip = new JSZip();
  const [marker] = MARKER.pptx;
  const p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const ids = Array.from({ length: slides }, (_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('');
  const rels = Array.from({ length: slides }, (_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/>`).join('');
  zip.file(marker, `<p:presentation ${p}><p:sldIdLst>${ids}</p:sldIdLst></p:presentation>`);
  zip.file('ppt/_rels/presentation.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  zip.file('ppt/slides/slide1.xml', `<p:sld ${p}><p:cSld><p:spTree/></p:cSld></p:sld>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
