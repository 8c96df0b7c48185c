import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewJob } from '../../src/jobs/job.ts';
import { PgDatabase } from '../../src/backends/postgres/pg-database.ts';
import { PgJobEventBus } from '../../src/backends/postgres/pg-events.ts';
import { PgJobStore } from '../../src/backends/postgres/pg-job-store.ts';
import { PgQueue } from '../../src/backends/postgres/pg-queue.ts';
import { migrate } from '../../src/backends/postgres/pg-schema.ts';
import { dropSchema, freshSchema, terminateBackends, TEST_DATABASE_URL } from './pg-test-db.ts';

/**
 * Two "processes" (separate pools, queues and listeners) sharing one fresh schema: what holds
 * across processes. The single-store contract is in pg-store-contract.test.ts.
 */
interface Node { db: PgDatabase; queue: PgQueue; store: PgJobStore; events: PgJobEventBus }

async function startNode(schema: string, name: string): Promise<Node> {
  const db = new PgDatabase(TEST_DATABASE_URL, schema, { max: 4, applicationName: `folio-${name}` });
  await migrate(db);
  const queue = new PgQueue(db, 3600);
  await queue.start();
  const store = new PgJobStore(db, queue);
  const events = new PgJobEventBus(db);
  await events.ready();
  return { db, queue, store, events };
}

async function stopNode(n: Node): Promise<void> {
  await n.events.close();
  await n.queue.stop();
  await n.db.close();
}

let seq = 0;
function newJob(over: Partial<NewJob> = {}): NewJob {
  return {
    id: randomUUID(), owner: 'owner-a', type: 'Parse', rawConfig: '{"input":"x"}', config: { a: 1 },
    input: { ref: 'reducto://x.pdf' }, priority: 0, timeoutS: null, idempotencyKey: null, webhook: null,
    metadata: null, createdAt: Date.now() * 1000 + seq++, ...over,
  };
}

