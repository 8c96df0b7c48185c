import type { Job } from '../../jobs/job.ts';
import type { JobOutcome, LeaseState } from '../../jobs/queue.ts';
import type { OutboxRow } from '../../jobs/store.ts';
import { parsePartJobId } from '../../jobs/fanout.ts';
import type { PgDatabase } from './pg-database.ts';
import type { PgOutbox } from './pg-outbox.ts';
import type { PgParts } from './pg-parts.ts';
import { JOBS_QUEUE, txConnection, type PgQueue } from './pg-queue.ts';
import { PROCESS, toJob, type JobRow } from './pg-rows.ts';

/**
 * Leases on PostgreSQL: a worker claims a job (its queue item fetched and its row leased in
 * one transaction), renews it, reports progress, and completes, fails or releases it — each
 * fenced by the lease owner, so a job whose lease was taken back never finishes twice.
 * A part id (`<parent>.p<n>`) is handed to PgParts.
 */
export class PgLeases {
  readonly #db: PgDatabase;
  readonly #queue: PgQueue;
  readonly #parts: PgParts;
  readonly #outbox: PgOutbox;
  readonly #t: string;

  constructor(db: PgDatabase, queue: PgQueue, parts: PgParts, outbox: PgOutbox) {
    this.#db = db;
    this.#queue = queue;
    this.#parts = parts;
    this.#outbox = outbox;
    this.#t = `${db.schema}.jobs`;
  }

