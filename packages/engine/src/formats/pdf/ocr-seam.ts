import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageContent, ParsedDocument } from '../../model.ts';
import type { ParseOptions, RunContext } from '../../options.ts';

/**
 * The seam between the PDF reader and OCR (issue 5). For each page the reader hands over the
 * text-layer content; the OCR stage may replace it (scanned page, garbage text layer, forced
 * OCR) and, at the end, add document-level OCR results (ocr words/lines, confidence, images).
 */
export interface PageOcr {
  page(page: PDFPageProxy, content: PageContent, outputPage: number, ctx: RunContext): Promise<{ content: PageContent; source: 'text' | 'ocr' }>;
  finish(doc: ParsedDocument, options: ParseOptions): Promise<void>;
}

/** Until the OCR stage is wired in, the text layer is used as is. */
export function pageOcr(_options: ParseOptions): PageOcr {
  return {
    page: async (_page, content) => ({ content, source: 'text' }),
    finish: async () => {},
  };
}
