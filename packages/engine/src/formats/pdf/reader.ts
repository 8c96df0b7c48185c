import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { EngineError, throwIfAborted } from '../../errors.ts';
import { damaged } from '../../read-failure.ts';
import { checkCharacterCount, documentLimits, overLimit } from '../../limits.ts';
import type { DocumentProperties, PageContent, PageInfo, ParsedDocument } from '../../model.ts';
import type { ParseOptions, RunContext } from '../../options.ts';
import type { Format } from '../../format.ts';
import { finalizeLayout, layoutPage, type PageLayout } from '../../layout/index.ts';
import { CMAP_URL, CachedBinaryData, LEAN_READING, READ_ONLY_FONTS, STANDARD_FONT_DATA_URL, loadPdfJs } from './pdfjs.ts';
import { extractPage } from './page.ts';
import { selectPages } from './range.ts';
import { joinedOcr, pageOcr, rendersEveryPage, rendersPage, type PageOcr, type PdfOcrState } from './ocr-seam.ts';
import type { PageReading } from '../../ocr/pdf.ts';
import { ocrWorkerCount } from '../../ocr/pool.ts';

/**
 * The array to give pdf.js, which transfers (detaches) the buffer of what it is given: a copy,
 * unless the caller handed the bytes over and they fill their buffer alone. (pdf.js refuses a
 * Node Buffer; a plain view of the same memory is no copy.)
 */
function pdfJsData(bytes: Uint8Array, handOver: boolean): Uint8Array {
  const ownsBuffer = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return handOver && ownsBuffer ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
}

/**
 * Open a PDF, mapping pdf.js failures to Reducto's error names. Unless `render`, its pages can
 * be read but not drawn (see READ_ONLY_FONTS). `handOver`: see RunContext.handOver.
 */
async function openPdf(bytes: Uint8Array, password: string | null | undefined, render: boolean, handOver = false): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: pdfJsData(bytes, handOver),
    password: password ?? undefined,
    standardFontDataUrl: STANDARD_FONT_DATA_URL,
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    BinaryDataFactory: CachedBinaryData,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
    ...LEAN_READING,
    ...(render ? {} : READ_ONLY_FONTS),
  });
  try {
    return await task.promise;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new EngineError('DOCUMENT_PASSWORD_PROTECTED', password
        ? 'The PDF file\'s password is incorrect'
        : 'The PDF file is password protected: pass settings.document_password');
    }
    throw damaged('pdf', name === 'InvalidPDFException'
      ? 'no readable PDF structure (header, cross-reference table or objects) was found'
      : 'its structure is invalid');
  }
}

/**
 * The decoded-size cap for PDF streams (a 1 MB Flate bomb expands to 1 GB). Our pdf.js patch
 * stops decoding a stream at the cap, but pdf.js recovers from a page's stream errors by
 * reading what it could, so the patch also counts the stops: a count that moved while this
 * document was read means it hit the cap. (pdf.js runs in this thread, one page at a time.)
 */
function watchStreamBudget(maxBytes: number): { check(): void } {
  const g = globalThis as { pdfjsMaxDecodedStreamBytes?: number; pdfjsDecodedStreamLimitHits?: number };
  g.pdfjsMaxDecodedStreamBytes = maxBytes;
  const before = g.pdfjsDecodedStreamLimitHits ?? 0;
  return {
    check() {
      if ((g.pdfjsDecodedStreamLimitHits ?? 0) !== before) {
        throw overLimit('maxStreamBytes', `A stream in the PDF file decodes to more than ${Math.round(maxBytes / 2 ** 20)} MiB`, maxBytes);
      }
    },
  };
}

/**
 * Pages read between releases of pdf.js's document-wide caches (parsed fonts, CMaps, images,
 * colour spaces), which otherwise grow with every page for the document's life. Fonts a later
 * page shares are parsed again: a few milliseconds per release.
 */
const PAGES_PER_RELEASE = 20;

/** pdf.js's own failure types: the file, not our code, is at fault. */
const PDFJS_ERRORS = new Set(['FormatError', 'InvalidPDFException', 'UnknownErrorException', 'ResponseException', 'AbortException']);

