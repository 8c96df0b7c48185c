import sharp, { type Sharp } from 'sharp';
import type { PageContent, Rect, TextRun } from '../model.ts';
import { detectOrientation, recognize, smallPrintEngine, type OcrEngine } from './pool.ts';
import { measureGlyphs, type GlyphStats } from './glyphs.ts';
import { eraseRulings, findRulingBands, type GreyImage } from './rulings.ts';
import { readPpocr } from './ppocr/index.ts';
import { voteReadings, type OcrLineReading } from './vote.ts';
import { isEdgeSpeck, isFlatSpeck } from './specks.ts';

type Rotation = 0 | 90 | 180 | 270;

/** A recognised word or line in page units, before normalisation to Reducto's box. */
export interface OcrToken {
  text: string;
  rect: Rect;
  /** 0–1 */
  confidence: number;
}

export interface OcrPage {
  /** Positioned content in the pixel units of `image`, ready for layout analysis. */
  content: PageContent;
  words: OcrToken[];
  lines: OcrToken[];
  /** Mean word confidence, 0–1 (0 when nothing was read). */
  confidence: number;
  /** Clockwise rotation applied to make the page upright. */
  rotation: Rotation;
  /** The upright page as PNG (what the boxes refer to), when `keepImage` was asked. */
  image?: Buffer;
  /** The engine and models that read the page. */
  engine: OcrEngine;
}

export interface OcrPageOptions {
  languages: string[];
  /** The recognition engine (resolveOcrEngine). */
  engine: OcrEngine;
  pageNumber: number;
  /** Skip orientation detection (e.g. the caller knows the page is upright). */
  assumeUpright?: boolean;
  /**
   * Units of the returned content: image pixels (default), or typographic points, which
   * is what layout analysis is tuned for (PDF pages). `dpi` converts pixels to points;
   * without it the resolution is estimated from the height of the text lines.
   */
  units?: 'pixels' | 'points';
  dpi?: number;
  /** Encode the upright page as PNG into `image` (for return_images). */
  keepImage?: boolean;
}

/** Body text lines are about this tall in points (11 pt type, normal leading). */
const TYPICAL_LINE_HEIGHT_PT = 13;

/** Skew (radians) worth straightening (~0.3°), and beyond which the estimate is not trusted. */
const MIN_SKEW = 0.005;
const MAX_SKEW = 0.2;

/** Below this mean confidence, or with almost no words, the page may be sideways. */
const UPRIGHT_CONFIDENCE = 0.6;
/**
 * Below this many words a page also gets the orientation detector's opinion, however
 * confident its reading: a line of upside-down text reads as a few confident nonsense words.
 */
const FEW_WORDS = 30;
/** Share of letters stacked above one another (GlyphStats.vertical) that marks a sideways page. */
const SIDEWAYS_SHARE = 0.6;
/** OSD's margin for its best orientation; below this it is guessing. */
const OSD_MIN_CONFIDENCE = 1.5;

/** An encoded image (PNG, JPEG, …) or raw pixels (e.g. a canvas's RGBA). */
export type PageImage = Buffer | { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 };

function open(input: PageImage): Sharp {
  return Buffer.isBuffer(input)
    ? sharp(input)
    : sharp(input.data, { raw: { width: input.width, height: input.height, channels: input.channels } });
}

/**
 * OCR one page image: scale it so its characters are the size tesseract reads best
 * (measured from the ink before recognition, so the page is read once), recognise, and
 * when the result looks like a sideways or upside-down page, ask tesseract's orientation
 * detector, rotate and recognise again, keeping whichever reading is better. Small skew is
 * corrected before recognition. Table rulings are found
 * first and erased from the image tesseract reads.
 */
