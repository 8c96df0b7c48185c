import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';

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
