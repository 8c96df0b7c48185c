import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../src/index.ts';
import { configureOcr, defaultOcrMode, resolveOcrEngine, shutdownOcr } from '../src/ocr/pool.ts';
import { ppocrAvailable, readPpocr } from '../src/ocr/ppocr/index.ts';
import { TEXT_LINES, renderPng, textPdf, wordRecall } from './ocr-fixtures.ts';

/**
 * PP-OCR through onnxruntime-node (optional packages): reads a generated page on its own,
 * and as the second reading of the vote, which names both engines in the response.
 */
const available = ppocrAvailable();
const tesseract = spawnSync('tesseract', ['--version']).status === 0;

let png: Buffer;
beforeAll(async () => {
  png = await renderPng(await textPdf());
});
afterEach(() => configureOcr({ engine: 'auto', mode: 'single' }));
afterAll(() => shutdownOcr());

type WireBlock = { content: string; extra: Record<string, unknown> | null };
const blocksOf = (out: Awaited<ReturnType<typeof parse>>): WireBlock[] => out.result.chunks.flatMap((c) => c.blocks as WireBlock[]);

describe.skipIf(!available)('PP-OCR engine', () => {
  it('reads the words of a generated page, each with a box on its line and a confidence', async () => {
    const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const lines = await readPpocr({ data, width: info.width, height: info.height });
    expect(lines).toHaveLength(TEXT_LINES.length);
    lines.forEach((line, i) => {
      expect(wordRecall(TEXT_LINES[i], line.words.map((w) => w.text).join(' '))).toBeGreaterThanOrEqual(0.85);
      for (const w of line.words) {
        expect(w.confidence).toBeGreaterThan(0.5);
        expect(w.confidence).toBeLessThanOrEqual(1);
        expect(w.rect.x0).toBeLessThan(w.rect.x1);
        expect(w.rect.y0).toBeGreaterThanOrEqual(line.rect.y0);
        expect(w.rect.y1).toBeLessThanOrEqual(line.rect.y1);
      }
      // Words in reading order, side by side.
      for (let k = 1; k < line.words.length; k++) expect(line.words[k].rect.x0).toBeGreaterThanOrEqual(line.words[k - 1].rect.x1 - 2);
    });
  });

  it('FOLIO_OCR_ENGINE=ppocr parses an image with it and names its models in the response', async () => {
    configureOcr({ engine: 'ppocr' });
    const out = await parse(png, { settings: { return_ocr_data: true } });
    const blocks = blocksOf(out);
    expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.9);
    for (const b of blocks) {
      expect(b.extra?.ocr).toMatchObject({ engine: 'ppocr', version: expect.stringMatching(/^onnxruntime-node \d+\./) });
      expect((b.extra?.ocr as { models: string[] }).models).toEqual(expect.arrayContaining([expect.stringMatching(/det_infer\.onnx$/), expect.stringMatching(/rec_infer\.onnx$/)]));
    }
    expect(out.result.ocr!.words.length).toBeGreaterThan(20);
  });

  it('reads small print with it when the engine is left to choose, and says so', async () => {
    configureOcr({ engine: 'auto' });
    // Letters about 6 px high: enlarged before reading, where tesseract loses points and digits.
    const small = await renderPng(await textPdf(), 60);
    const out = await parse(small, {});
    const blocks = blocksOf(out);
    expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.8);
    for (const b of blocks) expect(b.extra?.ocr).toMatchObject({ engine: 'ppocr' });
    // A pinned engine is kept.
    configureOcr({ engine: tesseract ? 'native' : 'wasm' });
    const pinned = blocksOf(await parse(small, {}));
    for (const b of pinned) expect(b.extra?.ocr).toMatchObject({ engine: tesseract ? 'tesseract' : 'tesseract.js' });
  });

  it('auto never picks it', async () => {
    configureOcr({ engine: 'auto' });
    expect((await resolveOcrEngine(['eng'])).kind).not.toBe('ppocr');
  });

  it('a language outside its dictionary is INVALID_CONFIG', async () => {
    configureOcr({ engine: 'ppocr' });
    await expect(parse(png, { settings: { ocr_languages: ['deu'] } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('vote mode (settings.ocr_mode) reads with tesseract and PP-OCR and names both engines', async () => {
    configureOcr({ engine: 'auto', mode: 'single' });
    const blocks = blocksOf(await parse(png, { settings: { ocr_mode: 'vote' } }));
    expect(wordRecall(TEXT_LINES.join(' '), blocks.map((b) => b.content).join(' '))).toBeGreaterThanOrEqual(0.95);
    for (const b of blocks) {
      expect(b.extra?.ocr).toMatchObject({ engine: tesseract ? 'tesseract' : 'tesseract.js', mode: 'vote', second: { engine: 'ppocr' } });
    }
  });
});

it('an unknown settings.ocr_mode is INVALID_CONFIG', async () => {
  await expect(parse(png, { settings: { ocr_mode: 'both' as never } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
});

it.skipIf(!available)('FOLIO_OCR_MODE=vote names both engines too', async () => {
  configureOcr({ engine: 'auto', mode: 'vote' });
  expect(await resolveOcrEngine(['eng'])).toMatchObject({ kind: tesseract ? 'native' : 'wasm', second: { kind: 'ppocr', name: 'ppocr' } });
});

it.skipIf(!available)('with no OCR mode set, pages are voted where PP-OCR reads their languages, else read once', async () => {
  configureOcr({ engine: 'auto', mode: undefined });
  expect(defaultOcrMode(['eng'])).toBe('vote');
  expect(defaultOcrMode(['eng', 'deu'])).toBe('single');
  const blocks = blocksOf(await parse(png));
  expect(blocks.length).toBeGreaterThan(0);
  for (const b of blocks) expect(b.extra?.ocr).toMatchObject({ mode: 'vote', second: { engine: 'ppocr' } });
  // A request still asks for one reading.
  for (const b of blocksOf(await parse(png, { settings: { ocr_mode: 'single' } }))) expect(b.extra?.ocr).not.toHaveProperty('second');
});

describe.skipIf(available)('PP-OCR engine without its packages', () => {
  it('with no OCR mode set, pages are read once', () => {
    configureOcr({ engine: 'auto', mode: undefined });
    expect(defaultOcrMode(['eng'])).toBe('single');
  });

  it('FOLIO_OCR_ENGINE=ppocr is INVALID_CONFIG naming the packages to install', async () => {
    configureOcr({ engine: 'ppocr' });
    await expect(parse(png, {})).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('onnxruntime-node') });
  });
});
