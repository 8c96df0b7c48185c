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

/**
 * Load pdf.js and its (in-process) worker with source maps off: under tsx, Node would parse
 * the multi-megabyte pdf.js source maps, which costs hundreds of MB and seconds.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    const enabled = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
      const g = globalThis as { pdfjsWorker?: unknown };
      // Preloading the worker module makes pdf.js use it in-process instead of importing it itself.
      const workerModule: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
      g.pdfjsWorker ??= await import(workerModule);
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      process.setSourceMapsEnabled(enabled);
    }
  })();
  return loading;
}
