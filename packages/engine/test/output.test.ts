import { describe, expect, it } from 'vitest';
import { buildOutput } from '../src/output.ts';
import type { DocBlock, ParsedDocument, TableModel } from '../src/model.ts';
import type { ParseOptions } from '../src/options.ts';

let y = 0;
function block(type: DocBlock['type'], text: string, page = 1, extra: Partial<DocBlock> = {}): DocBlock {
  y = (y + 0.05) % 0.9;
  return { type, text, confidence: 0.95, box: { left: 0.1, top: y, width: 0.8, height: 0.04, page, original_page: page + 9 }, ...extra };
}

function doc(blocks: DocBlock[], pages = 1): ParsedDocument {
  return {
    blocks,
    totalPages: pages + 10,
    pages: Array.from({ length: pages }, (_, i) => ({ page: i + 1, originalPage: i + 10, width: 612, height: 792 })),
  };
}

const spanned: TableModel = {
  rows: 3, cols: 3, headerRows: 1,
  cells: [
    { row: 0, col: 0, rowSpan: 1, colSpan: 2, text: 'Name', header: true },
    { row: 0, col: 2, rowSpan: 1, colSpan: 1, text: 'Qty', header: true },
    { row: 1, col: 0, rowSpan: 2, colSpan: 1, text: 'A' },
    { row: 1, col: 1, rowSpan: 1, colSpan: 1, text: 'x, "y"' },
    { row: 1, col: 2, rowSpan: 1, colSpan: 1, text: '1' },
    { row: 2, col: 1, rowSpan: 1, colSpan: 1, text: 'z|w' },
    { row: 2, col: 2, rowSpan: 1, colSpan: 1, text: '2' },
  ],
};

function simpleTable(rows: string[][]): TableModel {
  return {
    rows: rows.length, cols: rows[0].length, headerRows: 1,
    cells: rows.flatMap((r, i) => r.map((text, j) => ({ row: i, col: j, rowSpan: 1, colSpan: 1, text }))),
  };
}

const out = (d: ParsedDocument, o: ParseOptions = {}) => buildOutput(d, o);

describe('markdown content', () => {
  it('renders headings, lists with nesting and text, one chunk by default', () => {
    const d = doc([
      block('Title', 'Annual Report', 1, { level: 1 }),
      block('Section Header', '1 Intro', 1, { level: 2 }),
      block('Section Header', '1.1 Scope', 1, { level: 3 }),
      block('Text', 'Some text.'),
      block('List Item', 'first', 1, { listMarker: '•', listLevel: 0 }),
      block('List Item', 'nested', 1, { listMarker: '–', listLevel: 1 }),
      block('List Item', 'numbered', 1, { listMarker: '2.', listLevel: 0 }),
    ]);
    const r = out(d);
    expect(r.result.chunks).toHaveLength(1);
    expect(r.result.chunks[0].content).toBe(
      '# Annual Report\n\n## 1 Intro\n\n### 1.1 Scope\n\nSome text.\n\n- first\n\n  - nested\n\n2. numbered');
    const b = r.result.chunks[0].blocks[0];
    expect(b).toMatchObject({ type: 'Title', content: 'Annual Report', confidence: 'high', image_url: null, chart_data: null });
    expect(b.bbox).toMatchObject({ page: 1, original_page: 10 });
    expect(b.granular_confidence?.parse_confidence).toBeCloseTo(0.95);
    expect(r.usage.num_pages).toBe(1);
    expect(r.totalPages).toBe(11);
    expect(r.result.ocr).toBeNull();
    expect(r.result.chunks[0].embed).toBe(r.result.chunks[0].content);
  });

  it('reports low confidence below the threshold', () => {
    const r = out(doc([block('Text', 'blurry', 1, { confidence: 0.4 })]));
    expect(r.result.chunks[0].blocks[0].confidence).toBe('low');
  });
});