export async function ocrPage(input: PageImage, options: OcrPageOptions): Promise<OcrPage> {
  const original = await toGrey(open(input).flatten({ background: '#ffffff' }).greyscale());
  const glyphs = measureGlyphs(original);
  // Only the part with ink is read: a receipt scanned on a whole sheet is a small part of it.
  const crop = textArea(original, glyphs);
  const region = crop ? await toGrey(rawSharp(original).extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })) : original;
  let grey = region;
  const factor = scaleFactor(original, glyphs);
  // Enlarged small print (a table snippet's 5–7 px letters) still loses decimal points and
  // confuses digits with tesseract's fast models: it gets the reader that keeps them (see
  // smallPrintEngine). Such images are small, so the stronger reading costs little.
  if (glyphs.height > 0 && glyphs.height < SMALL_GLYPH_PX / 2) options = { ...options, engine: await smallPrintEngine(options.engine, options.languages) };
  if (factor !== 1) {
    grey = await toGrey(rawSharp(region).resize({ width: Math.round(region.width * factor), kernel: 'lanczos3' }));
  }
  // Letters closer above and below each other than beside: the page lies on its side.
  const inkSideways = glyphs.vertical > SIDEWAYS_SHARE;
  // Straighten skewed scans here, from the letters already measured: cheaper than letting
  // tesseract find the skew with a page layout pass of its own before every reading.
  if (!inkSideways && Math.abs(glyphs.skew) >= MIN_SKEW && Math.abs(glyphs.skew) <= MAX_SKEW) {
    grey = await toGrey(rawSharp(grey).rotate((-glyphs.skew * 180) / Math.PI, { background: '#ffffff' }));
  }
  // A text line is about 1.4 letter heights: rulings must be longer than any stroke of it.
  const lineHeight = glyphs.height * factor * 1.4;
  const turnable = !options.assumeUpright;
  // A page whose letters stack is read turned only: as it lies, tesseract returns vertical
  // lines or (on a tight crop) confident short junk.
  let best: Reading | undefined = turnable && inkSideways ? undefined : await read(grey, 0, options, lineHeight);
  // The page must come out upright, so sideways text counts as "needs turning" however
  // confident the reading is.
  const sideways = inkSideways || (best !== undefined && isSideways(best));
  if (turnable && (!best || sideways || looksUnreadable(best) || best.words.length < FEW_WORDS)) {
    const osd = await detectOrientation(pgm(grey), options.engine).catch(() => null);
    const degrees = osd?.orientation_degrees;
    const sure = (osd?.orientation_confidence ?? 0) >= OSD_MIN_CONFIDENCE;
    const candidates: Rotation[] = sure && (degrees === 90 || degrees === 180 || degrees === 270) ? [degrees] : [];
    if (sideways && !candidates.some((d) => d !== 180)) candidates.push(90, 270);
    for (const d of candidates) {
      const rotated = await toGrey(rawSharp(grey).rotate(d));
      const candidate = await read(rotated, d, options, lineHeight);
      const upright = !isSideways(candidate);
      if (!best) {
        if (upright) best = candidate;
      } else if ((upright || !sideways) && (score(candidate) > score(best) || (sideways && upright && isSideways(best)))) {
        best = candidate;
      }
    }
  }
  best ??= await read(grey, 0, options, lineHeight);
  let page = toOcrPage(best, best.rulings, options.pageNumber, options.engine);
  if (factor !== 1) page = scalePage(page, 1 / factor);
  if (crop) page = uncropPage(page, crop, original, best.rotation);
  if (options.keepImage) {
    // The input's own pixels (decoded once, above), turned upright: what the (unscaled) boxes refer to.
    page.image = await rawSharp(original).rotate(best.rotation).png().toBuffer();
  }
  if (options.units === 'points') page = scalePage(page, 72 / (options.dpi ?? estimateDpi(page)));
  return page;
}

async function toGrey(pipeline: Sharp): Promise<GreyImage> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Binary PGM: the cheapest encoding leptonica (inside tesseract) can read, about a second
 * per page faster than decoding a PNG in WebAssembly.
 */
function pgm(image: GreyImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1'), image.data]);
}

function estimateDpi(page: OcrPage): number {
  const lineHeight = median(page.content.runs.map((r) => r.fontSize));
  return lineHeight > 0 ? (lineHeight * 72) / TYPICAL_LINE_HEIGHT_PT : 300;
}

/**
 * How much to scale a page before recognition: small print (receipts photographed or
 * scanned at low resolution, table snippets, thumbnails) is enlarged until its characters
 * are about 20 px tall, where tesseract's LSTM reads best (SROIE receipts: word recall the
 * same as at 24 px with the npm model, 0.807 -> 0.820 with tessdata_fast, and ≈ 10 % less
 * time). A small image where no text could be measured is enlarged to a usual page size.
 */
const SMALL_GLYPH_PX = 16;
const TARGET_GLYPH_PX = 20;
const MAX_FACTOR = 3;
const SMALL_IMAGE_SIDE = 1000;
const TARGET_SIDE = 1600;

