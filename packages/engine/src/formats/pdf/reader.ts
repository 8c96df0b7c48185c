import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { EngineError, throwIfAborted } from '../../errors.ts';
import { damaged } from '../../read-failure.ts';
import { checkCharacterCount, documentLimits, overLimit } from '../../limits.ts';
import type { DocumentProperties, PageContent, PageInfo, ParsedDocument } from '../../model.ts';
import type { ParseOptions, RunContext } from '../../options.ts';
import type { Format } from '../../format.ts';
import { finalizeLayout, layoutPage, type PageLayout } from '../../layout/index.ts';
import { CMAP_URL, CachedBinaryData, READ_ONLY_FONTS, STANDARD_FONT_DATA_URL, loadPdfJs } from './pdfjs.ts';
import { extractPage } from './page.ts';
import { selectPages } from './range.ts';
import { pageOcr, rendersEveryPage, rendersPage, type PageOcr } from './ocr-seam.ts';

/**
 * Open a PDF, mapping pdf.js failures to Reducto's error names. Unless `render`, its pages can
 * be read but not drawn (see READ_ONLY_FONTS).
 */
async function openPdf(bytes: Uint8Array, password: string | null | undefined, render: boolean): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdf.js transfers (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    password: password ?? undefined,
    standardFontDataUrl: STANDARD_FONT_DATA_URL,
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    BinaryDataFactory: CachedBinaryData,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
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
 * The PDF reader: page by page (only compact per-page layouts are kept), text layer with
 * fonts, rulings and image placements; per-page OCR where the text layer cannot be trusted.
 */
export async function readPdf(bytes: Uint8Array, _format: Format, options: ParseOptions, ctx: RunContext): Promise<ParsedDocument> {
  const pdfjs = await loadPdfJs();
  const password = options.settings?.document_password;
  const renderAll = rendersEveryPage(options);
  const limits = documentLimits();
  const streams = watchStreamBudget(limits.maxStreamBytes);
  const doc = await openPdf(bytes, password, renderAll);
  // Pages to be drawn (OCR) come from a second, render-capable opening, made on first need.
  let drawable: Promise<PDFDocumentProxy> | undefined;
  try {
    const selected = selectPages(options.settings?.page_range ?? null, doc.numPages);
    if (selected.length > limits.maxPages) throw overLimit('maxPages', `The PDF file has ${selected.length} pages to read`, limits.maxPages);
    const layouts: PageLayout[] = [];
    const pages: PageInfo[] = [];
    const ocr = pageOcr(options);
    let characters = 0;
    for (let i = 0; i < selected.length; i++) {
      throwIfAborted(ctx.signal);
      const page = await doc.getPage(selected[i]);
      let drawn: PDFPageProxy | undefined;
      try {
        let content: PageContent;
        try {
          content = await extractPage(pdfjs, page, selected[i]);
        } catch (err) {
          throw pageFailure(err, selected[i], streams);
        }
        if (!renderAll && rendersPage(content, options)) {
          drawable ??= openPdf(bytes, password, true);
          drawn = await (await drawable).getPage(selected[i]);
        }
        streams.check();
        const out = await ocr.page(drawn ?? page, content, i + 1, ctx);
        for (const run of out.content.runs) characters += run.text.length;
        checkCharacterCount(characters, 'PDF file');
        layouts.push(layoutPage(out.content, i + 1));
        pages.push({ page: i + 1, originalPage: selected[i], width: out.content.width, height: out.content.height, source: out.source });
      } finally {
        page.cleanup();
        drawn?.cleanup();
      }
      ctx.onProgress?.(i + 1, selected.length);
    }
    const blocks = finalizeLayout(layouts);
    const result: ParsedDocument = { pages, blocks, totalPages: doc.numPages, properties: await properties(doc) };
    await ocr.finish(result, options);
    return result;
  } finally {
    await doc.destroy();
    if (drawable) await (await drawable.catch(() => undefined))?.destroy();
  }
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
