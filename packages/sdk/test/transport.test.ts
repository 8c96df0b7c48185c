/**
 * Transport behaviour that a healthy Folio server never shows on demand (503s, 429 with
 * retry-after, slow answers) — exercised against a real HTTP server on 127.0.0.1 that
 * answers from a script.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, BadRequestError, Folio, InternalServerError,
  JobCancelledError, JobFailedError, JobWaitTimeoutError, NotFoundError, RateLimitError, UnprocessableEntityError,
} from '../src/index.ts';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;
interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }

let server: Server;
let baseURL: string;
let script: Handler[] = [];
let seen: Seen[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const handler = script.shift();
      if (handler) handler(req, body, res);
      else json(res, 500, { detail: 'script exhausted' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  seen = [];
});

const client = (opts: ConstructorParameters<typeof Folio>[0] = {}) => new Folio({ baseURL, apiKey: 'k1', ...opts });

describe('retries', () => {
  it('retries 503 and 429 (honouring retry-after-ms) then succeeds', async () => {
    script = [
      (_q, _b, res) => json(res, 503, { detail: 'busy' }),
      (_q, _b, res) => json(res, 429, { detail: 'slow down' }, { 'retry-after-ms': '10' }),
      (_q, _b, res) => json(res, 200, { jobs: [], next_cursor: null }),
    ];
    const page = await client({ maxRetries: 2 }).job.getAll({ limit: 5 });
    expect(page).toEqual({ jobs: [], next_cursor: null });
    expect(seen.map((s) => s.headers['x-folio-retry-count'])).toEqual(['0', '1', '2']);
    expect(seen[0].url).toBe('/jobs?limit=5');
    expect(seen[0].headers.authorization).toBe('Bearer k1');
  });

  it('gives up after maxRetries with the typed error of the last answer', async () => {
    script = [
      (_q, _b, res) => json(res, 500, { detail: 'boom' }, { 'retry-after': '0' }),
      (_q, _b, res) => json(res, 502, { error: { code: 502, name: 'INTERNAL_ERROR', message: 'still boom' } }, { 'retry-after': '0' }),
    ];
    const err = await client({ maxRetries: 1 }).job.get('j1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(502);
    expect(seen).toHaveLength(2);
  });

  it('does not retry 4xx (other than 408/409/429) and maps statuses to error classes', async () => {
    script = [
      (_q, _b, res) => json(res, 404, { error: { code: 404, name: 'NOT_FOUND', message: 'Job not found' } }),
      (_q, _b, res) => json(res, 400, { message: 'bad config' }),
      (_q, _b, res) => json(res, 422, { detail: [{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }] }),
      (_q, _b, res) => json(res, 429, { detail: 'no' }, { 'x-should-retry': 'false' }),
    ];
    const c = client();
    await expect(c.job.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    const bad = await c.parse.run({ input: 'x' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as Error).message).toBe('400 bad config');
    const invalid = await c.parse.runJob({} as never).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect((invalid as UnprocessableEntityError).error).toMatchObject({ detail: [{ msg: 'Field required' }] });
    await expect(c.job.getAll()).rejects.toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(4);
  });

  it('retries a Blob upload but never a consumed stream body', async () => {
    script = [
      (_q, _b, res) => json(res, 503, {}, { 'retry-after-ms': '1' }),
      (_q, _b, res) => json(res, 200, { file_id: 'reducto://a.pdf', presigned_url: null }),
    ];
    const up = await client().upload({ file: new Blob([new Uint8Array([1, 2, 3])]), filename: 'a.pdf' });
    expect(up.file_id).toBe('reducto://a.pdf');
    expect(seen).toHaveLength(2);
    expect(seen[1].body.includes(Buffer.from([1, 2, 3]))).toBe(true);

    seen = [];
    script = [(_q, _b, res) => json(res, 503, { detail: 'busy' }, { 'retry-after-ms': '1' })];
    const stream = Readable.from([Buffer.from('%PDF-1.4 '), Buffer.from('streamed')]);
    await expect(client({ maxRetries: 3 }).upload({ file: stream, filename: 's.pdf' })).rejects.toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
    const body = seen[0].body.toString('latin1');
    expect(seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(body).toContain('filename="s.pdf"');
    expect(body).toContain('%PDF-1.4 streamed');
  });

  it('sends one Idempotency-Key across the retries of a runJob, a new one per call', async () => {
    script = [
      (_q, _b, res) => json(res, 503, {}, { 'retry-after-ms': '1' }),
      (_q, _b, res) => json(res, 200, { job_id: 'j1' }),
      (_q, _b, res) => json(res, 200, { job_id: 'j2' }),
    ];
    const c = client();
    expect((await c.parse.runJob({ input: 'reducto://a.pdf' })).job_id).toBe('j1');
    expect((await c.extract.runJob({ input: 'jobid://j1', instructions: { schema: {} } })).job_id).toBe('j2');
    const keys = seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^folio-sdk-/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(seen.map((s) => s.url)).toEqual(['/parse_async', '/parse_async', '/extract_async']);
    expect(JSON.parse(seen[0].body.toString())).toEqual({ input: 'reducto://a.pdf' });
  });

  it('retries connection errors, then reports APIConnectionError', async () => {
    const dead = new Folio({ baseURL: 'http://127.0.0.1:1', maxRetries: 1 });
    await expect(dead.apiVersion()).rejects.toBeInstanceOf(APIConnectionError);
  });
});

describe('APIPromise', () => {
  it('offers the raw response: withResponse() and asResponse(), like reductoai', async () => {
    script = [
      (_q, _b, res) => json(res, 200, { jobs: [], next_cursor: null }, { 'x-request-id': 'r1' }),
      (_q, _b, res) => json(res, 200, 'folio-1.2.3'),
    ];
    const { data, response } = await client().job.getAll().withResponse();
    expect(data).toEqual({ jobs: [], next_cursor: null });
    expect(response.headers.get('x-request-id')).toBe('r1');
    const raw = await client().apiVersion().asResponse();
    expect(raw.status).toBe(200);
    expect(raw.bodyUsed).toBe(false);
    expect(await raw.text()).toBe('"folio-1.2.3"');
  });
});

describe('timeouts and aborts', () => {
  it('times out one attempt, retries, and reports APIConnectionTimeoutError', async () => {
    script = [() => undefined, () => undefined]; // never answer
    const err = await client({ timeout: 50, maxRetries: 1 }).apiVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(seen).toHaveLength(2);
  });

  it('stops at once on the caller\'s AbortSignal, without retrying', async () => {
    script = [() => undefined];
    const controller = new AbortController();
    const pending = client({ maxRetries: 3 }).apiVersion({ signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(1);
  });
});

describe('job.wait', () => {
  const job = (status: string, extra: Record<string, unknown> = {}) => (_q: IncomingMessage, _b: Buffer, res: ServerResponse) =>
    json(res, 200, { status, progress: null, reason: null, ...extra });

  it('reports progress and resolves with the completed job', async () => {
    script = [job('Pending', { progress: 0 }), job('Pending', { progress: 50 }), job('Completed', { result: { job_id: 'j' } })];
    const progress: number[] = [];
    const done = await client().job.wait('j', { pollInterval: 1, onProgress: (p) => progress.push(p) });
    expect(done.status).toBe('Completed');
    expect(progress).toEqual([0, 50, 100]);
  });

  it('throws JobFailedError with the reason, and JobCancelledError for both cancel spellings', async () => {
    script = [job('Failed', { reason: 'DOCUMENT_CORRUPT: not a PDF' })];
    const failed = await client().job.wait('j').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFailedError);
    expect((failed as JobFailedError).reason).toBe('DOCUMENT_CORRUPT: not a PDF');

    script = [job('Failed', { reason: 'Job cancelled', error: { name: 'JOB_CANCELLED' } }), job('Cancelled')];
    await expect(client().job.wait('j')).rejects.toBeInstanceOf(JobCancelledError);
    await expect(client().job.wait('j')).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('gives up after its timeout', async () => {
    script = Array.from({ length: 50 }, () => job('Pending', { progress: 10 }));
    await expect(client().job.wait('j', { pollInterval: 5, timeout: 40 })).rejects.toBeInstanceOf(JobWaitTimeoutError);
  });
});

describe('job.iterate and fetchUrlResult', () => {
  it('follows next_cursor across pages', async () => {
    const item = (id: string) => ({ job_id: id, status: 'Completed', type: 'Parse', raw_config: '', created_at: '2026-01-01T00:00:00Z', num_pages: 1, total_pages: 1, duration: 1 });
    script = [
      (_q, _b, res) => json(res, 200, { jobs: [item('a'), item('b')], next_cursor: 'c1' }),
      (_q, _b, res) => json(res, 200, { jobs: [item('c')], next_cursor: null }),
    ];
    const ids: string[] = [];
    for await (const j of client().job.iterate({ limit: 2, exclude_configs: true })) ids.push(j.job_id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(seen.map((s) => s.url)).toEqual(['/jobs?limit=2&exclude_configs=true', '/jobs?limit=2&exclude_configs=true&cursor=c1']);
  });

  it('replaces a URL result by the full result, sending the key only to its own server', async () => {
    const full = { type: 'full', chunks: [{ content: 'hi', embed: 'hi', blocks: [] }], ocr: null };
    script = [(_q, _b, res) => json(res, 200, full)];
    const response = { job_id: 'j', duration: 1, usage: { num_pages: 1 }, result: { type: 'url' as const, url: `${baseURL}/results/j.json` } };
    const resolved = await client().fetchUrlResult(response);
    expect(resolved.result).toEqual(full);
    expect(seen[0].headers.authorization).toBe('Bearer k1');

    seen = [];
    script = [(_q, _b, res) => json(res, 200, full)];
    const foreign = { ...response, result: { type: 'url' as const, url: `${baseURL.replace('127.0.0.1', 'localhost')}/results/j.json` } };
    await client().fetchUrlResult(foreign);
    expect(seen[0].headers.authorization).toBeUndefined();
  });
});
