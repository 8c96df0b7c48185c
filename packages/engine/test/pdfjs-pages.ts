import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CMAP_URL, CachedBinaryData, STANDARD_FONT_DATA_URL, loadPdfJs } from '../src/formats/pdf/pdfjs.ts';

/**
 * For the tests of our pdf.js patch (patches/README.md): what pdf.js reads of a PDF with and
 * without an option must come out the same.
 */

/** Each page of a PDF opened with `options` on top of the reader's own settings, read by `read`. */
export async function eachPage<T>(bytes: Uint8Array, options: Record<string, unknown>, read: (page: PDFPageProxy) => Promise<T>): Promise<T[]> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONT_DATA_URL, cMapUrl: CMAP_URL, cMapPacked: true,
    BinaryDataFactory: CachedBinaryData, isEvalSupported: false, useSystemFonts: false, verbosity: 0, ...options,
  } as Parameters<typeof pdfjs.getDocument>[0]).promise;
  try {
    const out: T[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      out.push(await read(page));
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/**
 * JSON with typed arrays as plain ones, signed zeros told apart (a -0 in a matrix turns an
 * angle by 360 degrees) and pdf.js's per-document font ids made comparable.
 */
export const comparable = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : Object.is(v, -0) ? '-0' : v)).replace(/g_d\d+_/g, 'g_d_');

/** A page's text content with its paths and images (our `includeGraphics`), comparable. */
export const textContent = async (page: PDFPageProxy): Promise<string> => comparable(await page.getTextContent({ includeGraphics: true } as Parameters<PDFPageProxy['getTextContent']>[0]));

/** A page's operator list (which draws glyph outlines and decodes images in Node), comparable. */
export const operatorList = async (page: PDFPageProxy): Promise<string> => {
  const { fnArray, argsArray } = await page.getOperatorList();
  return comparable([fnArray, argsArray]);
};
