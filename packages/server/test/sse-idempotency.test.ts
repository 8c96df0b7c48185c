import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

interface SseEvent {
  event: string;
  data: { job_id: string; status: string; progress: number | null };
}

/** Read a whole SSE stream (the server ends it once the job is terminal). */
async function readEvents(url: string, apiKey: string): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' } });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      return event && data ? { event, data: JSON.parse(data) } : null;
    })
    .filter((e): e is SseEvent => e !== null);
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}

describe('SSE job events and Idempotency-Key', () => {
  let server: ServerProcess;
  let a: RawClient;
  let b: RawClient;
  let fileId: string;

  beforeAll(async () => {
    server = await startServerProcess({ workers: 1 });
    a = rawClient(server.baseURL, server.apiKeys[0]);
    b = rawClient(server.baseURL, server.apiKeys[1]);
    fileId = await a.upload(await makePdf(30), 'thirty.pdf');
  });
  afterAll(() => server?.stop());

  it('streams status and rising progress until the job is terminal, then ends', async () => {
    const { body } = await a.request('POST', '/parse_async', { input: fileId });
    const stream = await readEvents(`${server.baseURL}/job/${body.job_id}/events`, server.apiKeys[0]);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const last = stream.events.at(-1)!;
    expect(last).toEqual({ event: 'status', data: { job_id: body.job_id, status: 'Completed', progress: 100 } });
    const progress = stream.events.map((e) => e.data.progress ?? 0);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(stream.events.some((e) => e.data.status === 'InProgress' && (e.data.progress ?? 0) > 0 && (e.data.progress ?? 0) < 100)).toBe(true);
    // A finished job's stream is one final event.
    const again = await readEvents(`${server.baseURL}/job/${body.job_id}/events`, server.apiKeys[0]);
    expect(again.events).toEqual([last]);
  });

  it('answers 404 for an unknown job or another key', async () => {
    const { body } = await a.request('POST', '/parse_async', { input: fileId });
    expect((await readEvents(`${server.baseURL}/job/${body.job_id}/events`, server.apiKeys[1])).status).toBe(404);
    expect((await readEvents(`${server.baseURL}/job/nope/events`, server.apiKeys[0])).status).toBe(404);
    await a.waitDone(body.job_id);
  });

  it('returns the same job for a repeated Idempotency-Key, per owner', async () => {
    const key = { 'idempotency-key': `order-${Date.now()}` };
    const first = await a.request('POST', '/parse_async', { input: fileId }, key);
    const again = await a.request('POST', '/parse_async', { input: fileId }, key);
    expect(first.status).toBe(200);
    expect(again.body.job_id).toBe(first.body.job_id);
    const other = await a.request('POST', '/parse_async', { input: fileId }, { 'idempotency-key': `${key['idempotency-key']}-2` });
    expect(other.body.job_id).not.toBe(first.body.job_id);
    // The same key under another API key is another job.
    const bFile = await b.upload(await makePdf(1), 'b.pdf');
    const fromB = await b.request('POST', '/parse_async', { input: bFile }, key);
    expect(fromB.body.job_id).not.toBe(first.body.job_id);
    await Promise.all([first, other, fromB].map((r, i) => (i === 2 ? b : a).waitDone(r.body.job_id)));
  });

  it('creates one job for concurrent submits with one key', async () => {
    const key = { 'idempotency-key': `burst-${Date.now()}` };
    const answers = await Promise.all(Array.from({ length: 10 }, () => a.request('POST', '/parse_async', { input: fileId }, key)));
    expect(new Set(answers.map((r) => r.body.job_id)).size).toBe(1);
    await a.waitDone(answers[0].body.job_id);
  });
});
