import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
/** pdf.js needs the standard font files to draw the 14 base fonts; they ship in its package. */
export const STANDARD_FONT_DATA_URL = path.join(PDFJS_DIR, 'standard_fonts') + path.sep;

/** Resolution used to OCR PDF pages: tesseract is tuned for ~300 dpi text. */
export const OCR_DPI = 300;

/** Never build a canvas larger than this (memory stays bounded for huge page sizes). */
const MAX_PIXELS = 40_000_000;

export interface RasterPage {
  /** RGBA pixels, row-major. */
  rgba: Buffer;
  /** Pixels per PDF point. */
  scale: number;
  width: number;
  height: number;
}

/** Render one pdf.js page onto a white canvas (raw RGBA: encoding is left to who needs it). */
export async function rasterizePdfPage(page: PDFPageProxy, dpi = OCR_DPI): Promise<RasterPage> {
  const base = page.getViewport({ scale: 1 });
  let scale = dpi / 72;
  const pixels = base.width * base.height * scale * scale;
  if (pixels > MAX_PIXELS) scale *= Math.sqrt(MAX_PIXELS / pixels);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: ctx as unknown as CanvasRenderingContext2D,
    viewport,
  }).promise;
  const rgba = Buffer.from(ctx.getImageData(0, 0, width, height).data.buffer);
  return { rgba, scale, width, height };
}
