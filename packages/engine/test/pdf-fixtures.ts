import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/** Small PDFs generated for the PDF engine's tests. Coordinates are given from the top-left. */
export interface Fonts { regular: PDFFont; bold: PDFFont }

export async function newPdf(): Promise<{ pdf: PDFDocument; fonts: Fonts }> {
  const pdf = await PDFDocument.create();
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  return { pdf, fonts };
}

export function text(page: PDFPage, str: string, x: number, top: number, size: number, font: PDFFont): void {
  page.drawText(str, { x, y: page.getHeight() - top - size, size, font, color: rgb(0, 0, 0) });
}

export function hline(page: PDFPage, x0: number, x1: number, top: number): void {
  page.drawLine({ start: { x: x0, y: page.getHeight() - top }, end: { x: x1, y: page.getHeight() - top }, thickness: 0.8 });
}
export function vline(page: PDFPage, x: number, top0: number, top1: number): void {
  page.drawLine({ start: { x, y: page.getHeight() - top0 }, end: { x, y: page.getHeight() - top1 }, thickness: 0.8 });
}

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon'.split(' ');
/** Deterministic filler prose: `n` words starting at word `seed`. */
export function prose(seed: number, n: number): string {
  return Array.from({ length: n }, (_, i) => WORDS[(seed + i * 7) % WORDS.length]).join(' ');
}

