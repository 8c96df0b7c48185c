import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parse, readDocument } from '../src/parse.ts';
import type { DocBlock } from '../src/model.ts';
import { newPdf, prose, text, wrap, type Fonts } from './pdf-fixtures.ts';
import type { PDFPage } from 'pdf-lib';

const read = (bytes: Uint8Array) => readDocument(bytes, {}, { filename: 'paper.pdf' });

const LEFT = 72, RIGHT = 316, COLUMN = 224;

/** A paragraph in one column, opening with a marker word; returns the top below it. */
function paragraph(page: PDFPage, fonts: Fonts, marker: string, seed: number, x: number, top: number, words = 40): number {
  for (const line of wrap(`${marker} ${prose(seed, words)}`, COLUMN, 10, fonts.regular)) {
    text(page, line, x, top, 10, fonts.regular);
    top += 12;
  }
  return top + 6;
}

/**
 * A page of a two-column paper: title and abstract across the page, then two columns cut in
 * two bands by a figure as wide as the page. The left column has a display equation whose
 * number reaches almost to the right column, and a footnote at the foot of the upper band.
 */
async function paperPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([612, 792]);
  text(page, 'Reading Order on Two Column Pages', 150, 50, 18, fonts.bold);
  let top = 90;
  for (const line of wrap(`Abstractmark ${prose(3, 60)}`, 468, 10, fonts.regular)) { text(page, line, LEFT, top, 10, fonts.regular); top += 12; }
  const bandTop = top + 14;

  // Upper band, left column: heading, prose, equation with its number, prose, footnote.
  text(page, '1 Introduction', LEFT, bandTop, 12, fonts.bold);
  let left = paragraph(page, fonts, 'Leftone', 1, LEFT, bandTop + 20);
  text(page, 'E = m c', LEFT + 80, left + 4, 10, fonts.regular);
  text(page, '2', LEFT + 80 + fonts.regular.widthOfTextAtSize('E = m c', 10) + 1, left, 7, fonts.regular);
  // The equation number ends 8.5 pt before the right column: no wider than a space between
  // words of this size, so only the gutter found from the words keeps it apart from that line.
  text(page, '(1)', RIGHT - 8.5 - fonts.regular.widthOfTextAtSize('(1)', 10), left + 4, 10, fonts.regular);
  left = paragraph(page, fonts, 'Lefttwo', 2, LEFT, left + 26);
  text(page, '1 Footnotemark the data come from a public archive.', LEFT, 372, 7, fonts.regular);

  // Upper band, right column: one long paragraph level with all of the above.
  let right = bandTop;
  for (const [i, marker] of ['Rightone', 'Rightmore'].entries()) right = paragraph(page, fonts, marker, 5 + i, RIGHT, right, 45);

  // A figure as wide as the page, its caption under it.
  const png = await sharp({ create: { width: 60, height: 20, channels: 3, background: { r: 40, g: 90, b: 200 } } }).png().toBuffer();
  page.drawImage(await pdf.embedPng(new Uint8Array(png)), { x: LEFT, y: 792 - 520, width: 468, height: 120 });
  text(page, 'Figure 1: Captionmark of the wide figure.', 200, 528, 10, fonts.regular);

  // Lower band: one paragraph per column.
  paragraph(page, fonts, 'Leftthree', 7, LEFT, 560);
  paragraph(page, fonts, 'Rightthree', 9, RIGHT, 560);
  return pdf.save();
}

const order = (blocks: DocBlock[], words: string[]) => {
  const all = blocks.map((b) => b.text).join('\n');
  return words.map((w) => all.indexOf(w));
};

const inOrder = (at: number[]) => expect([...at].sort((a, b) => a - b)).toEqual(at);

/**
 * A displayed formula read as one Text block (no table) holding every piece, its rows in
 * `rows` order, between the paragraphs marked `before` and `after`.
 */
