/**
 * The seed's own example flows (Reducto's JS job-management docs) with @folio/sdk against a
 * real Folio server process: upload → runJob → retrieve (status/progress/reason) → a
 * hand-written polling loop → cancel → getAll with cursor paging; then the helpers that
 * replace that boilerplate (job.wait, runAndWait, iterate, events, fetchUrlResult).
 */
import { createReadStream, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Folio, JobCancelledError, JobFailedError, NotFoundError, UnprocessableEntityError, type JobGetResponse, type ParseResponse } from '../src/index.ts';
import { fileFromPath } from '../src/node.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';
import { makePdf } from '../../server/test/fixtures.ts';

let server: ServerProcess;
let client: Folio;
let dir: string;

beforeAll(async () => {
  server = await startServerProcess({ workers: 2 });
  client = new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[0] });
  dir = mkdtempSync(join(tmpdir(), 'folio-sdk-'));
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the seed flow, as the docs write it', () => {
  it('upload → runJob → retrieve → polling loop until Completed', async () => {
    const pdf = await makePdf(3);
    const upload = await client.upload({ file: new File([pdf as Uint8Array<ArrayBuffer>], 'seed.pdf', { type: 'application/pdf' }) });
    expect(upload.file_id).toMatch(/^reducto:\/\//);

    const { job_id } = await client.parse.runJob({ input: upload.file_id, retrieval: { chunking: { chunk_mode: 'page' } } });
    expect(job_id).toMatch(/^[0-9a-f-]{36}$/);

    // The docs' waitForJob loop, verbatim in spirit.
    let job: JobGetResponse = await client.job.retrieve(job_id);
    const seen = new Set<string>();
    while (job.status !== 'Completed' && job.status !== 'Failed') {
      seen.add(job.status);
      expect(job.progress ?? 0).toBeGreaterThanOrEqual(0);
      await sleep(100);
      job = await client.job.retrieve(job_id);
    }
    expect(job.status).toBe('Completed');
    expect(job.reason ?? null).toBeNull();
    const parsed = job.result as ParseResponse;
    expect(parsed.usage.num_pages).toBe(3);
    const full = (await client.fetchUrlResult(parsed)).result;
    expect(full.type).toBe('full');
    if (full.type !== 'full') return;
    expect(full.chunks).toHaveLength(3);
    expect(full.chunks[1].content).toContain('Page 2 of the Folio test document');
    const block = full.chunks[0].blocks[0];
    expect(block.bbox.page).toBe(1);
    expect(block.bbox.left).toBeGreaterThanOrEqual(0);
    expect(block.bbox.left + block.bbox.width).toBeLessThanOrEqual(1);
  });

  it('cancel stops a long job; wait() reports JobCancelledError and the job reads Failed "Job cancelled"', async () => {
    const upload = await client.upload({ file: new Blob([await makePdf(300) as Uint8Array<ArrayBuffer>]), filename: 'long.pdf' });
    const { job_id } = await client.parse.runJob({ input: upload });
    await client.job.cancel(job_id);
    await expect(client.job.wait(job_id, { timeout: 300_000 })).rejects.toBeInstanceOf(JobCancelledError);
    const job = await client.job.get(job_id);
    expect(job.status).toBe('Failed');
    expect(job.reason).toMatch(/cancel/i);
  });

  it('getAll pages with limit + cursor + exclude_configs; iterate() walks the same jobs', async () => {
    const own = new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[2] });
    const { file_id } = await own.upload({ file: new Blob([await makePdf(1) as Uint8Array<ArrayBuffer>]), filename: 'p.pdf' });
    const submitted: string[] = [];
    for (let i = 0; i < 5; i++) submitted.push((await own.parse.runJob({ input: file_id })).job_id);

    const paged: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await own.job.getAll({ limit: 2, cursor, exclude_configs: true });
      pages++;
      for (const job of page.jobs) {
        expect(job.raw_config).toBe('');
        paged.push(job.job_id);
      }
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(paged)).toEqual(new Set(submitted));
    expect(paged).toEqual([...submitted].reverse()); // newest first

    const iterated: string[] = [];
    for await (const job of own.job.iterate({ limit: 2 })) iterated.push(job.job_id);
    expect(iterated).toEqual(paged);
    // Keys do not see each other's jobs.
    expect((await client.job.list({ limit: 500 })).jobs.map((j) => j.job_id)).not.toContain(submitted[0]);
  });
});

