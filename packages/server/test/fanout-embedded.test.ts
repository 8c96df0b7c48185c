import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

/**
 * Fan-out in the embedded deployment: a large PDF parse is split into page-range parts run
 * by the worker threads as jobs of their own, and merged into one result — the same result
 * as the document read in one piece.
 */

/** A report whose headings, running header and page numbers are decided over all its pages. */
async function report(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Fan-out report');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([612, 792]);
    page.drawText('Contoso operations report', { x: 72, y: 760, size: 8, font });
    if (p === 1) page.drawText('Contoso Operations 2025', { x: 72, y: 720, size: 22, font: bold });
    if (p % 5 === 1) page.drawText(`Section ${Math.ceil(p / 5)}: results of quarter ${p}`, { x: 72, y: 690, size: 14, font: bold });
    for (let line = 0; line < 20; line++) {
      page.drawText(`Line ${line + 1} of page ${p}: invoices, receipts and contracts are parsed into chunks.`, { x: 72, y: 660 - line * 14, size: 10, font });
    }
    page.drawText(`${p}`, { x: 300, y: 40, size: 9, font });
  }
  return doc.save();
}

const resultOf = async (job: { result: { result: { type: string; url?: string } } }): Promise<unknown> =>
  job.result.result.type === 'url' ? (await fetch(job.result.result.url!)).json() : job.result.result;

