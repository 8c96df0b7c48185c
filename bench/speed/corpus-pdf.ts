import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { CMAP_URL, CachedBinaryData, STANDARD_FONT_DATA_URL, loadPdfJs } from '../../packages/engine/src/formats/pdf/pdfjs.ts';

/**
 * Real pages at length: the pages of `files`, in turn and again from the first, copied into
 * one PDF of `pages` pages. Each pass copies its own fonts and images, as a long PDF assembled
 * from many sources carries them, so pdf.js parses the embedded fonts again and again.
 */
export async function concatenatedPdf(files: string[], pages: number): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  const sources: PDFDocument[] = [];
  for (const file of files) {
    try {
      sources.push(await PDFDocument.load(readFileSync(file), { updateMetadata: false }));
    } catch {
      // Encrypted or broken for pdf-lib: left out.
    }
  }
  if (sources.length === 0) throw new Error('no PDF to concatenate');
  for (let i = 0; out.getPageCount() < pages; i++) {
    const src = sources[i % sources.length];
    const wanted = Math.min(src.getPageCount(), pages - out.getPageCount());
    for (const page of await out.copyPages(src, Array.from({ length: wanted }, (_, p) => p))) out.addPage(page);
  }
  return out.save();
}

/**
 * The PDFs among `files` whose every page has a text layer (pdf.js finds text on it): pages
 * read without OCR, short of a full parse to tell (bench:speed asks the parser).
 */
export async function textLayerPdfs(files: string[]): Promise<string[]> {
  const pdfjs = await loadPdfJs();
  const out: string[] = [];
  for (const file of files) {
    try {
      const doc = await pdfjs.getDocument({
        data: new Uint8Array(readFileSync(file)), standardFontDataUrl: STANDARD_FONT_DATA_URL, cMapUrl: CMAP_URL, cMapPacked: true,
        BinaryDataFactory: CachedBinaryData, verbosity: 0,
      }).promise;
      let text = true;
      for (let p = 1; p <= doc.numPages && text; p++) {
        const page = await doc.getPage(p);
        text = (await page.getTextContent()).items.some((i) => 'str' in i && i.str.trim() !== '');
        page.cleanup();
      }
      await doc.destroy();
      if (text) out.push(file);
    } catch {
      // Encrypted or broken: left out.
    }
  }
  return out;
}
