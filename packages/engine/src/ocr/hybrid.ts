import type { PageContent, Rect, TextRun } from '../model.ts';
import type { ParseOptions } from '../options.ts';
import { ocrPage, scalePage, type OcrPage } from './page.ts';
import type { OcrEngine } from './pool.ts';
import type { RasterPage } from './rasterize.ts';

/**
 * The hybrid PDF path: decide per page whether the text layer can be trusted, and if not,
 * render the page (~300 dpi) and OCR it. Results are scaled back to the page's own units
 * so OCR pages and text pages of one PDF share a coordinate system.
 */

/** Why a page is OCRed (or null when its text layer is used as is). */
export type OcrReason = 'forced' | 'no-text' | 'garbage-text' | 'scanned-image' | null;

export function ocrReason(content: PageContent, options: ParseOptions): OcrReason {
  if (options.settings?.extraction_mode === 'ocr') return 'forced';
  const layer = textLayer(content.runs);
  const coversPage = content.images.some((img) => area(img.rect) >= 0.8 * content.width * content.height);
  if (layer.empty) {
    // A page with nothing drawn but vector art is left alone; an image may be a scan.
    return content.images.length > 0 ? 'no-text' : null;
  }
  if (layer.garbage) return 'garbage-text';
  // Text over a full-page picture is another tool's (often invisible, often poor) OCR layer
  // of a scan, unless it is a substantial, clean text layer.
  if (coversPage && layer.length < 200) return 'scanned-image';
  return null;
}

/** What a page's words tell of its text layer, found once per page (the reader and the OCR step both ask). */
const textLayers = new WeakMap<TextRun[], { empty: boolean; garbage: boolean; length: number }>();
function textLayer(runs: TextRun[]): { empty: boolean; garbage: boolean; length: number } {
  let layer = textLayers.get(runs);
  if (!layer) {
    const text = runs.map((r) => r.text).join('');
    const empty = text.trim().length === 0;
    layer = { empty, garbage: !empty && isGarbage(text), length: text.length };
    textLayers.set(runs, layer);
  }
  return layer;
}

/**
 * Text extracted from fonts without a usable ToUnicode map comes out as replacement
 * characters, private-use code points, control characters or symbol soup (ASCII punctuation
 * where letters were meant).
 */
function isGarbage(text: string): boolean {
  // Leaders and rules typed as characters ("........", "______") are layout, not soup.
  const ink = text.replace(/\s+/g, '').replace(/([^\p{L}\p{N}])\1{2,}/gu, '');
  // Counted by code point (a surrogate pair is one character), with one regex pass each and
  // matching the rarer kind of character (this runs on every text-layer page).
  const length = ink.length - (ink.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  if (length === 0) return false;
  const bad = ink.match(/[\uFFFD\uE000-\uF8FF\u0000-\u001F]/gu)?.length ?? 0;
  // Mathematical operators (∂ ∑ ≤ ∣ ∥ ‖ …) are a formula's words, not soup: a page of display
  // equations is a good text layer, and OCR reads it far worse.
  const unwordy = ink.match(/[^\p{L}\p{N}\u2016\u2200-\u22FF\u27C0-\u27EF\u2980-\u29FF\u2A00-\u2AFF]/gu)?.length ?? 0;
  return bad / length > 0.1 || (length - unwordy) / length < 0.5;
}

function area(r: Rect): number {
  return Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);
}

export interface PdfOcrOptions {
  languages: string[];
  engine: OcrEngine;
  /** Keep the rendered page as PNG (return_images). */
  keepImage?: boolean;
}

/**
 * OCR one rendered PDF page. `content` is the page as the PDF reader extracted it (page
 * units, rotation applied); the returned OcrPage replaces it, in the same units. Figures keep
 * their image placements; the OCR page image is in pixels (`image`).
 */
export async function ocrPdfPage(raster: RasterPage, content: PageContent, options: PdfOcrOptions): Promise<OcrPage> {
  const result = await ocrPage({ data: raster.rgba, width: raster.width, height: raster.height, channels: 4 }, { languages: options.languages, engine: options.engine, pageNumber: content.pageNumber, keepImage: options.keepImage });
  // A PDF page that had to be turned is reported in its upright size.
  const turned = result.rotation === 90 || result.rotation === 270;
  const pageW = turned ? content.height : content.width;
  const pageH = turned ? content.width : content.height;
  const scaled = scalePage(result, pageW / result.content.width);
  return {
    ...scaled,
    content: {
      ...scaled.content,
      width: pageW,
      height: pageH,
      // Figures keep their placements; a full-page scan image is the page itself.
      images: result.rotation === 0 ? content.images.filter((i) => area(i.rect) < 0.8 * pageW * pageH) : [],
      widgets: content.widgets,
    },
  };
}
