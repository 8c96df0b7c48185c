import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.ts';
import { configureOcr } from '../src/ocr/pool.ts';
import { TEXT_LINES, renderPng, rotatePng, textPdf, wordRecall } from './ocr-fixtures.ts';

/** FOLIO_OCR_ENGINE=native: the system's tesseract program (.ci/run installs it; skipped without). */
const installed = spawnSync('tesseract', ['--version']).status === 0;
const EXPECTED = TEXT_LINES.join(' ');

describe.skipIf(!installed)('native tesseract engine', () => {
  let png: Buffer;
  beforeAll(async () => {
    png = await renderPng(await textPdf());
    configureOcr({ engine: 'native' });
  });
  afterAll(() => configureOcr({ engine: 'auto' }));

  it('reads a page, and turns a sideways one upright with the program\'s orientation detection', async () => {
    for (const turn of [0, 90, 270]) {
      const doc = await readDocument(turn ? await rotatePng(png, turn) : png, { settings: { return_ocr_data: true } });
      expect(wordRecall(EXPECTED, doc.blocks.map((b) => b.text).join(' '))).toBeGreaterThanOrEqual(0.95);
      expect(doc.pages[0].width).toBeGreaterThan(doc.pages[0].height);
      expect(doc.ocr!.lines[0].text).toContain('Quarterly');
    }
  });

  it('refuses a language the program has no model for, and a malformed code, with INVALID_CONFIG', async () => {
    await expect(readDocument(png, { settings: { ocr_languages: ['xyz'] } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('tesseract-ocr-xyz') });
    await expect(readDocument(png, { settings: { ocr_languages: ['eng -c x=1'] } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
