import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { parse, readDocument } from '../src/index.ts';
import type { DocBlock, ParsedDocument } from '../src/model.ts';
import { configureOcr, shutdownOcr } from '../src/ocr/pool.ts';
import { ocrReason } from '../src/ocr/hybrid.ts';
import {
  TABLE, TEXT_LINES, imageOnlyPdf, renderPng, rotatePng, tablePdf, textPdf, wordRecall,
} from './ocr-fixtures.ts';

const EXPECTED = TEXT_LINES.join(' ');
const textOf = (doc: ParsedDocument) => doc.blocks.map((b) => b.text).join(' ');

let digitalPdf: Uint8Array;
let uprightPng: Buffer;

/** The pipeline with tesseract.js and the npm models, which every install has (FOLIO_OCR_ENGINE=wasm). */
beforeAll(async () => {
  configureOcr({ engine: 'wasm' });
  digitalPdf = await textPdf();
  uprightPng = await renderPng(digitalPdf);
});
afterAll(() => shutdownOcr());

describe('image OCR', () => {
  it('reads a rendered page with ≥ 95% word recall, as OCR blocks with confidence and OCR data', async () => {
    const out = await parse(uprightPng, { settings: { return_ocr_data: true } });
    const content = out.result.chunks.map((c) => c.content).join('\n');
    expect(wordRecall(EXPECTED, content)).toBeGreaterThanOrEqual(0.95);
    const blocks = out.result.chunks.flatMap((c) => c.blocks);
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) {
      expect(b.granular_confidence?.parse_confidence).toBeGreaterThan(0.5);
      expect(b.bbox.page).toBe(1);
    }
    const ocr = out.result.ocr!;
    expect(wordRecall(EXPECTED, ocr.words.map((w) => w.text).join(' '))).toBeGreaterThanOrEqual(0.95);
    expect(ocr.lines).toHaveLength(TEXT_LINES.length);
    for (const w of ocr.words) {
      expect(w.bbox.left).toBeGreaterThanOrEqual(0);
      expect(w.bbox.left + w.bbox.width).toBeLessThanOrEqual(1);
      expect(w.confidence).toBeGreaterThan(0);
      expect(w.chunk_index).toBe(0);
    }
  });

  it('turns a page rotated by 90° upright', async () => {
    const rotated = await rotatePng(uprightPng, 90);
    const meta = await sharp(rotated).metadata();
    expect(meta.height!).toBeGreaterThan(meta.width!);
    const doc = await readDocument(rotated, { settings: { return_ocr_data: true } });
    expect(wordRecall(EXPECTED, textOf(doc))).toBeGreaterThanOrEqual(0.95);
    // Upright: the page is landscape again and every line runs left to right.
    expect(doc.pages[0].width).toBeGreaterThan(doc.pages[0].height);
    for (const line of doc.ocr!.lines) {
      expect(line.bbox.width * doc.pages[0].width).toBeGreaterThan(line.bbox.height * doc.pages[0].height);
    }
    expect(doc.ocr!.lines[0].text).toContain('Quarterly');
  });

  it('turns an upside-down page upright', async () => {
    const doc = await readDocument(await rotatePng(uprightPng, 180), { settings: { return_ocr_data: true } });
    expect(wordRecall(EXPECTED, textOf(doc))).toBeGreaterThanOrEqual(0.95);
    expect(doc.ocr!.lines[0].text).toContain('Quarterly');
  });

  it('reads the inked part of a large sheet and puts the words where they are on it, also turned', async () => {
    const small = await readDocument(uprightPng, { settings: { return_ocr_data: true } });
    const { width: w, height: h } = await sharp(uprightPng).metadata();
    const [left, top, right, bottom] = [900, 1300, 300, 700];
    const sheet = await sharp(uprightPng).extend({ left, top, right, bottom, background: '#ffffff' }).png().toBuffer();
    const W = w! + left + right, H = h! + top + bottom;
    // Where the small page's first word lies on the sheet, as fractions of the sheet.
    const first = small.ocr!.words[0];
    const expected = { left: (left + first.bbox.left * w!) / W, top: (top + first.bbox.top * h!) / H };
    for (const turn of [0, 90]) {
      const doc = await readDocument(turn ? await rotatePng(sheet, turn) : sheet, { settings: { return_ocr_data: true } });
      expect(wordRecall(EXPECTED, textOf(doc))).toBeGreaterThanOrEqual(0.95);
      expect(doc.pages[0].height).toBeGreaterThan(doc.pages[0].width); // upright: portrait, as the sheet
      const word = doc.ocr!.words[0];
      expect(word.text).toBe(first.text);
      expect(word.bbox.left).toBeCloseTo(expected.left, 2);
      expect(word.bbox.top).toBeCloseTo(expected.top, 2);
    }
  });

  it('deskews a page skewed by 2°', async () => {
    const skewed = await rotatePng(uprightPng, 2);
    const doc = await readDocument(skewed, { settings: { return_ocr_data: true } });
    expect(wordRecall(EXPECTED, textOf(doc))).toBeGreaterThanOrEqual(0.95);
    expect(doc.ocr!.lines.map((l) => l.text)).toHaveLength(TEXT_LINES.length);
  });

  it('builds a Table block with the right cell grid from a ruled table image', async () => {
    const png = await renderPng(await tablePdf());
    const doc = await readDocument(png, {});
    const table = doc.blocks.find((b: DocBlock) => b.type === 'Table');
    expect(table?.table).toBeDefined();
    const model = table!.table!;
    expect([model.rows, model.cols]).toEqual([TABLE.length, TABLE[0].length]);
    for (const cell of model.cells) {
      expect(cell.rowSpan).toBe(1);
      expect(cell.colSpan).toBe(1);
      expect(cell.text.trim()).toBe(TABLE[cell.row][cell.col]);
    }
  });

  it('returns page and table images when asked', async () => {
    const png = await renderPng(await tablePdf(), 150);
    const doc = await readDocument(png, { settings: { return_images: ['page', 'table'] } });
    expect(doc.pages[0].image?.mime).toBe('image/png');
    const table = doc.blocks.find((b) => b.type === 'Table');
    expect(table?.image?.bytes.length).toBeGreaterThan(100);
  });
});

