/**
 * The Reducto-compatibility conformance suite: drives a running deployment through a
 * reductoai-shaped client. It does not know how the server was started (embedded process,
 * distributed cluster) or which client library is used (reductoai, @folio/sdk).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntilDone, rejection, sleep } from './client-calls.ts';
import type { Deployment } from './harness.ts';
import { makePdf } from './fixtures.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the suite accepts any reductoai-shaped client */
type Body = any;

/** The part of reductoai 0.16's client the suite uses. */
export interface ReductoLikeClient {
  upload(params: { file: any; extension?: string | null }): PromiseLike<{ file_id: string; presigned_url?: string | null }>;
  apiVersion(): PromiseLike<unknown>;
  parse: { run(body: Body): PromiseLike<any>; runJob(body: Body): PromiseLike<{ job_id: string }> };
  job: {
    get(jobId: string): PromiseLike<any>;
    cancel(jobId: string): PromiseLike<unknown>;
    getAll(query?: { limit?: number; cursor?: string | null; exclude_configs?: boolean }): PromiseLike<{ jobs: any[]; next_cursor?: string | null }>;
  };
}

export interface ConformanceOptions {
  start: () => Promise<Deployment>;
  makeClient: (baseURL: string, apiKey: string) => ReductoLikeClient;
}

