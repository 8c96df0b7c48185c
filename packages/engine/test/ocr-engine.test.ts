import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../src/index.ts';
import { splitPages, recognizeNative } from '../src/ocr/native.ts';
import { configureOcr, resolveOcrEngine, shutdownOcr } from '../src/ocr/pool.ts';
import { ppocrAvailable } from '../src/ocr/ppocr/index.ts';
import { TEXT_LINES, renderPng, textPdf, wordRecall } from './ocr-fixtures.ts';

/**
 * FOLIO_OCR_ENGINE=auto (the default): the system's tesseract program when it has the
 * requested languages, else tesseract.js; the engine that read each page is named in the
 * response (`extra.ocr` of every block of an OCRed page).
 */
const installed = spawnSync('tesseract', ['--version']).status === 0;
const savedPath = process.env.PATH;
const noProgram = mkdtempSync(path.join(os.tmpdir(), 'folio-no-tesseract-'));

let png: Buffer;
beforeAll(async () => {
  png = await renderPng(await textPdf());
  configureOcr({ engine: 'auto' });
});
afterEach(() => {
  process.env.PATH = savedPath;
  configureOcr({ engine: 'auto' });
});
afterAll(() => shutdownOcr());

type WireBlock = { content: string; extra: Record<string, unknown> | null };
const blocksOf = (out: Awaited<ReturnType<typeof parse>>): WireBlock[] => out.result.chunks.flatMap((c) => c.blocks as WireBlock[]);
const engineOf = (b: WireBlock) => (b.extra?.ocr as { engine: string; version: string; models: string[] } | undefined);

describe('OCR engine selection', () => {
  it('auto without the tesseract program reads with tesseract.js and says so in the response', async () => {
    process.env.PATH = noProgram;
    expect((await resolveOcrEngine(['eng'])).kind).toBe('wasm');
    const out = await parse(png, {});
    const blocks = blocksOf(out);
    expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.95);
    for (const b of blocks) {
      expect(engineOf(b)).toMatchObject({ engine: 'tesseract.js', version: expect.stringMatching(/^\d+\./) });
      expect(engineOf(b)!.models).toEqual([expect.stringMatching(/^@tesseract\.js-data\/eng@[\d.]+\/4\.0\.0/)]);
    }
  });

  it('native without the program fails the request with INVALID_CONFIG naming the package to install', async () => {
    process.env.PATH = noProgram;
    configureOcr({ engine: 'native' });
    await expect(parse(png, {})).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('apt-get install tesseract-ocr') });
  });

  it('auto with a language neither engine has is INVALID_CONFIG', async () => {
    await expect(parse(png, { settings: { ocr_languages: ['xyz'] } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it.skipIf(!installed)('auto with the program installed reads with it, and the response names its version and model', async () => {
    expect((await resolveOcrEngine(['eng'])).kind).toBe('native');
    const blocks = blocksOf(await parse(png, {}));
    expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.95);
    for (const b of blocks) {
      expect(engineOf(b)).toMatchObject({ engine: 'tesseract', version: expect.stringMatching(/^\d+\./) });
      expect(engineOf(b)!.models).toEqual([expect.stringMatching(/\/eng\.traineddata$/)]);
    }
  });

  it.skipIf(!installed)('vote mode reads every page twice and names both engines', async () => {
    configureOcr({ mode: 'vote' });
    try {
      const blocks = blocksOf(await parse(png, {}));
      expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.95);
      for (const b of blocks) {
        // The second reading is PP-OCR where its optional packages are installed (ocr-ppocr.test.ts),
        // else the program with the npm packages' models.
        const second = ppocrAvailable() ? { engine: 'ppocr' } : { engine: 'tesseract', models: [expect.stringMatching(/^@tesseract\.js-data\/eng@/)] };
        expect(b.extra?.ocr).toMatchObject({ engine: 'tesseract', mode: 'vote', second });
      }
    } finally {
      configureOcr({ mode: 'single' });
    }
  });

  it('wasm pinned reads with tesseract.js even where the program is installed', async () => {
    configureOcr({ engine: 'wasm' });
    const blocks = blocksOf(await parse(png, {}));
    expect(blocks.every((b) => engineOf(b)?.engine === 'tesseract.js')).toBe(true);
  });
});

describe.skipIf(!installed)('native engine batches', () => {
  const pages = [
    ['Invoice number four hundred', 'Payable within thirty days'],
    ['Delivery to the western depot', 'Signed by the warehouse clerk'],
    ['Minutes of the annual meeting', 'Attendance was recorded'],
  ];

  async function pgm(lines: string[]): Promise<Buffer> {
    const { data, info } = await sharp(await renderPng(await textPdf(lines), 300)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    return Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1'), data]);
  }

  it('several waiting pages go through one process, each answer the right page\'s', async () => {
    const images = await Promise.all(pages.map(pgm));
    // One slot: the first page starts alone, the other two wait and are read as one batch.
    const tsvs = await Promise.all(images.map((img) => recognizeNative(img, ['eng'], 1)));
    tsvs.forEach((tsv, i) => {
      const words = tsv.split('\n').map((r) => r.split('\t')).filter((f) => f[0] === '5').map((f) => f[11]).join(' ');
      expect(wordRecall(pages[i].join(' '), words)).toBeGreaterThanOrEqual(0.9);
    });
  });

  it('splits a batch\'s output by page', () => {
    const tsv = ['level\tpage_num\tblock_num', '1\t1\t0', '5\t1\t1\tx', '1\t2\t0', '5\t2\t1\ty'].join('\n');
    expect(splitPages(tsv, 2, true).map((p) => p.split('\n').length)).toEqual([2, 2]);
    const osd = 'Page number: 0\nRotate: 90\nPage number: 1\nRotate: 0\n';
    expect(splitPages(osd, 2, false)[1]).toContain('Rotate: 0');
  });

  it('reads a scanned PDF\'s pages in parallel and returns them in order', async () => {
    configureOcr({ engine: 'native' });
    const doc = await PDFDocument.create();
    for (const lines of pages) {
      const image = await doc.embedPng(await renderPng(await textPdf(lines), 200));
      const page = doc.addPage([image.width * 0.36, image.height * 0.36]);
      page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    }
    const out = await parse(await doc.save(), { settings: { return_ocr_data: true } });
    const blocks = blocksOf(out);
    for (let p = 1; p <= pages.length; p++) {
      const text = out.result.chunks.flatMap((c) => c.blocks).filter((b) => b.bbox.page === p).map((b) => b.content).join(' ');
      expect(wordRecall(pages[p - 1].join(' '), text)).toBeGreaterThanOrEqual(0.9);
    }
    expect(blocks.every((b) => engineOf(b)?.engine === 'tesseract')).toBe(true);
    const wordPages = out.result.ocr!.words.map((w) => w.bbox.page);
    expect(wordPages).toEqual([...wordPages].sort((a, b) => a - b));
  });
});
