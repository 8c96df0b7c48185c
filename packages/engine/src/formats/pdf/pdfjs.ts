import { createRequire } from 'node:module';
import path from 'node:path';

/** pdf.js (legacy build, for Node 20), loaded once, with the bundled standard fonts. */
const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));

// In Node, pdf.js reads these with fs: plain directory paths, not file:// URLs.
export const STANDARD_FONT_DATA_URL = path.join(pdfjsRoot, 'standard_fonts') + path.sep;
export const CMAP_URL = path.join(pdfjsRoot, 'cmaps') + path.sep;

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loading;
}
