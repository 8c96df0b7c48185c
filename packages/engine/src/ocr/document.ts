import sharp from 'sharp';
import type { Box, DocBlock, OcrLine, OcrWord, PageInfo, Rect } from '../model.ts';
import type { ParseOptions } from '../options.ts';
import type { OcrToken } from './page.ts';
import type { OcrEngine } from './pool.ts';

/**
 * Turning per-page OCR results into the document-level pieces of the model: Reducto's
 * `ocr` words/lines, block confidence, and the images `return_images` asks for.
 */

/** One OCRed page, in the units of the PageContent given to layout analysis. */
export interface OcrPageRecord {
  /** Page within the processed output (1-based). */
  page: number;
  originalPage: number;
  width: number;
  height: number;
  words: OcrToken[];
  lines: OcrToken[];
  /** The engine and models that read the page. */
  engine: OcrEngine;
}

function toBox(r: Rect, p: OcrPageRecord): Box {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const left = clamp(r.x0 / p.width);
  const top = clamp(r.y0 / p.height);
  return {
    left,
    top,
    width: clamp(r.x1 / p.width) - left,
    height: clamp(r.y1 / p.height) - top,
    page: p.page,
    original_page: p.originalPage,
  };
}

/** `settings.return_ocr_data`: words and lines with normalised boxes (chunk_index is the output stage's). */
export function ocrData(pages: OcrPageRecord[]): { words: OcrWord[]; lines: OcrLine[] } {
  const convert = (p: OcrPageRecord) => (t: OcrToken): OcrWord => ({ text: t.text, bbox: toBox(t.rect, p), confidence: round(t.confidence) });
  return {
    words: pages.flatMap((p) => p.words.map(convert(p))),
    lines: pages.flatMap((p) => p.lines.map(convert(p))),
  };
}

/**
 * A block's confidence is the mean confidence of the OCR words inside it (by word centre),
 * so a smudged paragraph reads "low" even when layout analysis was sure of its shape.
 * Every block of an OCRed page names the engine and models that read it (`extra.ocr`), since
 * the engine may depend on the host (FOLIO_OCR_ENGINE=auto).
 */
export function applyOcrConfidence(blocks: DocBlock[], pages: OcrPageRecord[]): void {
  const byPage = new Map(pages.map((p) => [p.page, p]));
  for (const block of blocks) {
    const p = byPage.get(block.box.page);
    if (!p) continue;
    block.extra = { ...block.extra, ocr: engineName(p.engine) };
    const b = block.box;
    const inside = p.words.filter((w) => {
      const cx = (w.rect.x0 + w.rect.x1) / 2 / p.width;
      const cy = (w.rect.y0 + w.rect.y1) / 2 / p.height;
      return cx >= b.left && cx <= b.left + b.width && cy >= b.top && cy <= b.top + b.height;
    });
    if (inside.length > 0) {
      block.confidence = round(inside.reduce((s, w) => s + w.confidence, 0) / inside.length);
    }
  }
}

/** The engine as the response names it. */
export function engineName(engine: OcrEngine): Record<string, unknown> {
  const name = { engine: engine.name, version: engine.version, models: engine.models };
  return engine.second ? { ...name, mode: 'vote', second: engineName(engine.second) } : name;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** A raster of one output page, for cropping and for `return_images: ["page"]`. */
export interface PageRaster {
  page: number;
  png: Buffer;
}

/** `settings.return_images`: encode page images and crop figure/table regions. */
export async function attachImages(
  blocks: DocBlock[],
  pages: PageInfo[],
  rasters: PageRaster[],
  options: ParseOptions,
): Promise<void> {
  const kinds = new Set(options.settings?.return_images ?? []);
  if (kinds.size === 0) return;
  const byPage = new Map(rasters.map((r) => [r.page, r.png]));
  if (kinds.has('page')) {
    for (const info of pages) {
      const png = byPage.get(info.page);
      if (png) info.image = { bytes: new Uint8Array(png), mime: 'image/png' };
    }
  }
  for (const block of blocks) {
    const wanted = (block.type === 'Figure' && kinds.has('figure')) || (block.type === 'Table' && kinds.has('table'));
    const png = wanted ? byPage.get(block.box.page) : undefined;
    if (png) block.image = await crop(png, block.box);
  }
}

async function crop(png: Buffer, box: Box): Promise<{ bytes: Uint8Array; mime: string }> {
  const meta = await sharp(png).metadata();
  const W = meta.width ?? 1;
  const H = meta.height ?? 1;
  const left = Math.max(0, Math.floor(box.left * W));
  const top = Math.max(0, Math.floor(box.top * H));
  const width = Math.max(1, Math.min(W - left, Math.ceil(box.width * W)));
  const height = Math.max(1, Math.min(H - top, Math.ceil(box.height * H)));
  const bytes = await sharp(png).extract({ left, top, width, height }).png().toBuffer();
  return { bytes: new Uint8Array(bytes), mime: 'image/png' };
}
