import { throwIfAborted } from '../../errors.ts';
import type { Format } from '../../format.ts';
import type { PageContent, PageInfo, ParsedDocument } from '../../model.ts';
import type { ParseOptions, RunContext } from '../../options.ts';
import { analyzeLayout } from '../../layout/index.ts';
import { selectPages } from '../pages.ts';
import { checkOcrLanguages, ocrWorkerCount, requestOcrMode, resolveOcrEngine } from '../../ocr/pool.ts';
import { ocrPage, type OcrPage } from '../../ocr/page.ts';
import { applyOcrConfidence, attachImages, ocrData, type OcrPageRecord } from '../../ocr/document.ts';
import { decodePage, inspectImage } from './decode.ts';

/**
 * Images (PNG, JPEG, TIFF incl. multi-page, BMP, GIF, WebP; HEIC where decodable): each
 * page is decoded with sharp, OCRed, and handed to the same layout analysis as PDF text.
 */
export async function readImage(bytes: Uint8Array, format: Format, options: ParseOptions, ctx: RunContext): Promise<ParsedDocument> {
  const languages = options.settings?.ocr_languages ?? ['eng'];
  checkOcrLanguages(languages);
  const mode = requestOcrMode(options.settings?.ocr_mode);
  const info = await inspectImage(bytes, format);
  const selected = selectPages(options, info.pages);
  const keepImage = (options.settings?.return_images ?? []).length > 0;
  const engine = await resolveOcrEngine(languages, mode);

  // Pages are OCRed a few at a time (as many as there are OCR workers): enough to keep the
  // workers busy, few enough that decoded pages don't pile up in memory.
  const results: OcrPage[] = new Array(selected.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < selected.length) {
      const i = next++;
      throwIfAborted(ctx.signal);
      const decoded = await decodePage(bytes, format, selected[i] - 1);
      throwIfAborted(ctx.signal);
      // Layout analysis reasons in points, as for PDFs.
      results[i] = await ocrPage(decoded, { languages, engine, pageNumber: selected[i], units: 'points', dpi: decoded.dpi, keepImage });
      ctx.onProgress?.(++done, selected.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ocrWorkerCount(), selected.length) }, lane));
  throwIfAborted(ctx.signal);

  const contents: PageContent[] = results.map((r) => r.content);
  const pages: PageInfo[] = results.map((r, i) => ({
    page: i + 1,
    originalPage: selected[i],
    width: r.content.width,
    height: r.content.height,
    source: 'ocr',
  }));
  const blocks = analyzeLayout(contents, options);
  const records: OcrPageRecord[] = results.map((r, i) => ({
    page: i + 1,
    originalPage: selected[i],
    width: r.content.width,
    height: r.content.height,
    words: r.words,
    lines: r.lines,
    engine: r.engine,
  }));
  applyOcrConfidence(blocks, records);
  const rasters = results.flatMap((r, i) => (r.image ? [{ page: i + 1, png: r.image }] : []));
  await attachImages(blocks, pages, rasters, options);
  return {
    pages,
    blocks,
    totalPages: info.pages,
    ocr: options.settings?.return_ocr_data ? ocrData(records) : undefined,
  };
}