  async claim(workerId: string, leaseMs: number): Promise<Job | null> {
    // Parts of documents already started go first: finishing them frees their parents.
    // A queue item whose row is no longer Pending (cancelled, deleted, re-queued under a new
    // item) is stale: acknowledge it and look at the next one.
    for (let i = 0; i < 50; i++) {
      const part = await this.#parts.claim(workerId, leaseMs);
      if (part === 'stale') continue;
      if (part) return part;
      const outcome = await this.#db.tx(async (c) => {
        const conn = txConnection(c);
        const item = await this.#queue.fetch<{ jobId: string }>(conn, JOBS_QUEUE);
        if (!item) return { job: null, more: false };
        const now = Date.now();
        const { rows } = await c.query<JobRow>(
          `UPDATE ${this.#t} SET status = 'InProgress', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1,
             started_at = coalesce(started_at, $3), lease_process = $6
           WHERE id = $4 AND status = 'Pending' AND queue_job_id = $5 RETURNING *`,
          [workerId, now + leaseMs, now, item.data.jobId, item.id, PROCESS],
        );
        if (rows[0]) return { job: toJob(rows[0]), more: false };
        await this.#queue.complete(conn, JOBS_QUEUE, item.id, { stale: true });
        return { job: null, more: true };
      });
      if (outcome.more) continue;
      return outcome.job;
    }
    return null;
  }

  async renew(jobId: string, workerId: string, leaseMs: number): Promise<LeaseState> {
    const part = parsePartJobId(jobId);
    if (part) return this.#parts.renew(part.parentId, part.part, workerId, leaseMs);
    const { rowCount } = await this.#db.query(
      `UPDATE ${this.#t} SET lease_expires_at = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'InProgress'`,
      [Date.now() + leaseMs, jobId, workerId],
    );
    if (rowCount === 1) return 'held';
    const { rows } = await this.#db.query<{ status: string }>(`SELECT status FROM ${this.#t} WHERE id = $1`, [jobId]);
    return rows[0]?.status === 'Cancelled' ? 'cancelled' : 'lost';
  }

  async progress(jobId: string, workerId: string, done: number, total: number): Promise<void> {
    if (parsePartJobId(jobId)) {
      await this.#parts.partProgress(jobId, workerId, done);
      return;
    }
    const pct = total > 0 ? Math.min(100, (done / total) * 100) : null;
    await this.#db.query(
      `UPDATE ${this.#t} SET progress = $1, num_pages = $2, total_pages = $3
       WHERE id = $4 AND lease_owner = $5 AND status = 'InProgress'`,
      [pct, done, total, jobId, workerId],
    );
  }

  async complete(jobId: string, workerId: string, o: JobOutcome): Promise<boolean> {
    // A part is completed with completePart (its result is a blob the coordinator stored).
    if (parsePartJobId(jobId)) return false;
    return this.#finish(
      jobId, workerId, 'Completed',
      'progress = 100, result = $3, num_pages = $4, total_pages = $5, duration = $6',
      [JSON.stringify(o.result), o.numPages, o.totalPages, o.duration],
    );
  }

  /**
   * Give the job back (graceful shutdown): its queue item is closed and a fresh one sent in
   * the same transaction, so another worker picks it up at once; the attempt is not counted.
   */
  async release(jobId: string, workerId: string): Promise<boolean> {
    if (parsePartJobId(jobId)) return this.#parts.release(jobId, workerId);
    return this.#db.tx(async (c) => {
      const conn = txConnection(c);
      const { rows } = await c.query<{ queue_job_id: string | null; priority: number }>(
        `SELECT queue_job_id, priority FROM ${this.#t} WHERE id = $1 AND lease_owner = $2 AND status = 'InProgress' FOR UPDATE`,
        [jobId, workerId],
      );
      if (!rows[0]) return false;
      await this.#queue.complete(conn, JOBS_QUEUE, rows[0].queue_job_id, { released: true });
      const queueJobId = await this.#queue.send(conn, JOBS_QUEUE, { jobId }, rows[0].priority);
      await c.query(
        `UPDATE ${this.#t} SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, lease_process = NULL,
           attempts = greatest(attempts - 1, 0), progress = NULL, queue_job_id = $1 WHERE id = $2`,
        [queueJobId, jobId],
      );
      return true;
    });
  }

  async fail(jobId: string, workerId: string, code: string, reason: string): Promise<boolean> {
    if (parsePartJobId(jobId)) return (await this.#parts.failPart(jobId, workerId, code, reason, 1)).applied;
    return this.#finish(jobId, workerId, 'Failed', 'error_code = $3, reason = $4', [code, reason]);
  }

  /** InProgress → terminal, fenced by the lease; acknowledges the queue item and fills the outbox. */
  async #finish(jobId: string, workerId: string, status: 'Completed' | 'Failed', set: string, values: unknown[]): Promise<boolean> {
    const owed: OutboxRow[] = [];
    const applied = await this.#db.tx(async (c) => {
      owed.length = 0; // a retried transaction starts over
      const now = Date.now();
      const { rows } = await c.query<JobRow>(
        `UPDATE ${this.#t} SET status = '${status}', ${set}, finished_at = $${values.length + 3},
           lease_owner = NULL, lease_expires_at = NULL
         WHERE id = $1 AND lease_owner = $2 AND status = 'InProgress' RETURNING queue_job_id, webhook`,
        [jobId, workerId, ...values, now],
      );
      if (!rows[0]) return false;
      await this.#queue.complete(txConnection(c), JOBS_QUEUE, rows[0].queue_job_id, { status });
      if (rows[0].webhook) owed.push(await this.#outbox.owe(c, jobId, status, now));
      return true;
    });
    this.#outbox.announce(owed);
    return applied;
  }

  async requeueExpired(now: number, maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }> {
    const owed: OutboxRow[] = [];
    const touched = await this.#db.tx(async (c) => {
      owed.length = 0;
      const conn = txConnection(c);
      const requeued: string[] = [];
      const failed: string[] = [];
      const { rows } = await c.query<JobRow>(
        `SELECT id, attempts, priority, queue_job_id, webhook FROM ${this.#t}
         WHERE status = 'InProgress' AND lease_expires_at < $1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      for (const r of rows) {
        // The old queue item belonged to the dead attempt; close it either way.
        await this.#queue.fail(conn, JOBS_QUEUE, r.queue_job_id, { reason: 'lease expired' });
        if (r.attempts >= maxAttempts) {
          await c.query(
            `UPDATE ${this.#t} SET status = 'Failed', error_code = 'INTERNAL_ERROR', reason = $1, finished_at = $2,
               lease_owner = NULL, lease_expires_at = NULL WHERE id = $3`,
            [`The job's worker stopped responding ${r.attempts} times; giving up`, now, r.id],
          );
          if (r.webhook) owed.push(await this.#outbox.owe(c, r.id, 'Failed', now));
          failed.push(r.id);
        } else {
          const queueJobId = await this.#queue.send(conn, JOBS_QUEUE, { jobId: r.id }, r.priority);
          await c.query(
            // A re-queued job starts over: no progress shows while it waits.
            `UPDATE ${this.#t} SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, progress = NULL, queue_job_id = $1 WHERE id = $2`,
            [queueJobId, r.id],
          );
          requeued.push(r.id);
        }
      }
      // Parts whose worker died, in the same transaction.
      const parts = await this.#parts.requeueExpired(c, now, maxAttempts, owed);
      requeued.push(...parts.requeued);
      failed.push(...parts.failed);
      return { requeued, failed };
    });
    this.#outbox.announce(owed);
    return touched;
  }
}
