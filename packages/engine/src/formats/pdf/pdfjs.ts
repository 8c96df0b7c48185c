import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** pdf.js (legacy build, for Node 20), loaded once, with the bundled standard fonts. */
const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));

// In Node, pdf.js reads these with fs: plain directory paths, not file:// URLs.
export const STANDARD_FONT_DATA_URL = path.join(pdfjsRoot, 'standard_fonts') + path.sep;
export const CMAP_URL = path.join(pdfjsRoot, 'cmaps') + path.sep;

/**
 * pdf.js's standard-font and CMap files, read from disk once per process instead of once per
 * document (pdf.js's own Node factory reads them again for every PDF). Passed to getDocument
 * as `BinaryDataFactory`; each caller gets its own copy, as pdf.js may transfer it.
 */
export class CachedBinaryData {
  private static readonly files = new Map<string, Promise<Uint8Array>>();
  private readonly dirs: Record<string, string | null>;

  constructor({ cMapUrl = null, standardFontDataUrl = null, wasmUrl = null }: { cMapUrl?: string | null; standardFontDataUrl?: string | null; wasmUrl?: string | null }) {
    this.dirs = { cMapUrl, standardFontDataUrl, wasmUrl };
  }

  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const dir = this.dirs[kind];
    if (!dir) throw new Error(`No ${kind} given to pdf.js`);
    const file = dir + filename;
    let data = CachedBinaryData.files.get(file);
    if (!data) {
      data = readFile(file).then((b) => new Uint8Array(b));
      data.catch(() => CachedBinaryData.files.delete(file));
      CachedBinaryData.files.set(file, data);
    }
    return (await data).slice();
  }
}

/**
 * getDocument options for reading without rendering. pdf.js in Node has no FontFace, so by
 * default it compiles an outline of every glyph drawn (for canvas rendering) and sends each
 * one over: about a fifth of getOperatorList's time. With font faces "enabled" and this inert
 * document to register them in, it skips that work. `textOnlyFonts` (our pdf.js patch) parses
 * embedded fonts only as far as text needs (encodings, widths, glyph names) and defers
 * rebuilding their programs as OpenType (Type 1 to CFF compilation) until something draws.
 * Pages to be rendered (OCR, page images) must come from a document opened without these
 * options (the inert document cannot draw).
 */
export const READ_ONLY_FONTS = {
  textOnlyFonts: true,
  disableFontFace: false,
  ownerDocument: {
    fonts: undefined,
    createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
    documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
  } as unknown as Document,
};

/**
 * getDocument options (our pdf.js patch, patches/README.md) that make reading cheaper without
 * changing what is read: `syncFlate` inflates Flate streams with Node's synchronous zlib instead
 * of a DecompressionStream, whose web-stream plumbing, thread-pool hops and promises cost more
 * than the inflating for the many small streams of a PDF; `leanTextContent` computes text
 * positions without the throwaway matrices pdf.js allocates for every glyph, switches back
 * to a font already loaded without suspending the text loop on a promise, and skips the bidi
 * pass for text items with no right-to-left character.
 */
export const LEAN_READING = { syncFlate: true, leanTextContent: true };

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loading: Promise<PdfJs> | undefined;

/**
 * Built-ins the legacy build's core-js polyfills replace process-wide although Node's own are
 * correct for everything pdf.js does: `Array.prototype.push` (forced over a V8 edge case) and
 * JSON (for the parse-with-source proposal) become several times slower in JavaScript, which
 * slows pdf.js itself, our layout and every JSON response. Captured before pdf.js loads and put
 * back after; the polyfills that only add missing methods (Map#getOrInsertComputed …) stay.
 */
const natives = [
  [Array.prototype, 'push', Array.prototype.push],
  [JSON, 'stringify', JSON.stringify],
  [JSON, 'parse', JSON.parse],
  [Function.prototype, 'toString', Function.prototype.toString],
] as const;

function restoreNatives(): void {
  for (const [owner, key, value] of natives) {
    if (owner[key as keyof typeof owner] !== value) Object.defineProperty(owner, key, { value, writable: true, configurable: true, enumerable: false });
  }
  speedUpToBase64();
}

type ToBase64 = (this: Uint8Array, options?: unknown) => string;
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: ToBase64 }).toBase64;

/**
 * Where Node lacks Uint8Array#toBase64, core-js adds a JavaScript loop, and pdf.js base64s every
 * font it loads (READ_ONLY_FONTS): the default encoding is Buffer's, done natively.
 */
function speedUpToBase64(): void {
  const polyfill = (Uint8Array.prototype as { toBase64?: ToBase64 }).toBase64;
  if (nativeToBase64 || !polyfill) return;
  const toBase64: ToBase64 = function (options) {
    return options === undefined ? Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('base64') : polyfill.call(this, options);
  };
  Object.defineProperty(Uint8Array.prototype, 'toBase64', { value: toBase64, writable: true, configurable: true, enumerable: false });
}

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
      g.pdfjsWorker ??= await loadModule('pdfjs-dist/legacy/build/pdf.worker.mjs');
      return await loadModule<PdfJs>('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      restoreNatives();
      process.setSourceMapsEnabled(enabled);
    }
  })();
  return loading;
}

/**
 * pdf.js's ES modules through require() where Node can (20.19+): under `--import tsx`, import()
 * sends them through tsx's loader thread, which rewrites their dynamic imports and builds a
 * source map for megabytes of code — about 280 MB of resident memory for the process's life.
 */
async function loadModule<T = unknown>(specifier: string): Promise<T> {
  if (process.features.require_module) {
    try {
      return require(specifier) as T;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM' && (err as { code?: string }).code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    }
  }
  return (await import(specifier)) as T;
}
