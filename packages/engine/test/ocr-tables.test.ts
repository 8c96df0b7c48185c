import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { readDocument } from '../src/index.ts';
import type { ParsedDocument, TableCell } from '../src/model.ts';
import { configureOcr, shutdownOcr } from '../src/ocr/pool.ts';

/** The pipeline with tesseract.js and the npm models, which every install has. */
beforeAll(() => configureOcr({ engine: 'wasm' }));
afterAll(() => shutdownOcr());

// The pictures are drawn with a font file of their own (Liberation Sans, which pdf.js ships):
// a system's "sans-serif" changes with what else is installed, and with it the pictures.
GlobalFonts.registerFromPath(createRequire(import.meta.url).resolve('pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf'), 'Fixture Sans');
const FONT = '26px "Fixture Sans"';

/**
 * A borderless table drawn as a picture: no rulings, columns set apart by white space
 * only, a "Sales" header centred over the two year columns.
 */
const BODY = [
  ['Region', '2022', '2023', 'Change'],
  ['North', '1204', '1380', '14.6%'],
  ['South', '980', '1015', '3.6%'],
  ['East', '2311', '2040', '-11.7%'],
  ['West', '645', '702', '8.8%'],
  ['Central', '1530', '1622', '6.0%'],
];
const COLUMN_X = [40, 330, 520, 710];

/** Body text set above and below the table, as on a scanned report page. */
const ABOVE = [
  'Sales by region for the last two years are shown below, with the change',
  'from one year to the next; the figures are in thousands of units sold.',
];
const BELOW = [
  'The eastern region fell back after the closure of two of its largest shops',
  'while every other region grew, the centre and the north most of all.',
];

function borderlessTablePng(prose = false): Buffer {
  const top = prose ? 40 * ABOVE.length + 40 : 0;
  const canvas = createCanvas(1000, 80 + 50 * (BODY.length + 1) + 2 * top);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = FONT;
  if (prose) {
    ABOVE.forEach((line, i) => ctx.fillText(line, 40, 50 + 40 * i));
    BELOW.forEach((line, i) => ctx.fillText(line, 40, top + 110 + 50 * BODY.length + 40 + 40 * i));
  }
  // The spanning header, centred over the 2022 and 2023 columns.
  const sales = 'Sales';
  const spanMid = (COLUMN_X[1] + COLUMN_X[2] + ctx.measureText('2023').width) / 2;
  ctx.fillText(sales, spanMid - ctx.measureText(sales).width / 2, top + 60);
  BODY.forEach((row, r) => row.forEach((cell, c) => ctx.fillText(cell, COLUMN_X[c], top + 110 + 50 * r)));
  return canvas.toBuffer('image/png');
}

/** Two columns of prose: long lines, every gap between words of ordinary width. */
const PROSE = [
  'The committee met on a cold morning in',
  'early spring to review the plans for the',
  'new library building and the changes to',
  'its reading rooms that the architects had',
  'proposed after the public consultation',
  'held in the town hall over the winter.',
  'Most of the members agreed that the',
  'design was sound and that the budget',
];
const PROSE_RIGHT = [
  'The second part of the meeting turned to',
  'the question of opening hours, which had',
  'been shortened two years ago when the',
  'council reduced its grant to the library',
  'service, and several speakers asked for',
  'the evening hours to be restored so that',
  'people who work during the day could',
  'use the reading rooms again as before.',
];

function twoColumnProsePng(): Buffer {
  const canvas = createCanvas(1300, 80 + 40 * PROSE.length);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = '24px "Fixture Sans"';
  PROSE.forEach((line, i) => ctx.fillText(line, 40, 60 + 40 * i));
  PROSE_RIGHT.forEach((line, i) => ctx.fillText(line, 680, 60 + 40 * i));
  return canvas.toBuffer('image/png');
}

const tables = (doc: ParsedDocument) => doc.blocks.filter((b) => b.type === 'Table');
const cellAt = (cells: TableCell[], row: number, col: number) => cells.find((c) => c.row === row && c.col === col);

describe('tables in images', () => {
  it('reads a borderless table image as one Table block with its rows, columns and spanning header', async () => {
    const doc = await readDocument(borderlessTablePng(), {}, { filename: 'table.png' });
    const found = tables(doc);
    expect(found).toHaveLength(1);
    const table = found[0].table!;
    expect(table.cols).toBe(4);
    expect(table.rows).toBe(BODY.length + 1);
    // Row 0: the header centred over the two year columns spans both.
    const sales = table.cells.find((c) => c.row === 0 && c.text.includes('Sales'));
    expect(sales).toMatchObject({ col: 1, colSpan: 2 });
    BODY.forEach((row, r) => row.forEach((text, c) => {
      expect(cellAt(table.cells, r + 1, c)?.text.trim()).toBe(text);
    }));
    expect(table.headerRows).toBe(2);
    // Nothing of the table is left outside it as text.
    expect(doc.blocks.filter((b) => b.type !== 'Table').map((b) => b.text).join(' ')).not.toMatch(/North|1204/);
  }, 120_000);

  it('keeps the body text above and below the table out of it', async () => {
    const doc = await readDocument(borderlessTablePng(true), {}, { filename: 'page.png' });
    const found = tables(doc);
    expect(found).toHaveLength(1);
    const table = found[0].table!;
    expect(table.rows).toBe(BODY.length + 1);
    expect(table.cells.map((c) => c.text).join(' ')).not.toMatch(/region for|thousands|eastern|centre/);
    const text = doc.blocks.filter((b) => b.type !== 'Table').map((b) => b.text).join(' ');
    expect(text).toContain('thousands of units');
    expect(text).toContain('eastern region');
  }, 120_000);

  it('leaves two columns of prose as text', async () => {
    const doc = await readDocument(twoColumnProsePng(), {}, { filename: 'prose.png' });
    expect(tables(doc)).toHaveLength(0);
    const text = doc.blocks.map((b) => b.text).join(' ');
    expect(text).toContain('committee');
    expect(text).toContain('opening hours');
  }, 120_000);
});
