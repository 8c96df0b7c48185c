import { describe, expect, it } from 'vitest';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LEAN_READING, READ_ONLY_FONTS } from '../src/formats/pdf/pdfjs.ts';
import { comparable, eachPage } from './pdfjs-pages.ts';
import { figurePdf, rawPdf, reportPdf, rotatedPdf, ruledTablePdf } from './pdf-fixtures.ts';

/**
 * Our pdf.js patch (patches/README.md) can hand the paths of the text content over packed
 * (`packPaths`): one Float32Array per chunk with each path's `start` and `end`, and one `ctm`
 * array for the paths drawn under the same matrix. Unpacked, the text content must be the same
 * as without the option, item for item and number for number.
 */

type Item = { type?: string; paint?: number; path?: Float32Array; data?: Float32Array; start?: number; end?: number; lineWidth?: number; ctm?: number[] };
type Content = { items: Item[]; styles: Record<string, unknown>; lang: string | null };

const read = (page: PDFPageProxy, packPaths: boolean) =>
  page.getTextContent({ includeGraphics: true, shareChunks: true, packPaths } as Parameters<PDFPageProxy['getTextContent']>[0]) as Promise<Content>;

/** The packed paths as pdf.js gives them unpacked: a Float32Array of their own. */
function unpacked(content: Content): Content {
  const items = content.items.map((item) => {
    if (item.type !== 'graphics:path') return item;
    expect(item.path).toBeUndefined();
    expect(item.data).toBeInstanceOf(Float32Array);
    const { type, paint, data, start, end, lineWidth, ctm } = item;
    expect(Object.keys(item).sort()).toEqual(['ctm', 'data', 'end', 'lineWidth', 'paint', 'start', 'type']);
    expect(0 <= start! && start! < end! && end! <= data!.length).toBe(true);
    return { type, paint, path: data!.slice(start, end), lineWidth, ctm };
  });
  return { ...content, items };
}

const contents = (bytes: Uint8Array, packPaths: boolean) =>
  eachPage(bytes, { ...READ_ONLY_FONTS, ...LEAN_READING }, async (page) => comparable(packPaths ? unpacked(await read(page, true)) : await read(page, false)));

const stream = (ops: string) => `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;

/** A one-page PDF of `ops`, with Helvetica as /F1 and a form /Fm1 drawing `formOps`. */
function pagePdf(ops: string, formOps = '0 0 m 10 10 l S'): Uint8Array {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>',
    stream(ops),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Type /XObject /Subtype /Form /BBox [0 0 300 300] /Matrix [0.5 0 0 0.5 20 30] /Resources << /Font << /F1 5 0 R >> >> /Length ${formOps.length} >>\nstream\n${formOps}\nendstream`,
  ]);
}

/** Every kind of path operator and painting, under changing matrices, in a form, between text. */
function pathsPdf(): Uint8Array {
  const ops = [
    '0.5 w 72 700 m 300 700 l S',
    '1 0 0 1 10 10 cm 72 690 m 100 650 120 660 140 700 c 150 640 160 650 v 170 630 180 620 y h S',
    '2 w 72 600 200 1.5 re f 300 600 50 40 re B 300 560 50 40 re b* 300 500 20 20 re B* 300 470 20 20 re b',
    '72 560 m 100 560 l s 72 550 m 100 550 l f* 72 540 m 100 540 l n 72 530 m 100 530 l S',
    'q 0 1 -1 0 500 100 cm 0 0 m 50 0 l S 3 w 0 10 40 2 re f Q 72 520 m 90 520 l S',
    'BT /F1 10 Tf 72 480 Td (Text between paths) Tj ET 72 470 m 300 470 l S',
    'q 2 0 0 2 0 0 cm /Fm1 Do Q 72 460 m 300 460 l S',
    'h S 1 1 m S',
  ].join('\n');
  return pagePdf(ops, '0 0 m 100 0 l S 0 10 100 1 re f BT /F1 8 Tf 0 20 Td (In the form) Tj ET 0 30 m 50 60 l 100 30 l h S');
}

/** Thousands of paths and words: the paths of many chunks, and paths that span a chunk's end. */
function manyPathsPdf(): Uint8Array {
  const ops: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const x = 20 + (i % 50) * 11, y = 760 - Math.floor(i / 50) * 6;
    ops.push(i % 3 === 0 ? `${x} ${y} m ${x + 8} ${y} l ${x + 8} ${y + 0.3} l S` : i % 3 === 1 ? `${x} ${y} 8 0.5 re f` : `${x} ${y} m ${x + 2} ${y + 3} ${x + 5} ${y + 3} ${x + 8} ${y} c S`);
    if (i % 7 === 0) ops.push(`BT /F1 4 Tf ${x} ${y + 1} Td (w${i}) Tj ET`);
  }
  return pagePdf(ops.join('\n'));
}

describe('paths of the text content handed over packed', () => {
  it('are the same, number for number, as without the option', async () => {
    const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    const docs = [pathsPdf(), manyPathsPdf(), await reportPdf(), await ruledTablePdf(), await rotatedPdf(), await figurePdf(png)];
    for (const bytes of docs) expect(await contents(bytes, true)).toEqual(await contents(bytes, false));
    const [many] = await eachPage(manyPathsPdf(), { ...READ_ONLY_FONTS, ...LEAN_READING }, (page) => read(page, true));
    const paths = many.items.filter((i) => i.type === 'graphics:path');
    expect(paths).toHaveLength(6000);
    // Several chunks, each with its own data array.
    expect(new Set(paths.map((p) => p.data)).size).toBeGreaterThan(1);
    expect(many.items.filter((i) => (i as { str?: string }).str?.startsWith('w'))).toHaveLength(Math.ceil(6000 / 7));
  });

  it('are the same on damaged content: a path cut off, bad operands, a stream that ends mid-path', async () => {
    const damaged = [
      pagePdf('72 700 m 300 700 l S 72 690 m 100 (x) l S /Name 5 m 10 10 l f 1 2 3 re f 72 680 m 300 680 l'),
      pagePdf('72 700 m 300 700 l S q 72 690 m BT /F1 10 Tf (odd) Tj ET 100 690 l S Q 72 600 m 100 600 l 200 600'),
      pagePdf('72 700 m 300 700 l S 72 690 m 300 690 l S /Fm1 Do 72 680 m 300', '0 0 m 100 0 l S 5 5 m'),
      pagePdf('72 700 m 300 700 l S \x00\xff garbage ] >> 72 690 m 300 690 l S'),
    ];
    for (const bytes of damaged) expect(await contents(bytes, true)).toEqual(await contents(bytes, false));
  });
});
