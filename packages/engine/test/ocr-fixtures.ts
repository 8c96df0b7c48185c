/**
 * Images the OCR tests make themselves: PDFs drawn with pdf-lib, rendered to PNG with
 * pdf.js + @napi-rs/canvas, then rotated/skewed with sharp or wrapped back into an
 * image-only PDF.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { rasterizePdfPage, STANDARD_FONT_DATA_URL } from '../src/ocr/rasterize.ts';

export const TEXT_LINES = [
  'Quarterly report for the northern region',
  'Revenue grew by twelve percent this year',
  'Shipping delays affected seven customers',
  'The board approved the new budget plan',
];

/** A one-page digital PDF with the known lines of text. */
export async function textPdf(lines = TEXT_LINES): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([360, 40 + lines.length * 24]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => {
    page.drawText(line, { x: 24, y: page.getHeight() - 32 - i * 24, size: 13, font });
  });
  return doc.save();
}

export const TABLE = [
  ['Item', 'Qty', 'Price'],
  ['Apples', '12', '3.50'],
  ['Pears', '7', '2.25'],
  ['Plums', '30', '9.10'],
];

/** A one-page PDF with a fully ruled 4×3 table. */
export async function tablePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([340, 200]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const x0 = 30, top = 170, colW = 95, rowH = 30;
  const black = rgb(0, 0, 0);
  TABLE.forEach((row, r) => {
    row.forEach((cell, c) => {
      page.drawText(cell, { x: x0 + c * colW + 10, y: top - (r + 1) * rowH + 10, size: 12, font });
    });
  });
  for (let r = 0; r <= TABLE.length; r++) {
    const y = top - r * rowH;
    page.drawLine({ start: { x: x0, y }, end: { x: x0 + 3 * colW, y }, thickness: 1, color: black });
  }
  for (let c = 0; c <= 3; c++) {
    const x = x0 + c * colW;
    page.drawLine({ start: { x, y: top }, end: { x, y: top - TABLE.length * rowH }, thickness: 1, color: black });
  }
  return doc.save();
}

/** Render page 1 of a PDF to PNG. */
export async function renderPng(pdf: Uint8Array, dpi = 200): Promise<Buffer> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONT_DATA_URL }).promise;
  try {
    const r = await rasterizePdfPage(await doc.getPage(1), dpi);
    return await sharp(r.rgba, { raw: { width: r.width, height: r.height, channels: 4 } }).png().toBuffer();
  } finally {
    await doc.destroy();
  }
}

export async function rotatePng(png: Buffer, degrees: number): Promise<Buffer> {
  return sharp(png).rotate(degrees, { background: '#ffffff' }).png().toBuffer();
}

/** An image-only PDF: the PNG painted over the whole page, no text layer. */
export async function imageOnlyPdf(png: Buffer, dpi = 200): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(png);
  const w = (image.width * 72) / dpi;
  const h = (image.height * 72) / dpi;
  doc.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
  return doc.save();
}

/** Fraction of the expected words found (multiset, case-insensitive, punctuation ignored). */
export function wordRecall(expected: string, actual: string): number {
  const norm = (s: string) => s.toLowerCase().split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  const have = new Map<string, number>();
  for (const w of norm(actual)) have.set(w, (have.get(w) ?? 0) + 1);
  const want = norm(expected);
  let hit = 0;
  for (const w of want) {
    const n = have.get(w) ?? 0;
    if (n > 0) { hit++; have.set(w, n - 1); }
  }
  return want.length ? hit / want.length : 1;
}