describe('table formats', () => {
  const d = doc([block('Table', '', 1, { table: spanned })]);
  const content = (f: NonNullable<ParseOptions['formatting']>['table_output_format']) =>
    out(d, { formatting: { table_output_format: f } }).result.chunks[0].blocks[0].content;

  it('html carries rowspan/colspan and header cells', () => {
    expect(content('html')).toBe('<table><tr><th colspan="2">Name</th><th>Qty</th></tr>'
      + '<tr><td rowspan="2">A</td><td>x, "y"</td><td>1</td></tr><tr><td>z|w</td><td>2</td></tr></table>');
  });
  it('html keeps an empty position as an empty cell, so the row does not shift left', () => {
    const holed: TableModel = { rows: 2, cols: 3, headerRows: 1, cells: [
      { row: 0, col: 1, rowSpan: 1, colSpan: 1, text: 'Men' }, { row: 0, col: 2, rowSpan: 1, colSpan: 1, text: 'Women' },
      { row: 1, col: 0, rowSpan: 1, colSpan: 1, text: 'Age' }, { row: 1, col: 2, rowSpan: 1, colSpan: 1, text: '61' },
    ] };
    const html = out(doc([block('Table', '', 1, { table: holed })]), { formatting: { table_output_format: 'html' } }).result.chunks[0].blocks[0].content;
    expect(html).toBe('<table><tr><th></th><th>Men</th><th>Women</th></tr><tr><td>Age</td><td></td><td>61</td></tr></table>');
  });
  it('md is a GFM pipe table', () => {
    expect(content('md')).toBe('| Name |  | Qty |\n| --- | --- | --- |\n| A | x, "y" | 1 |\n|  | z\\|w | 2 |');
  });
  it('json, csv, jsonbbox', () => {
    expect(JSON.parse(content('json'))).toEqual([['Name', '', 'Qty'], ['A', 'x, "y"', '1'], ['', 'z|w', '2']]);
    expect(content('csv')).toBe('Name,,Qty\nA,"x, ""y""",1\n,z|w,2');
    const jb = JSON.parse(content('jsonbbox'));
    expect(jb[1][1]).toEqual({ text: 'x, "y"', bbox: null });
  });
  it('dynamic: md for small simple tables, html for large or heavily merged ones', () => {
    expect(content('dynamic')).toMatch(/^\| Name/); // 9 cells, 2 merged
    const big = simpleTable(Array.from({ length: 11 }, (_, i) => [`r${i}`, 'a', 'b']));
    const r = out(doc([block('Table', '', 1, { table: big })]));
    expect(r.result.chunks[0].content).toMatch(/^<table>/);
    const merged: TableModel = { rows: 5, cols: 2, headerRows: 0, cells: Array.from({ length: 5 }, (_, i) => ({ row: i, col: 0, rowSpan: 1, colSpan: 2, text: `m${i}` })) };
    expect(out(doc([block('Table', '', 1, { table: merged })])).result.chunks[0].content).toMatch(/^<table>/);
  });
  it('embedding_optimized turns tables into sentences in embed only', () => {
    const t = simpleTable([['Item', 'Price'], ['Tea', '3'], ['Cake', '5']]);
    const r = out(doc([block('Table', '', 1, { table: t, caption: 'Table 1: Prices' })]), { retrieval: { embedding_optimized: true } });
    expect(r.result.chunks[0].content).toBe('Table 1: Prices\n\n| Item | Price |\n| --- | --- |\n| Tea | 3 |\n| Cake | 5 |');
    expect(r.result.chunks[0].embed).toBe('Table 1: Prices\nItem: Tea; Price: 3.\nItem: Cake; Price: 5.');
    expect(r.result.chunks[0].blocks[0].extra).toMatchObject({ caption: 'Table 1: Prices' });
  });
});

describe('filter_blocks and page markers', () => {
  const d = doc([
    block('Header', 'ACME confidential', 1),
    block('Text', 'Page one body.', 1),
    block('Page Number', '1', 1),
    block('Header', 'ACME confidential', 3),
    block('Text', 'Page three body.', 3),
  ], 3);

  it('filtered blocks leave content/embed but stay in blocks', () => {
    const r = out(d, { retrieval: { filter_blocks: ['Header', 'Page Number'] } });
    expect(r.result.chunks[0].content).toBe('Page one body.\n\nPage three body.');
    expect(r.result.chunks[0].embed).toBe('Page one body.\n\nPage three body.');
    expect(r.result.chunks[0].blocks.map((b) => b.type)).toEqual(['Header', 'Text', 'Page Number', 'Header', 'Text']);
  });

  it('add_page_markers wraps every page, empty ones included', () => {
    const r = out(d, { retrieval: { filter_blocks: ['Header', 'Page Number'] }, formatting: { add_page_markers: true } });
    expect(r.result.chunks[0].content).toBe([
      '[[PAGE 1 BEGINS HERE]]', 'Page one body.', '[[PAGE 1 ENDS HERE]]',
      '[[PAGE 2 BEGINS HERE]]', '[[PAGE 2 ENDS HERE]]',
      '[[PAGE 3 BEGINS HERE]]', 'Page three body.', '[[PAGE 3 ENDS HERE]]',
    ].join('\n\n'));
  });
});

