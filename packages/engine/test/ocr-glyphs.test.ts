import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { parse } from '../src/index.ts';
import { measureGlyphs } from '../src/ocr/glyphs.ts';
import { configureOcr, shutdownOcr } from '../src/ocr/pool.ts';
import { TEXT_LINES, renderPng, textPdf, wordRecall } from './ocr-fixtures.ts';

/** Pinned to tesseract.js and the npm models, which every install has. */
configureOcr({ engine: 'wasm' });
afterAll(() => shutdownOcr());

async function grey(png: Buffer) {
  const { data, info } = await sharp(png).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('glyph size before OCR', () => {
  it('measures letter height in pixels, proportional to the resolution', async () => {
    const pdf = await textPdf();
    const at100 = measureGlyphs(await grey(await renderPng(pdf, 100)));
    const at200 = measureGlyphs(await grey(await renderPng(pdf, 200)));
    // 13 pt Helvetica: x-height 6.8 pt, capitals and ascenders 9.4 pt (200 dpi: 19–26 px).
    expect(at200.height).toBeGreaterThanOrEqual(17);
    expect(at200.height).toBeLessThanOrEqual(28);
    expect(at200.height / at100.height).toBeGreaterThan(1.7);
    expect(at200.height / at100.height).toBeLessThan(2.3);
    expect(at200.count).toBeGreaterThan(50);
  });

  it('measures the skew of the text lines from neighbouring letters', async () => {
    const png = await renderPng(await textPdf());
    const level = measureGlyphs(await grey(png));
    expect(Math.abs(level.skew)).toBeLessThan(0.003);
    for (const degrees of [2, -3]) {
      const turned = await sharp(png).rotate(degrees, { background: '#ffffff' }).png().toBuffer();
      const { skew } = measureGlyphs(await grey(turned));
      expect(Math.abs((skew * 180) / Math.PI - degrees)).toBeLessThan(0.6);
    }
  });

  it('tells a page turned on its side from an upright or upside-down one by how its letters stack', async () => {
    const png = await renderPng(await textPdf());
    for (const degrees of [0, 90, 180, 270]) {
      const { vertical } = measureGlyphs(await grey(degrees ? await sharp(png).rotate(degrees).png().toBuffer() : png));
      if (degrees % 180 === 0) expect(vertical).toBeLessThan(0.2);
      else expect(vertical).toBeGreaterThan(0.8);
    }
  });

  it('boxes the ink, leaving out specks of scanner noise', async () => {
    const png = await renderPng(await textPdf());
    const { width, height } = await sharp(png).metadata();
    const specks = [[30, 40], [2200, 90], [60, 1500], [2100, 1400]].map(([left, top]) => ({
      input: { create: { width: 2, height: 2, channels: 3 as const, background: '#000000' } }, left, top,
    }));
    const sheet = await sharp(png).extend({ left: 700, top: 500, right: 700, bottom: 900, background: '#ffffff' }).composite(specks).png().toBuffer();
    const text = measureGlyphs(await grey(png)).inkBox!;
    const { inkBox } = measureGlyphs(await grey(sheet));
    expect(inkBox).toEqual({ x0: text.x0 + 700, y0: text.y0 + 500, x1: text.x1 + 700, y1: text.y1 + 500 });
    expect(inkBox!.x1).toBeLessThanOrEqual(700 + width!);
    expect(inkBox!.y1).toBeLessThanOrEqual(500 + height!);
  });

  it('finds no glyphs on a blank page', () => {
    expect(measureGlyphs({ data: Buffer.alloc(200 * 100, 255), width: 200, height: 100 }).height).toBe(0);
  });

  it('reads small print (a 90 dpi rendering) by enlarging it first', async () => {
    const png = await renderPng(await textPdf(), 90);
    const out = await parse(png, {});
    const text = out.result.type === 'full' ? out.result.chunks.map((c) => c.content).join(' ') : '';
    expect(wordRecall(TEXT_LINES.join(' '), text)).toBeGreaterThanOrEqual(0.9);
  });
});
