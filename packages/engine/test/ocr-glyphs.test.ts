import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { parse } from '../src/index.ts';
import { measureGlyphs } from '../src/ocr/glyphs.ts';
import { shutdownOcr } from '../src/ocr/pool.ts';
import { TEXT_LINES, renderPng, textPdf, wordRecall } from './ocr-fixtures.ts';

afterAll(() => shutdownOcr());

async function grey(png: Buffer) {
  const { data, info } = await sharp(png).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('glyph size before OCR', { timeout: 120_000 }, () => {
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