function scaleFactor(image: GreyImage, glyphs: GlyphStats): number {
  let factor = 1;
  if (glyphs.height > 0) {
    if (glyphs.height < SMALL_GLYPH_PX) factor = TARGET_GLYPH_PX / glyphs.height;
  } else {
    const side = Math.max(image.width, image.height);
    if (side > 0 && side < SMALL_IMAGE_SIDE) factor = TARGET_SIDE / side;
  }
  // At most 3×: print of 6–7 px still comes out 18–21 px, and the cost grows with the
  // square of the factor (a 4× page-sized thumbnail took 15–30 s to read).
  factor = Math.min(MAX_FACTOR, factor);
  return factor >= 1.2 ? factor : 1;
}

/** Crop only when it leaves out at least this share of the page. */
const MIN_CROP_SAVING = 0.3;

/**
 * The inked part of the page with a margin of four letters (room for table borders, and the
 * paper tesseract's thresholding expects), or null when that is most of the page.
 */
function textArea(image: GreyImage, glyphs: GlyphStats): { x: number; y: number; width: number; height: number } | null {
  const box = glyphs.inkBox;
  if (!box) return null;
  const margin = Math.max(16, Math.round(4 * glyphs.height));
  const x = Math.max(0, box.x0 - margin), y = Math.max(0, box.y0 - margin);
  const width = Math.min(image.width, box.x1 + margin) - x, height = Math.min(image.height, box.y1 + margin) - y;
  return width * height <= (1 - MIN_CROP_SAVING) * image.width * image.height ? { x, y, width, height } : null;
}

/**
 * Boxes read from a crop (turned by `rotation` clockwise) moved to where the crop lies on the
 * whole page turned the same way, the page's own size restored.
 */
function uncropPage(page: OcrPage, crop: { x: number; y: number; width: number; height: number }, whole: GreyImage, rotation: Rotation): OcrPage {
  const { width: W, height: H } = whole;
  const [dx, dy] = rotation === 90 ? [H - crop.y - crop.height, crop.x]
    : rotation === 180 ? [W - crop.x - crop.width, H - crop.y - crop.height]
      : rotation === 270 ? [crop.y, W - crop.x - crop.width]
        : [crop.x, crop.y];
  const [width, height] = rotation === 90 || rotation === 270 ? [H, W] : [W, H];
  return mapPage(page, (rect) => ({ x0: rect.x0 + dx, y0: rect.y0 + dy, x1: rect.x1 + dx, y1: rect.y1 + dy }), width, height, 1);
}