describe('PostgreSQL job store and pg-boss queue (fresh schema)', () => {
  const schema = freshSchema();
  let a: Node;
  let b: Node;

  beforeAll(async () => {
    // Both nodes migrate concurrently, as processes starting together would.
    [a, b] = await Promise.all([startNode(schema, 'a'), startNode(schema, 'b')]);
  });
  afterAll(async () => {
    await Promise.all([a && stopNode(a), b && stopNode(b)]);
    await dropSchema(schema);
  });

  it('creates, reads back and scopes jobs to their owner', async () => {
    const j = newJob({ metadata: { k: 'v' }, webhook: { mode: 'direct', url: 'https://example.com/h' } });
    const { job, created } = await a.store.create(j);
    expect(created).toBe(true);
    expect(job).toMatchObject({ id: j.id, status: 'Pending', attempts: 0, config: { a: 1 }, metadata: { k: 'v' }, createdAt: j.createdAt });
    expect(await b.store.get(j.id, 'owner-a')).toMatchObject({ id: j.id, webhook: { mode: 'direct' } });
    expect(await b.store.get(j.id, 'owner-b')).toBeNull();
    // leave the queue clean for the next cases
    await a.store.cancel(j.id, 'owner-a');
  });

  it('idempotency keys hold across processes, even when submitted concurrently', async () => {
    const key = `idem-${randomUUID()}`;
    const results = await Promise.all([
      a.store.create(newJob({ idempotencyKey: key })),
      b.store.create(newJob({ idempotencyKey: key })),
      a.store.create(newJob({ idempotencyKey: key })),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    // A key older than 24 h starts a new job.
    const old = await a.store.create(newJob({ idempotencyKey: 'old-key', createdAt: Date.now() - 25 * 3600 * 1000 }));
    const fresh = await b.store.create(newJob({ idempotencyKey: 'old-key' }));
    expect(fresh.created).toBe(true);
    expect(fresh.job.id).not.toBe(old.job.id);
    for (const r of [results[0], old, fresh]) await a.store.cancel(r.job.id, 'owner-a');
  });

  it('claims by priority then age; each job goes to exactly one of many concurrent claimers', async () => {
    const low = await a.store.create(newJob());
    const high = await a.store.create(newJob({ priority: 5 }));
    const first = await b.store.claim('w1', 10_000);
    expect(first?.id).toBe(high.job.id);
    expect(first).toMatchObject({ status: 'InProgress', attempts: 1, leaseOwner: 'w1' });
    const second = await a.store.claim('w2', 10_000);
    expect(second?.id).toBe(low.job.id);
    expect(await a.store.claim('w3', 10_000)).toBeNull();
    for (const id of [first!.id, second!.id]) expect(await a.store.complete(id, id === first!.id ? 'w1' : 'w2', { result: {}, numPages: 1, totalPages: 1, duration: 0.1 })).toBe(true);

    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await a.store.create(newJob())).job.id);
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        const node = w % 2 ? a : b;
        for (;;) {
          const job = await node.store.claim(`c${w}`, 10_000);
          if (!job) return;
          claimed.push(job.id);
        }
      }),
    );
    expect(claimed.sort()).toEqual([...ids].sort());
    for (const id of claimed) await a.store.cancel(id, 'owner-a');
  });

  it('fences completion by lease: a lost lease never completes, a re-queued job completes once', async () => {
    const { job } = await a.store.create(newJob({ webhook: { mode: 'direct', url: 'https://example.com/h' } }));
    const claimed = await a.store.claim('slow', -1); // its lease has already expired
    expect(claimed?.id).toBe(job.id);
    await a.store.progress(job.id, 'slow', 1, 4);
    expect((await b.store.get(job.id))?.progress).toBe(25);
    const swept = await b.store.requeueExpired(Date.now(), 3);
    expect(swept.requeued).toEqual([job.id]);
    // Re-queued, it starts over: no progress shows while it waits.
    expect(await b.store.get(job.id)).toMatchObject({ status: 'Pending', progress: null });
    expect(await a.store.renew(job.id, 'slow', 1000)).toBe('lost');
    const again = await b.store.claim('fast', 10_000);
    expect(again).toMatchObject({ id: job.id, attempts: 2, leaseOwner: 'fast' });
    expect(await a.store.complete(job.id, 'slow', { result: { who: 'slow' }, numPages: 1, totalPages: 1, duration: 1 })).toBe(false);
    expect(await b.store.complete(job.id, 'fast', { result: { who: 'fast' }, numPages: 4, totalPages: 4, duration: 1 })).toBe(true);
    expect(await b.store.complete(job.id, 'fast', { result: { who: 'again' }, numPages: 4, totalPages: 4, duration: 1 })).toBe(false);
    expect(await a.store.get(job.id)).toMatchObject({ status: 'Completed', result: { who: 'fast' }, progress: 100, numPages: 4 });
    const { rows } = await a.db.query(`SELECT status FROM ${schema}.webhook_outbox WHERE job_id = $1`, [job.id]);
    expect(rows).toEqual([{ status: 'Completed' }]);
  });

  it('carries events between processes over LISTEN/NOTIFY', async () => {
    const got = new Promise((resolve) => {
      const off = b.events.subscribe('job-x', (e) => {
        off();
        resolve(e);
      });
    });
    const queued = new Promise<void>((resolve) => {
      const off = b.events.onQueued(() => {
        off();
        resolve();
      });
    });
    a.events.publish({ jobId: 'job-x', status: 'InProgress', progress: 40 });
    a.events.notifyQueued();
    expect(await got).toEqual({ jobId: 'job-x', status: 'InProgress', progress: 40 });
    await queued;
    // Cancelling a fan-out parent reaches the workers of its parts.
    const part = new Promise((resolve) => b.events.subscribe('job-z.p2', resolve));
    a.events.publish({ jobId: 'job-z', status: 'Cancelled', progress: 10 });
    expect(await part).toEqual({ jobId: 'job-z.p2', status: 'Cancelled', progress: 10 });
  });

  it('survives pg_terminate_backend: pools and listeners reconnect, nothing is lost', async () => {
    const { job } = await a.store.create(newJob());
    const killed = await terminateBackends(schema);
    expect(killed).toBeGreaterThan(0);
    // The first statements after the kill ride on dead connections; they are retried.
    expect((await b.store.get(job.id))?.status).toBe('Pending');
    // (earlier cases left other pending jobs; drain until ours comes up)
    let claimed = await b.store.claim('after-kill', 10_000);
    while (claimed && claimed.id !== job.id) {
      await b.store.fail(claimed.id, 'after-kill', 'INTERNAL_ERROR', 'drained');
      claimed = await b.store.claim('after-kill', 10_000);
    }
    expect(claimed?.id).toBe(job.id);
    expect(await b.store.complete(job.id, 'after-kill', { result: {}, numPages: 1, totalPages: 1, duration: 0 })).toBe(true);
    // The listener reconnects and keeps carrying events.
    await b.events.ready();
    await new Promise((r) => setTimeout(r, 200));
    const got = new Promise((resolve) => b.events.subscribe('job-y', resolve));
    const timer = setInterval(() => a.events.publish({ jobId: 'job-y', status: 'Completed', progress: 100 }), 100);
    try {
      expect(await got).toMatchObject({ jobId: 'job-y' });
    } finally {
      clearInterval(timer);
    }
  });
});