/** Lines of a paragraph wrapped to `width` points. */
export function wrap(str: string, width: number, size: number, font: PDFFont): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of str.split(' ')) {
    const next = cur ? `${cur} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) > width && cur) { lines.push(cur); cur = w; } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * A three-page report: running header and page number on every page, a title and a two-column
 * body on page 1, headings at two levels, a bulleted list with a nested item, a numbered list,
 * and a hyphenated word broken across lines.
 */
export async function reportPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  for (let n = 1; n <= 3; n++) {
    const page = pdf.addPage([612, 792]);
    text(page, 'ACME Corp Quarterly Report', 72, 30, 9, fonts.regular);
    text(page, `Page ${n}`, 290, 750, 9, fonts.regular);
    if (n === 1) {
      text(page, 'Widget Market Review', 72, 80, 24, fonts.bold);
      // Two columns of three paragraphs each.
      for (const [col, x] of [[0, 72], [1, 320]] as const) {
        let top = 140;
        for (let p = 0; p < 3; p++) {
          const marker = `${col === 0 ? 'Left' : 'Right'}${p + 1}`;
          for (const line of wrap(`${marker} ${prose(col * 10 + p, 60)}`, 220, 10, fonts.regular)) {
            text(page, line, x, top, 10, fonts.regular);
            top += 13;
          }
          top += 12;
        }
      }
    } else if (n === 2) {
      text(page, '1 Introduction', 72, 80, 16, fonts.bold);
      let top = 110;
      for (const line of ['The quarterly numbers were strong, and the sales organi-', 'zation grew in every region we track closely.']) {
        text(page, line, 72, top, 10, fonts.regular); top += 13;
      }
      text(page, '1.1 Scope', 72, top + 14, 13, fonts.bold);
      top += 44;
      const items: Array<[string, number]> = [['• First bullet point', 72], ['• Second bullet point', 72], ['– Nested detail item', 92], ['• Third bullet point', 72]];
      for (const [s, x] of items) { text(page, s, x, top, 10, fonts.regular); top += 16; }
      top += 14;
      for (const s of ['1. Step one of the process', '2. Step two of the process']) { text(page, s, 72, top, 10, fonts.regular); top += 16; }
    } else {
      text(page, '2 Results', 72, 80, 16, fonts.bold);
      let top = 110;
      for (const line of wrap(prose(3, 80), 460, 10, fonts.regular)) { text(page, line, 72, top, 10, fonts.regular); top += 13; }
    }
  }
  return pdf.save();
}

/** A ruled table whose header's first cell spans two columns, and whose last column spans two rows. */
export async function ruledTablePdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([612, 792]);
  text(page, 'Table 1: Regional sales', 72, 80, 10, fonts.regular);
  const xs = [72, 192, 312, 432];
  const tops = [100, 122, 144, 166];
  hline(page, xs[0], xs[3], tops[0]);
  hline(page, xs[0], xs[3], tops[1]);
  hline(page, xs[0], xs[2], tops[2]); // not under the last column: its two body rows are one cell
  hline(page, xs[0], xs[3], tops[3]);
  vline(page, xs[0], tops[0], tops[3]);
  vline(page, xs[1], tops[1], tops[3]); // not in the header row: "Region and city" spans two columns
  vline(page, xs[2], tops[0], tops[3]);
  vline(page, xs[3], tops[0], tops[3]);
  const cells: Array<[string, number, number]> = [
    ['Region and city', 0, 0], ['Sales', 2, 0],
    ['North', 0, 1], ['Oslo', 1, 1], ['1,200', 2, 1],
    ['South', 0, 2], ['Rome', 1, 2],
  ];
  for (const [s, c, r] of cells) text(page, s, xs[c] + 6, tops[r] + 6, 10, r === 0 ? fonts.bold : fonts.regular);
  text(page, 'A closing paragraph below the table.', 72, 200, 10, fonts.regular);
  return pdf.save();
}

/** A table without any lines, aligned in columns, at the foot of page 1 and continued at the top of page 2. */
export async function unruledTablePdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const parts = [
    [['Product', 'Units', 'Price'], ['Apples', '120', '0.50'], ['Pears', '80', '0.75'], ['Plums', '45', '1.20']],
    [['Product', 'Units', 'Price'], ['Cherries', '300', '2.10'], ['Grapes', '95', '1.80'], ['Figs', '12', '3.00']],
  ];
  parts.forEach((rows, n) => {
    const page = pdf.addPage([612, 792]);
    const top = n === 0 ? 620 : 80;
    if (n === 0) text(page, 'Paragraph before the table, explaining what follows in some detail.', 72, 590, 10, fonts.regular);
    rows.forEach((row, r) => row.forEach((s, c) => text(page, s, [72, 220, 340][c], top + r * 16, 10, r === 0 ? fonts.bold : fonts.regular)));
    if (n === 1) text(page, 'Paragraph after the table, with a closing remark about the figures above.', 72, 170, 10, fonts.regular);
  });
  return pdf.save();
}

/**
 * A landscape page stored as portrait with /Rotate 90, its content drawn turned so that it
 * reads upright once displayed (as scanners and printers produce them).
 */
export async function rotatedPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([612, 792]);
  page.setRotation(degrees(90));
  // Displayed point (X, Y from the top-left) is user-space (x = Y, y = X) under /Rotate 90.
  const upright = (str: string, X: number, top: number, size: number, font: PDFFont) =>
    page.drawText(str, { x: top + size, y: X, size, font, rotate: degrees(90) });
  upright('Rotated Heading', 72, 80, 18, fonts.bold);
  upright('This paragraph sits on a page displayed in landscape.', 72, 120, 10, fonts.regular);
  return pdf.save();
}

/** A figure (an embedded PNG) with a caption below it. */
export async function figurePdf(png: Uint8Array): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([612, 792]);
  text(page, 'Some introductory text above the chart.', 72, 60, 10, fonts.regular);
  const img = await pdf.embedPng(png);
  page.drawImage(img, { x: 72, y: 792 - 300, width: 200, height: 200 });
  text(page, 'Figure 1: Growth of widgets over time', 72, 306, 10, fonts.regular);
  return pdf.save();
}

/** `pages` pages, each with a heading and a few paragraphs (for page_range and progress). */
export async function pagesPdf(pages: number): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage([612, 792]);
    text(page, `Chapter ${n}`, 72, 72, 16, fonts.bold);
    let top = 110;
    for (const line of wrap(`Body of page ${n}. ${prose(n, 50)}`, 460, 10, fonts.regular)) { text(page, line, 72, top, 10, fonts.regular); top += 13; }
  }
  return pdf.save();
}

export { rawPdf } from '../src/formats/pdf/raw-pdf.ts';
