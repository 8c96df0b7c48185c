import pg from 'pg';
import Reducto, { toFile } from 'reductoai';
import { parse } from '../../../engine/src/index.ts';
import { makePdf } from '../fixtures.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type FolioProcess } from './cluster.ts';
import { HeldDocumentServer } from './held-document-server.ts';
import { terminateBackends, TEST_DATABASE_URL } from './pg-test-db.ts';
import { WebhookReceiver } from './webhook-receiver.ts';

/**
 * Fault tests on the distributed deployment (2 API processes, 3 worker processes,
 * PostgreSQL + s3rver): crash a worker, crash an API process, cut every database connection.
 * Documents come from a local host that holds the first download open, so a job is
 * reliably "mid-run" while the fault is injected.
 */
describe('distributed deployment under faults', () => {
  let cluster: Cluster;
  let docs: HeldDocumentServer;
  let hooks: WebhookReceiver;
  let db: pg.Client;
  let client: Reducto;

  beforeAll(async () => {
    docs = await HeldDocumentServer.start();
    hooks = await WebhookReceiver.start();
    // A 5 s lease: a killed worker's job still comes back within seconds, and a worker starved
    // by a loaded machine for a second or two does not lose a lease it is renewing (the SIGTERM
    // case counts attempts exactly).
    cluster = await Cluster.start({ apis: 2, workers: 3, env: { FOLIO_ALLOW_PRIVATE_URLS: '1', FOLIO_FANOUT_PAGES: '10', FOLIO_LEASE_S: '5' } });
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    client = new Reducto({ apiKey: 'key-a', baseURL: cluster.url, maxRetries: 4 });
  });

  afterAll(async () => {
    await db?.end();
    await cluster?.close();
    await docs?.close();
    await hooks?.close();
  });

  const submit = async (name: string, via = client): Promise<string> => {
    const { job_id } = await via.parse.runJob({ input: docs.doc(name), async: { webhook: { mode: 'direct', url: hooks.url } } } as never);
    return job_id;
  };

  const row = async (jobId: string): Promise<{ status: string; attempts: number; lease_process: string | null }> => {
    const { rows } = await db.query(`SELECT status, attempts, lease_process FROM ${cluster.schema}.jobs WHERE id = $1`, [jobId]);
    return rows[0];
  };

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 300_000): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > until) {
        const { rows } = await db.query(`SELECT id, status, attempts, lease_owner, lease_expires_at, lease_process, queue_job_id FROM ${cluster.schema}.jobs ORDER BY created_at`);
        const { rows: q } = await db.query(`SELECT id, state, data FROM ${cluster.schema}_queue.job ORDER BY created_on`);
        throw new Error(`timed out waiting for ${what} (now ${Date.now()})\n${JSON.stringify(rows, null, 1)}\n${JSON.stringify(q)}\n${cluster.describe()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const completed = (jobId: string, via = client): Promise<{ status: string; result?: unknown }> =>
    waitFor(`job ${jobId} to finish`, async () => {
      const job = await via.job.get(jobId);
      return job.status === 'Completed' || job.status === 'Failed' ? job : null;
    });

  it('SIGKILL a worker mid-job: another worker completes it, exactly once', async () => {
    const jobId = await submit('kill-worker');
    await docs.downloading('kill-worker');
    const holder = await waitFor('the lease holder', async () => (await row(jobId))?.lease_process);
    const victim = cluster.workers.find((w) => holder.endsWith(`/${w.pid}`)) as FolioProcess;
    expect(victim, `lease held by ${holder}`).toBeDefined();
    await cluster.kill(victim, 'SIGKILL');

    const job = await completed(jobId);
    expect(job.status).toBe('Completed');
    expect(JSON.stringify(job.result)).toContain('download 2');
    const after = await row(jobId);
    expect(after.attempts).toBe(2);
    expect(after.lease_process).not.toBe(holder);
    docs.release('kill-worker'); // the dead worker's download: nobody is listening any more
    await waitFor('the webhook', async () => hooks.for(jobId).length > 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(hooks.for(jobId)).toEqual(['Completed']);
    await cluster.spawn('worker');
  });

  it('SIGTERM a worker mid-job: it gives the job back at once, the attempt not counted', async () => {
    const jobId = await submit('stop-worker');
    await docs.downloading('stop-worker');
    const holder = await waitFor('the lease holder', async () => (await row(jobId))?.lease_process);
    const victim = cluster.workers.find((w) => holder.endsWith(`/${w.pid}`)) as FolioProcess;
    expect(victim, `lease held by ${holder}`).toBeDefined();
    const stopped = cluster.kill(victim, 'SIGTERM');
    // The stopping worker finishes reading its input, then releases the job instead of running it.
    docs.release('stop-worker');
    await stopped;
    expect(victim.child.exitCode).toBe(0);
    const job = await completed(jobId);
    expect(job.status).toBe('Completed');
    expect(JSON.stringify(job.result)).toContain('download 2');
    // Released, not expired: the stopped run is not counted (an expired lease would make it 2).
    const after = await row(jobId);
    expect(after.attempts).toBe(1);
    expect(after.lease_process).not.toBe(holder);
    await cluster.spawn('worker');
  });

  it('SIGKILL an API process: its jobs continue and the other API process serves them', async () => {
    const [first, second] = cluster.apis;
    const direct = new Reducto({ apiKey: 'key-a', baseURL: first.url!, maxRetries: 0 });
    const jobIds = [await submit('api-1', direct), await submit('api-2', direct)];
    await waitFor('a job mid-run', async () => docs.hits.has('api-1') || docs.hits.has('api-2'));
    await cluster.kill(first, 'SIGKILL');
    docs.release('api-1', 'api-2');
    const survivor = new Reducto({ apiKey: 'key-a', baseURL: second.url!, maxRetries: 0 });
    for (const id of jobIds) {
      expect((await completed(id, survivor)).status).toBe('Completed');
    }
    const listed = await survivor.job.getAll({ limit: 50 });
    expect(listed.jobs.map((j) => j.job_id)).toEqual(expect.arrayContaining(jobIds));
    await cluster.spawn('api');
  });

  it('pg_terminate_backend on every Folio connection: processes reconnect and no job is lost', async () => {
    const names = ['pg-1', 'pg-2', 'pg-3', 'pg-4'];
    const jobIds = await Promise.all(names.map((n) => submit(n)));
    // Three workers hold three downloads open; the fourth job waits in the queue.
    await waitFor('jobs mid-run', async () => names.filter((n) => docs.hits.has(n)).length >= 3);
    expect(await terminateBackends(cluster.schema)).toBeGreaterThan(0);
    docs.release(...names, 'pg-after');
    // Submissions keep working right after the cut, through either API process.
    jobIds.push(await submit('pg-after'));
    for (const id of jobIds) expect((await completed(id)).status).toBe('Completed');
    for (const id of jobIds) expect((await row(id)).status).toBe('Completed');
  });

  it('cancel on one API process stops the job running on a worker process', async () => {
    const jobId = await submit('cancel-me');
    await docs.downloading('cancel-me');
    await client.job.cancel(jobId);
    const job = await completed(jobId);
    expect(job).toMatchObject({ status: 'Failed', reason: 'Job cancelled' });
    expect((await row(jobId)).status).toBe('Cancelled');
    docs.release('cancel-me');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await row(jobId)).status).toBe('Cancelled');
  });

  it('SSE: progress from a worker process streams through the other API process', async () => {
    const [first, second] = cluster.apis;
    const direct = new Reducto({ apiKey: 'key-a', baseURL: first.url!, maxRetries: 0 });
    const file = (await direct.upload({ file: await toFile(Buffer.from(await makePdf(8)), 'eight.pdf') })).file_id;
    const { job_id } = await direct.parse.runJob({ input: file });
    const res = await fetch(`${second.url}/job/${job_id}/events`, { headers: { authorization: 'Bearer key-a', accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split('\n\n')
      .map((block) => /^data: (.+)$/m.exec(block)?.[1])
      .filter((d): d is string => !!d)
      .map((d) => JSON.parse(d) as { status: string; progress: number | null });
    expect(events.at(-1)).toMatchObject({ status: 'Completed', progress: 100 });
    const progress = events.map((e) => e.progress ?? 0);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('Idempotency-Key holds across API processes, even for concurrent submits', async () => {
    const key = { 'idempotency-key': `order-${Date.now()}`, authorization: 'Bearer key-a', 'content-type': 'application/json' };
    const body = JSON.stringify({ input: docs.doc('idem') });
    docs.release('idem');
    const answers = await Promise.all(
      [...cluster.apis, ...cluster.apis].map(async (api) => (await (await fetch(`${api.url}/parse_async`, { method: 'POST', headers: key, body })).json()) as { job_id: string }),
    );
    expect(new Set(answers.map((a) => a.job_id)).size).toBe(1);
    expect((await completed(answers[0].job_id)).status).toBe('Completed');
  });

  describe('fan-out of large parses (FOLIO_FANOUT_PAGES=10)', () => {
    let big: string;
    const parts = async (jobId: string): Promise<Array<{ part: number; status: string; attempts: number; lease_process: string | null }>> =>
      (await db.query(`SELECT part, status, attempts, lease_process FROM ${cluster.schema}.job_parts WHERE job_id = $1 ORDER BY part`, [jobId])).rows;

    beforeAll(async () => {
      big = (await client.upload({ file: await toFile(Buffer.from(await makePdf(120)), 'big.pdf') })).file_id;
    });

    it('splits pages across workers and merges them in page order, as one run would', async () => {
      const pdf = await makePdf(40, (p) => `Section ${p} heading`);
      const upload = await client.upload({ file: await toFile(Buffer.from(pdf), 'forty.pdf') });
      const res = (await client.parse.run({ input: upload.file_id })) as any;
      const alone = await parse(pdf);
      expect(res.usage.num_pages).toBe(40);
      expect(res.result.chunks).toHaveLength(1);
      expect(res.result.chunks[0].content).toBe(alone.result.chunks[0].content);
      const pages = res.result.chunks[0].blocks.map((b: any) => b.bbox.page);
      expect(pages).toEqual(alone.result.chunks[0].blocks.map((b) => b.bbox.page));
      expect(pages).toEqual([...pages].sort((x: number, y: number) => x - y));
      expect((await parts(res.job_id)).map((p) => p.status)).toEqual(['Completed', 'Completed', 'Completed', 'Completed']);
      const job = await client.job.get(res.job_id);
      expect(job).toMatchObject({ status: 'Completed', num_pages: 40, total_pages: 40 });
    });

    it('aggregates progress over parts; a part whose worker dies is retried alone', async () => {
      const { job_id } = await client.parse.runJob({ input: big });
      const seen: number[] = [];
      const victim = await waitFor('a running part', async () => {
        const job = await client.job.get(job_id);
        if (typeof job.progress === 'number') seen.push(job.progress);
        return (await parts(job_id)).find((p) => p.status === 'InProgress' && p.lease_process);
      });
      const worker = cluster.workers.find((w) => victim.lease_process!.endsWith(`/${w.pid}`))!;
      await cluster.kill(worker, 'SIGKILL');
      const done = await waitFor('the merged job', async () => {
        const job = await client.job.get(job_id);
        if (typeof job.progress === 'number') seen.push(job.progress);
        return job.status === 'Completed' || job.status === 'Failed' ? job : null;
      });
      expect(done.status).toBe('Completed');
      expect((done.result as any).result.chunks[0].content).toContain('Page 120 of the Folio test document');
      expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      const after = await parts(job_id);
      expect(after).toHaveLength(12);
      expect(after.every((p) => p.status === 'Completed')).toBe(true);
      // (≥ 2: on a starved machine a 2 s lease can also lapse once more)
      expect(after.find((p) => p.part === victim.part)?.attempts).toBeGreaterThanOrEqual(2);
      expect(after.filter((p) => p.attempts === 1).length).toBeGreaterThanOrEqual(10);
      expect((await row(job_id)).attempts).toBe(1);
      await cluster.spawn('worker');
    });

    it('cancel stops every part', async () => {
      const { job_id } = await client.parse.runJob({ input: big });
      await waitFor('a running part', async () => (await parts(job_id)).some((p) => p.status === 'InProgress'));
      await client.job.cancel(job_id);
      expect((await client.job.get(job_id)).status).toBe('Failed');
      const settled = await waitFor('parts to stop', async () => {
        const ps = await parts(job_id);
        return ps.every((p) => p.status === 'Cancelled' || p.status === 'Completed') ? ps : null;
      });
      expect(settled.some((p) => p.status === 'Cancelled')).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await parts(job_id)).filter((p) => p.status === 'InProgress')).toEqual([]);
      expect((await row(job_id)).status).toBe('Cancelled');
    });
  });
});
