import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PDFDocument, PDFName, PDFOperator, StandardFonts, degrees, rgb } from 'pdf-lib';
import { READ_ONLY_FONTS, STANDARD_FONT_DATA_URL, loadPdfJs } from '../src/formats/pdf/pdfjs.ts';
import { eachPage } from './pdfjs-pages.ts';
import { extractPage, readsGraphicsWithText } from '../src/formats/pdf/page.ts';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageContent } from '../src/model.ts';

/**
 * Our pdf.js patch (patches/README.md) reads paths and image placements in the text pass;
 * the engine falls back to the operator list without it. Both must see the same page.
 */
async function graphicsPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const png = await pdf.embedPng(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } }).png().toBuffer());

  // A source page drawn into the others as a form XObject: a framed image and a caption.
  const source = pdf.addPage([300, 200]);
  source.drawRectangle({ x: 10, y: 10, width: 280, height: 180, borderWidth: 1, borderColor: rgb(0, 0, 0) });
  source.drawImage(png, { x: 50, y: 60, width: 160, height: 120 });
  source.drawText('Inside the form', { x: 20, y: 20, size: 10, font: regular });

  for (const rotate of [0, 90]) {
    const page = pdf.addPage([612, 792]);
    page.setRotation(degrees(rotate));
    page.drawText('Quarterly figures', { x: 72, y: 740, size: 16, font: bold });
    // A ruled grid: stroked lines, one drawn thicker inside its own graphics state.
    for (const y of [700, 680, 660, 640]) page.drawLine({ start: { x: 72, y }, end: { x: 372, y }, thickness: 0.8 });
    for (const x of [72, 222, 372]) page.drawLine({ start: { x, y: 700 }, end: { x, y: 640 }, thickness: x === 222 ? 2 : 0.8 });
    page.drawText('Revenue', { x: 80, y: 685, size: 10, font: regular });
    page.drawText('12.5', { x: 230, y: 685, size: 10, font: regular });
    // A thin filled bar (a ruling), a framed box (four), and a curve (none).
    page.drawRectangle({ x: 72, y: 600, width: 300, height: 1.5, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 400, y: 600, width: 120, height: 100, color: rgb(0.9, 0.9, 0.9), borderWidth: 1, borderColor: rgb(0, 0, 0) });
    page.drawEllipse({ x: 460, y: 500, xScale: 40, yScale: 20, borderWidth: 1, borderColor: rgb(0, 0, 0) });
    page.drawImage(png, { x: 72, y: 380, width: 200, height: 150 });
    page.drawImage(png, { x: 300, y: 380, width: 8, height: 6 }); // too small to be a figure
    const form = await pdf.embedPage(source);
    page.drawPage(form, { x: 72, y: 72, xScale: 1.5, yScale: 1.5 });
  }
  pdf.removePage(0);
  return pdf.save();
}

const y0Thickness = (x: number) => (x === 222 ? 2 : 0.8);

async function pages(bytes: Uint8Array, operatorList: boolean): Promise<PageContent[]> {
  const pdfjs = await loadPdfJs();
  return eachPage(bytes, READ_ONLY_FONTS, async (page) => {
    if (!operatorList) expect(readsGraphicsWithText(page)).toBe(true);
    return extractPage(pdfjs, page, page.pageNumber, { operatorList });
  });
}

/** Rounded to 0.01 pt: the two passes compute the same matrices in a different order. */
const rounded = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v)));

describe('PDF graphics read with the text', () => {
  it('is installed: npm ci applies patches/pdfjs-dist+5.6.205.patch', async () => {
    await pages(await graphicsPdf(), false);
  });

  it('finds the same rulings, images and fonts as the operator list, in forms and on rotated pages', async () => {
    const bytes = await graphicsPdf();
    const [withText, withOperators] = await Promise.all([pages(bytes, false), pages(bytes, true)]);
    expect(rounded(withText)).toEqual(rounded(withOperators));

    for (const page of withText) {
      const upright = page.width < page.height;
      const h = page.rulings.filter((r) => r.orientation === (upright ? 'h' : 'v'));
      const v = page.rulings.filter((r) => r.orientation === (upright ? 'v' : 'h'));
      // 4 grid rows + the thin bar + the box's and the form frame's top and bottom; 3 grid
      // columns + the box's and the frame's sides. The ellipse adds none.
      expect(h).toHaveLength(9);
      expect(v).toHaveLength(7);
      // The page's figure and the one inside the form (scaled 1.5×: 240 × 180); not the 8×6 chip.
      const sizes = page.images.map(({ rect }) => [rect.x1 - rect.x0, rect.y1 - rect.y0].map(Math.round).sort((a, b) => a - b));
      expect(sizes).toEqual(expect.arrayContaining([[150, 200], [180, 240]]));
      expect(sizes).toHaveLength(2);
      const title = page.runs.find((r) => r.text === 'Quarterly');
      expect(title).toMatchObject({ bold: true, fontSize: 16 });
      expect(page.runs.find((r) => r.text === 'Revenue')?.bold).toBe(false);
      expect(page.runs.some((r) => r.text === 'form')).toBe(true);
    }
  });

  it('hands the text content over without copying it and still gives every chunk as pdf.js sent it', async () => {
    // Enough items for many chunks (pdf.js streams text content 100 items or so at a time).
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let p = 0; p < 2; p++) {
      const page = pdf.addPage([612, 792]);
      for (let i = 0; i < 400; i++) page.drawText(`w${p}-${i}`, { x: 40 + (i % 8) * 70, y: 760 - Math.floor(i / 8) * 14, size: 9, font });
      page.drawLine({ start: { x: 40, y: 50 }, end: { x: 560, y: 50 }, thickness: 1 });
    }
    const bytes = await pdf.save();
    const pdfjs = await loadPdfJs();
    const read = async (shareChunks: boolean) => {
      const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONT_DATA_URL, verbosity: 0, ...READ_ONLY_FONTS }).promise;
      try {
        const out: string[] = [];
        for (let p = 1; p <= doc.numPages; p++) {
          const content = await (await doc.getPage(p)).getTextContent({ includeGraphics: true, shareChunks } as Parameters<PDFPageProxy['getTextContent']>[0]);
          out.push(JSON.stringify(content, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v)).replace(/g_d\d+_/g, 'g_d_'));
        }
        return out;
      } finally {
        await doc.destroy();
      }
    };
    const shared = await read(true);
    expect(shared).toEqual(await read(false));
    expect((JSON.parse(shared[1]) as { items: { str?: string }[] }).items.filter((i) => i.str?.startsWith('w1-'))).toHaveLength(400);
  });

  it('reads on past a broken XObject', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage([612, 792]);
    page.drawText('Before', { x: 72, y: 700, size: 12, font });
    // An XObject that is a number, not a stream: pdf.js skips it, and so must the image check.
    page.node.setXObject(PDFName.of('Broken'), pdf.context.register(pdf.context.obj(42)));
    page.pushOperators(PDFOperator.of('Do' as never, [PDFName.of('Broken')]));
    page.drawLine({ start: { x: 72, y: 650 }, end: { x: 300, y: 650 }, thickness: 1 });
    page.drawText('After', { x: 72, y: 600, size: 12, font });
    const [content] = await pages(await pdf.save(), false);
    expect(content.runs.map((r) => r.text)).toEqual(['Before', 'After']);
    expect(content.rulings).toHaveLength(1);
    expect(content.images).toHaveLength(0);
  });
});
