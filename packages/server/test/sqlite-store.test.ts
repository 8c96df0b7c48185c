import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../src/jobs/job.ts';
import { SqliteStore } from '../src/jobs/sqlite-store.ts';

/** The lease protocol on a real SQLite file. */
describe('SqliteStore queue and leases', () => {
  let dir: string;
  let store: SqliteStore;
  let clock = 1_000_000;
  const job = (over: Partial<NewJob> = {}): NewJob => ({
    id: crypto.randomUUID(), owner: 'o', type: 'Parse', rawConfig: '{}', config: {}, input: { ref: 'reducto://x.pdf' },
    priority: 0, timeoutS: null, idempotencyKey: null, webhook: null, metadata: null, createdAt: clock++, ...over,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-sqlite-'));
    store = new SqliteStore(join(dir, 'folio.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims by priority then age, once', async () => {
    const old = (await store.create(job())).job;
    const urgent = (await store.create(job({ priority: 2 }))).job;
    expect((await store.claim('w1', 10_000))?.id).toBe(urgent.id);
    const second = await store.claim('w2', 10_000);
    expect(second?.id).toBe(old.id);
    expect(second?.attempts).toBe(1);
    expect(await store.claim('w3', 10_000)).toBeNull();
  });

  it('a re-queued job cannot be completed by its old worker', async () => {
    const { job: j } = await store.create(job());
    await store.claim('w1', -1); // lease already expired
    expect(await store.requeueExpired(Date.now(), 3)).toEqual({ requeued: [j.id], failed: [] });
    expect(await store.renew(j.id, 'w1', 1000)).toBe('lost');
    await store.claim('w2', 10_000);
    expect(await store.complete(j.id, 'w1', { result: { by: 'w1' }, numPages: 1, totalPages: 1, duration: 1 })).toBe(false);
    expect(await store.complete(j.id, 'w2', { result: { by: 'w2' }, numPages: 1, totalPages: 1, duration: 1 })).toBe(true);
    expect(await store.complete(j.id, 'w2', { result: { by: 'again' }, numPages: 1, totalPages: 1, duration: 1 })).toBe(false);
    expect((await store.get(j.id))?.result).toEqual({ by: 'w2' });
  });

  it('fails a job after the maximum number of attempts', async () => {
    const { job: j } = await store.create(job());
    for (let i = 0; i < 3; i++) {
      expect((await store.claim('w', -1))?.attempts).toBe(i + 1);
      await store.requeueExpired(Date.now(), 3);
    }
    const failed = await store.get(j.id);
    expect(failed?.status).toBe('Failed');
    expect(failed?.reason).toMatch(/3 times/);
  });

  it('cancel: a queued job never starts; a running one tells its worker on renew', async () => {
    const queued = (await store.create(job())).job;
    expect((await store.cancel(queued.id, 'o'))?.status).toBe('Cancelled');
    expect(await store.claim('w', 10_000)).toBeNull();
    const running = (await store.create(job())).job;
    await store.claim('w', 10_000);
    expect(await store.cancel(running.id, 'someone-else')).toBeNull();
    await store.cancel(running.id, 'o');
    expect(await store.renew(running.id, 'w', 10_000)).toBe('cancelled');
    expect(await store.complete(running.id, 'w', { result: {}, numPages: 1, totalPages: 1, duration: 1 })).toBe(false);
  });

  it('release gives a job back without counting the attempt', async () => {
    const { job: j } = await store.create(job());
    await store.claim('w', 10_000);
    expect(await store.release(j.id, 'other')).toBe(false);
    expect(await store.release(j.id, 'w')).toBe(true);
    expect(await store.get(j.id)).toMatchObject({ status: 'Pending', attempts: 0, leaseOwner: null });
  });

  it('a job given back or re-queued shows no progress while it waits again', async () => {
    const { job: j } = await store.create(job());
    await store.claim('w', 10_000);
    await store.progress(j.id, 'w', 3, 4);
    expect((await store.get(j.id))?.progress).toBe(75);
    await store.release(j.id, 'w');
    expect(await store.get(j.id)).toMatchObject({ status: 'Pending', progress: null });
    await store.claim('w', -1);
    await store.progress(j.id, 'w', 1, 2);
    await store.requeueExpired(Date.now(), 3);
    expect(await store.get(j.id)).toMatchObject({ status: 'Pending', progress: null });
  });

  it('idempotency keys return the first job within 24 h, per owner', async () => {
    const first = await store.create(job({ idempotencyKey: 'k' }));
    const again = await store.create(job({ idempotencyKey: 'k' }));
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    expect((await store.create(job({ idempotencyKey: 'k', owner: 'p' }))).created).toBe(true);
    const later = await store.create(job({ idempotencyKey: 'k', createdAt: clock + 25 * 3600 * 1000 }));
    expect(later.created).toBe(true);
  });

  it('lists newest first with a keyset cursor, stable under inserts', async () => {
    for (let i = 0; i < 5; i++) await store.create(job({ createdAt: 5000 })); // same millisecond
    const page1 = await store.list({ owner: 'o', limit: 3, cursor: null });
    await store.create(job({ createdAt: 9000 })); // newer than everything: must not shift page 2
    const page2 = await store.list({ owner: 'o', limit: 3, cursor: page1.nextCursor });
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.jobs, ...page2.jobs].map((j) => j.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('retention deletes old finished jobs, but not persisted, recent or running ones', async () => {
    const finish = async (over: Partial<NewJob> = {}) => {
      const { job: j } = await store.create(job(over));
      await store.claim('w', 10_000);
      await store.complete(j.id, 'w', { result: {}, numPages: 1, totalPages: 1, duration: 1 });
      return j;
    };
    const old = await finish();
    const kept = await finish({ config: { settings: { persist_results: true } } });
    const running = (await store.create(job())).job;
    await store.claim('w', 10_000);
    expect(await store.deleteFinishedBefore(Date.now() - 60_000, 10)).toEqual([]);
    expect((await store.deleteFinishedBefore(Date.now() + 1, 10)).map((j) => j.id)).toEqual([old.id]);
    expect(await store.get(kept.id)).not.toBeNull();
    expect(await store.get(running.id)).not.toBeNull();
  });

  it('deletes expired uploads', async () => {
    const base = { owner: 'o', filename: null, size: 1, createdAt: 0 };
    await store.uploads.create({ ...base, id: 'old', blobKey: 'uploads/old', expiresAt: Date.now() - 1 });
    await store.uploads.create({ ...base, id: 'new', blobKey: 'uploads/new', expiresAt: Date.now() + 60_000 });
    expect((await store.uploads.deleteExpired!(Date.now(), 10)).map((u) => u.id)).toEqual(['old']);
    expect(await store.uploads.get('old')).toBeNull();
    expect(await store.uploads.get('new')).not.toBeNull();
  });
});
