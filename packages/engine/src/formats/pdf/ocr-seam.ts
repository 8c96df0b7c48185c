import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageContent, ParsedDocument } from '../../model.ts';
import type { ParseOptions, RunContext } from '../../options.ts';
import { PdfOcr, type PageReading, type PdfOcrState } from '../../ocr/pdf.ts';
import { ocrReason } from '../../ocr/hybrid.ts';

/**
 * The seam between the PDF reader and OCR (issue 5). For each page the reader hands over the
 * text-layer content; the OCR stage may replace it (scanned page, garbage text layer, forced
 * OCR) and, at the end, add document-level OCR results (ocr words/lines, confidence, images).
 */
export interface PageOcr {
  /** Renders the page if it needs OCR; `reading` settles when the page is read. */
  start(page: PDFPageProxy, content: PageContent, outputPage: number, ctx: RunContext): Promise<{ reading: Promise<PageReading> }>;
  finish(doc: ParsedDocument, options: ParseOptions): Promise<void>;
  /** The per-page results so far, for a reader of one page range (joined with `joinedOcr`). */
  state(): PdfOcrState;
}

export type { PdfOcrState };

/** The OCR stage of a whole document from the states of its page ranges (renumbered to the document). */
export function joinedOcr(options: ParseOptions, states: PdfOcrState[]): PageOcr {
  return PdfOcr.joined(options, states);
}

/** Per-page OCR where the text layer cannot be trusted (extraction_mode hybrid/ocr). */
export function pageOcr(options: ParseOptions): PageOcr {
  return new PdfOcr(options);
}

/** Every page gets rendered: page images were asked for, or OCR is forced on all pages. */
export function rendersEveryPage(options: ParseOptions): boolean {
  return (options.settings?.return_images ?? []).length > 0 || options.settings?.extraction_mode === 'ocr';
}

/** This page will be rendered by `PageOcr.start` (OCRed, or its image returned). */
export function rendersPage(content: PageContent, options: ParseOptions): boolean {
  return rendersEveryPage(options) || ocrReason(content, options) !== null;
}