export function conformanceSuite(label: string, options: ConformanceOptions): void {
  describe(`Reducto conformance: ${label}`, () => {
    let deployment: Deployment;
    let a: ReductoLikeClient;
    let b: ReductoLikeClient;
    let dir: string;
    let onePagePath: string;
    let longPdf: Uint8Array;

    beforeAll(async () => {
      deployment = await options.start();
      a = options.makeClient(deployment.baseURL, deployment.apiKeys[0]);
      b = options.makeClient(deployment.baseURL, deployment.apiKeys[1]);
      dir = mkdtempSync(join(tmpdir(), 'folio-conf-'));
      onePagePath = join(dir, 'hello.pdf');
      writeFileSync(onePagePath, await makePdf(1, () => 'Hello Folio conformance'));
      longPdf = await makePdf(300);
      writeFileSync(join(dir, 'long.pdf'), longPdf);
    });

    afterAll(async () => {
      await deployment?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('uploads from a read stream and parses synchronously', async () => {
      const upload = await a.upload({ file: createReadStream(onePagePath) });
      expect(upload.file_id).toMatch(/^reducto:\/\/[\w-]+\.pdf$/);
      const res = await a.parse.run({ input: upload.file_id });
      expect(res.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof res.duration).toBe('number');
      expect(res.usage.num_pages).toBe(1);
      expect(res.result.type).toBe('full');
      const text = res.result.chunks.map((c: { content: string }) => c.content).join('\n');
      expect(text).toContain('Hello Folio conformance');
      expect(res.result.chunks[0].blocks[0].bbox.page).toBe(1);
    });

    it('parses a multi-document input list as one document', async () => {
      const first = await a.upload({ file: createReadStream(onePagePath) });
      const second = await a.upload({ file: createReadStream(onePagePath) });
      const res = await a.parse.run({ input: [first.file_id, second.file_id] });
      expect(res.usage.num_pages).toBe(2);
      const pages = res.result.chunks.flatMap((c: { blocks: Array<{ bbox: { page: number } }> }) => c.blocks.map((b) => b.bbox.page));
      expect(new Set(pages)).toEqual(new Set([1, 2]));
    });

    it('runs a job and polls it as the docs do; the job result equals the sync response shape', async () => {
      const upload = await a.upload({ file: createReadStream(onePagePath) });
      const { job_id } = await a.parse.runJob({ input: upload, retrieval: { chunking: { chunk_mode: 'page' } } });
      const job = await pollUntilDone(a, job_id);
      expect(job.status).toBe('Completed');
      expect(job.progress).toBe(100);
      expect(job.type).toBe('Parse');
      expect(job.num_pages).toBe(1);
      expect(JSON.parse(job.raw_config).input.file_id).toBe(upload.file_id);
      expect(job.result.job_id).toBe(job_id);
      expect(job.result.result.chunks.length).toBeGreaterThan(0);
      expect(job.result.result.chunks[0].content).toContain('Hello Folio conformance');
    });

    it('cancels a running 300-page job; it stops and the worker takes the next job', async () => {
      const long = await a.upload({ file: createReadStream(join(dir, 'long.pdf')) });
      const small = await a.upload({ file: createReadStream(onePagePath) });
      const { job_id } = await a.parse.runJob({ input: long.file_id });
      // Wait until the long job is running with pages done.
      for (;;) {
        const job = await a.job.get(job_id);
        expect(job.status).toBe('Pending');
        if (job.progress > 0) break;
        await sleep(50);
      }
      // Queue more small jobs than there are threads, so every freed thread has work waiting.
      const next = await Promise.all(Array.from({ length: 4 }, () => a.parse.runJob({ input: small.file_id })));
      await a.job.cancel(job_id);
      // Observed as cancelled at once, in Reducto's vocabulary.
      const cancelled = await a.job.get(job_id);
      expect(cancelled.status).toBe('Failed');
      expect(cancelled.reason).toBe('Job cancelled');
      expect(cancelled.error?.name).toBe('JOB_CANCELLED');
      expect(cancelled.progress).toBeLessThan(100);
      // Every job queued behind it runs: with one worker thread (the embedded deployment) only
      // once the cancelled job gave its thread back. How fast that happens is measured by
      // `npm run bench:cancel`, not asserted here.
      for (const n of next) expect((await pollUntilDone(a, n.job_id)).status).toBe('Completed');
      // It really stopped: it never completed and its progress stayed where the cancel found it.
      expect(await a.job.get(job_id)).toMatchObject({ status: 'Failed', reason: 'Job cancelled', progress: cancelled.progress });
      const listed = (await a.job.getAll({ limit: 20 })).jobs.find((j) => j.job_id === job_id);
      expect(listed?.status).toBe('Cancelled');
      // Cancelling a finished job is a 200 that changes nothing.
      await a.job.cancel(next[0].job_id);
      expect((await a.job.get(next[0].job_id)).status).toBe('Completed');
    });

    it('pages through 250 jobs with limit 100: 3 pages, no duplicate, none missing', async () => {
      const c = options.makeClient(deployment.baseURL, deployment.apiKeys[2]);
      const upload = await c.upload({ file: createReadStream(onePagePath) });
      const first = await c.parse.run({ input: upload.file_id });
      const ids = new Set<string>([first.job_id]);
      // jobid:// reuses the finished parse, so 249 more jobs cost almost nothing to run.
      for (let i = 0; i < 249; i += 25) {
        const batch = await Promise.all(Array.from({ length: Math.min(25, 249 - i) }, () => c.parse.runJob({ input: `jobid://${first.job_id}` })));
        for (const j of batch) ids.add(j.job_id);
      }
      expect(ids.size).toBe(250);
      const seen: string[] = [];
      let cursor: string | null | undefined = null;
      let pages = 0;
      do {
        const page: { jobs: any[]; next_cursor?: string | null } = await c.job.getAll({ limit: 100, cursor, exclude_configs: true });
        pages++;
        seen.push(...page.jobs.map((j) => j.job_id));
        for (const j of page.jobs) expect(j.raw_config).toBe('');
        cursor = page.next_cursor;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(ids);
      // Newest first.
      const withConfigs = await c.job.getAll({ limit: 2 });
      expect(Date.parse(withConfigs.jobs[0].created_at)).toBeGreaterThanOrEqual(Date.parse(withConfigs.jobs[1].created_at));
      expect(JSON.parse(withConfigs.jobs[0].raw_config).input).toBe(`jobid://${first.job_id}`);
    });

    it('answers 404 NotFoundError for an unknown job', async () => {
      const err = await rejection(a.job.get('00000000-0000-4000-8000-000000000000'));
      expect(err.status).toBe(404);
      expect(err.name).toBe('NotFoundError');
    });

    it('answers 422 with FastAPI detail for a missing input', async () => {
      const err = await rejection(a.parse.run({ settings: { timeout: 10 } }));
      expect(err.status).toBe(422);
      expect(err.name).toBe('UnprocessableEntityError');
      expect(err.error.detail[0]).toMatchObject({ loc: ['body', 'input'], type: 'missing' });
    });

    it('answers 401 AuthenticationError for a wrong key', async () => {
      const wrong = options.makeClient(deployment.baseURL, 'not-a-key');
      const err = await rejection(wrong.job.getAll({ limit: 1 }));
      expect(err.status).toBe(401);
      expect(err.name).toBe('AuthenticationError');
    });

    it("isolates keys: B sees none of A's jobs and uploads", async () => {
      const upload = await a.upload({ file: createReadStream(onePagePath) });
      const { job_id } = await a.parse.runJob({ input: upload.file_id });
      expect((await rejection(b.job.get(job_id))).status).toBe(404);
      expect((await rejection(b.job.cancel(job_id))).status).toBe(404);
      expect((await rejection(b.parse.runJob({ input: upload.file_id }))).status).toBe(404);
      expect((await rejection(b.parse.runJob({ input: `jobid://${job_id}` }))).status).toBe(404);
      const listed = await b.job.getAll({ limit: 500 });
      expect(listed.jobs.some((j) => j.job_id === job_id)).toBe(false);
      expect((await pollUntilDone(a, job_id)).status).toBe('Completed');
    });

    it('refuses URL inputs to loopback, metadata and private addresses', async () => {
      for (const url of ['http://127.0.0.1:1/doc.pdf', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/doc.pdf', 'http://[::1]/doc.pdf', 'http://localhost/doc.pdf']) {
        const err = await rejection(a.parse.runJob({ input: url }));
        expect(err.status, url).toBe(400);
        expect(err.error.error.name, url).toBe('URL_NOT_ALLOWED');
      }
    });

    it('reports its version', async () => {
      expect(await a.apiVersion()).toMatch(/^folio-/);
    });
  });
}
