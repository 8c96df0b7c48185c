import pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import Reducto, { toFile } from 'reductoai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../../engine/src/index.ts';
import { Cluster } from './cluster.ts';
import { TEST_DATABASE_URL } from './pg-test-db.ts';
import { cutPdf, mayFanOut, MIN_PART_PAGES, MIN_PART_READING_MS, MIN_SPLIT_REST_MS, openPdf, parsePartJobId, partJobId, partUploadId, pdfPageCount, planSpans, ReadingPace, restSpans, restWorthSplitting } from '../../src/jobs/fanout.ts';
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

  it('hands out the rest of a reading only once it has shown itself long', () => {
    // Too early to tell, whatever the pace.
    expect(restWorthSplitting(999, 100, 1000)).toBe(false);
    // 20 ms a page: 400 pages left take 8 s, worth splitting; 40 left take less than MIN_SPLIT_REST_MS.
    expect(restWorthSplitting(1000, 20, 400)).toBe(true);
    expect(restWorthSplitting(1000, 20, 40)).toBe(false);
    // A fast reading (1 ms a page) of a long document is not split.
    expect(restWorthSplitting(1000, 1, 1000)).toBe(false);
    // Too few pages left for two parts.
    expect(restWorthSplitting(10 * MIN_SPLIT_REST_MS, 1000, 2 * MIN_PART_PAGES - 1)).toBe(false);
    // FOLIO_FANOUT_MIN_REST_MS=0: any reading with pages enough left, from its first page.
    expect(restWorthSplitting(0, 0, 2 * MIN_PART_PAGES, 0)).toBe(true);
  });

  it('takes the pace of a reading from its pages after the first quarter second', () => {
    const pace = new ReadingPace(0);
    expect(pace.msPerPage(2, 100)).toBe(50);
    // Slow first pages: 10 pages in the first 250 ms, then 100 pages in 500 ms.
    expect(pace.msPerPage(10, 250)).toBe(25);
    expect(pace.msPerPage(110, 750)).toBe(5);
  });

  it('sizes the parts of the rest from the worker threads, the pace and the deployment', () => {
    // Embedded, 2 threads, pages 101-500 at 20 ms a page: two parts per thread of 100 pages (2 s each).
    expect(restSpans(100, 500, 20, 2, null)).toEqual([{ first: 101, last: 200 }, { first: 201, last: 300 }, { first: 301, last: 400 }, { first: 401, last: 500 }]);
    // A faster pace makes parts larger, for at least MIN_PART_READING_MS of reading each.
    expect(restSpans(100, 500, MIN_PART_READING_MS / 200, 2, null)).toEqual([{ first: 101, last: 300 }, { first: 301, last: 500 }]);
    // Distributed: parts of the base size; never below MIN_PART_PAGES.
    expect(restSpans(10, 160, 100, 1, 50)).toEqual([{ first: 11, last: 60 }, { first: 61, last: 110 }, { first: 111, last: 160 }]);
    expect(restSpans(0, 2 * MIN_PART_PAGES, 1000, 8, null)).toHaveLength(2);
  });

  it('fans out only documents read as PDFs', () => {
    const job = { type: 'Parse' as const, input: { ref: 'reducto://a.pdf' } };
    expect(mayFanOut({ ...job, config: { settings: { force_file_extension: '.pdf' } } })).toBe(true);
    expect(mayFanOut({ ...job, config: { settings: { force_file_extension: 'docx' } } })).toBe(false);
  });
});

describe('a reading that proves long hands the rest out to other workers (distributed, default fan-out)', () => {
  let cluster: Cluster;
  let db: pg.Client;
  let client: Reducto;

  beforeAll(async () => {
    // FOLIO_FANOUT_MIN_REST_MS=0: any reading with pages enough left is split from its first
    // page, whatever the machine's speed.
    cluster = await Cluster.start({ apis: 1, workers: 2, env: { FOLIO_FANOUT_MIN_REST_MS: '0', FOLIO_LEASE_S: '5' } });
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    client = new Reducto({ apiKey: cluster.apiKeys[0], baseURL: cluster.url, maxRetries: 4 });
  });
  afterAll(async () => {
    await db?.end();
    await cluster?.close();
  });

  it('keeps the pages read as the first part, cuts the rest, and merges them as one run would', async () => {
    const pdf = await makePdf(150, (p) => `Section ${p} heading`);
    const upload = await client.upload({ file: await toFile(Buffer.from(pdf), 'long.pdf') });
    const res = (await client.parse.run({ input: upload.file_id })) as any;
    const parts = (await db.query(`SELECT part, first_page, last_page, status, attempts, input_ref FROM ${cluster.schema}.job_parts WHERE job_id = $1 ORDER BY part`, [res.job_id])).rows;
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.every((p) => p.status === 'Completed')).toBe(true);
    // Part 1: the pages the first worker read before it handed the rest out, never queued nor cut.
    expect(parts[0]).toMatchObject({ part: 1, first_page: 1, attempts: 0, input_ref: null });
    expect(parts.slice(1).every((p) => p.attempts === 1 && p.input_ref)).toBe(true);
    expect(parts.at(-1).last_page).toBe(150);
    parts.slice(1).forEach((p, i) => expect(p.first_page).toBe(parts[i].last_page + 1));
    const alone = await parse(pdf);
    expect(res.result).toEqual(JSON.parse(JSON.stringify(alone.result)));
    expect(await client.job.get(res.job_id)).toMatchObject({ status: 'Completed', num_pages: 150, total_pages: 150, progress: 100 });
  });
});