/** A page pdf.js cannot read is a damaged file; a failure of our own code is a bug and stays one. */
function pageFailure(err: unknown, page: number, streams: { check(): void }): unknown {
  if (err instanceof EngineError) return err;
  try {
    streams.check();
  } catch (tooLarge) {
    return tooLarge;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new EngineError('DOCUMENT_TOO_LARGE', `The PDF file nests the objects of page ${page} too deeply to be read`);
  }
  const name = (err as { name?: string } | null)?.name ?? '';
  const stack = err instanceof Error ? err.stack ?? '' : '';
  const firstFrame = stack.split('\n').find((l) => /^\s+at /.test(l)) ?? '';
  if (PDFJS_ERRORS.has(name) || !(err instanceof Error) || /pdfjs-dist/.test(firstFrame)) return damaged('pdf', `page ${page} cannot be read`);
  return err;
}

/**
 * What reading a range of a PDF's pages yields before the document-level decisions: compact
 * per-page layouts, page infos and OCR results, numbered within the range (`page` from 1,
 * `originalPage` the page of the PDF read). Plain data (Maps and buffers included), so a
 * part read on one worker can be stored and merged on another.
 */
export interface PdfPagesRead {
  layouts: PageLayout[];
  pages: PageInfo[];
  ocr: PdfOcrState;
  /** Pages of the PDF read. */
  totalPages: number;
  properties: DocumentProperties;
  /** The reading stopped early (`RunContext.handBack`): these are the first pages of those asked for. */
  handedBack?: boolean;
}

/**
 * The PDF reader: page by page (only compact per-page layouts are kept), text layer with
 * fonts, rulings and image placements; per-page OCR where the text layer cannot be trusted.
 */
export async function readPdf(bytes: Uint8Array, _format: Format, options: ParseOptions, ctx: RunContext): Promise<ParsedDocument> {
  const read = await readPdfPages(bytes, options, ctx);
  return finishPdf([{ read, pageOffset: 0 }], options);
}

/**
 * Read pages `span` of a PDF (default: settings.page_range, else every page) up to, not
 * including, the document-level layout decisions; `finishPdf` makes those once over the
 * ranges of the whole document.
 */
export async function readPdfPages(bytes: Uint8Array, options: ParseOptions, ctx: RunContext, span?: { first: number; last: number }): Promise<PdfPagesRead> {
  const pdfjs = await loadPdfJs();
  const password = options.settings?.document_password;
  const renderAll = rendersEveryPage(options);
  const limits = documentLimits();
  const streams = watchStreamBudget(limits.maxStreamBytes);
  const handOver = ctx.handOver === true;
  const doc = await openPdf(bytes, password, renderAll, handOver);
  // Pages to be drawn (OCR) come from a second, render-capable opening, made on first need.
  let drawable: Promise<PDFDocumentProxy> | undefined;
  try {
    const selected = span
      ? Array.from({ length: Math.min(span.last, doc.numPages) - span.first + 1 }, (_, i) => span.first + i)
      : selectPages(options.settings?.page_range ?? null, doc.numPages);
    if (selected.length > limits.maxPages) throw overLimit('maxPages', `The PDF file has ${selected.length} pages to read`, limits.maxPages);
    const layouts: PageLayout[] = new Array(selected.length);
    const pages: PageInfo[] = new Array(selected.length);
    const ocr = pageOcr(options);
    // Pages being OCRed run on while the next ones are read and rendered: as many in flight
    // as there are OCR workers, so one document's scanned pages are read in parallel while
    // rendered pages do not pile up in memory.
    const inFlight = new Set<Promise<void>>();
    let done = 0;
    let characters = 0;
    let stopAt = selected.length;
    for (let i = 0; i < selected.length; i++) {
      throwIfAborted(ctx.signal);
      if (ctx.handBack?.()) {
        stopAt = i;
        break;
      }
      const page = await doc.getPage(selected[i]);
      let drawn: PDFPageProxy | undefined;
      let reading: Promise<PageReading>;
      try {
        let content: PageContent;
        try {
          content = await extractPage(pdfjs, page, selected[i]);
        } catch (err) {
          throw pageFailure(err, selected[i], streams);
        }
        if (!renderAll && rendersPage(content, options)) {
          // Bytes handed over are pdf.js's now: the drawable opening reads a copy of pdf.js's
          // own, made only for documents with pages to draw.
          drawable ??= handOver ? doc.getData().then((data) => openPdf(data, password, true, true)) : openPdf(bytes, password, true);
          drawn = await (await drawable).getPage(selected[i]);
        }
        streams.check();
        ({ reading } = await ocr.start(drawn ?? page, content, i + 1, ctx));
      } finally {
        page.cleanup();
        drawn?.cleanup();
      }
      const task = reading.then((out) => {
        for (const run of out.content.runs) characters += run.text.length;
        checkCharacterCount(characters, 'PDF file', limits.maxCharacters);
        layouts[i] = layoutPage(out.content, i + 1);
        pages[i] = { page: i + 1, originalPage: selected[i], width: out.content.width, height: out.content.height, source: out.source };
        ctx.onProgress?.(++done, selected.length);
      });
      // A failure is raised by the Promise.all below; until then it must not count as unhandled.
      task.catch(() => {});
      const tracked = task.finally(() => inFlight.delete(tracked));
      tracked.catch(() => {});
      inFlight.add(tracked);
      while (inFlight.size >= ocrWorkerCount()) await Promise.race(inFlight);
      if ((i + 1) % PAGES_PER_RELEASE === 0) {
        await doc.cleanup();
        if (drawable) await (await drawable).cleanup();
      }
    }
    await Promise.all(inFlight);
    const read: PdfPagesRead = { layouts, pages, ocr: ocr.state(), totalPages: doc.numPages, properties: await properties(doc) };
    if (stopAt < selected.length) {
      layouts.length = stopAt;
      pages.length = stopAt;
      read.handedBack = true;
    }
    return read;
  } finally {
    await doc.destroy();
    if (drawable) await (await drawable.catch(() => undefined))?.destroy();
  }
}

