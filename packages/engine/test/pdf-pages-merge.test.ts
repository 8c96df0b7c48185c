import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergePages, parse, parsePages } from '../src/parse.ts';
import type { ParseOptions } from '../src/options.ts';
import { newPdf, prose, text, wrap } from './pdf-fixtures.ts';

/**
 * A 12-page document whose document-level decisions need every page: a running header and
 * page numbers (furniture counted over all pages), the title on page 1 only (later ranges
 * must not find a title of their own), heading levels from body-size statistics, and a word
 * broken at a line end ("experimen-" / "tation") that is only known to be one word from its
 * use on another page.
 */
async function longReport(): Promise<Uint8Array> {
  const { pdf, fonts } = await newPdf();
  pdf.setTitle('Long report');
  for (let n = 1; n <= 12; n++) {
    const page = pdf.addPage([612, 792]);
    text(page, 'Northwind Annual Review', 72, 30, 9, fonts.regular);
    let top = 80;
    if (n === 1) {
      text(page, 'Northwind Annual Review 2025', 72, top, 24, fonts.bold);
      top += 50;
    }
    if (n % 3 === 1) {
      text(page, `${Math.ceil(n / 3)} Chapter on ${prose(n, 2)}`, 72, top, 14, fonts.bold);
      top += 30;
    }
    for (let p = 0; p < 3; p++) {
      for (const line of wrap(prose(n * 3 + p, 70), 460, 10, fonts.regular)) {
        text(page, line, 72, top, 10, fonts.regular);
        top += 13;
      }
      top += 10;
    }
    if (n === 5) {
      text(page, 'the results of this experimen-', 72, top, 10, fonts.regular);
      text(page, 'tation were clear to all involved.', 72, top + 13, 10, fonts.regular);
    }
    if (n === 11) text(page, 'Each experimentation was repeated twice.', 72, top, 10, fonts.regular);
    text(page, `Page ${n}`, 290, 750, 9, fonts.regular);
  }
  return pdf.save();
}

/** The pages first..last as a PDF of their own, metadata kept (as the distributed deployment cuts them). */
async function cut(bytes: Uint8Array, first: number, last: number): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes);
  const part = await PDFDocument.create({ updateMetadata: false });
  for (const page of await part.copyPages(source, Array.from({ length: last - first + 1 }, (_, i) => first - 1 + i))) part.addPage(page);
  part.setTitle(source.getTitle()!);
  return part.save();
}

const SPANS = [{ first: 1, last: 4 }, { first: 5, last: 9 }, { first: 10, last: 12 }];

describe('a PDF parsed in page ranges and merged', () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await longReport();
  });

  const options: Array<[string, ParseOptions]> = [
    ['default', {}],
    ['page chunks with page markers, broken words joined', { retrieval: { chunking: { chunk_mode: 'page' } }, formatting: { add_page_markers: true, join_hyphenated_words: true } }],
    ['variable chunks, tables merged, broken words joined', { retrieval: { chunking: { chunk_mode: 'variable', chunk_size: 500 } }, formatting: { merge_tables: true, join_hyphenated_words: true } }],
  ];

  it.each(options)('gives the same result as one parse (%s)', async (_, opts) => {
    const whole = await parse(bytes, opts, { filename: 'r.pdf' });
    const parts = await Promise.all(SPANS.map(async (span) => ({ read: await parsePages(bytes, opts, { filename: 'r.pdf' }, span), pageOffset: 0 })));
    const merged = await mergePages(parts, opts);
    expect(merged).toEqual(whole);
    // The decisions that need the whole document were made on it.
    const blocks = whole.result.chunks.flatMap((c) => c.blocks);
    expect(blocks.filter((b) => b.type === 'Title')).toHaveLength(1);
    expect(blocks.filter((b) => b.type === 'Header')).toHaveLength(12);
    const word = opts.formatting?.join_hyphenated_words ? 'experimentation' : 'experimen-tation';
    expect(blocks.some((b) => b.content.includes(`${word} were clear`))).toBe(true);
  });

  it('gives the same result from ranges cut into PDFs of their own', async () => {
    const whole = await parse(bytes, {}, { filename: 'r.pdf' });
    const parts = await Promise.all(SPANS.map(async (span) => ({
      read: await parsePages(await cut(bytes, span.first, span.last), {}, {}, { first: 1, last: span.last - span.first + 1 }),
      pageOffset: span.first - 1,
    })));
    const merged = await mergePages(parts, {});
    expect(merged.result).toEqual(whole.result);
    expect(merged.usage).toEqual(whole.usage);
    expect(merged.totalPages).toBe(12);
  });

  it('reports progress over the range only', async () => {
    const seen: Array<[number, number]> = [];
    const read = await parsePages(bytes, {}, { onProgress: (done, total) => seen.push([done, total]) }, { first: 5, last: 7 });
    expect(seen).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(read.pages.map((p) => [p.page, p.originalPage])).toEqual([[1, 5], [2, 6], [3, 7]]);
    expect(read.totalPages).toBe(12);
  });
});
