import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { PageContent, ParsedDocument } from '../model.ts';
import type { ParseOptions } from '../options.ts';
import { applyOcrConfidence, attachImages, ocrData, type OcrPageRecord, type PageRaster } from './document.ts';
import { ocrPdfPage, ocrReason, type OcrReason } from './hybrid.ts';
import { checkLanguages } from './languages.ts';
import { rasterizePdfPage } from './rasterize.ts';

/** Page images for return_images on pages that were not OCRed anyway. */
const IMAGE_DPI = 150;

/**
 * The PDF reader's seam into OCR (hybrid / ocr extraction modes). One per document:
 *
 *   const ocr = new PdfOcr(options);
 *   for each page:  content = await ocr.page(pdfPage, extractPage(...), outputPageNumber);
 *   after layout:   await ocr.finish(doc);   // ocr words/lines, OCR block confidence, images
 *
 * `page()` returns the page's text-layer content untouched when it is usable, or the OCR
 * reading of the rendered page (same units, `source: 'ocr'`) when it is not.
 */
export class PdfOcr {
  private readonly languages: string[];
  private readonly records: OcrPageRecord[] = [];
  private readonly rasters: PageRaster[] = [];
  private readonly reasons = new Map<number, OcrReason>();
  private readonly wantImages: boolean;

  constructor(private readonly options: ParseOptions) {
    this.languages = options.settings?.ocr_languages ?? ['eng'];
    checkLanguages(this.languages);
    this.wantImages = (options.settings?.return_images ?? []).length > 0;
  }

  /** `outputPage` is the page's 1-based position in the output (after page_range). */
  async page(pdfPage: PDFPageProxy, content: PageContent, outputPage: number): Promise<PageContent> {
    const reason = ocrReason(content, this.options);
    if (!reason) {
      if (this.wantImages) this.rasters.push({ page: outputPage, png: (await rasterizePdfPage(pdfPage, IMAGE_DPI)).png });
      return content;
    }
    const result = await ocrPdfPage(pdfPage, content, { languages: this.languages });
    this.reasons.set(outputPage, reason);
    this.records.push({
      page: outputPage,
      originalPage: content.pageNumber,
      width: result.content.width,
      height: result.content.height,
      words: result.words,
      lines: result.lines,
    });
    if (this.wantImages) this.rasters.push({ page: outputPage, png: result.image });
    return result.content;
  }

  /** Pages (output numbering) that were OCRed, with the reason. */
  get ocrPages(): ReadonlyMap<number, OcrReason> {
    return this.reasons;
  }

  /** Mark OCR pages, set OCR block confidence, add `ocr` data and requested images. */
  async finish(doc: ParsedDocument): Promise<void> {
    for (const info of doc.pages) if (this.reasons.has(info.page)) info.source = 'ocr';
    applyOcrConfidence(doc.blocks, this.records);
    if (this.options.settings?.return_ocr_data) doc.ocr = ocrData(this.records);
    await attachImages(doc.blocks, doc.pages, this.rasters, this.options);
  }
}
