import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, readDocument } from '../src/parse.ts';
import { EngineError } from '../src/errors.ts';
import type { DocBlock } from '../src/model.ts';
import { degrees } from 'pdf-lib';
import { figurePdf, newPdf, pagesPdf, reportPdf, rotatedPdf, ruledTablePdf, unruledTablePdf } from './pdf-fixtures.ts';

const read = (bytes: Uint8Array, options = {}) => readDocument(bytes, options, { filename: 'x.pdf' });
const texts = (blocks: DocBlock[]) => blocks.map((b) => b.text);

describe('PDF reading: a three-page report', () => {
  let blocks: DocBlock[];
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await reportPdf();
    blocks = (await read(bytes)).blocks;
  });

  it('finds the title, headings with levels, and repeated page furniture', () => {
    expect(blocks.find((b) => b.type === 'Title')).toMatchObject({ text: 'Widget Market Review', level: 1 });
    const headers = blocks.filter((b) => b.type === 'Section Header');
    expect(headers.map((h) => [h.text, h.level])).toEqual([['1 Introduction', 2], ['1.1 Scope', 3], ['2 Results', 2]]);
    expect(blocks.filter((b) => b.type === 'Header').map((b) => b.box.page)).toEqual([1, 2, 3]);
    expect(blocks.filter((b) => b.type === 'Page Number').map((b) => b.text)).toEqual(['Page 1', 'Page 2', 'Page 3']);
  });

  it('reads two columns column by column', () => {
    const order = blocks.filter((b) => /^(Left|Right)\d/.test(b.text)).map((b) => b.text.slice(0, b.text.indexOf(' ')));
    expect(order).toEqual(['Left1', 'Left2', 'Left3', 'Right1', 'Right2', 'Right3']);
    const left1 = blocks.find((b) => b.text.startsWith('Left1'))!;
    expect(left1.box.left).toBeGreaterThan(0.1);
    expect(left1.box.left + left1.box.width).toBeLessThan(0.5);
    expect(left1.box).toMatchObject({ page: 1, original_page: 1 });
  });

  it('keeps a line-end hyphen as printed, joins the word when asked, and finds nested and numbered lists', async () => {
    expect(texts(blocks).some((t) => t.includes('sales organi-zation grew'))).toBe(true);
    const joined = (await read(bytes, { formatting: { join_hyphenated_words: true } })).blocks;
    expect(texts(joined).some((t) => t.includes('sales organization grew'))).toBe(true);
    const items = blocks.filter((b) => b.type === 'List Item');
    expect(items.map((b) => [b.text, b.listLevel])).toEqual([
      ['First bullet point', 0], ['Second bullet point', 0], ['Nested detail item', 1], ['Third bullet point', 0],
      ['Step one of the process', 0], ['Step two of the process', 0],
    ]);
    expect(items[4].listMarker).toBe('1.');
  });

  it('renders Markdown through parse(), with page markers and filters', async () => {
    const out = await parse(bytes, { formatting: { add_page_markers: true }, retrieval: { filter_blocks: ['Header', 'Page Number'] } }, { filename: 'r.pdf' });
    const md = out.result.chunks[0].content;
    expect(md).toMatch(/^\[\[PAGE 1 BEGINS HERE\]\]\n\n# Widget Market Review/);
    expect(md).toContain('## 1 Introduction');
    expect(md).toContain('### 1.1 Scope');
    expect(md).toContain('- Second bullet point\n\n  - Nested detail item');
    expect(md).toContain('1. Step one of the process');
    expect(md).not.toContain('ACME Corp');
    expect(md.trimEnd().endsWith('[[PAGE 3 ENDS HERE]]')).toBe(true);
    expect(out.usage.num_pages).toBe(3);
    expect(out.result.chunks[0].blocks.some((b) => b.type === 'Header')).toBe(true);
  });

  it('chunks by page', async () => {
    const out = await parse(bytes, { retrieval: { chunking: { chunk_mode: 'page' } } }, { filename: 'r.pdf' });
    expect(out.result.chunks).toHaveLength(3);
    expect(out.result.chunks[2].content).toContain('## 2 Results');
  });

  it('reads bytes handed over to pdf.js without a copy to the same result, and copies a view into a larger buffer', async () => {
    const kept = await parse(bytes, {}, { filename: 'r.pdf' });
    expect(bytes.byteLength).toBeGreaterThan(0); // not handed over: the caller's bytes stay

    const own = new Uint8Array(bytes); // fills its buffer alone
    expect(await parse(own, {}, { filename: 'r.pdf', handOver: true })).toEqual(kept);
    expect(own.byteLength).toBe(0); // pdf.js took the buffer: detached

    const larger = new Uint8Array(bytes.byteLength + 16);
    larger.set(bytes, 8);
    const view = larger.subarray(8, 8 + bytes.byteLength);
    expect(await parse(view, {}, { filename: 'r.pdf', handOver: true })).toEqual(kept);
    expect(view.byteLength).toBe(bytes.byteLength); // the other bytes of its buffer are not pdf.js's to take
  });
});

