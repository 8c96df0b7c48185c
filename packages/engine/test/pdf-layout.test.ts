import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readDocument } from '../src/parse.ts';
import { boldByName, italicByName } from '../src/layout/fonts.ts';
import { isAllCaps } from '../src/layout/paragraphs.ts';
import { finalizeLayout, layoutPage } from '../src/layout/index.ts';
import type { PageContent, Ruling, TextRun } from '../src/model.ts';
import { hline, newPdf, prose, rawPdf, text, vline, wrap } from './pdf-fixtures.ts';

const read = (bytes: Uint8Array, options = {}) => readDocument(bytes, options, { filename: 'x.pdf' });
const joinHyphens = { formatting: { join_hyphenated_words: true } };

/** A two-column page: an unruled table at the top of the left column, prose beside it on the right. */
async function tableBesideProsePdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([612, 792]);
  const rows = [['Model', 'Size', 'Score'], ['Baseline', '24M', '58.8'], ['Sparse', '11M', '57.9'], ['Dense', '46M', '56.6'], ['Tiny', '2M', '61.0']];
  rows.forEach((row, r) => row.forEach((s, c) => text(page, s, [72, 170, 240][c], 80 + r * 17, 10, fonts.regular)));
  let top = 190;
  for (const line of wrap(`Left ${prose(1, 70)}`, 220, 10, fonts.regular)) { text(page, line, 72, top, 10, fonts.regular); top += 12.5; }
  top = 74;
  for (const line of wrap(`Right ${prose(4, 120)}`, 220, 10, fonts.regular)) { text(page, line, 320, top, 10, fonts.regular); top += 12.5; }
  return pdf.save();
}

/** Words laid out from the right edge of [x0, x1] on a line at `top`, as a right-to-left layer gives them. */
function rtlLine(words: string[], x1: number, top: number, gap = 4): TextRun[] {
  let right = x1;
  return words.map((w) => {
    const width = w.length * 5;
    const run: TextRun = { text: w, rect: { x0: right - width, y0: top, x1: right, y1: top + 10 }, fontSize: 10, confidence: 1 };
    right -= width + gap;
    return run;
  });
}

/** A page of synthetic words (layout rules need no PDF to be exercised). */
const page = (runs: TextRun[]): PageContent => ({ pageNumber: 1, width: 600, height: 800, runs, rulings: [], images: [], source: 'text' });

/** Facing pages on one sheet: answer options on the left half, a small table on the right half. */
async function spreadPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  const page = pdf.addPage([1190, 792]);
  ['Yes, at the national level', 'Yes, at the regional level', 'Yes, at the local level', 'No', 'Do not know']
    .forEach((s, i) => { text(page, '•', 150, 400 + 17 * i, 9, fonts.regular); text(page, s, 170, 400 + 17 * i, 9, fonts.regular); });
  [['Group', 'State', 'Civil'], ['Children', 'x', 'x'], ['Women', 'x', 'x'], ['Migrants', 'x', 'x'], ['Elderly', 'x', 'x']]
    .forEach((row, r) => row.forEach((s, c) => text(page, s, [780, 980, 1080][c], 392 + 23 * r, 9, fonts.regular)));
  return pdf.save();
}