describe('helpers beyond the docs', () => {
  it('runAndWait reports progress and resolves the parse; force_url_result is fetched transparently', async () => {
    const pdf = join(dir, 'four.pdf');
    writeFileSync(pdf, await makePdf(4));
    const upload = await client.upload({ file: await fileFromPath(pdf) });
    const progress: number[] = [];
    const parsed = await client.parse.runAndWait(
      { input: upload.file_id, settings: { force_url_result: true } },
      { onProgress: (p) => progress.push(p), pollInterval: 50 },
    );
    expect(parsed.result.type).toBe('full');
    if (parsed.result.type === 'full') expect(parsed.result.chunks[0].content).toContain('Page 4 of the Folio test document');
    expect(progress.at(-1)).toBe(100);
  });

  it('events() streams progress until the job is terminal', async () => {
    const { file_id } = await client.upload({ file: createReadStream(join(dir, 'four.pdf')) });
    expect(file_id).toMatch(/\.pdf$/); // the stream's path named the file
    const { job_id } = await client.parse.runJob({ input: file_id });
    const statuses: string[] = [];
    for await (const event of client.job.events(job_id)) statuses.push((event.data as { status: string }).status);
    expect(statuses.at(-1)).toBe('Completed');
  });

  it('job.document() returns the uploaded bytes a job read', async () => {
    const pdf = await makePdf(1);
    const { file_id } = await client.upload({ file: new File([pdf as Uint8Array<ArrayBuffer>], 'one page.pdf', { type: 'application/pdf' }) });
    const { job_id } = await client.parse.runJob({ input: file_id });
    const doc = await client.job.document(job_id);
    expect(doc).toMatchObject({ contentType: 'application/pdf', filename: 'one page.pdf' });
    expect(doc.bytes).toEqual(pdf);
    await expect(client.job.document('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the presigned flow: file-less upload, bytes PUT to the URL (streamed), then parse', async () => {
    const upload = await client.uploads.createPresigned({ file: createReadStream(join(dir, 'four.pdf')) });
    expect(upload.file_id).toMatch(/^reducto:\/\//);
    const parsed = await client.parse.runAndWait({ input: upload.file_id });
    expect(parsed.usage.num_pages).toBe(4);
  });

  it('a failed job throws JobFailedError with the server\'s reason', async () => {
    const { file_id } = await client.upload({ file: new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf'), filename: 'broken.pdf' });
    const { job_id } = await client.parse.runJob({ input: file_id });
    const err = await client.job.wait(job_id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).reason).toBeTruthy();
  });

  it('runJob is idempotent per call: the same Idempotency-Key yields the same job', async () => {
    const { file_id } = await client.upload({ file: new TextEncoder().encode('# Once\n'), filename: 'once.md' });
    const headers = { 'Idempotency-Key': `seed-${Date.now()}` };
    const first = await client.parse.runJob({ input: file_id }, { headers });
    const again = await client.parse.runJob({ input: file_id }, { headers });
    expect(again.job_id).toBe(first.job_id);
    expect((await client.parse.runJob({ input: file_id })).job_id).not.toBe(first.job_id);
  });

  it('typed errors, job.delete and uploads.delete', async () => {
    await expect(client.job.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.parse.runJob({} as never)).rejects.toBeInstanceOf(UnprocessableEntityError);

    const upload = await client.upload({ file: new Blob([await makePdf(1) as Uint8Array<ArrayBuffer>]), filename: 'd.pdf' });
    const { job_id } = await client.parse.runJob({ input: upload.file_id });
    await client.job.wait(job_id);
    expect((await client.job.delete(job_id)).job_id).toBe(job_id);
    await expect(client.job.get(job_id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.uploads.delete(upload)).file_id).toBe(upload.file_id);
    await expect(client.uploads.delete(upload.file_id)).rejects.toBeInstanceOf(NotFoundError);
    expect(typeof (await client.apiVersion())).toBe('string');
  });
});
