import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { cutPdf, mayFanOut, mergeParseResponses, openPdf, parsePartJobId, partJobId, partUploadId, pdfPageCount, planSpans } from '../../src/jobs/fanout.ts';
import { makePdf } from '../fixtures.ts';

const block = (type: string, content: string, page: number) => ({ type, content, bbox: { left: 0, top: 0, width: 1, height: 0.1, page, original_page: page } });
/** A part's response: its own PDF's pages are numbered from 1. */
const response = (first: number, last: number, title: string) => {
  const blocks = [block('Title', title, 1)];
  for (let p = first; p <= last; p++) blocks.push(block('Text', `text of page ${p}`, p - first + 1));
  return {
    job_id: 'part', duration: 1, response_type: 'parse', usage: { num_pages: last - first + 1, credits: null },
    result: { type: 'full', chunks: [{ content: [`# ${title}`, ...blocks.slice(1).map((b) => b.content)].join('\n\n'), embed: '', enriched: null, blocks }], ocr: null, custom: null },
    document_properties: { title: 'doc' },
  };
};

describe('fan-out planning and merging', () => {
  it('plans even contiguous spans covering every page', () => {
    expect(planSpans(500, 50)).toHaveLength(10);
    expect(planSpans(120, 50).map((s) => [s.first, s.last])).toEqual([[1, 40], [41, 80], [81, 120]]);
    expect(planSpans(51, 50).map((s) => s.last - s.first + 1)).toEqual([26, 25]);
    expect(planSpans(7, 50)).toEqual([{ first: 1, last: 7 }]);
  });

  it('names parts and their inputs after their parent', () => {
    expect(parsePartJobId(partJobId('0b7e-uuid', 12))).toEqual({ parentId: '0b7e-uuid', part: 12 });
    expect(parsePartJobId('0b7e-uuid')).toBeNull();
    expect(partUploadId('0b7e-uuid', 3)).toBe('0b7e-uuid.p3.pdf');
  });

  it('cuts a span of pages into a PDF of its own, keeping the metadata', async () => {
    const source = await PDFDocument.load(await makePdf(5, (p) => `Page ${p}`));
    source.setTitle('Annual report');
    const part = await PDFDocument.load(await cutPdf(source, { first: 2, last: 3 }));
    expect(part.getPageCount()).toBe(2);
    expect(part.getTitle()).toBe('Annual report');
    expect(await openPdf(new TextEncoder().encode('not a pdf'))).toBeNull();
  });

  it('fans out only whole-document parses of uploads', () => {
    const job = { type: 'Parse' as const, config: {}, input: { ref: 'reducto://a.pdf' } };
    expect(mayFanOut(job)).toBe(true);
    expect(mayFanOut({ ...job, type: 'Extract' })).toBe(false);
    expect(mayFanOut({ ...job, config: { settings: { page_range: { start: 1, end: 3 } } } })).toBe(false);
    expect(mayFanOut({ ...job, input: { ref: 'jobid://x' } })).toBe(false);
  });

  it('counts PDF pages and ignores what is not a PDF', async () => {
    expect(await pdfPageCount(await makePdf(3))).toBe(3);
    expect(await pdfPageCount(new TextEncoder().encode('# not a pdf'))).toBeNull();
    expect(await pdfPageCount(new TextEncoder().encode('%PDF-1.7 broken'))).toBeNull();
  });

  it('merges parts in page order into one chunk, renumbering pages and demoting later titles', () => {
    const merged = mergeParseResponses([{ response: response(1, 2, 'Report'), firstPage: 1 }, { response: response(3, 4, 'Chapter two'), firstPage: 3 }], {});
    const chunk = merged.result.chunks[0];
    expect(merged.result.chunks).toHaveLength(1);
    expect(merged.usage.num_pages).toBe(4);
    expect(chunk.blocks.map((b: { bbox: { page: number } }) => b.bbox.page)).toEqual([1, 1, 2, 3, 3, 4]);
    expect(chunk.blocks.map((b: { bbox: { original_page: number } }) => b.bbox.original_page)).toEqual([1, 1, 2, 3, 3, 4]);
    expect(chunk.blocks.map((b: { type: string }) => b.type)).toEqual(['Title', 'Text', 'Text', 'Section Header', 'Text', 'Text']);
    expect(chunk.content).toBe('# Report\n\ntext of page 1\n\ntext of page 2\n\n## Chapter two\n\ntext of page 3\n\ntext of page 4');
    expect(merged.document_properties).toEqual({ title: 'doc' });
  });

  it('keeps chunk lists of other chunk modes, concatenated', () => {
    const merged = mergeParseResponses([{ response: response(1, 1, 'A'), firstPage: 1 }, { response: response(2, 2, 'B'), firstPage: 2 }], { retrieval: { chunking: { chunk_mode: 'page' } } });
    expect(merged.result.chunks).toHaveLength(2);
  });
});
