import { CMAP_URL, CachedBinaryData, READ_ONLY_FONTS, STANDARD_FONT_DATA_URL, loadPdfJs } from '../../packages/engine/src/formats/pdf/pdfjs.ts';

/**
 * The baseline: pdf.js's text layer of every page, nothing else. `textOnlyFonts` opens the
 * document as the reader does (fonts parsed only as far as text needs), to tell the reader's own
 * cost from what the patch saves. pdf.js detaches the buffer it is given: it gets a copy.
 */
export async function rawTextLayer(bytes: Uint8Array, textOnlyFonts = false): Promise<void> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONT_DATA_URL, cMapUrl: CMAP_URL, cMapPacked: true,
    BinaryDataFactory: CachedBinaryData, verbosity: 0, ...(textOnlyFonts ? READ_ONLY_FONTS : {}),
  }).promise;
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    await page.getTextContent();
    page.cleanup();
  }
  await doc.destroy();
}