function rawSharp(image: GreyImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

/** The same page with every coordinate multiplied by `k` (the image is left as is). */
export function scalePage(page: OcrPage, k: number): OcrPage {
  const { width, height } = page.content;
  return mapPage(page, (rect) => ({ x0: rect.x0 * k, y0: rect.y0 * k, x1: rect.x1 * k, y1: rect.y1 * k }), width * k, height * k, k);
}

/** Every box of the page through `r`, the page `width` × `height`, font sizes times `fontScale`. */
function mapPage(page: OcrPage, r: (rect: Rect) => Rect, width: number, height: number, fontScale: number): OcrPage {
  const t = (token: OcrToken): OcrToken => ({ ...token, rect: r(token.rect) });
  const c = page.content;
  return {
    ...page,
    content: {
      ...c,
      width,
      height,
      runs: c.runs.map((run) => ({ ...run, rect: r(run.rect), fontSize: run.fontSize * fontScale })),
      rulings: c.rulings.map((ruling) => ({ ...r(ruling), orientation: ruling.orientation })),
    },
    words: page.words.map(t),
    lines: page.lines.map(t),
  };
}

interface Reading {
  /** Table rulings found in the page image (then erased before recognition). */
  rulings: PageContent['rulings'];
  width: number;
  height: number;
  rotation: Rotation;
  words: Array<OcrToken & { lineHeight: number }>;
  lines: OcrToken[];
}

async function read(image: GreyImage, rotation: Rotation, options: OcrPageOptions, lineHeight: number): Promise<Reading> {
  const bands = await findRulingBands(image, lineHeight);
  const clean = eraseRulings(image, bands);
  const { engine } = options;
  // Encoded once for tesseract, whichever reading needs it.
  const encoded = engine.kind === 'ppocr' ? undefined : pgm(clean);
  const [first, second] = await Promise.all([
    readLines(clean, encoded, options.languages, engine),
    engine.second ? readLines(clean, encoded, options.languages, engine.second) : undefined,
  ]);
  const read = second === undefined ? first : voteReadings(first, second);
  const words: Reading['words'] = [];
  const lines: OcrToken[] = [];
  const wordHeight = median(read.flatMap((l) => l.words.map((w) => w.rect.y1 - w.rect.y0)));
  for (const line of read) {
    const kept = line.words.filter((w) => isRealWord(w) && !isEdgeSpeck(w, image) && !isFlatSpeck(w, wordHeight));
    if (kept.length === 0) continue;
    // One size per line: a word's own box depends on its letters (x-height vs ascenders).
    const lineHeight = line.rect.y1 - line.rect.y0;
    for (const w of kept) words.push({ ...w, lineHeight });
    lines.push({
      text: kept.map((w) => w.text).join(' '),
      rect: line.rect,
      confidence: kept.reduce((sum, w) => sum + w.confidence, 0) / kept.length,
    });
  }
  return { rulings: bands.map((b) => b.ruling), width: image.width, height: image.height, rotation, words, lines };
}

/** One engine's reading of the (cleaned) page: PP-OCR takes the pixels, tesseract the PGM. */
async function readLines(image: GreyImage, encoded: Buffer | undefined, languages: string[], engine: OcrEngine): Promise<OcrLineReading[]> {
  if (engine.kind === 'ppocr') return readPpocr(image);
  return tsvLines(await recognize(encoded ?? pgm(image), languages, engine));
}

/**
 * Tesseract's TSV: `level page block par line word left top width height conf text`;
 * level 4 rows are lines, level 5 rows their words (confidence 0–100).
 */
function tsvLines(tsv: string): Array<{ rect: Rect; words: OcrToken[] }> {
  const lines: Array<{ rect: Rect; words: OcrToken[] }> = [];
  for (const row of tsv.split('\n')) {
    const f = row.split('\t');
    if (f.length < 12) continue;
    const [left, top, width, height, conf] = [f[6], f[7], f[8], f[9], f[10]].map(Number);
    const rect = { x0: left, y0: top, x1: left + width, y1: top + height };
    if (f[0] === '4') lines.push({ rect, words: [] });
    else if (f[0] === '5' && lines.length > 0) {
      const text = f.slice(11).join('\t').trim();
      if (text) lines[lines.length - 1].words.push({ text, rect, confidence: Math.max(0, conf) / 100 });
    }
  }
  return lines;
}

/** Tesseract reads rules, specks and photo texture as junk "words"; drop the obvious ones. */
function isRealWord(w: { text: string; confidence: number }): boolean {
  const text = w.text.trim();
  if (!text) return false;
  if (w.confidence < 0.1) return false;
  if (/^[|_\-—–=~.,:;'"`!/\\()[\]{}]+$/.test(text) && w.confidence < 0.6) return false;
  return true;
}

/** Most multi-letter words taller than wide: the text runs up or down the page. */
function isSideways(r: Reading): boolean {
  const long = r.words.filter((w) => w.text.length >= 3);
  if (long.length === 0) return false;
  const tall = long.filter((w) => w.rect.y1 - w.rect.y0 > w.rect.x1 - w.rect.x0).length;
  return tall > long.length / 2;
}

function meanConfidence(r: Reading): number {
  if (r.words.length === 0) return 0;
  return r.words.reduce((s, w) => s + w.confidence, 0) / r.words.length;
}

function looksUnreadable(r: Reading): boolean {
  return r.words.length < 3 || meanConfidence(r) < UPRIGHT_CONFIDENCE;
}

/** Confident characters: favours the reading with more text that tesseract believes. */
function score(r: Reading): number {
  return r.words.reduce((s, w) => s + (w.confidence >= 0.6 ? w.text.length * w.confidence : 0), 0);
}

function toOcrPage(r: Reading, rulings: PageContent['rulings'], pageNumber: number, engine: OcrEngine): OcrPage {
  const runs: TextRun[] = r.words.map((w) => ({
    text: w.text,
    rect: w.rect,
    fontSize: Math.max(1, w.lineHeight),
    confidence: w.confidence,
    word: true,
  }));
  return {
    content: { pageNumber, width: r.width, height: r.height, runs, rulings, images: [], source: 'ocr' },
    words: r.words.map(({ text, rect, confidence }) => ({ text, rect, confidence })),
    lines: r.lines,
    confidence: meanConfidence(r),
    rotation: r.rotation,
    engine,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