/** Pages of a PDF, from its page tree alone (no page is read). */
export async function pdfPageCount(bytes: Uint8Array, options: ParseOptions): Promise<number> {
  const doc = await openPdf(bytes, options.settings?.document_password, false);
  try {
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

/**
 * The document-level half of reading a PDF, once over its page ranges in order: pages
 * renumbered to the whole document (`pageOffset`: what to add to a range's `originalPage`,
 * non-zero when the range was read from a PDF cut out of the document), then furniture,
 * headings, hyphens, lists and OCR confidence decided over every page at once — so a
 * document read in ranges comes out as if read in one go.
 */
export async function finishPdf(parts: Array<{ read: PdfPagesRead; pageOffset: number }>, options: ParseOptions): Promise<ParsedDocument> {
  const layouts: PageLayout[] = [];
  const pages: PageInfo[] = [];
  const states: PdfOcrState[] = [];
  for (const { read, pageOffset } of parts) {
    const first = pages.length; // output pages before this range
    const page = (n: number): number => n + first;
    for (const l of read.layouts) layouts.push({ ...l, page: page(l.page), originalPage: l.originalPage + pageOffset });
    for (const p of read.pages) pages.push({ ...p, page: page(p.page), originalPage: p.originalPage + pageOffset });
    states.push({
      records: read.ocr.records.map((r) => ({ ...r, page: page(r.page), originalPage: r.originalPage + pageOffset })),
      rasters: read.ocr.rasters.map((r) => ({ ...r, page: page(r.page) })),
      reasons: read.ocr.reasons.map(([n, reason]) => [page(n), reason]),
    });
  }
  const blocks = finalizeLayout(layouts, options);
  // A range cut out of the document counts only its own pages: its last one, shifted, is the document's.
  const totalPages = Math.max(0, ...parts.map((p) => p.read.totalPages + p.pageOffset));
  const result: ParsedDocument = { pages, blocks, totalPages, properties: parts[0]?.read.properties ?? {} };
  await joinedOcr(options, states).finish(result, options);
  return result;
}

async function properties(doc: PDFDocumentProxy): Promise<DocumentProperties> {
  try {
    const info = (await doc.getMetadata()).info as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const date = (v: unknown) => {
      const s = str(v);
      const m = s && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(s);
      return m ? `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z` : s;
    };
    return {
      title: str(info.Title), author: str(info.Author), subject: str(info.Subject), keywords: str(info.Keywords),
      creator: str(info.Creator), producer: str(info.Producer), created_at: date(info.CreationDate), modified_at: date(info.ModDate),
    };
  } catch {
    return {};
  }
}

export type { PageOcr };
