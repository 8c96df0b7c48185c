import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import type { PageContent, ParsedDocument, Rect, TextRun } from '../model.ts';
import { throwIfAborted } from '../errors.ts';
import type { ParseOptions, RunContext } from '../options.ts';
import { applyOcrConfidence, attachImages, ocrData, type OcrPageRecord, type PageRaster } from './document.ts';
import { ocrPdfPage, ocrReason, type OcrReason } from './hybrid.ts';
import { checkOcrLanguages, requestOcrMode, resolveOcrEngine, type OcrEngine, type OcrMode } from './pool.ts';
import { rasterizePdfPage } from './rasterize.ts';

/** The per-page OCR results of a range of pages, kept until the whole document is finished. */
export interface PdfOcrState {
  records: OcrPageRecord[];
  rasters: PageRaster[];
  reasons: Array<[number, OcrReason]>;
}

/** Page images for return_images on pages that were not OCRed anyway. */
const IMAGE_DPI = 150;

async function pagePng(pdfPage: PDFPageProxy): Promise<Buffer> {
  const r = await rasterizePdfPage(pdfPage, IMAGE_DPI);
  return sharp(r.rgba, { raw: { width: r.width, height: r.height, channels: 4 } }).png().toBuffer();
}

/** A page's content for layout: the text layer's, or the OCR reading's. */
export interface PageReading {
  content: PageContent;
  source: 'text' | 'ocr';
}

/**
 * The PDF reader's seam into OCR (hybrid / ocr extraction modes). One per document:
 *
 *   const ocr = new PdfOcr(options);
 *   for each page:  { reading } = await ocr.start(pdfPage, extractPage(...), outputPageNumber, ctx);
 *                   (the page may be closed now; `reading` settles when the page is read)
 *   after layout:   await ocr.finish(doc);   // ocr words/lines, OCR block confidence, images
 *
 * `start()` renders the page when its text layer cannot be used and returns at once, the
 * recognition running on: the reader keeps as many pages in flight as there are OCR workers,
 * so the pages of one document are read in parallel. `reading` is the page's text-layer
 * content untouched when it is usable, or the OCR reading of the rendered page (same units,
 * `source: 'ocr'`). It matches the PDF reader's `PageOcr` seam (formats/pdf/ocr-seam.ts).
 */
export class PdfOcr {
  private readonly languages: string[];
  private readonly mode: OcrMode | undefined;
  private readonly records: OcrPageRecord[] = [];
  private readonly rasters: PageRaster[] = [];
  private readonly reasons = new Map<number, OcrReason>();
  private readonly wantImages: boolean;
  private engine?: Promise<OcrEngine>;

  constructor(private readonly options: ParseOptions) {
    this.languages = options.settings?.ocr_languages ?? ['eng'];
    checkOcrLanguages(this.languages);
    this.mode = requestOcrMode(options.settings?.ocr_mode);
    this.wantImages = (options.settings?.return_images ?? []).length > 0;
  }

  /** `outputPage` is the page's 1-based position in the output (after page_range). */
  async start(
    pdfPage: PDFPageProxy,
    content: PageContent,
    outputPage: number,
    ctx: RunContext = {},
  ): Promise<{ reading: Promise<PageReading> }> {
    const reason = ocrReason(content, this.options);
    if (!reason) {
      if (this.wantImages) this.rasters.push({ page: outputPage, png: await pagePng(pdfPage) });
      return { reading: Promise.resolve({ content, source: 'text' }) };
    }
    throwIfAborted(ctx.signal);
    this.engine ??= resolveOcrEngine(this.languages, this.mode);
    const engine = await this.engine;
    const raster = await rasterizePdfPage(pdfPage);
    // Rendered now: the page is released once reading starts.
    const pageImage = this.wantImages && reason === 'scanned-image' ? await pagePng(pdfPage) : null;
    const reading = (async (): Promise<PageReading> => {
      const result = await ocrPdfPage(raster, content, { languages: this.languages, engine, keepImage: this.wantImages });
      if (reason === 'scanned-image') {
        // The text layer is the floor: a clean layer over a page-sized picture that OCR reads no
        // more of (a cover, a form's background) keeps its own words; where OCR reads more, the
        // layer's words that OCR misread or missed are kept.
        if (inkOf(result.content.runs) <= inkOf(content.runs)) {
          if (pageImage) this.rasters.push({ page: outputPage, png: pageImage });
          return { content, source: 'text' };
        }
        if (result.rotation === 0) result.content = { ...result.content, runs: withLayerWords(result.content.runs, content.runs) };
      }
      this.reasons.set(outputPage, reason);
      this.records.push({
        page: outputPage,
        originalPage: content.pageNumber,
        width: result.content.width,
        height: result.content.height,
        words: result.words,
        lines: result.lines,
        engine: result.engine,
      });
      if (result.image) this.rasters.push({ page: outputPage, png: result.image });
      return { content: result.content, source: 'ocr' };
    })();
    return { reading };
  }

  /** Pages (output numbering) that were OCRed, with the reason. */
  get ocrPages(): ReadonlyMap<number, OcrReason> {
    return this.reasons;
  }

  /**
   * What this OCR pass gathered, for a reader of one page range (a fan-out part): the parts'
   * states are joined with `PdfOcr.joined` and finished once on the whole document.
   */
  state(): PdfOcrState {
    return { records: this.records, rasters: this.rasters, reasons: [...this.reasons] };
  }

  /** One OCR pass over the whole document from the states of its page ranges, already renumbered. */
  static joined(options: ParseOptions, states: PdfOcrState[]): PdfOcr {
    const ocr = new PdfOcr(options);
    for (const s of states) {
      ocr.records.push(...s.records);
      ocr.rasters.push(...s.rasters);
      for (const [page, reason] of s.reasons) ocr.reasons.set(page, reason);
    }
    return ocr;
  }

  /** Mark OCR pages, set OCR block confidence, add `ocr` data and requested images. */
  async finish(doc: ParsedDocument, _options?: ParseOptions): Promise<void> {
    // Pages finish in any order; the response lists them in page order.
    this.records.sort((a, b) => a.page - b.page);
    for (const info of doc.pages) if (this.reasons.has(info.page)) info.source = 'ocr';
    applyOcrConfidence(doc.blocks, this.records);
    if (this.options.settings?.return_ocr_data) doc.ocr = ocrData(this.records);
    await attachImages(doc.blocks, doc.pages, this.rasters, this.options);
  }
}

/** Letters and digits: how much a reading of a page says. */
function inkOf(runs: Array<{ text: string }>): number {
  return runs.reduce((n, r) => n + (r.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
}

/**
 * OCR's reading of a page with the text layer's words put back where OCR read something else
 * or nothing: the layer's word replaces the OCR words over it.
 */
function withLayerWords(ocr: TextRun[], layer: TextRun[]): TextRun[] {
  const norm = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const dropped = new Set<TextRun>();
  const added: TextRun[] = [];
  for (const word of layer) {
    const w = norm(word.text);
    if (!w) continue;
    const over = ocr.filter((o) => overlaps(o.rect, word.rect));
    if (over.some((o) => { const t = norm(o.text); return t.length > 0 && (t.includes(w) || w.includes(t)); })) continue;
    for (const o of over) dropped.add(o);
    added.push(word);
  }
  return [...ocr.filter((o) => !dropped.has(o)), ...added];
}

function overlaps(a: Rect, b: Rect): boolean {
  return Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);
}