describe('PDF layout rules', () => {
  it('takes a running title level with the page number for furniture, not a heading', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    let top = 80;
    for (const line of wrap(prose(5, 120), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    text(p, '208', 60, 750, 9, fonts.bold);
    text(p, 'Global Study on Legal Aid', 250, 750, 9, fonts.bold);
    const doc = await read(await pdf.save());
    expect(doc.blocks.find((b) => b.text === 'Global Study on Legal Aid')?.type).toBe('Footer');
    expect(doc.blocks.filter((b) => b.type === 'Section Header')).toHaveLength(0);
  });

  it('does not take two columns of prose for a table when a line breaks at wide spaces', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    for (const [x, seed] of [[72, 1], [320, 6]] as const) {
      let top = 100;
      for (const [i, line] of wrap(prose(seed, 80), 220, 10, fonts.regular).entries()) {
        // The right column's tenth line is the justified one below.
        if (x === 72 || i !== 9) text(p, line, x, top, 10, fonts.regular);
        top += 13;
      }
    }
    // A justified line of the right column, its words pushed far apart.
    for (const [s, x] of [['(U00~U99)', 320], ['falling', 400], ['under the code', 460]] as const) text(p, s, x, 100 + 13 * 9, 10, fonts.regular);
    const doc = await read(await pdf.save());
    expect(doc.blocks.filter((b) => b.type === 'Table')).toHaveLength(0);
  });

  it('joins the wrapped lines of an unruled table cell into one cell', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    const xs = [72, 200, 330];
    const lines: Array<[number, string[]]> = [
      [100, ['Type', 'Who takes it', 'Standard']],
      [122, ['General', 'All students', 'Grade level']],
      [144, ['Participating', 'Students who need', 'Modified']],
      [154, ['students', 'alternate ways to show', 'level']],
      [164, ['', 'mastery of content', '']],
      [186, ['Alternate', 'A few students', 'Alternate level']],
      [208, ['Total', '12', '30']],
    ];
    for (const [top, cells] of lines) cells.forEach((s, c) => { if (s) text(p, s, xs[c], top, 8, fonts.regular); });
    const doc = await read(await pdf.save());
    const t = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect(t.rows).toBe(5);
    const cell = (r: number, c: number) => t.cells.find((x) => x.row === r && x.col === c)?.text;
    expect(cell(2, 0)).toBe('Participating\nstudents');
    expect(cell(2, 1)).toBe('Students who need\nalternate ways to show\nmastery of content');
    expect(cell(3, 0)).toBe('Alternate');
    expect(cell(4, 1)).toBe('12');
  });

  it('splits figures set close together into columns, and keeps lower-case data rows apart', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    const rows: Array<[number, string[]]> = [
      [100, ['model', 'tuned', 'kind', '2009', '2010']],
      [112, ['baseline', 'no', 'dense', '7108.3', '6960.6']],
      [122, ['sparse lstm', 'no', 'sparse', '6940.6', '6965.2']],
      [140, ['baseline', 'yes', 'dense', '0.0762', '0.0785']],
      [150, ['sparse lstm', 'yes', 'sparse', '0.0819', '0.0861']],
    ];
    // The figure columns stand 5 points apart: less than a wide space at 8 points.
    for (const [top, cells] of rows) {
      cells.slice(0, 3).forEach((s, k) => text(p, s, [72, 160, 220][k], top, 8, fonts.regular));
      cells.slice(3).forEach((s, k) => text(p, s, 280 + k * (fonts.regular.widthOfTextAtSize('0000.0', 8) + 5), top, 8, fonts.regular));
    }
    const doc = await read(await pdf.save());
    const t = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect([t.rows, t.cols]).toEqual([5, 5]);
    expect(t.cells.find((c) => c.row === 2 && c.col === 0)?.text).toBe('sparse lstm');
    expect(t.cells.find((c) => c.row === 1 && c.col === 4)?.text).toBe('6960.6');
  });

  it('keeps the wrapped lines of a ruled row in one cell', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    const xs = [72, 200, 330, 460];
    const tops = [100, 120, 160, 180];
    for (const y of tops) hline(p, xs[0], xs[3], y);
    for (const x of xs) vline(p, x, tops[0], tops[3]);
    ['Type', 'Who takes it', 'Standard'].forEach((s, c) => text(p, s, xs[c] + 4, 106, 8, fonts.bold));
    [['Participating', 'Students who need', 'Modified'], ['students', 'alternate ways to show', 'level']]
      .forEach((line, k) => line.forEach((s, c) => text(p, s, xs[c] + 4, 126 + 10 * k, 8, fonts.regular)));
    ['General', 'All students', 'Grade level'].forEach((s, c) => text(p, s, xs[c] + 4, 166, 8, fonts.regular));
    const doc = await read(await pdf.save());
    const t = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect([t.rows, t.cols]).toEqual([3, 3]);
    expect(t.cells.find((x) => x.row === 1 && x.col === 1)?.text).toBe('Students who need\nalternate ways to show');
  });

  it('keeps the halves of a spread apart when looking for tables', async () => {
    const doc = await read(await spreadPdf());
    const tables = doc.blocks.filter((b) => b.type === 'Table');
    expect(tables).toHaveLength(1);
    expect(tables[0].table!.cols).toBe(3);
    expect(tables[0].table!.cells.map((c) => c.text).join(' ')).not.toMatch(/Yes|No/);
    expect(doc.blocks.map((b) => b.text).join('\n')).toContain('Yes, at the regional level');
  });

  it('reads the columns of a right-to-left page from the right, and a justified line as one', () => {
    const right = [0, 1, 2, 3].flatMap((i) => rtlLine(['שלום', 'עולם', `ימין${i}`, 'טקסט', 'ארוך', 'מאוד'], 560, 100 + 13 * i));
    const left = [0, 1, 2, 3].flatMap((i) => rtlLine(['שמאל', `שורה${i}`, 'עוד', 'מילים', 'כאן', 'ושם'], 280, 100 + 13 * i));
    // A justified line whose last words sit after a wide space.
    const wide = [...rtlLine(['ראשון', 'שני'], 560, 152), ...rtlLine(['שלישי', 'אחרון'], 490, 152)];
    const blocks = finalizeLayout([layoutPage(page([...left, ...right, ...wide]), 1)]);
    const texts = blocks.map((b) => b.text);
    expect(texts[0]).toMatch(/^שלום עולם ימין0/);
    expect(texts[0]).toContain('ראשון שני שלישי אחרון');
    expect(texts[1]).toMatch(/^שמאל שורה0/);
  });

  it('puts back the letters of a lam-alef ligature that pdf.js reversed', () => {
    const blocks = finalizeLayout([layoutPage(page(rtlLine(['اإلنتاجية', 'االستفادة', 'األنماط'], 560, 100)), 1)]);
    expect(blocks[0].text).toBe('الإنتاجية الاستفادة الأنماط');
  });

  it('does not take a bold line ending in a broken word, a caption, or a caseless line with a code for headings', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    let top = 80;
    for (const line of wrap(prose(1, 60), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    text(p, 'highlighted how the land masses are already in the pro-', 72, top, 10, fonts.bold); top += 13;
    for (const line of wrap(`cess of forming. ${prose(3, 60)}`, 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    text(p, 'Table 4: Examples of extracted summaries', 72, top + 20, 10, fonts.regular);
    const doc = await read(await pdf.save());
    expect(doc.blocks.filter((b) => b.type === 'Section Header' || b.type === 'Title')).toHaveLength(0);
    expect(doc.blocks.find((b) => b.text.startsWith('Table 4'))?.type).toBe('Text');
  });

  it('reads a number split into touching pieces left to right inside a right-to-left line', () => {
    const runs = [...rtlLine(['حداقل'], 560, 100), { text: '5', rect: { x0: 520, y0: 100, x1: 525, y1: 110 }, fontSize: 10 }, { text: '0%', rect: { x0: 525, y0: 100, x1: 535, y1: 110 }, fontSize: 10 }];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    expect(blocks[0].text).toBe('حداقل 50%');
  });

  it('reads a header band of a lone title beside a few lines top to bottom', () => {
    const line = (words: string[], x0: number, top: number, size = 10): TextRun[] => {
      let x = x0;
      return words.map((w) => { const r: TextRun = { text: w, rect: { x0: x, y0: top, x1: x + w.length * size * 0.5, y1: top + size }, fontSize: size }; x = r.rect.x1 + size * 0.3; return r; });
    };
    const runs = [
      ...line(['Exchange', 'Office'], 420, 40), ...line(['Prospectus', 'for', 'listing'], 60, 63, 14),
      ...line(['Commodity', 'Exchange'], 420, 92), ...line(['2.5', 'Standard'], 420, 139, 15),
    ];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    expect(blocks.map((b) => b.text)).toEqual(['Exchange Office', 'Prospectus for listing', 'Commodity Exchange', '2.5 Standard']);
  });

  it('parts a Latin word from the right-to-left word it touches', () => {
    const runs = rtlLine(['تحليل', 'python', 'من'], 560, 100, 0);
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    expect(blocks[0].text).toBe('تحليل python من');
  });

  it('keeps the letter under an accent drawn at the end of the word before on its line', () => {
    // "Université" as TeX sets it: "Universit´" with the acute as a glyph of its own, then the
    // "e" drawn back under it; the two overlap, yet they are one line, not two drawn stacked.
    const at = (text: string, x0: number, x1: number): TextRun => ({ text, rect: { x0, y0: 248.6, x1, y1: 255.5 }, fontSize: 8 });
    const runs = [at('Cosmologie,', 176.9, 212.9), at('Universit\u00B4', 216.2, 248.9), at('e', 245.8, 249), at('Paris', 252.3, 268.5), at('Diderot', 271.7, 294.4)];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    expect(blocks.map((b) => b.text)).toEqual(['Cosmologie, Universit\u00B4e Paris Diderot']);
  });

  it('keeps words OCR read apart as words, however tight the print; glues touching pieces of a PDF word', () => {
    // Dot-matrix receipts: word gaps under 0.12 of the line height OCR measured.
    const at = (text: string, x0: number, word?: boolean): TextRun => ({ text, rect: { x0, y0: 100, x1: x0 + text.length * 6, y1: 114 }, fontSize: 20, ...(word ? { word } : {}) });
    const ocr = finalizeLayout([layoutPage({ ...page([at('PETALING', 100, true), at('JAYA', 150, true)]), source: 'ocr' }, 1)]);
    expect(ocr[0].text).toBe('PETALING JAYA');
    const pdf = finalizeLayout([layoutPage(page([at('PETA', 100), at('LING', 124)]), 1)]);
    expect(pdf[0].text).toBe('PETALING');
  });

  it('takes no line of running text on a scanned page for a heading, however large OCR measured it', () => {
    // OCR sizes come from the ink: a line with ascenders and descenders measures larger.
    const line = (words: string[], top: number, size: number): TextRun[] => {
      let x = 60;
      return words.map((text) => { const r: TextRun = { text, rect: { x0: x, y0: top, x1: x + text.length * 6, y1: top + size }, fontSize: size, word: true, confidence: 0.9 }; x += text.length * 6 + 5; return r; });
    };
    const body = ['The', 'study', 'was', 'carried', 'out', 'on', 'children', 'in', 'three', 'regions', 'over', 'two', 'years'];
    const runs = [
      ...line(['Methods'], 80, 14),
      ...Array.from({ length: 12 }, (_, i) => line(body, 110 + 16 * i, 10)).flat(),
      ...line(['with', 'the', 'welfare', 'of', 'children', 'a', 'statutory', 'priority,', 'along'], 310, 14),
      ...line(['England', 'was', 'not', 'alone', 'in', 'its', 'drive', 'for', 'collaboration.', 'The'], 326, 14),
      ...Array.from({ length: 6 }, (_, i) => line(body, 342 + 16 * i, 10)).flat(),
    ];
    const blocks = finalizeLayout([layoutPage({ ...page(runs), source: 'ocr' }, 1)]);
    expect(blocks.filter((b) => b.type === 'Section Header' || b.type === 'Title').map((b) => b.text)).toEqual(['Methods']);
  });

  /** Words at fixed x positions on a line at `top` (10 pt). */
  const cells = (top: number, ...words: Array<[string, number]>): TextRun[] =>
    words.map(([text, x0]) => ({ text, rect: { x0, y0: top, x1: x0 + text.length * 5, y1: top + 10 }, fontSize: 10 }));

  it('leaves a line that none of an unruled table\'s rows took in the text', () => {
    const runs = [
      ...cells(100, ['Item', 50], ['Qty', 200], ['Price', 300]),
      ...cells(120, ['Widget', 50], ['2', 200], ['3.50', 300]),
      ...cells(140, ['Gadget', 50], ['1', 200], ['9.99', 300]),
      // A tall speck on the last row reaches down past the next line.
      { text: '§', rect: { x0: 400, y0: 140, x1: 406, y1: 168 }, fontSize: 10 },
      ...cells(155, ['Please', 60], ['come', 93], ['again', 116]),
    ];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    const table = blocks.find((b) => b.type === 'Table');
    expect(table?.table?.cells.map((c) => c.text)).toContain('Widget');
    expect(blocks.some((b) => b.type !== 'Table' && b.text.includes('Please come again'))).toBe(true);
  });

  it('folds a wrapped line under a spanning cell into that cell, so no two cells share a grid position', () => {
    const runs = [
      ...cells(100, ['Item', 50], ['Qty', 200], ['Unit', 260], ['Price', 330]),
      ...cells(120, ['Widget', 50], ['2', 200], ['1.75', 260], ['3.50', 330]),
      // A description reaching into the Qty column (a cell spanning two), then its wrapped line under Qty.
      ...cells(140, ['A', 50], ['rather', 60], ['long', 95], ['description', 120], ['of', 180], ['it', 195], ['too', 210]),
      ...cells(140, ['9.99', 330]),
      ...cells(150, ['continued', 205]),
      ...cells(170, ['Bolt', 50], ['5', 200], ['0.02', 260], ['0.10', 330]),
    ];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    const table = blocks.find((b) => b.type === 'Table')?.table;
    expect(table).toBeDefined();
    const taken = new Set<string>();
    for (const c of table!.cells) {
      for (let r = c.row; r < c.row + c.rowSpan; r++) {
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          expect(taken.has(`${r},${k}`), `cell ${c.text} at ${r},${k}`).toBe(false);
          taken.add(`${r},${k}`);
        }
      }
    }
    expect(table!.cells.find((c) => c.col === 0 && c.colSpan === 2)?.text).toBe('A rather long description of it too\ncontinued');
  });

  it('takes a bold field label of the title page ("Key words:") for part of its field, a bold lead-in for a heading', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    text(p, 'A remark on the Gaussian lower bound', 72, 80, 18, fonts.bold);
    const lead = (label: string, rest: string, top: number) => {
      text(p, label, 72, top, 10, fonts.bold);
      text(p, rest, 72 + fonts.bold.widthOfTextAtSize(label, 10) + 4, top, 10, fonts.regular);
    };
    lead('Mathematics Subject Classification.', '35K08, 58J35, 35P15 and others.', 120);
    lead('Key words:', 'heat kernel, Neumann condition, Gaussian bounds.', 140);
    lead('Main results.', `${prose(5, 12)}.`, 170);
    let top = 184;
    for (const line of wrap(prose(4, 150), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Title' || b.type === 'Section Header').map((b) => b.text);
    expect(headings).toEqual(['A remark on the Gaussian lower bound', 'Main results.']);
    expect(doc.blocks.some((b) => b.text.startsWith('Key words: heat kernel'))).toBe(true);
  });

  it('does not take the authors under the title, or an issue number, for headings', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    text(p, 'No. 1695', 480, 40, 14, fonts.regular);
    text(p, 'A remark on the Gaussian lower bound', 72, 80, 18, fonts.bold);
    text(p, 'Mourad Choulli and Laurent Kayser', 72, 110, 12, fonts.regular);
    text(p, '1. Introduction', 72, 150, 12, fonts.bold);
    let top = 170;
    for (const line of wrap(prose(4, 150), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Title' || b.type === 'Section Header').map((b) => b.text);
    expect(headings).toEqual(['A remark on the Gaussian lower bound', '1. Introduction']);
  });

  it('keeps the hyphen of a compound whose halves the document uses as words, joins a broken word', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    ['The free energy of the background field is measured first.', 'We then derive a background-',
      'free formula for the whole calcu-', 'lation of the spectrum in this text.']
      .forEach((s, i) => text(p, s, 72, 100 + 13 * i, 10, fonts.regular));
    const bytes = await pdf.save();
    const all = (await read(bytes, joinHyphens)).blocks.map((b) => b.text).join('\n');
    expect(all).toContain('background-free formula');
    expect(all).toContain('calculation of the spectrum');
    // By default the words stay as printed.
    const printed = (await read(bytes)).blocks.map((b) => b.text).join('\n');
    expect(printed).toContain('background-free formula');
    expect(printed).toContain('calcu-lation of the spectrum');
  });

  it('keeps the hyphen of a compound broken at its own hyphen', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    ['We tag parts of speech with a part-of-', 'speech tagger, and break long words such as experimen-', 'tation across lines as usual in this text.']
      .forEach((s, i) => text(p, s, 72, 100 + 13 * i, 10, fonts.regular));
    const doc = await read(await pdf.save(), joinHyphens);
    expect(doc.blocks[0].text).toContain('part-of-speech tagger');
    expect(doc.blocks[0].text).toContain('experimentation across');
  });

  it('takes neither a date under the title nor the entries of a table of contents for headings', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    text(p, 'Soft Emission at High and Low Energies', 72, 80, 18, fonts.bold);
    text(p, 'May 29, 2020', 72, 120, 12, fonts.regular);
    text(p, 'Contents', 72, 160, 14, fonts.bold);
    text(p, '1 Introduction', 72, 190, 12, fonts.bold);
    text(p, '1', 530, 190, 12, fonts.bold);
    text(p, '2 Expansion of the Elastic Amplitude', 72, 210, 12, fonts.bold);
    text(p, '5', 530, 210, 12, fonts.bold);
    text(p, `2.1 Power Counting ${'. '.repeat(60)}6`, 90, 228, 12, fonts.regular);
    text(p, '1 Introduction', 72, 260, 12, fonts.bold);
    let top = 280;
    for (const line of wrap(prose(4, 150), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Title' || b.type === 'Section Header').map((b) => b.text);
    expect(headings).toEqual(['Soft Emission at High and Low Energies', 'Contents', '1 Introduction']);
  });

  it('keeps the words of a line that runs out of a ruled table\'s frame', () => {
    const w = (text: string, x0: number, top: number): TextRun => ({ text, rect: { x0, y0: top, x1: x0 + 5 * text.length, y1: top + 10 }, fontSize: 10, confidence: 1 });
    const h = (y: number): Ruling => ({ orientation: 'h', x0: 100, x1: 300, y0: y, y1: y });
    const v = (x: number): Ruling => ({ orientation: 'v', x0: x, x1: x, y0: 100, y1: 160 });
    const runs = [
      w('Name', 110, 105), w('Value', 210, 105),
      w('alpha', 110, 125), w('12.5', 210, 125),
      // A note set from inside the last row out past the frame's right edge.
      w('beta', 110, 145), w('note:', 210, 145), w('see', 238, 145), w('the', 256, 145), w('footnote', 274, 145), w('below', 318, 145), w('please', 346, 145),
    ];
    const content = { ...page(runs), rulings: [h(100), h(120), h(140), h(160), v(100), v(200), v(300)] };
    const blocks = finalizeLayout([layoutPage(content, 1)]);
    const table = blocks.find((b) => b.type === 'Table');
    expect(table?.table?.cells.map((c) => c.text)).toContain('alpha');
    const words = blocks.flatMap((b) => [b.text, ...(b.table?.cells.map((c) => c.text) ?? [])]).join(' ').split(/\s+/);
    for (const word of ['see', 'footnote', 'below', 'please']) expect(words).toContain(word);
  });

  it('reads a display formula set in aligned pieces as text, not as a table', () => {
    // ∂c/∂t = ∂/∂x (D(x) ∂c/∂x), x > s(t): numerators, the relation line and denominators
    // line up in columns like a table's rows.
    const w = (text: string, x0: number, top: number): TextRun => ({ text, rect: { x0, y0: top, x1: x0 + 6 * text.length, y1: top + 10 }, fontSize: 10, confidence: 1 });
    const runs = [
      w('∂c', 200, 300), w('∂', 240, 300), w('∂c', 300, 300),
      w('=', 220, 311), w('D (x)', 255, 311), w(', x > s (t)', 330, 311),
      w('∂t', 200, 322), w('∂x', 240, 322), w('∂x', 300, 322),
    ];
    const blocks = finalizeLayout([layoutPage(page(runs), 1)]);
    expect(blocks.map((b) => b.type)).not.toContain('Table');
    expect(blocks.map((b) => b.text).join(' ')).toContain('D (x)');
  });

  it('keeps a display formula whole when an index of it reads like a word', () => {
    // k_B T_turb / m_H = 1 / M(< r_max) ∫ v²_turb(r) ρ(r) 4πr² dr  (20), as a TeX paper sets it
    // (positions and fonts after one): "turb" is in index size level with the formula, not a
    // line of running text beside it.
    const w = ([text, x0, y0, x1, y1, fontSize, fontName]: [string, number, number, number, number, number, string]): TextRun => ({ text, rect: { x0, y0, x1, y1 }, fontSize, fontName, confidence: 1 });
    const formula: Array<Parameters<typeof w>[0]> = [
      ['k', 318.8, 475.6, 323.6, 483.6, 9.0, 'CMMI9'], ['B', 323.6, 478.7, 328.7, 484.0, 6.0, 'CMR6'], ['T', 329.2, 475.6, 334.5, 483.6, 9.0, 'CMMI9'], ['turb', 340, 478.8, 354, 484.1, 6.0, 'CMR6'],
      ['m', 326.8, 487.5, 335.0, 495.5, 9.0, 'CMMI9'], ['H', 335.0, 490.6, 340.3, 495.9, 6.0, 'CMR6'], ['=', 352.6, 481.4, 359.8, 489.4, 9.0, 'CMR9'], ['1', 383.7, 475.6, 388.3, 483.6, 9.0, 'CMR9'],
      ['M', 363.6, 487.5, 372.5, 495.5, 9.0, 'CMMI9'], ['(', 373.4, 487.5, 377.0, 495.5, 9.0, 'CMR9'], ['<', 377.0, 487.5, 381.6, 495.5, 9.0, 'CMMI9'], ['r', 386.3, 487.5, 390.9, 495.5, 9.0, 'CMMI9'],
      ['max', 390.9, 490.6, 404.4, 495.9, 6.0, 'CMR6'], [')', 404.9, 487.5, 408.5, 495.5, 9.0, 'CMR9'], ['∫', 412.7, 468.3, 417.8, 477.2, 9.0, 'CMEX9'], ['r', 421.9, 473.8, 425.4, 479.1, 6.0, 'CMMI6'],
      ['max', 425.4, 475.5, 437.8, 479.9, 5.0, 'CMR5'], ['0', 417.8, 491.7, 421.5, 497.0, 6.0, 'CMR6'], ['v', 440.4, 481.4, 444.8, 489.4, 9.0, 'CMMI9'], ['2', 445.2, 479.2, 448.8, 484.5, 6.0, 'CMR6'],
      ['turb', 444.8, 485.1, 459.0, 490.4, 6.0, 'CMMI6'], ['(', 459.5, 481.4, 463.1, 489.4, 9.0, 'CMR9'], ['r', 463.1, 481.4, 467.3, 489.4, 9.0, 'CMMI9'], [')', 467.5, 481.4, 471.1, 489.4, 9.0, 'CMR9'],
      ['ρ', 471.1, 481.4, 475.8, 489.4, 9.0, 'CMMI9'], ['(', 475.8, 481.4, 479.4, 489.4, 9.0, 'CMR9'], ['r', 479.4, 481.4, 483.6, 489.4, 9.0, 'CMMI9'], [')4', 483.8, 481.4, 492.0, 489.4, 9.0, 'CMR9'],
      ['πr', 492.0, 481.4, 501.8, 489.4, 9.0, 'CMMI9'], ['2', 502.0, 479.2, 505.7, 484.5, 6.0, 'CMR6'], ['dr', 506.2, 481.4, 515.1, 489.4, 9.0, 'CMMI9'], ['(20)', 527.8, 481.4, 544.2, 489.4, 9.0, 'CMR9'],
    ];
    const line = (words: string, x: number, top: number) => words.split(' ').map((t, i) => w([t, x + 40 * i, top, x + 35 + 40 * i, top + 8, 9, 'CMR9']));
    // The left column's prose runs on level with it.
    const left = Array.from({ length: 30 }, (_, k) => line(prose(k, 6), 54, 300 + 10 * k)).flat();
    const runs = [...left, ...line('structural parameter. We define it as', 305, 449.6), ...formula.map(w), ...line('where the integral runs to the halo', 305, 510.9)];
    const blocks = finalizeLayout([layoutPage({ ...page(runs), width: 612, height: 792 }, 1)]);
    expect(blocks.map((b) => b.type)).not.toContain('Table');
    const numbered = blocks.filter((b) => b.text.includes('(20)'));
    expect(numbered).toHaveLength(1);
    expect(numbered[0].text).toMatch(/turb[\s\S]*=[\s\S]*\(20\)/);
  });

  it('reads a large integral sign, which TeX hangs from its baseline, in the line it stands on', async () => {
    // "F = ∫ dE (1)": the sign comes from an extension font (declared ascent 0.04 em, descent
    // 0.6 em, as cmex10's) and TeX places it by its top, 8 pt above the line's baseline.
    const content = [
      'BT /F1 10 Tf 72 700 Td (Some text of a paragraph above the formula runs here to the margin.) Tj ET',
      'BT /F1 10 Tf 150 670 Td (F =) Tj ET',
      'BT /F2 10 Tf 172 678 Td (\\132) Tj ET',
      'BT /F1 10 Tf 182 670 Td (dE) Tj ET',
      'BT /F1 10 Tf 400 670 Td (\\(1\\)) Tj ET',
      'BT /F1 10 Tf 72 640 Td (Some text of a paragraph below the formula runs here to the margin.) Tj ET',
    ].join('\n');
    const widths = Array.from({ length: 256 }, () => 500).join(' ');
    const doc = await read(rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>',
      `<< /Type /Font /Subtype /Type1 /BaseFont /CMEX10 /FirstChar 0 /LastChar 255 /Widths [${widths}] /FontDescriptor 7 0 R >>`,
      '<< /Type /FontDescriptor /FontName /CMEX10 /Flags 4 /FontBBox [-24 -2960 1454 772] /ItalicAngle 0 /Ascent 40 /Descent -600 /CapHeight 40 /StemV 47 >>',
    ]));
    // The sign is "Z" in the font's own encoding (no ToUnicode): what counts is where it is read.
    const formula = doc.blocks.find((b) => b.text.includes('dE'));
    expect(formula?.text).toBe('F = Z dE (1)');
  });

  it('does not take the limits under a display formula\'s integrals for a table row', () => {
    // A two-column page (positions and fonts of every word measured on a physics paper, its
    // prose words replaced): under F(k‖,kz) = ∫^Λ dE ∫′_k … (49) the integrals' lower limits
    // make a row of index-size pieces of their own, and with the line "where ∫′_k ≡ ∫ d³k/(2π)³ …"
    // below they line up like a table's rows.
    const words = JSON.parse(readFileSync(new URL('./fixtures/formula-limits-page.json', import.meta.url), 'utf8')) as Array<[string, number, number, number, number, number, string]>;
    const runs = words.map(([text, x0, y0, x1, y1, fontSize, fontName]): TextRun => ({ text, rect: { x0, y0, x1, y1 }, fontSize, fontName, confidence: 1 }));
    const blocks = finalizeLayout([layoutPage({ ...page(runs), width: 595.3, height: 841.9 }, 1)]);
    expect(blocks.map((b) => b.type)).not.toContain('Table');
    const text = blocks.map((b) => b.text).join(' ');
    for (const piece of ['k‖,kz', 'd k/(2π) Θ(Λ', '(49)']) expect(text).toContain(piece);
  });

  it('does not take a diagram of boxes joined by arrows for a table', () => {
    // A column of labelled boxes, each joined to the next by a short line down its middle:
    // the lines cross only the white between the boxes.
    const w = (text: string, x0: number, top: number): TextRun => ({ text, rect: { x0, y0: top, x1: x0 + 5 * text.length, y1: top + 8 }, fontSize: 8, confidence: 1 });
    const rulings: Ruling[] = [];
    const runs: TextRun[] = [];
    ['Input image', '3x3 Convolution', '2x2 Max-pooling', '3x3 Convolution', 'Fully connected'].forEach((label, i) => {
      const top = 100 + 20 * i;
      rulings.push({ orientation: 'h', x0: 100, x1: 190, y0: top, y1: top }, { orientation: 'h', x0: 100, x1: 190, y0: top + 12, y1: top + 12 },
        { orientation: 'v', x0: 100, x1: 100, y0: top, y1: top + 12 }, { orientation: 'v', x0: 190, x1: 190, y0: top, y1: top + 12 });
      if (i < 4) rulings.push({ orientation: 'v', x0: 145, x1: 145, y0: top + 12, y1: top + 18 });
      runs.push(w(label, 145 - 2.5 * label.length, top + 2));
    });
    const blocks = finalizeLayout([layoutPage({ ...page(runs), rulings }, 1)]);
    expect(blocks.map((b) => b.type)).not.toContain('Table');
    expect(blocks.map((b) => b.text).join(' ')).toContain('2x2 Max-pooling');
  });

  it('does not take a framed plot with its axis labels for a table', () => {
    // A figure frame around a plot panel: tick labels left of the panel and under it, a label
    // inside, error bars drawn in the panel.
    const w = (text: string, x0: number, top: number): TextRun => ({ text, rect: { x0, y0: top, x1: x0 + 5 * text.length, y1: top + 8 }, fontSize: 8, confidence: 1 });
    const box = (x0: number, y0: number, x1: number, y1: number): Ruling[] => [
      { orientation: 'h', x0, x1, y0, y1: y0 }, { orientation: 'h', x0, x1, y0: y1, y1 },
      { orientation: 'v', x0, x1: x0, y0, y1 }, { orientation: 'v', x0: x1, x1, y0, y1 }];
    const rulings = [...box(180, 80, 430, 245), ...box(215, 85, 428, 230),
      ...[240, 270, 300, 350, 380].map((x, i): Ruling => ({ orientation: 'v', x0: x, x1: x, y0: 120 + 5 * i, y1: 170 + 4 * i }))];
    const runs = [
      ...['600', '550', '500', '450', '400'].map((t, i) => w(t, 195, 85 + 35 * i)),
      w('LHC 13 TeV', 225, 92),
      ...['NLO', 'NLL', 'NNLL', 'NLO', 'NLL'].map((t, i) => w(t, 230 + 40 * i, 234)),
    ];
    const blocks = finalizeLayout([layoutPage({ ...page(runs), rulings }, 1)]);
    expect(blocks.map((b) => b.type)).not.toContain('Table');
    expect(blocks.map((b) => b.text).join(' ')).toContain('LHC 13 TeV');
  });

  it('treats a word broken at a line end in a figure caption as in body text', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: { r: 40, g: 90, b: 200 } } }).png().toBuffer();
    p.drawImage(await pdf.embedPng(new Uint8Array(png)), { x: 72, y: 792 - 300, width: 300, height: 200 });
    ['Figure 1: Transport cross section of a circular scat-', 'terer at the Fermi energy.']
      .forEach((s, i) => text(p, s, 72, 310 + 13 * i, 10, fonts.regular));
    const bytes = await pdf.save();
    const doc = await read(bytes, joinHyphens);
    expect(doc.blocks.find((b) => b.type === 'Figure')?.text).toContain('circular scatterer at');
    expect(doc.blocks.map((b) => b.text).join('\n')).not.toContain('\u00AD');
    const printed = await read(bytes);
    expect(printed.blocks.find((b) => b.type === 'Figure')?.text).toContain('circular scat-terer at');
    expect(printed.blocks.map((b) => b.text).join('\n')).not.toContain('\u00AD');
  });

  it('keeps a title whose first line mixes weights in one block', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    text(p, 'Parser:', 100, 80, 18, fonts.regular);
    text(p, 'A Unified Toolkit for Deep', 100 + fonts.regular.widthOfTextAtSize('Parser: ', 18), 80, 18, fonts.bold);
    text(p, 'Learning Based Document Analysis', 100, 102, 18, fonts.bold);
    let top = 140;
    for (const line of wrap(prose(4, 120), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    expect(doc.blocks[0]).toMatchObject({ type: 'Title', text: 'Parser: A Unified Toolkit for Deep\nLearning Based Document Analysis' });
  });

  it('takes headings numbered with hyphens ("2-1- Sampling") for numbered headings, with their level', async () => {
    // Persian, Arabic and many other documents number their sections "3-" and "5-2-".
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    let top = 60;
    const para = (seed: number) => { for (const line of wrap(prose(seed, 60), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; } top += 10; };
    text(p, '2- Methods', 72, top, 11, fonts.regular); top += 20;
    para(1);
    text(p, '2-1- Sampling design', 72, top, 11, fonts.regular); top += 20;
    para(2);
    text(p, '2-3 days later the samples were sent to the laboratory.', 72, top, 10, fonts.regular); top += 20;
    para(3);
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Section Header');
    expect(headings.map((b) => [b.text, b.level])).toEqual([['2- Methods', 2], ['2-1- Sampling design', 3]]);
  });

  it('takes a bold title set only a size above the body for the title', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    const title = 'Tunnelling Times of Slow Particles';
    text(p, title, 306 - fonts.bold.widthOfTextAtSize(title, 12) / 2, 60, 12, fonts.bold);
    text(p, 'I. INTRODUCTION', 72, 100, 10, fonts.bold);
    let top = 118;
    for (const line of wrap(prose(5, 150), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Title' || b.type === 'Section Header');
    expect(headings.map((b) => [b.type, b.text])).toEqual([['Title', title], ['Section Header', 'I. INTRODUCTION']]);
  });

  it('keeps a bold section number with a title set as a formula in another font', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    let top = 80;
    for (const line of wrap(prose(3, 60), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    top += 14;
    text(p, '2.1.1', 72, top, 10, fonts.bold);
    text(p, '[X] ~ d', 72 + fonts.bold.widthOfTextAtSize('2.1.1', 10) + 12, top, 10, fonts.regular);
    top += 22;
    for (const line of wrap(prose(4, 60), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    const headings = doc.blocks.filter((b) => b.type === 'Section Header').map((b) => b.text);
    expect(headings).toEqual(['2.1.1 [X] ~ d']);
  });

  it('keeps a heading number with its heading across a wide space', async () => {
    const { pdf, fonts } = await newPdf();
    const p = pdf.addPage([612, 792]);
    text(p, '4.1', 72, 100, 12, fonts.bold);
    text(p, 'Scope of the work', 110, 100, 12, fonts.bold);
    let top = 125;
    for (const line of wrap(prose(2, 90), 460, 10, fonts.regular)) { text(p, line, 72, top, 10, fonts.regular); top += 13; }
    const doc = await read(await pdf.save());
    expect(doc.blocks[0]).toMatchObject({ type: 'Section Header', text: '4.1 Scope of the work' });
  });

  it('finds a table in one column without swallowing the prose of the other', async () => {
    const doc = await read(await tableBesideProsePdf());
    const tables = doc.blocks.filter((b) => b.type === 'Table');
    expect(tables).toHaveLength(1);
    expect([tables[0].table!.rows, tables[0].table!.cols]).toEqual([5, 3]);
    expect(tables[0].table!.cells.map((c) => c.text).join(' ')).not.toMatch(/Right|alpha|beta/);
    const right = doc.blocks.find((b) => b.text.startsWith('Right'))!;
    expect(right.type).toBe('Text');
    expect(right.text.split(/\s+/)).toHaveLength(121);
  });

  it('sees capitals only in a cased script', () => {
    expect(isAllCaps('IV. RESULTS')).toBe(true);
    expect(isAllCaps('한국표준질병·사인분류상의 S80~Y84에 해당하는')).toBe(false);
    expect(isAllCaps('Results')).toBe(false);
  });

  it('reads weight and slant from font names that carry no flags', () => {
    for (const name of ['ABCDEF+CMBX12', 'CMB10', 'CMSSBX10', 'NimbusRomNo9L-Medi', 'NimbusRomNo9L-MediItal', 'MyriadPro-Bd', 'AdobeCorpID-MyriadBdIt', 'Arial-BoldMT']) {
      expect(boldByName(name), name).toBe(true);
    }
    for (const name of ['CMR10', 'CMMI10', 'CMTI10', 'NimbusRomNo9L-Regu', 'NimbusRomNo9L-ReguItal', 'KoPubDotumMedium', 'Helvetica', 'Digit']) {
      expect(boldByName(name), name).toBe(false);
    }
    for (const name of ['CMTI10', 'CMSL10', 'NimbusRomNo9L-ReguItal', 'AdobeCorpID-MyriadRgIt', 'Times-Italic', 'Helvetica-Oblique']) {
      expect(italicByName(name), name).toBe(true);
    }
    for (const name of ['CMR10', 'CMMI10', 'CMBX12', 'Edit', 'Digit', 'Habit', 'NimbusRomNo9L-Medi']) {
      expect(italicByName(name), name).toBe(false);
    }
  });
});
