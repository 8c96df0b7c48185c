import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../src/jobs/job.ts';
import { SqliteStore } from '../src/backends/embedded/sqlite-store.ts';
import type { OutboxRow } from '../src/jobs/store.ts';
import { THIS_PROCESS, WEBHOOK_ATTEMPT_MS } from '../src/webhooks/outbox-claim.ts';

/** The SQLite side of the webhook outbox: what is owed, when, and who may claim it. */
describe('SqliteStore webhook outbox', () => {
  let dir: string;
  let store: SqliteStore;
  let due: OutboxRow[];
  const job = (over: Partial<NewJob> = {}): NewJob => ({
    id: crypto.randomUUID(), owner: 'o', type: 'Parse', rawConfig: '{}', config: {}, input: { ref: 'reducto://x.pdf' },
    priority: 0, timeoutS: null, idempotencyKey: null, webhook: { mode: 'direct', url: 'https://example.com/h' }, metadata: null,
    createdAt: Date.now(), ...over,
  });
  /** Create a job and claim it (nothing else is pending). */
  const running = async (over: Partial<NewJob> = {}, leaseMs = 10_000): Promise<string> => {
    const { job: j } = await store.create(job(over));
    expect((await store.claim(`w-${j.id}`, leaseMs))?.id).toBe(j.id);
    return j.id;
  };
  const outbox = (id: string): unknown => store.db.prepare('SELECT status, claimed_by, delivered_at FROM webhook_outbox WHERE job_id = ?').all(id);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-outbox-sqlite-'));
    store = new SqliteStore(join(dir, 'folio.db'));
    due = [];
    store.webhookDue = (row) => {
      // announced after the commit: the row is already there
      expect(outbox(row.jobId)).toHaveLength(1);
      due.push(row);
    };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('complete, fail, give-up and cancel owe the webhook in their transaction, claimed by this process', async () => {
    const done = await running();
    const failed = await running();
    const died = await running({}, -1);
    const silent = await running({ webhook: null });
    const cancelled = (await store.create(job())).job.id;
    expect(await store.complete(done, `w-${done}`, { result: {}, numPages: 1, totalPages: 1, duration: 1 })).toBe(true);
    expect(await store.complete(done, `w-${done}`, { result: {}, numPages: 1, totalPages: 1, duration: 1 })).toBe(false);
    expect(await store.fail(failed, `w-${failed}`, 'DOCUMENT_CORRUPT', 'bad')).toBe(true);
    expect((await store.requeueExpired(Date.now(), 1)).failed).toEqual([died]);
    await store.cancel(cancelled, 'o');
    await store.cancel(cancelled, 'o');
    await store.complete(silent, `w-${silent}`, { result: {}, numPages: 1, totalPages: 1, duration: 1 });
    expect(due).toEqual([
      { jobId: done, status: 'Completed' }, { jobId: failed, status: 'Failed' },
      { jobId: died, status: 'Failed' }, { jobId: cancelled, status: 'Cancelled' },
    ]);
    expect(outbox(done)).toEqual([{ status: 'Completed', claimed_by: THIS_PROCESS, delivered_at: null }]);
    expect(outbox(silent)).toEqual([]);
  });

  it('a sweep takes rows whose claim lapsed or whose claimer is dead, once; closed rows never', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await running();
      await store.complete(id, `w-${id}`, { result: {}, numPages: 1, totalPages: 1, duration: 1 });
      ids.push(id);
    }
    const now = Date.now();
    // Ours and still being delivered: left alone.
    expect(await store.claimWebhooks(now, WEBHOOK_ATTEMPT_MS, 10)).toEqual([]);
    // One claimed by a process of this host that has exited, one by a live one (this test's parent).
    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    const claim = store.db.prepare('UPDATE webhook_outbox SET claimed_by = ? WHERE job_id = ?');
    claim.run(`${hostname()}/${exited}/abcd1234`, ids[0]);
    claim.run(`${hostname()}/${process.ppid}/abcd1234`, ids[1]);
    expect(await store.claimWebhooks(now, WEBHOOK_ATTEMPT_MS, 10)).toEqual([{ jobId: ids[0], status: 'Completed' }]);
    expect(await store.claimWebhooks(now, WEBHOOK_ATTEMPT_MS, 10)).toEqual([]);
    // An attempt that will be retried extends the claim past its backoff.
    await store.recordWebhookAttempt({ jobId: ids[2], url: 'https://example.com/h', attempt: 1, statusCode: 500, error: 'HTTP 500', at: now }, now + 90_000);
    await store.closeWebhook(ids[0], now);
    const later = await store.claimWebhooks(now + 60_000, WEBHOOK_ATTEMPT_MS, 10);
    expect(later).toEqual([{ jobId: ids[1], status: 'Completed' }]);
    expect((await store.claimWebhooks(now + 100_000, WEBHOOK_ATTEMPT_MS, 10)).map((r) => r.jobId).sort()).toEqual([ids[1], ids[2]].sort());
  });
});
