import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LEAN_READING, READ_ONLY_FONTS } from '../src/formats/pdf/pdfjs.ts';
import { EngineError, readDocument } from '../src/index.ts';
import { rawPdf } from './pdf-fixtures.ts';
import { eachPage, operatorList, textContent } from './pdfjs-pages.ts';

/**
 * Our pdf.js patch (patches/README.md) can inflate Flate streams with Node's synchronous zlib
 * (`syncFlate`, part of LEAN_READING) instead of a DecompressionStream. Pages must read the same,
 * streams zlib refuses (cut short, bad checksum) must fall back to pdf.js's own decoder as
 * before, and the decoded-size cap must hold.
 */

const flate = (data: Buffer) => deflateSync(data).toString('latin1');
const content = (text: string, y: number) => Buffer.from(`BT /F1 12 Tf 72 ${y} Td (${text}) Tj ET\n0.5 w 72 ${y - 6} m 300 ${y - 6} l S\n`);

/**
 * Pages whose content streams are well-formed, cut short (zlib fails: pdf.js's decoder reads what
 * is there), with a wrong checksum (zlib fails, pdf.js's decoder does not check it) and followed by
 * junk after the end of the deflate data.
 */
function oddStreamsPdf(): Uint8Array {
  const whole = flate(content('Whole stream', 700));
  const cut = flate(Buffer.concat([content('Cut short here', 700), Buffer.from('BT /F1 12 Tf 72 600 Td (lost tail) Tj ET\n'.repeat(200))]));
  const badSum = Buffer.from(flate(content('Bad checksum', 700)), 'latin1');
  badSum[badSum.length - 1] ^= 0xff;
  const junk = `${flate(content('Trailing junk', 700))}garbage after the end`;
  const streams = [whole, cut.slice(0, Math.floor(cut.length * 0.6)), badSum.toString('latin1'), junk];
  const pages = streams.map((_, i) => `${3 + 2 * i} 0 R`).join(' ');
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages}] /Count ${streams.length} >>`,
    ...streams.flatMap((data, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + 2 * i} 0 R /Resources << /Font << /F1 ${3 + 2 * streams.length} 0 R >> >> >>`,
      `<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n${data}\nendstream`,
    ]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A pdf-lib document: object streams, a PNG (Flate with a predictor) and text. */
async function libPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const png = await pdf.embedPng(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } }).png().toBuffer());
  const page = pdf.addPage([612, 792]);
  page.drawText('Figure 1: a blue box', { x: 72, y: 700, size: 12, font });
  page.drawImage(png, { x: 72, y: 500, width: 160, height: 120 });
  return pdf.save({ useObjectStreams: true });
}

/** Every page's text content (with graphics) and operator list (which decodes images), or how it failed. */
async function pagesRead(bytes: Uint8Array, options: Record<string, unknown>): Promise<string[]> {
  // pdf.js fails some pages of damaged streams: the failure must be the same too.
  const failed = (e: unknown) => `failed: ${(e as Error).message}`;
  const read = async (page: PDFPageProxy) => [await textContent(page).catch(failed), await operatorList(page).catch(failed)];
  return (await eachPage(bytes, options, read)).flat();
}

describe('Flate streams inflated with Node zlib', () => {
  it('pages read the same with and without the option, odd streams included', async () => {
    for (const bytes of [oddStreamsPdf(), await libPdf()]) {
      const stock = await pagesRead(bytes, READ_ONLY_FONTS);
      expect(await pagesRead(bytes, { ...READ_ONLY_FONTS, ...LEAN_READING })).toEqual(stock);
      expect(await pagesRead(bytes, LEAN_READING)).toEqual(await pagesRead(bytes, {}));
    }
    const text = (await pagesRead(oddStreamsPdf(), LEAN_READING)).filter((_, i) => i % 2 === 0).join('\n');
    for (const expected of ['Whole stream', 'Bad checksum', 'Trailing junk']) expect(text).toContain(expected);
    expect(text).toContain('failed: Bad encoding in flate stream');
  });

  it('the decoded-size cap stops a Flate bomb', async () => {
    const page = Buffer.concat([content('bomb', 700), Buffer.alloc(8 << 20, 0x20)]);
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      `<< /Length ${flate(page).length} /Filter /FlateDecode >>\nstream\n${flate(page)}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    const g = globalThis as { pdfjsMaxDecodedStreamBytes?: number; pdfjsDecodedStreamLimitHits?: number };
    const saved = process.env.FOLIO_MAX_PDF_STREAM_MB;
    process.env.FOLIO_MAX_PDF_STREAM_MB = '2';
    try {
      const hits = g.pdfjsDecodedStreamLimitHits ?? 0;
      const err = await readDocument(bytes, {}, { filename: 'bomb.pdf' }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
      expect(g.pdfjsDecodedStreamLimitHits).toBeGreaterThan(hits);
      // Within a budget that holds it the same file is read.
      process.env.FOLIO_MAX_PDF_STREAM_MB = '16';
      const doc = await readDocument(bytes, {}, { filename: 'bomb.pdf' });
      expect(JSON.stringify(doc.blocks)).toContain('bomb');
    } finally {
      if (saved === undefined) delete process.env.FOLIO_MAX_PDF_STREAM_MB;
      else process.env.FOLIO_MAX_PDF_STREAM_MB = saved;
      delete g.pdfjsMaxDecodedStreamBytes;
    }
  });
});
