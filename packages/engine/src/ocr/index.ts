/** Offline OCR (tesseract.js + traineddata from npm, or opt-in the system's tesseract): images, scanned and hybrid PDF pages. */
export { PdfOcr } from './pdf.ts';
export { ocrReason, ocrPdfPage, type OcrReason } from './hybrid.ts';
export { ocrPage, type OcrPage, type OcrToken } from './page.ts';
export { configureOcr, shutdownOcr, ocrWorkerCount } from './pool.ts';
export { findRulings } from './rulings.ts';
export { rasterizePdfPage, OCR_DPI } from './rasterize.ts';
export { applyOcrConfidence, attachImages, ocrData, type OcrPageRecord, type PageRaster } from './document.ts';
