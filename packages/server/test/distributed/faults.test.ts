import pg from 'pg';
import Reducto from 'reductoai';
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
    cluster = await Cluster.start({ apis: 2, workers: 3, env: { FOLIO_ALLOW_PRIVATE_URLS: '1' } });
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    client = new Reducto({ apiKey: 'key-a', baseURL: cluster.url, maxRetries: 4 });
  }, 180_000);

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

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 40_000): Promise<T> => {
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
    expect(await terminateBackends('folio%')).toBeGreaterThan(0);
    docs.release(...names, 'pg-after');
    // Submissions keep working right after the cut, through either API process.
    jobIds.push(await submit('pg-after'));
    for (const id of jobIds) expect((await completed(id)).status).toBe('Completed');
    for (const id of jobIds) expect((await row(id)).status).toBe('Completed');
  }, 120_000);

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
});