describe('PDF tables', () => {
  it('reads a ruled table with row and column spans', async () => {
    const doc = await read(await ruledTablePdf());
    const table = doc.blocks.find((b) => b.type === 'Table')!;
    expect(table).toBeDefined();
    expect(table.caption).toBe('Table 1: Regional sales');
    const t = table.table!;
    expect([t.rows, t.cols, t.headerRows]).toEqual([3, 3, 1]);
    const cell = (r: number, c: number) => t.cells.find((x) => x.row === r && x.col === c);
    expect(cell(0, 0)).toMatchObject({ text: 'Region and city', colSpan: 2, rowSpan: 1 });
    expect(cell(0, 2)).toMatchObject({ text: 'Sales' });
    expect(cell(1, 2)).toMatchObject({ text: '1,200', rowSpan: 2 });
    expect(cell(2, 1)).toMatchObject({ text: 'Rome' });
    expect(cell(1, 2)!.box!.page).toBe(1);
    expect(texts(doc.blocks)).toContain('A closing paragraph below the table.');
    const out = await parse(await ruledTablePdf(), { formatting: { table_output_format: 'html' } }, { filename: 't.pdf' });
    expect(out.result.chunks[0].content).toContain('<tr><th colspan="2">Region and city</th><th>Sales</th></tr>');
    expect(out.result.chunks[0].content).toContain('<td rowspan="2">1,200</td>');
  });

  it('reads an unruled table from column alignment and merges it across pages', async () => {
    const bytes = await unruledTablePdf();
    const doc = await read(bytes);
    const tables = doc.blocks.filter((b) => b.type === 'Table');
    expect(tables).toHaveLength(2);
    const m = tables[0].table!;
    expect([m.rows, m.cols]).toEqual([4, 3]);
    expect(m.cells.find((c) => c.row === 2 && c.col === 1)?.text).toBe('80');
    // Text around the table stays text, in order.
    expect(doc.blocks.map((b) => [b.type, b.box.page])).toEqual([['Text', 1], ['Table', 1], ['Table', 2], ['Text', 2]]);
    const merged = await parse(bytes, { formatting: { merge_tables: true, table_output_format: 'json' } }, { filename: 't.pdf' });
    const wire = merged.result.chunks[0].blocks.filter((b) => b.type === 'Table');
    expect(wire).toHaveLength(1);
    expect(JSON.parse(wire[0].content)).toHaveLength(7);
    expect(wire[0].merged_tables).toHaveLength(2);
  });
});