describe('fan-out of a large PDF parse across the worker threads (embedded)', () => {
  let fanned: ServerProcess;
  let api: RawClient;
  let pdf: Uint8Array;

  beforeAll(async () => {
    pdf = await report(30);
    // Parts of 4 pages: 8 parts for 2 threads, so both run parts and each runs several.
    fanned = await startServerProcess({ workers: 2, env: { FOLIO_FANOUT_PAGES: '4', FOLIO_LOG_LEVEL: 'info' } });
    api = rawClient(fanned.baseURL, fanned.apiKeys[0]);
  });
  afterAll(async () => {
    await fanned?.stop();
  });

  it('gives the same blocks, pages and chunks as the document parsed in one piece', async () => {
    const input = await api.upload(pdf, 'report.pdf');
    const settings = { retrieval: { chunking: { chunk_mode: 'page' } }, formatting: { add_page_markers: true } };
    const { body } = await api.request('POST', '/parse_async', { input, ...settings });
    const job = await api.waitDone(body.job_id);
    expect(job.status).toBe('Completed');
    expect(fanned.output()).toMatch(new RegExp(`"job_id":"${body.job_id}"[^\\n]*"parts":8[^\\n]*job split into parts`));

    const whole = await startServerProcess({ workers: 1, env: { FOLIO_FANOUT_PAGES: '0' } });
    try {
      const one = rawClient(whole.baseURL, whole.apiKeys[0]);
      const sync = await one.request('POST', '/parse', { input: await one.upload(pdf, 'report.pdf'), ...settings });
      expect(sync.status).toBe(200);
      expect(await resultOf(job)).toEqual(await resultOf({ result: sync.body }));
      expect(job.result.usage).toEqual(sync.body.usage);
      expect(job.result.document_properties).toEqual(sync.body.document_properties);
    } finally {
      await whole.stop();
    }
    const blocks = ((await resultOf(job)) as { chunks: Array<{ blocks: Array<{ type: string; bbox: { page: number } }> }> }).chunks.flatMap((c) => c.blocks);
    expect(blocks.filter((b) => b.type === 'Title')).toHaveLength(1);
    expect(new Set(blocks.map((b) => b.bbox.page)).size).toBe(30);
    expect(job.result.usage.num_pages).toBe(30);
  });

  it('shows progress over the whole document and lists only the parent', async () => {
    const input = await api.upload(pdf, 'progress.pdf');
    const { body } = await api.request('POST', '/parse_async', { input });
    const job = await api.waitDone(body.job_id);
    expect(job).toMatchObject({ status: 'Completed', progress: 100 });
    const list = await api.request('GET', '/jobs?limit=50');
    expect(list.body.jobs.map((j: { job_id: string }) => j.job_id).filter((id: string) => id.startsWith(body.job_id))).toEqual([body.job_id]);
  });

  it('a document is read whole while the other thread is busy with another job', async () => {
    // A long read that does not fan out (a page range) holds one thread...
    const long = await api.upload(await report(400), 'long.pdf');
    const busy = await api.request('POST', '/parse_async', { input: long, settings: { page_range: { start: 1, end: 400 } } });
    const started = new RegExp(`"job_id":"${busy.body.job_id}"[^\\n]*"job started"`);
    for (let i = 0; !started.test(fanned.output()); i++) {
      if (i > 6000) throw new Error(`the long job never started:\n${fanned.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // ...so the next large document, alone on the other thread, is not split into parts.
    const { body } = await api.request('POST', '/parse_async', { input: await api.upload(pdf, 'alone.pdf') });
    expect(await api.waitDone(body.job_id)).toMatchObject({ status: 'Completed' });
    const log = fanned.output();
    const completedAt = (id: string): number => {
      const at = log.search(new RegExp(`"job_id":"${id}"[^\\n]*"job completed"`));
      return at === -1 ? Infinity : at;
    };
    // The premise: the long job was still being read when this one was.
    expect(completedAt(body.job_id)).toBeLessThan(completedAt(busy.body.job_id));
    expect(log).not.toMatch(new RegExp(`"job_id":"${body.job_id}"[^\\n]*job split into parts`));
    expect(await api.waitDone(busy.body.job_id)).toMatchObject({ status: 'Completed' });
  });

  it('cancel stops every part; the threads then take the next job', async () => {
    const big = await api.upload(await report(200), 'big.pdf');
    const { body } = await api.request('POST', '/parse_async', { input: big });
    // Cancel once the document is split (50 parts on 2 threads: far from done).
    const split = new RegExp(`"job_id":"${body.job_id}"[^\\n]*job split into parts`);
    for (let i = 0; !split.test(fanned.output()); i++) {
      if (i > 6000) throw new Error(`the job was never split:\n${fanned.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await api.request('POST', `/cancel/${body.job_id}`);
    expect(await api.waitDone(body.job_id)).toMatchObject({ status: 'Failed', reason: 'Job cancelled' });
    const next = await api.request('POST', '/parse_async', { input: await api.upload(pdf, 'next.pdf') });
    expect(await api.waitDone(next.body.job_id)).toMatchObject({ status: 'Completed' });
  });
});

describe('a reading that proves long hands the rest out to the other thread (embedded, default fan-out)', () => {
  let server: ServerProcess;
  let api: RawClient;

  beforeAll(async () => {
    // FOLIO_FANOUT_MIN_REST_MS=0: any reading with pages enough left is split from its first
    // page, whatever the machine's speed (and on 2 cores too, which the default leaves whole).
    server = await startServerProcess({ workers: 2, env: { FOLIO_FANOUT_MIN_REST_MS: '0', FOLIO_LOG_LEVEL: 'info' } });
    api = rawClient(server.baseURL, server.apiKeys[0]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the pages read as the first part and gives the same result as the document read whole', async () => {
    const pdf = await report(150);
    const { body } = await api.request('POST', '/parse_async', { input: await api.upload(pdf, 'long.pdf') });
    const job = await api.waitDone(body.job_id);
    expect(job).toMatchObject({ status: 'Completed', progress: 100 });
    expect(server.output()).toMatch(new RegExp(`"job_id":"${body.job_id}"[^\\n]*job split into parts`));
    // The first part was read by the thread that began the document: it is not read again.
    const partsRead = server.output().match(new RegExp(`"job_id":"${body.job_id}","part":\\d+[^\\n]*job part completed`, 'g')) ?? [];
    const split = Number(new RegExp(`"job_id":"${body.job_id}"[^\\n]*"parts":(\\d+)[^\\n]*job split into parts`).exec(server.output())![1]);
    expect(partsRead).toHaveLength(split - 1);
    expect(partsRead.some((line) => line.includes('"part":1,'))).toBe(false);

    const whole = await startServerProcess({ workers: 1, env: { FOLIO_FANOUT_PAGES: '0' } });
    try {
      const one = rawClient(whole.baseURL, whole.apiKeys[0]);
      const sync = await one.request('POST', '/parse', { input: await one.upload(pdf, 'long.pdf') });
      expect(sync.status).toBe(200);
      expect(await resultOf(job)).toEqual(await resultOf({ result: sync.body }));
      expect(job.result.usage).toEqual(sync.body.usage);
    } finally {
      await whole.stop();
    }
  });
});