function expectWholeFormula(blocks: DocBlock[], key: string, pieces: string[], rows: string[], before: string, after: string): void {
  expect(blocks.some((b) => b.type === 'Table')).toBe(false);
  const formula = blocks.filter((b) => b.text.includes(key));
  expect(formula).toHaveLength(1);
  for (const piece of pieces) expect(formula[0].text).toContain(piece);
  expect(formula[0].type).toBe('Text');
  inOrder(order(formula, rows));
  inOrder(order(blocks, [before, key, after]));
}

describe('reading order on two-column pages', () => {
  it('reads bands top to bottom and each band column by column, equations in place with their numbers', async () => {
    const doc = await read(await paperPdf());
    const markers = ['Reading Order', 'Abstractmark', 'Introduction', 'Leftone', 'E = m', '(1)', 'Lefttwo', 'Footnotemark',
      'Rightone', 'Rightmore', 'Captionmark', 'Leftthree', 'Rightthree'];
    const at = order(doc.blocks, markers);
    expect(at.every((i) => i >= 0), `all markers found: ${markers.filter((_, k) => at[k] < 0)}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The equation number stays with its equation, never glued to the right column's line.
    const numbered = doc.blocks.find((b) => b.text.includes('(1)'))!;
    expect(numbered.text).not.toMatch(/Right/);
    expect(doc.blocks.filter((b) => b.type === 'Title').map((b) => b.text)).toEqual(['Reading Order on Two Column Pages']);
    expect(doc.blocks.find((b) => b.text.includes('Introduction'))?.type).toBe('Section Header');
  });

  it('loses no word of the text layer', async () => {
    const bytes = await paperPdf();
    const doc = await read(bytes);
    const out = new Set(doc.blocks.flatMap((b) => b.text.match(/\p{L}+|\d+/gu) ?? []));
    const drawn = ['Reading', 'Order', 'Abstractmark', 'Introduction', 'Leftone', 'Lefttwo', 'Footnotemark', 'archive',
      'Rightone', 'Rightmore', 'Captionmark', 'wide', 'Leftthree', 'Rightthree', ...prose(1, 40).split(' '), ...prose(9, 40).split(' ')];
    expect(drawn.filter((w) => !out.has(w))).toEqual([]);
  });

  it('keeps a display formula set in pieces whole, in place, with its number', async () => {
    const { pdf, fonts } = await newPdf();
    const symbol = await pdf.embedFont(StandardFonts.Symbol);
    const page = pdf.addPage([612, 792]);
    let top = paragraph(page, fonts, 'Beforemark', 11, LEFT, 80);
    // An integral with its domain below it, a fraction beside it, and the equation number at
    // the margin: pieces on five baselines, which as lines would be one-glyph paragraphs.
    text(page, 'a + b', 200, top, 9, fonts.regular);
    text(page, '\u222B', 150, top + 2, 16, symbol);
    text(page, 'f(x) dx =', 165, top + 8, 10, fonts.regular);
    page.drawLine({ start: { x: 199, y: 792 - top - 13 }, end: { x: 222, y: 792 - top - 13 }, thickness: 0.5 });
    text(page, 'c + d', 200, top + 19, 9, fonts.regular);
    text(page, '\u03A9', 152, top + 22, 7, symbol);
    text(page, '(3)', 540 - fonts.regular.widthOfTextAtSize('(3)', 10), top + 8, 10, fonts.regular);
    paragraph(page, fonts, 'Aftermark', 12, LEFT, top + 44);
    const doc = await read(await pdf.save());
    // Read row by row (the tall integral holds its row together): the number ends the row
    // it stands level with, the domain under the integral comes after it.
    expectWholeFormula(doc.blocks, 'f(x)', ['a + b', '\u222B', 'c + d', '\u03A9', '(3)'], ['\u222B', 'f(x)', '(3)', '\u03A9'], 'Beforemark', 'Aftermark');
  });

  it('keeps a displayed formula whole with a line of words between its rows', async () => {
    const { pdf, fonts } = await newPdf();
    const page = pdf.addPage([612, 792]);
    let top = paragraph(page, fonts, 'Beforemark', 13, LEFT, 80);
    // An aligned display: two relation rows, a remark in words, and a last row holding a
    // fraction, numbered at the margin. The remark sits between rows of the formula: it is the
    // formula's own annotation, not a line of text that the pieces beside it belong to.
    text(page, 'F(M) =', 150, top, 10, fonts.regular);
    text(page, 'A + B', 200, top, 10, fonts.regular);
    text(page, '<', 185, top + 12, 10, fonts.regular);
    text(page, 'C + D', 200, top + 12, 10, fonts.regular);
    text(page, '(because the surgery only happens here)', 200, top + 24, 10, fonts.regular);
    text(page, 'p + q', 215, top + 33, 8, fonts.regular);
    text(page, '=', 185, top + 38, 10, fonts.regular);
    text(page, 'E +', 200, top + 38, 10, fonts.regular);
    text(page, 'r', 222, top + 44, 8, fonts.regular);
    text(page, '(7)', 540 - fonts.regular.widthOfTextAtSize('(7)', 10), top + 24, 10, fonts.regular);
    paragraph(page, fonts, 'Aftermark', 14, LEFT, top + 62);
    const doc = await read(await pdf.save());
    expectWholeFormula(doc.blocks, 'F(M)', ['A + B', 'C + D', 'because the surgery', 'p + q', 'E +', '(7)'], ['A + B', 'C + D', 'because', 'p + q', 'E +'], 'Beforemark', 'Aftermark');
  });

  it('reads two lines of a column in order where a raised index makes them touch', async () => {
    const { pdf, fonts } = await newPdf();
    const page = pdf.addPage([612, 792]);
    // A paragraph's indented first line, then a line whose exponent reaches up into the first
    // line's box: no white band divides them, yet they are two lines, read top to bottom.
    text(page, 'Firstlinemark when the ratio is increased the field shows the', LEFT + 15, 100, 10, fonts.regular);
    const second = 'Secondlinemark clumpy behaviour seen from observations at 10';
    text(page, second, LEFT, 112, 10, fonts.regular);
    text(page, '-2.5', LEFT + fonts.regular.widthOfTextAtSize(second, 10) + 0.5, 106.5, 7, fonts.regular);
    text(page, 'Thirdlinemark and higher the field stays above the thermal level.', LEFT, 124, 10, fonts.regular);
    const doc = await read(await pdf.save());
    const at = order(doc.blocks, ['Firstlinemark', 'Secondlinemark', 'Thirdlinemark']);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('keeps a display whole below a line whose radical reaches down to it', async () => {
    const { pdf, fonts } = await newPdf();
    const symbol = await pdf.embedFont(StandardFonts.Symbol);
    const page = pdf.addPage([612, 792]);
    const top = paragraph(page, fonts, 'Beforemark', 15, LEFT, 80);
    // The last line of text ends in a radical whose sign hangs below the line, down to the
    // numerator of the display under it: that sign is the line's, the display stays whole.
    const line = 'the normalisation is fixed by the deviation of the density';
    text(page, line, LEFT, top, 10, fonts.regular);
    const end = LEFT + fonts.regular.widthOfTextAtSize(line, 10);
    text(page, '\u221A', end + 12, top + 4, 10, symbol);
    text(page, 'such that', end + 40, top, 10, fonts.regular);
    text(page, '2 a', 216, top + 13, 9, fonts.regular);
    text(page, 'G(r) =', 170, top + 19, 10, fonts.regular);
    text(page, 'b + c', 214, top + 25, 9, fonts.regular);
    text(page, '(9)', 540 - fonts.regular.widthOfTextAtSize('(9)', 10), top + 19, 10, fonts.regular);
    paragraph(page, fonts, 'Aftermark', 16, LEFT, top + 44);
    const doc = await read(await pdf.save());
    const formula = doc.blocks.filter((b) => b.text.includes('G(r)'));
    expect(formula).toHaveLength(1);
    for (const piece of ['2 a', 'b + c', '(9)']) expect(formula[0].text).toContain(piece);
    expect(formula[0].text).not.toContain('density');
    inOrder(order(doc.blocks, ['Beforemark', 'density', 'G(r)', 'Aftermark']));
  });

  it('keeps the words between a display formula and its number in the formula', async () => {
    const { pdf, fonts } = await newPdf();
    const page = pdf.addPage([612, 792]);
    const top = paragraph(page, fonts, 'Beforemark', 19, LEFT, 80);
    // A condition in words set beside the formula, then the number at the margin: running
    // text never carries an equation number, so the row is a display, words and all.
    text(page, 'V(a, T) - V(b, T) > 0,', 150, top + 8, 10, fonts.regular);
    text(page, 'whenever the runaway solution exists.', 290, top + 8, 10, fonts.regular);
    text(page, '(34)', 540 - fonts.regular.widthOfTextAtSize('(34)', 10), top + 8, 10, fonts.regular);
    paragraph(page, fonts, 'Aftermark', 20, LEFT, top + 30);
    const doc = await read(await pdf.save());
    const formula = doc.blocks.filter((b) => b.text.includes('V(a, T)'));
    expect(formula).toHaveLength(1);
    expect(formula[0].text).toContain('runaway solution exists.');
    expect(formula[0].text).toContain('(34)');
  });

  it('keeps a table caption as text of its own and names it on the table', async () => {
    const { pdf, fonts } = await newPdf();
    const page = pdf.addPage([612, 792]);
    text(page, 'Table 1: Scores of the three systems', LEFT, 80, 10, fonts.regular);
    const rows = [['System', 'Recall', 'Precision'], ['Alpha', '0.91', '0.88'], ['Beta', '0.85', '0.93'], ['Gamma', '0.77', '0.81']];
    rows.forEach((row, r) => row.forEach((cell, c) => text(page, cell, LEFT + c * 120, 100 + r * 16, 10, fonts.regular)));
    const doc = await read(await pdf.save());
    const table = doc.blocks.find((b) => b.type === 'Table');
    expect(table?.caption).toBe('Table 1: Scores of the three systems');
    const caption = doc.blocks.findIndex((b) => b.type === 'Text' && b.text.startsWith('Table 1'));
    expect(caption).toBe(doc.blocks.indexOf(table!) - 1);
    const out = await parse(await pdf.save(), {}, { filename: 't.pdf' });
    const content = out.result.type === 'full' ? out.result.chunks.map((c) => c.content).join('\n') : '';
    expect(content.split('Table 1: Scores').length - 1).toBe(1);
  });
});

// A PubLayNet page image of the team's corpus (absent outside it: the check skips): a table
// on top of two columns of body text must not swallow them (OCR makes it slow: one page).
const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus/jpg');
const publaynet = existsSync(path.join(corpus, 'publaynet-PMC3576793_00004')) ? ['publaynet-PMC3576793_00004'] : [];

describe.skipIf(publaynet.length === 0)('scanned paper pages (corpus)', () => {
  it.each(publaynet)('%s keeps its body text out of tables', async (dir) => {
    const file = readdirSync(path.join(corpus, dir)).find((f) => f.endsWith('.jpg'))!;
    const doc = await readDocument(new Uint8Array(readFileSync(path.join(corpus, dir, file))), {}, { filename: file });
    const chars = (bs: DocBlock[]) => bs.reduce((n, b) => n + (b.type === 'Table' ? (b.table?.cells ?? []).reduce((m, c) => m + c.text.length, 0) : b.text.length), 0);
    const total = chars(doc.blocks);
    const inTables = chars(doc.blocks.filter((b) => b.type === 'Table'));
    expect(inTables).toBeLessThan(0.5 * total);
  });
});