describe('chunk modes', () => {
  const para = (n: number, page = 1) => block('Text', `Paragraph ${n}. ${'word '.repeat(40).trim()}`, page); // ~214 chars
  const d = doc([
    block('Title', 'Doc', 1, { level: 1 }),
    para(1), para(2),
    block('Section Header', 'Second', 1, { level: 2 }),
    para(3), para(4, 2), para(5, 2), para(6, 2), para(7, 2), para(8, 2), para(9, 2), para(10, 2),
    block('Section Header', 'Third', 2, { level: 2 }),
    para(11, 2),
  ], 2);
  const chunks = (o: ParseOptions['retrieval']) => out(d, { retrieval: o }).result.chunks;

  it('block: one chunk per block', () => {
    expect(chunks({ chunking: { chunk_mode: 'block' } })).toHaveLength(d.blocks.length);
  });
  it('page: one chunk per page', () => {
    const c = chunks({ chunking: { chunk_mode: 'page' } });
    expect(c).toHaveLength(2);
    expect(c[1].blocks.every((b) => b.bbox.page === 2)).toBe(true);
  });
  it('section: a new chunk at each heading', () => {
    const c = chunks({ chunking: { chunk_mode: 'section' } });
    expect(c.map((x) => x.blocks[0].content)).toEqual(['Doc', 'Second', 'Third']);
  });
  it('page_sections: page first, then sections', () => {
    const c = chunks({ chunking: { chunk_mode: 'page_sections' } });
    expect(c.map((x) => x.blocks[0].content.slice(0, 12))).toEqual(['Doc', 'Second', 'Paragraph 4.', 'Third']);
  });
  it('variable: 250–1500 chars, headings kept with their content, nothing lost', () => {
    const c = chunks({ chunking: { chunk_mode: 'variable' } });
    expect(c.length).toBeGreaterThan(1);
    for (const x of c) {
      expect(x.content.length).toBeLessThanOrEqual(1500);
      expect(x.content.length).toBeGreaterThanOrEqual(250);
      expect(['Section Header', 'Title']).not.toContain(x.blocks[x.blocks.length - 1].type);
    }
    expect(c.flatMap((x) => x.blocks).length).toBe(d.blocks.length);
  });
  it('variable honours chunk_size (±25 %) and chunk_overlap', () => {
    const c = chunks({ chunking: { chunk_mode: 'variable', chunk_size: 500, chunk_overlap: 40 } });
    for (const x of c.slice(1)) expect(x.content.length).toBeLessThanOrEqual(625 + 42);
    const plain = chunks({ chunking: { chunk_mode: 'variable', chunk_size: 500 } });
    expect(c[1].content.endsWith(plain[1].content)).toBe(true);
    const tail = c[1].content.slice(0, c[1].content.length - plain[1].content.length).trim();
    expect(tail.length).toBeGreaterThan(20);
    expect(plain[0].content.endsWith(tail)).toBe(true);
  });
});

describe('merge_tables, images, ocr', () => {
  it('joins a table continued on the next page and drops its repeated header', () => {
    const t1 = simpleTable([['Item', 'Price'], ['Tea', '3']]);
    const t2 = simpleTable([['Item', 'Price'], ['Cake', '5']]);
    const d = doc([block('Table', '', 1, { table: t1 }), block('Footer', 'f', 1), block('Header', 'h', 2), block('Table', '', 2, { table: t2 })], 2);
    const r = out(d, { formatting: { merge_tables: true, table_output_format: 'json' } });
    const tables = r.result.chunks[0].blocks.filter((b) => b.type === 'Table');
    expect(tables).toHaveLength(1);
    expect(JSON.parse(tables[0].content)).toEqual([['Item', 'Price'], ['Tea', '3'], ['Cake', '5']]);
    expect(tables[0].merged_tables).toHaveLength(2);
    expect(tables[0].merged_tables![1].bbox.page).toBe(2);
    const unmerged = out(d, { formatting: { table_output_format: 'json' } });
    expect(unmerged.result.chunks[0].blocks.filter((b) => b.type === 'Table')).toHaveLength(2);
  });

  it('registers block and page images under placeholders', () => {
    const img = { bytes: new Uint8Array([1, 2]), mime: 'image/png' };
    const d = doc([block('Figure', 'Figure 1: A chart', 1, { image: img })]);
    d.pages[0].image = img;
    const r = out(d);
    const b = r.result.chunks[0].blocks[0];
    expect(b.image_url).toBe('folio-image:block-1');
    expect(b.extra).toMatchObject({ page_image_url: 'folio-image:page-10' });
    expect([...r.images.keys()].sort()).toEqual(['block-1', 'page-10']);
  });

  it('passes OCR data through when asked, with chunk indices', () => {
    const d = doc([block('Text', 'hello')]);
    d.ocr = { words: [{ text: 'hello', bbox: d.blocks[0].box, confidence: 0.9 }], lines: [] };
    expect(out(d).result.ocr).toBeNull();
    const r = out(d, { settings: { return_ocr_data: true } });
    expect(r.result.ocr?.words[0]).toMatchObject({ text: 'hello', chunk_index: 0 });
  });
});
