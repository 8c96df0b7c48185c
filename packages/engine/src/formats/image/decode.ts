import sharp, { type Metadata } from 'sharp';
import { EngineError } from '../../errors.ts';
import type { Format } from '../../format.ts';

/** Reducto's limits for image inputs. */
export const MAX_IMAGE_PIXELS = 50_000_000;
export const MAX_IMAGE_SIDE = 15_000;
export const MIN_IMAGE_SIDE = 16;

export interface ImageInfo {
  /** Pages in the file: TIFF pages; 1 for everything else (a GIF's first frame is the image). */
  pages: number;
}

/** Read the header only, and enforce the size limits before any pixel is decoded. */
export async function inspectImage(bytes: Uint8Array, format: Format): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(format, err);
  }
  if (meta.compression === 'hevc') throw unreadable('heic', new Error('HEVC-compressed HEIF'));
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  checkSize(width, height);
  return { pages: format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1 };
}

function checkSize(width: number, height: number): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new EngineError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}×${height} px; the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels and ${MAX_IMAGE_SIDE} px per side`,
    );
  }
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    throw new EngineError('IMAGE_TOO_SMALL', `Image is ${width}×${height} px; at least ${MIN_IMAGE_SIDE} px per side is needed to read text`);
  }
}

function unreadable(format: Format, err: unknown): EngineError {
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (format === 'heic') {
    return new EngineError(
      'DOCUMENT_UNSUPPORTED',
      `HEIC images cannot be decoded by this server (its image library has no HEVC decoder); convert the image to JPEG or PNG (${why})`,
    );
  }
  // libvips says "Input buffer has corrupt header: VipsJpeg: premature end of JPEG image":
  // only the part after its prefixes tells the user anything.
  const detail = why.replace(/^Input (buffer|file) (has corrupt header|contains unsupported image format):?\s*/i, '').replace(/^Vips\w+:\s*/, '').trim();
  return new EngineError('DOCUMENT_CORRUPT', `The ${format.toUpperCase()} image could not be decoded: ${detail || 'its header is corrupt'}`);
}

/**
 * Decode one page to upright (EXIF orientation applied) greyscale pixels on white, the form
 * OCR works on: raw, so the page is decoded once and never encoded again. `page` is 0-based.
 */
export async function decodePage(
  bytes: Uint8Array,
  format: Format,
  page: number,
): Promise<{ data: Buffer; width: number; height: number; channels: 1; dpi?: number }> {
  try {
    const density = (await sharp(bytes, { page, limitInputPixels: MAX_IMAGE_PIXELS }).metadata()).density;
    const { data, info } = await sharp(bytes, { page, limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    checkSize(info.width, info.height);
    // Scanners record their resolution; 72/96 dpi is a screen default that says nothing.
    const dpi = density && density >= 150 && density <= 1200 ? density : undefined;
    return { data, width: info.width, height: info.height, channels: 1, dpi };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw unreadable(format, err);
  }
}
