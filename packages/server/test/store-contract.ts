import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobListQuery, JobSummary, NewJob } from '../src/jobs/job.ts';
import type { JobQueue } from '../src/jobs/queue.ts';
import type { JobStore, OutboxRow } from '../src/jobs/store.ts';
import type { PartPlan, PartStore } from '../src/jobs/part-store.ts';
import type { UploadStore } from '../src/storage/upload-store.ts';

/** One backend's stores, opened empty for each case. */
export interface OpenedStore {
  store: JobStore & JobQueue & PartStore & { uploads: UploadStore };
  close(): Promise<void>;
}

const done = { result: {}, numPages: 1, totalPages: 1, duration: 1 };
/** Pages 1..10·n in parts of ten, read from the parent's document. */
const tens = (n: number): PartPlan[] => Array.from({ length: n }, (_, i) => ({ part: i + 1, first: i * 10 + 1, last: i * 10 + 10, inputRef: null }));

/**
 * The contract every backend's JobStore, JobQueue and UploadStore keeps, run against each
 * backend by its own test file. Each case gets an empty store, so claims see only its jobs.
 */
export function describeStoreContract(backend: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${backend}`, () => {
    let opened: OpenedStore;
    let store: OpenedStore['store'];
    let clock = 1_000_000;
    const job = (over: Partial<NewJob> = {}): NewJob => ({
      id: randomUUID(), owner: 'o', type: 'Parse', rawConfig: '{"input":"x"}', config: { a: 1 }, input: { ref: 'reducto://x.pdf' },
      priority: 0, timeoutS: null, idempotencyKey: null, webhook: null, metadata: null, createdAt: clock++, ...over,
    });
    /** A job that ran to completion (finished now). */
    const finished = async (over: Partial<NewJob> = {}) => {
      const { job: j } = await store.create(job(over));
      expect((await store.claim('finisher', 60_000))?.id).toBe(j.id);
      expect(await store.complete(j.id, 'finisher', done)).toBe(true);
      return j;
    };

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.close();
    });

    it('creates, reads back and scopes jobs to their owner', async () => {
      const j = job({ metadata: { k: 'v' }, webhook: { mode: 'direct', url: 'https://example.com/h' } });
      const { job: created, created: isNew } = await store.create(j);
      expect(isNew).toBe(true);
      expect(created).toMatchObject({ id: j.id, status: 'Pending', attempts: 0, config: { a: 1 }, metadata: { k: 'v' }, createdAt: j.createdAt });
      expect(await store.get(j.id, 'o')).toMatchObject({ id: j.id, webhook: { mode: 'direct' }, input: { ref: 'reducto://x.pdf' } });
      expect(await store.get(j.id, 'someone-else')).toBeNull();
      expect(await store.delete(j.id, 'someone-else')).toBeNull();
      expect((await store.delete(j.id, 'o'))?.id).toBe(j.id);
      expect(await store.get(j.id)).toBeNull();
      // A deleted job is never claimed.
      expect(await store.claim('w', 10_000)).toBeNull();
    });

    it('claims by priority then age; each job goes to exactly one of many concurrent claimers', async () => {
      const old = (await store.create(job())).job;
      const urgent = (await store.create(job({ priority: 2 }))).job;
      expect(await store.claim('w1', 10_000)).toMatchObject({ id: urgent.id, status: 'InProgress', attempts: 1, leaseOwner: 'w1' });
      expect((await store.claim('w2', 10_000))?.id).toBe(old.id);
      expect(await store.claim('w3', 10_000)).toBeNull();

      const ids = new Set<string>();
      for (let i = 0; i < 12; i++) ids.add((await store.create(job())).job.id);
      const claimed: string[] = [];
      await Promise.all(Array.from({ length: 4 }, async (_, w) => {
        for (let next = await store.claim(`c${w}`, 10_000); next; next = await store.claim(`c${w}`, 10_000)) claimed.push(next.id);
      }));
      expect(claimed.sort()).toEqual([...ids].sort());
    });

    it('records progress and fences completion by lease: a re-queued job completes once, by its new worker', async () => {
      const { job: j } = await store.create(job());
      await store.claim('slow', -1); // its lease has already expired
      await store.progress(j.id, 'slow', 1, 4);
      expect((await store.get(j.id))?.progress).toBe(25);
      expect(await store.requeueExpired(Date.now(), 3)).toEqual({ requeued: [j.id], failed: [] });
      expect(await store.renew(j.id, 'slow', 1000)).toBe('lost');
      expect(await store.claim('fast', 10_000)).toMatchObject({ id: j.id, attempts: 2, leaseOwner: 'fast' });
      expect(await store.renew(j.id, 'fast', 10_000)).toBe('held');
      expect(await store.complete(j.id, 'slow', { ...done, result: { by: 'slow' } })).toBe(false);
      expect(await store.complete(j.id, 'fast', { result: { by: 'fast' }, numPages: 4, totalPages: 4, duration: 1 })).toBe(true);
      expect(await store.complete(j.id, 'fast', { ...done, result: { by: 'again' } })).toBe(false);
      expect(await store.fail(j.id, 'fast', 'X', 'late')).toBe(false);
      expect(await store.get(j.id)).toMatchObject({ status: 'Completed', result: { by: 'fast' }, progress: 100, numPages: 4 });
    });

    it('bounds attempts: a job whose workers keep dying fails with a reason', async () => {
      const { job: j } = await store.create(job());
      for (let i = 1; i <= 3; i++) {
        expect((await store.claim(`dies-${i}`, -1))?.attempts).toBe(i);
        const swept = await store.requeueExpired(Date.now(), 3);
        expect(i < 3 ? swept.requeued : swept.failed).toEqual([j.id]);
      }
      expect(await store.get(j.id)).toMatchObject({ status: 'Failed', errorCode: 'INTERNAL_ERROR', reason: expect.stringMatching(/3 times/) });
      expect(await store.claim('nobody', 1000)).toBeNull();
    });

    it('counts the jobs waiting for a worker (queue depth)', async () => {
      expect(await store.pendingCount()).toBe(0);
      await store.create(job());
      const { job: second } = await store.create(job());
      await store.create(job());
      expect(await store.pendingCount()).toBe(3);
      await store.claim('w1', 10_000);
      await store.cancel(second.id, 'o');
      expect(await store.pendingCount()).toBe(1);
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

    it('fails a job with its error name and reason', async () => {
      const { job: j } = await store.create(job());
      await store.claim('w', 10_000);
      expect(await store.fail(j.id, 'other', 'X', 'not mine')).toBe(false);
      expect(await store.fail(j.id, 'w', 'DOCUMENT_CORRUPT', 'broken')).toBe(true);
      expect(await store.get(j.id)).toMatchObject({ status: 'Failed', errorCode: 'DOCUMENT_CORRUPT', reason: 'broken', leaseOwner: null });
    });

    it('cancel: a pending job never starts, a running one sees "cancelled", a finished one is unchanged', async () => {
      const pending = (await store.create(job())).job;
      expect((await store.cancel(pending.id, 'o'))?.status).toBe('Cancelled');
      expect(await store.claim('w', 10_000)).toBeNull();
      const running = (await store.create(job())).job;
      await store.claim('w', 10_000);
      expect(await store.cancel(running.id, 'someone-else')).toBeNull();
      expect((await store.cancel(running.id, 'o'))?.status).toBe('Cancelled');
      expect(await store.renew(running.id, 'w', 10_000)).toBe('cancelled');
      expect(await store.complete(running.id, 'w', done)).toBe(false);
      expect((await store.get(running.id))?.status).toBe('Cancelled');
      const complete = await finished();
      expect((await store.cancel(complete.id, 'o'))?.status).toBe('Completed');
    });

    it('release gives a running job back at once, without counting the attempt', async () => {
      const { job: j } = await store.create(job());
      await store.claim('w', 10_000);
      expect(await store.release(j.id, 'other')).toBe(false);
      expect(await store.release(j.id, 'w')).toBe(true);
      expect(await store.release(j.id, 'w')).toBe(false);
      expect(await store.get(j.id)).toMatchObject({ status: 'Pending', attempts: 0, leaseOwner: null });
      expect(await store.renew(j.id, 'w', 10_000)).toBe('lost');
      expect(await store.complete(j.id, 'w', done)).toBe(false);
      // Claimable again straight away (not after a lease expiry), by another worker.
      expect(await store.claim('next', 10_000)).toMatchObject({ id: j.id, attempts: 1, leaseOwner: 'next' });
      expect(await store.complete(j.id, 'next', done)).toBe(true);
    });

    it('idempotency keys return the first job within 24 h, per owner', async () => {
      const first = await store.create(job({ idempotencyKey: 'k' }));
      const again = await store.create(job({ idempotencyKey: 'k' }));
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      expect((await store.create(job({ idempotencyKey: 'k', owner: 'p' }))).created).toBe(true);
      const later = await store.create(job({ idempotencyKey: 'k', createdAt: clock + 25 * 3600 * 1000 }));
      expect(later.created).toBe(true);
      expect(later.job.id).not.toBe(first.job.id);
    });

    it('lists newest first with a keyset cursor that neither repeats nor skips while rows are added', async () => {
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await store.create(job({ createdAt: 5000 + (i >> 1) }))).job.id);
      await store.create(job({ owner: 'p', createdAt: 5001 })); // another owner's: never listed
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.list({ owner: 'o', limit: 3, cursor });
        seen.push(...page.jobs.map((j) => j.id));
        cursor = page.nextCursor;
        await store.create(job({ createdAt: 9000 + seen.length })); // newer rows must not shift later pages
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(made));
      const before = await store.list({ owner: 'o', limit: 100, cursor: null, createdBefore: 6000 });
      expect(before.jobs.map((j) => j.createdAt)).toEqual([...before.jobs.map((j) => j.createdAt)].sort((x, y) => y - x));
      expect(before.jobs).toHaveLength(7);
      expect((await store.list({ owner: 'o', limit: 100, cursor: null, status: 'Completed' })).jobs).toEqual([]);
    });

    it('pages through a long list, filtered by status, one owner at a time, while newer jobs arrive', async () => {
      // Two owners' jobs interleaved, with ties on created_at (the id breaks them).
      const mine: string[] = [];
      const theirs: string[] = [];
      for (let i = 0; i < 23; i++) {
        mine.push((await store.create(job({ createdAt: 7000 + (i >> 2), rawConfig: `{"n":${i}}` }))).job.id);
        theirs.push((await store.create(job({ owner: 'p', createdAt: 7000 + (i >> 2) }))).job.id);
      }
      const cancelled = mine.filter((_, i) => i % 3 === 0);
      for (const id of cancelled) expect((await store.cancel(id, 'o'))?.status).toBe('Cancelled');
      expect(await store.cancel(theirs[1], 'o')).toBeNull();

      /** Every page of a listing, a newer job of each owner created between pages. */
      const all = async (q: Omit<JobListQuery, 'cursor' | 'limit'>, limit: number) => {
        const rows: JobSummary[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.list({ ...q, limit, cursor });
          expect(page.jobs.length).toBeLessThanOrEqual(limit);
          rows.push(...page.jobs);
          cursor = page.nextCursor;
          pages++;
          await store.create(job({ createdAt: 9000 + clock }));
          await store.create(job({ owner: 'p', createdAt: 9000 + clock }));
        } while (cursor);
        return { rows, pages };
      };
      // Jobs created after the first page are newer than every cursor: they never shift a page.
      const listed = await all({ owner: 'o' }, 5);
      expect(listed.pages).toBe(5);
      expect(listed.rows.map((r) => r.id).sort()).toEqual([...mine].sort());
      // Newest first by (createdAt, id): no repeats, no gaps, in key order.
      const keys = listed.rows.map((r) => [r.createdAt, r.id] as const);
      const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
      expect(keys).toEqual(sorted);
      const first = listed.rows.find((r) => r.id === mine[5])!;
      expect(first).toEqual({ id: mine[5], type: 'Parse', status: 'Pending', progress: null, reason: null, numPages: null, totalPages: null, duration: null, createdAt: 7001, rawConfig: '{"n":5}' });

      const byStatus = await all({ owner: 'o', status: 'Cancelled' }, 3);
      expect(byStatus.rows.map((r) => r.id).sort()).toEqual([...cancelled].sort());
      expect(byStatus.rows.every((r) => r.status === 'Cancelled' && r.reason === 'Job cancelled')).toBe(true);

      // Without configs, the same rows with raw_config left out.
      const lean = await all({ owner: 'o', createdBefore: 9000, excludeConfigs: true }, 7);
      expect(lean.rows.map((r) => r.id)).toEqual(listed.rows.map((r) => r.id));
      expect(lean.rows.every((r) => r.rawConfig === '')).toBe(true);

      const other = await all({ owner: 'p', status: 'Pending', createdBefore: 9000 }, 10);
      expect(other.rows.map((r) => r.id).sort()).toEqual([...theirs].sort());
      expect((await store.list({ owner: 'nobody', limit: 10, cursor: null })).jobs).toEqual([]);
    });

    it('retention deletes old finished jobs (and their webhook records), never persisted, recent or running ones', async () => {
      const old = await finished({ webhook: { mode: 'direct', url: 'https://example.com/h' } });
      const failed = (await store.create(job())).job;
      await store.claim('w', 10_000);
      await store.fail(failed.id, 'w', 'X', 'broken');
      const cancelled = (await store.create(job())).job;
      await store.cancel(cancelled.id, 'o');
      const kept = await finished({ config: { settings: { persist_results: true } } });
      const running = (await store.create(job())).job;
      await store.claim('w', 10_000);
      const pending = (await store.create(job())).job;
      await store.recordWebhookAttempt({ jobId: old.id, url: 'https://example.com/h', attempt: 1, statusCode: 200, error: null, at: 1 });

      expect(await store.deleteFinishedBefore(Date.now() - 60_000, 10)).toEqual([]);
      const first = await store.deleteFinishedBefore(Date.now() + 1, 2);
      expect(first).toHaveLength(2);
      const rest = await store.deleteFinishedBefore(Date.now() + 1, 10);
      expect([...first, ...rest].map((j) => j.id).sort()).toEqual([old.id, failed.id, cancelled.id].sort());
      expect(await store.get(old.id)).toBeNull();
      expect(await store.webhookAttempts(old.id)).toEqual([]);
      for (const j of [kept, running, pending]) expect(await store.get(j.id)).not.toBeNull();
      expect(await store.deleteFinishedBefore(Date.now() + 1, 10)).toEqual([]);
    });

    it('uploads round-trip, scoped to their owner', async () => {
      await store.uploads.create({ id: 'u1.pdf', owner: 'o', filename: 'x.pdf', size: null, blobKey: 'uploads/u1.pdf', createdAt: 5, expiresAt: null });
      await store.uploads.setSize('u1.pdf', 42);
      expect(await store.uploads.get('u1.pdf', 'o')).toMatchObject({ size: 42, blobKey: 'uploads/u1.pdf', filename: 'x.pdf', createdAt: 5, expiresAt: null });
      expect(await store.uploads.get('u1.pdf', 'other')).toBeNull();
      expect(await store.uploads.delete('u1.pdf', 'other')).toBeNull();
      expect((await store.uploads.delete('u1.pdf', 'o'))?.id).toBe('u1.pdf');
      expect(await store.uploads.get('u1.pdf')).toBeNull();
    });

    it('deletes expired uploads, a batch at a time, and keeps the rest', async () => {
      const base = { owner: 'o', filename: null, size: 1, createdAt: 0 };
      const now = Date.now();
      for (const id of ['old1', 'old2', 'old3']) await store.uploads.create({ ...base, id, blobKey: `uploads/${id}`, expiresAt: now - 1000 });
      await store.uploads.create({ ...base, id: 'new', blobKey: 'uploads/new', expiresAt: now + 60_000 });
      await store.uploads.create({ ...base, id: 'forever', blobKey: 'uploads/forever', expiresAt: null });
      const first = await store.uploads.deleteExpired(now, 2);
      expect(first).toHaveLength(2);
      const rest = await store.uploads.deleteExpired(now, 10);
      expect([...first, ...rest].map((u) => u.id).sort()).toEqual(['old1', 'old2', 'old3']);
      expect(first[0]).toMatchObject({ owner: 'o', blobKey: `uploads/${first[0].id}` });
      expect(await store.uploads.get('old1')).toBeNull();
      expect(await store.uploads.get('new')).not.toBeNull();
      expect(await store.uploads.get('forever')).not.toBeNull();
      expect(await store.uploads.deleteExpired(now, 10)).toEqual([]);
    });

    it('records webhook attempts and owes the webhook of a finished job once', async () => {
      const due: OutboxRow[] = [];
      store.webhookDue = (row) => due.push(row);
      try {
        const j = await finished({ webhook: { mode: 'direct', url: 'https://example.com/h' } });
        await finished(); // no webhook: nothing owed
        expect(due).toEqual([{ jobId: j.id, status: 'Completed' }]);
        await store.recordWebhookAttempt({ jobId: j.id, url: 'https://x', attempt: 1, statusCode: 500, error: 'HTTP 500', at: 1 });
        await store.recordWebhookAttempt({ jobId: j.id, url: 'https://x', attempt: 2, statusCode: 200, error: null, at: 2 });
        expect((await store.webhookAttempts(j.id)).map((w) => [w.attempt, w.statusCode])).toEqual([[1, 500], [2, 200]]);
        await store.closeWebhook(j.id, Date.now());
        expect(await store.claimWebhooks(Date.now() + 3600_000, 1000, 10)).toEqual([]);
      } finally {
        store.webhookDue = null;
      }
    });
    // ── Fan-out parts ─────────────────────────────────────────────────────────────────────

    /** A job claimed by `worker` and split into `n` parts of ten pages. */
    const split = async (n: number, worker = 'splitter', over: Partial<NewJob> = {}) => {
      const { job: j } = await store.create(job(over));
      expect((await store.claim(worker, 60_000))?.id).toBe(j.id);
      expect(await store.splitIntoParts(j.id, worker, tens(n), n * 10)).toBe(true);
      return j;
    };

    it('splits a held job into parts claimed ahead of new jobs; the last part done leases the parent to its worker', async () => {
      const { job: first } = await store.create(job({ webhook: { mode: 'direct', url: 'https://example.com/h' } }));
      expect((await store.claim('splitter', 60_000))?.id).toBe(first.id);
      const later = (await store.create(job())).job;
      expect(await store.splitIntoParts(first.id, 'someone-else', tens(3), 30)).toBe(false);
      expect(await store.splitIntoParts(first.id, 'splitter', tens(3), 30)).toBe(true);
      // The parent waits, without a lease, for its parts.
      expect(await store.get(first.id)).toMatchObject({ status: 'InProgress', leaseOwner: null, progress: 0, totalPages: 30 });
      expect(await store.renew(first.id, 'splitter', 60_000)).toBe('lost');
      const claimed = [await store.claim('a', 60_000), await store.claim('b', 60_000), await store.claim('c', 60_000)];
      expect(claimed.map((c) => c?.id).sort()).toEqual([1, 2, 3].map((n) => `${first.id}.p${n}`));
      const p1 = claimed.find((c) => c?.part?.part === 1)!;
      expect(p1).toMatchObject({ status: 'InProgress', attempts: 1, webhook: null, input: { ref: 'reducto://x.pdf' }, part: { parentId: first.id, part: 1, first: 1, last: 10, inputRef: null } });
      expect((await store.claim('d', 60_000))?.id).toBe(later.id);
      // Progress: pages of every part over the document's pages, never back.
      const holder = p1.leaseOwner!;
      expect(await store.partProgress(p1.id, holder, 6)).toBeCloseTo(20);
      expect(await store.partProgress(p1.id, holder, 3)).toBeCloseTo(20);
      expect(await store.partProgress(p1.id, 'not-the-holder', 9)).toBeNull();
      expect(await store.renew(p1.id, holder, 60_000)).toBe('held');
      expect(await store.renew(p1.id, 'not-the-holder', 60_000)).toBe('lost');
      const workers = new Map(claimed.map((c) => [c!.id, c!.leaseOwner!]));
      const outcomes = [];
      for (const c of claimed) outcomes.push(await store.completePart(c!.id, workers.get(c!.id)!, `parts/${c!.id}`, 60_000));
      expect(outcomes.map((o) => o.applied)).toEqual([true, true, true]);
      expect(outcomes.map((o) => o.allDone)).toEqual([false, false, true]);
      expect(await store.completePart(claimed[2]!.id, workers.get(claimed[2]!.id)!, 'again', 60_000)).toEqual({ applied: false, allDone: false });
      const merger = workers.get(claimed[2]!.id)!;
      expect(await store.get(first.id)).toMatchObject({ status: 'InProgress', leaseOwner: merger, numPages: 30, progress: 100 });
      expect((await store.parts(first.id)).map((p) => [p.part, p.first, p.last, p.resultKey])).toEqual([1, 2, 3].map((n) => [n, n * 10 - 9, n * 10, `parts/${first.id}.p${n}`]));
      const due: OutboxRow[] = [];
      store.webhookDue = (row) => due.push(row);
      try {
        expect(await store.complete(first.id, merger, { result: { merged: true }, numPages: 30, totalPages: 30, duration: 2 })).toBe(true);
      } finally {
        store.webhookDue = null;
      }
      expect(await store.get(first.id)).toMatchObject({ status: 'Completed', result: { merged: true }, numPages: 30 });
      expect(due).toEqual([{ jobId: first.id, status: 'Completed' }]);
      expect(await store.claim('e', 60_000)).toBeNull();
    });

    it('records a part already read by the splitting worker as done: never claimed, counted in progress and in the merge', async () => {
      const { job: j } = await store.create(job());
      expect((await store.claim('reader', 60_000))?.id).toBe(j.id);
      const plans: PartPlan[] = [
        { part: 1, first: 1, last: 14, inputRef: null, resultKey: `parts/${j.id}/p1.v8` },
        { part: 2, first: 15, last: 22, inputRef: null },
        { part: 3, first: 23, last: 30, inputRef: null },
      ];
      expect(await store.splitIntoParts(j.id, 'reader', plans, 30)).toBe(true);
      // The pages read count at once: the progress a user saw does not fall back to 0.
      expect(await store.get(j.id)).toMatchObject({ status: 'InProgress', leaseOwner: null, numPages: 14, totalPages: 30 });
      expect((await store.get(j.id))!.progress).toBeCloseTo(100 * 14 / 30);
      const claimed = [await store.claim('a', 60_000), await store.claim('b', 60_000)];
      expect(claimed.map((c) => c?.part?.part).sort()).toEqual([2, 3]);
      expect(await store.claim('c', 60_000)).toBeNull();
      const outcomes = [];
      for (const c of claimed) outcomes.push(await store.completePart(c!.id, c!.leaseOwner!, `parts/${c!.id}`, 60_000));
      expect(outcomes.map((o) => o.allDone)).toEqual([false, true]);
      expect((await store.parts(j.id)).map((p) => [p.part, p.first, p.last, p.resultKey])).toEqual([
        [1, 1, 14, `parts/${j.id}/p1.v8`],
        [2, 15, 22, `parts/${j.id}.p2`],
        [3, 23, 30, `parts/${j.id}.p3`],
      ]);
      expect(await store.get(j.id)).toMatchObject({ numPages: 30, progress: 100 });
    });

    it('retries a failed part alone; out of attempts, it fails the parent and withdraws the other parts', async () => {
      const j = await split(2);
      const a = (await store.claim('a', 60_000))!;
      const b = (await store.claim('b', 60_000))!;
      const p1 = a.part!.part === 1 ? a : b;
      const other = p1 === a ? b : a;
      expect(await store.failPart(p1.id, p1.leaseOwner!, 'DOCUMENT_CORRUPT', 'page 3 cannot be read', 2)).toEqual({ applied: true, parentFailed: false });
      expect(await store.get(j.id)).toMatchObject({ status: 'InProgress' });
      const again = (await store.claim('c', 60_000))!;
      expect(again).toMatchObject({ id: p1.id, attempts: 2 });
      expect(await store.failPart(again.id, 'c', 'DOCUMENT_CORRUPT', 'page 3 cannot be read', 2)).toEqual({ applied: true, parentFailed: true });
      expect(await store.get(j.id)).toMatchObject({ status: 'Failed', errorCode: 'DOCUMENT_CORRUPT', reason: 'Pages 1–10: page 3 cannot be read' });
      // The other part's worker learns it on its next renewal; its result is not taken.
      expect(await store.renew(other.id, other.leaseOwner!, 60_000)).toBe('lost');
      expect((await store.completePart(other.id, other.leaseOwner!, 'late', 60_000)).applied).toBe(false);
      expect(await store.claim('d', 60_000)).toBeNull();
    });

    it('cancelling a parent stops its parts: a running one hears it, a waiting one is never claimed', async () => {
      const j = await split(2);
      const running = (await store.claim('a', 60_000))!;
      expect((await store.cancel(j.id, 'o'))?.status).toBe('Cancelled');
      expect(await store.renew(running.id, 'a', 60_000)).toBe('cancelled');
      expect((await store.completePart(running.id, 'a', 'late', 60_000)).applied).toBe(false);
      expect(await store.claim('b', 60_000)).toBeNull();
    });

    it('a part whose worker died goes back to the queue alone, or fails its parent when out of attempts; a released part is not counted', async () => {
      const j = await split(2);
      const a = (await store.claim('a', 1))!;
      expect((await store.requeueExpired(Date.now() + 3_600_000, 2)).requeued).toEqual([a.id]);
      const both = [(await store.claim('x', 60_000))!, (await store.claim('y', 60_000))!];
      expect(both.map((p) => p.id).sort()).toEqual([`${j.id}.p1`, `${j.id}.p2`]);
      expect(both.find((p) => p.id === a.id)?.attempts).toBe(2);
      const b = both.find((p) => p.id !== a.id)!;
      expect(await store.release(b.id, b.leaseOwner!)).toBe(true);
      expect(await store.claim('z', 60_000)).toMatchObject({ id: b.id, attempts: b.attempts });
      // The first part's worker dies again: out of its 2 attempts, the parent fails.
      expect((await store.requeueExpired(Date.now() + 3_600_000, 2)).failed).toEqual([j.id]);
      const parent = await store.get(j.id);
      expect(parent).toMatchObject({ status: 'Failed', errorCode: 'INTERNAL_ERROR' });
      expect(parent?.reason).toMatch(/^Pages \d+–\d+: the worker stopped responding 2 times; giving up$/);
      expect(await store.claim('w', 60_000)).toBeNull();
    });

    it('splitting again (the parent re-queued after its merger died) replaces the old parts', async () => {
      const j = await split(3);
      for (const w of ['a', 'b', 'c']) {
        const p = (await store.claim(w, 60_000))!;
        await store.completePart(p.id, w, `k-${w}`, 1);
      }
      // The merger's lease lapses: the parent is queued again and split anew.
      expect((await store.requeueExpired(Date.now() + 3_600_000, 3)).requeued).toEqual([j.id]);
      expect((await store.claim('again', 60_000))?.id).toBe(j.id);
      expect(await store.splitIntoParts(j.id, 'again', tens(2), 20)).toBe(true);
      expect((await store.parts(j.id)).map((p) => [p.part, p.resultKey])).toEqual([[1, null], [2, null]]);
      expect((await store.delete(j.id, 'o'))?.id).toBe(j.id);
      expect(await store.parts(j.id)).toEqual([]);
    });
  });
}