describe('PDF pages, figures and errors', () => {
  it('applies page rotation', async () => {
    const doc = await read(await rotatedPdf());
    expect(doc.pages[0]).toMatchObject({ width: 792, height: 612 });
    expect(texts(doc.blocks)).toContain('This paragraph sits on a page displayed in landscape.');
    for (const b of doc.blocks) {
      expect(b.box.left).toBeGreaterThanOrEqual(0);
      expect(b.box.left + b.box.width).toBeLessThanOrEqual(1);
    }
  });

  it('reads a page whose text is set sideways (a landscape table on a portrait page) turned upright', async () => {
    const { pdf, fonts } = await newPdf();
    const page = pdf.addPage([612, 792]);
    // Drawn turned a quarter counter-clockwise: each line reads bottom to top, and the next
    // line stands to its right.
    const sideways = (str: string, line: number, along: number, size = 10, font = fonts.regular) =>
      page.drawText(str, { x: 80 + 16 * line, y: 80 + along, size, font, rotate: degrees(90) });
    sideways('Annual Figures by Region', 0, 0, 14, fonts.bold);
    const rows = [['Region', 'Units', 'Revenue'], ['North', '120', '4,500'], ['South', '95', '3,900'], ['East', '143', '5,210']];
    rows.forEach((row, r) => row.forEach((cell, c) => sideways(cell, 2 + r, 160 * c)));
    ['The figures above are provisional and will be revised once the', 'audited accounts of every region have been received by the', 'central office at the end of the quarter.']
      .forEach((line, i) => sideways(line, 8 + i, 0));
    const doc = await read(await pdf.save());
    const table = doc.blocks.find((b) => b.type === 'Table');
    expect(table?.table?.cells.map((c) => c.text)).toEqual(rows.flat());
    expect(texts(doc.blocks).map((t) => t.replace(/\n/g, ' '))).toContain('The figures above are provisional and will be revised once the audited accounts of every region have been received by the central office at the end of the quarter.');
    expect(doc.blocks.map((b) => b.type)[0]).not.toBe('Table');
    for (const b of doc.blocks) {
      expect(b.box.left).toBeGreaterThanOrEqual(0);
      expect(b.box.top + b.box.height).toBeLessThanOrEqual(1);
    }
    // Boxes stay on the page as drawn: the paragraph is a tall, narrow box right of the table.
    const para = doc.blocks.find((b) => b.text.startsWith('The figures above'))!;
    expect(para.box.height).toBeGreaterThan(para.box.width);
    expect(para.box.left).toBeGreaterThan(table!.box.left);
  });

  it('keeps a caption with its figure', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const doc = await read(await figurePdf(new Uint8Array(png)));
    const fig = doc.blocks.find((b) => b.type === 'Figure')!;
    expect(fig.caption).toBe('Figure 1: Growth of widgets over time');
    expect(fig.box.top).toBeCloseTo(92 / 792, 1);
    expect(doc.blocks.filter((b) => b.text.startsWith('Figure 1')).length).toBe(1);
  });

  it('selects pages with page_range in every form, reporting page and original_page', async () => {
    const bytes = await pagesPdf(6);
    const chapters = async (page_range: unknown) => {
      const doc = await read(bytes, { settings: { page_range } });
      return doc.blocks.filter((b) => b.type !== 'Text').map((b) => [b.text, b.box.page, b.box.original_page]);
    };
    expect(await chapters({ start: 5 })).toEqual([['Chapter 5', 1, 5], ['Chapter 6', 2, 6]]);
    expect(await chapters([{ start: 1, end: 1 }, { start: 4, end: 4 }])).toEqual([['Chapter 1', 1, 1], ['Chapter 4', 2, 4]]);
    expect(await chapters([3, 2])).toEqual([['Chapter 2', 1, 2], ['Chapter 3', 2, 3]]);
    expect(await chapters(['2-3', '6'])).toEqual([['Chapter 2', 1, 2], ['Chapter 3', 2, 3], ['Chapter 6', 3, 6]]);
    const doc = await read(bytes, { settings: { page_range: { start: 2, end: 3 } } });
    expect(doc.totalPages).toBe(6);
    expect(doc.pages.map((p) => [p.page, p.originalPage])).toEqual([[1, 2], [2, 3]]);
    await expect(read(bytes, { settings: { page_range: { start: 9 } } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('reports progress per page and stops when cancelled', async () => {
    const bytes = await pagesPdf(4);
    const progress: Array<[number, number]> = [];
    await parse(bytes, {}, { filename: 'p.pdf', onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    const controller = new AbortController();
    const run = parse(bytes, {}, { filename: 'p.pdf', signal: controller.signal, onProgress: (d) => { if (d === 1) controller.abort(); } });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });

  it('reports a corrupt PDF as DOCUMENT_CORRUPT', async () => {
    const junk = new TextEncoder().encode('%PDF-1.7\n' + 'garbage '.repeat(200));
    const err = await read(junk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'DOCUMENT_CORRUPT' });
  });

  it('needs document_password for an encrypted PDF', async () => {
    // password.pdf: from Unstructured-IO/unstructured example-docs (Apache-2.0), see fixtures/README.md.
    const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/password.pdf', import.meta.url))));
    await expect(read(bytes)).rejects.toMatchObject({ code: 'DOCUMENT_PASSWORD_PROTECTED', message: expect.stringMatching(/document_password/) });
    await expect(read(bytes, { settings: { document_password: 'wrong-password' } })).rejects.toMatchObject({ code: 'DOCUMENT_PASSWORD_PROTECTED', message: expect.stringMatching(/incorrect/) });
    const doc = await read(bytes, { settings: { document_password: 'password' } });
    expect(doc.pages).toHaveLength(1);
    expect(doc.blocks.length).toBeGreaterThan(0);
  });
});