describe('hybrid PDF path', () => {
  it('OCRs an image-only PDF and reads the digital one from its text layer', async () => {
    const scanned = await readDocument(await imageOnlyPdf(uprightPng));
    expect(scanned.pages[0].source).toBe('ocr');
    expect(wordRecall(EXPECTED, textOf(scanned))).toBeGreaterThanOrEqual(0.95);

    const digital = await readDocument(digitalPdf);
    expect(digital.pages[0].source).toBe('text');
    expect(wordRecall(EXPECTED, textOf(digital))).toBe(1);
  });

  it('OCRs a scanned page of bytes handed over to pdf.js (the page is drawn from pdf.js\'s own copy)', async () => {
    const bytes = new Uint8Array(await imageOnlyPdf(uprightPng));
    const scanned = await readDocument(bytes, {}, { handOver: true });
    expect(bytes.byteLength).toBe(0);
    expect(scanned.pages[0].source).toBe('ocr');
    expect(wordRecall(EXPECTED, textOf(scanned))).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps a clean text layer over a page-sized picture when OCR reads no more of the page', async () => {
    // A cover: a pale full-page picture, a short text layer drawn in a colour the picture hides.
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([612, 792]);
    const png = await sharp({ create: { width: 306, height: 396, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer();
    page.drawImage(await doc.embedPng(png), { x: 0, y: 0, width: 612, height: 792 });
    page.drawText('Healthy Students Healthy Lives', { x: 72, y: 700, size: 12, font, color: rgb(1, 1, 1) });
    page.drawText('Appendix 1', { x: 72, y: 400, size: 12, font, color: rgb(1, 1, 1) });
    const read = await readDocument(await doc.save());
    expect(read.pages[0].source).toBe('text');
    expect(textOf(read)).toContain('Appendix 1');
  });

  it('OCRs every page of a digital PDF in extraction_mode "ocr", with OCR data in PDF page units', async () => {
    const doc = await readDocument(digitalPdf, { settings: { extraction_mode: 'ocr', return_ocr_data: true } });
    expect(doc.pages[0].source).toBe('ocr');
    expect(doc.pages[0].width).toBeCloseTo(360, 0);
    expect(wordRecall(EXPECTED, textOf(doc))).toBeGreaterThanOrEqual(0.95);
    expect(wordRecall(EXPECTED, doc.ocr!.words.map((w) => w.text).join(' '))).toBeGreaterThanOrEqual(0.95);
  });

  it('decides per page from the text layer', () => {
    const page = { pageNumber: 1, width: 600, height: 800, rulings: [], source: 'text' as const };
    const run = (text: string) => ({ text, rect: { x0: 10, y0: 10, x1: 100, y1: 20 }, fontSize: 10 });
    const fullImage = [{ rect: { x0: 0, y0: 0, x1: 600, y1: 800 } }];
    expect(ocrReason({ ...page, runs: [run('Hello world, a real sentence.')], images: [] }, {})).toBeNull();
    expect(ocrReason({ ...page, runs: [], images: fullImage }, {})).toBe('no-text');
    expect(ocrReason({ ...page, runs: [], images: [] }, {})).toBeNull();
    expect(ocrReason({ ...page, runs: [run('\uFFFD\uFFFD\uE001\uE002 \uFFFD')], images: [] }, {})).toBe('garbage-text');
    // A page of display equations is a good text layer; ASCII soup from a lost encoding is not.
    expect(ocrReason({ ...page, runs: [run('∣ ∣ ∣ ∂V2 ∂η ∣ ∣ ∣ ≤ C δ0 ( ‖S‖L∞L∞ + ∥ ∥ ∥ ∂S ∂η ∥ ∥ ∥ ) . (5.72)')], images: [] }, {})).toBeNull();
    expect(ocrReason({ ...page, runs: [run('!#$%& ()*+ ,-./: ;<=>? @[]^_ {|}~ !#$%&')], images: [] }, {})).toBe('garbage-text');
    // Rules and leaders typed as characters are a form's layout.
    expect(ocrReason({ ...page, runs: [run('Healthy Students Healthy Lives'), run('_'.repeat(55)), run('170 Appendix 1 . . . . . . . . ........')], images: [] }, {})).toBeNull();
    expect(ocrReason({ ...page, runs: [run('Hello')], images: [] }, { settings: { extraction_mode: 'ocr' } })).toBe('forced');
  });
});

describe('image inputs and limits', () => {
  it('reads a multi-page TIFF as a multi-page document, honouring page_range', async () => {
    const small = await sharp(uprightPng).resize({ width: 600 }).toBuffer();
    const blank = await sharp({ create: { width: 600, height: 227, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const meta = await sharp(small).metadata();
    const blankSized = await sharp(blank).resize(meta.width, meta.height, { fit: 'fill' }).png().toBuffer();
    const tiff = await sharp([blankSized, small], { join: { animated: true } }).tiff().toBuffer();
    expect((await sharp(tiff).metadata()).pages).toBe(2);
    const progress: Array<[number, number]> = [];
    const doc = await readDocument(tiff, { settings: { page_range: { start: 2, end: 2 } } }, { onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([[1, 1]]);
    expect(doc.totalPages).toBe(2);
    expect(doc.pages.map((p) => [p.page, p.originalPage])).toEqual([[1, 2]]);
    expect(doc.blocks.every((b) => b.box.page === 1 && b.box.original_page === 2)).toBe(true);
  });

  it('rejects images over the size limits with IMAGE_TOO_LARGE before decoding', async () => {
    const wide = await sharp({ create: { width: 15_001, height: 20, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await expect(readDocument(wide)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 413 });
  });

  it('answers DOCUMENT_UNSUPPORTED for HEIC it cannot decode and DOCUMENT_CORRUPT for a broken PNG', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
    await expect(readDocument(heic)).rejects.toMatchObject({ code: 'DOCUMENT_UNSUPPORTED' });
    const broken = Buffer.concat([uprightPng.subarray(0, 40), Buffer.alloc(100)]);
    await expect(readDocument(broken)).rejects.toMatchObject({ code: 'DOCUMENT_CORRUPT' });
  });

  it('refuses an OCR language that is not installed, and stops when cancelled', async () => {
    await expect(readDocument(uprightPng, { settings: { ocr_languages: ['xyz'] } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const controller = new AbortController();
    controller.abort();
    await expect(readDocument(uprightPng, {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });
});
