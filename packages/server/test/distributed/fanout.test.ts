import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { cutPdf, mayFanOut, MIN_PART_PAGES, openPdf, parsePartJobId, partJobId, partSize, partUploadId, pdfPageCount, planSpans } from '../../src/jobs/fanout.ts';
import { makePdf } from '../fixtures.ts';

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

  it('sizes parts from the page count and the worker threads, or as configured', () => {
    // Two parts per thread, none smaller than MIN_PART_PAGES; one thread never fans out.
    expect(partSize(400, 2, null)).toBe(100);
    expect(partSize(400, 1, null)).toBeNull();
    expect(partSize(60, 2, null)).toBe(MIN_PART_PAGES);
    expect(partSize(MIN_PART_PAGES, 4, null)).toBeNull();
    expect(partSize(120, 1, 50)).toBe(50);
    expect(partSize(50, 8, 50)).toBeNull();
    expect(partSize(500, 8, 0)).toBeNull();
  });

  it('fans out only documents read as PDFs', () => {
    const job = { type: 'Parse' as const, input: { ref: 'reducto://a.pdf' } };
    expect(mayFanOut({ ...job, config: { settings: { force_file_extension: '.pdf' } } })).toBe(true);
    expect(mayFanOut({ ...job, config: { settings: { force_file_extension: 'docx' } } })).toBe(false);
  });
});
