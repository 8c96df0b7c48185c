import type pg from 'pg';
import type { Job } from '../../jobs/job.ts';
import type { LeaseState } from '../../jobs/queue.ts';
import type { OutboxRow } from '../../jobs/store.ts';
import { parsePartJobId, partJobId } from '../../jobs/fanout.ts';
import type { PartPlan, PartStore, StoredPart } from '../../jobs/part-store.ts';
import type { PgDatabase } from './pg-database.ts';
import type { PgOutbox } from './pg-outbox.ts';
import { JOBS_QUEUE, PARTS_QUEUE, txConnection, type PgQueue } from './pg-queue.ts';
import { partJob, PROCESS, toJob, toPart, type JobRow, type PartRow } from './pg-rows.ts';

/**
 * Fan-out parts on PostgreSQL (table job_parts, queue PARTS_QUEUE): a parent's page ranges,
 * queued ahead of new jobs and leased like jobs. Every transition locks the parent row first,
 * so parts of one parent serialise on it and exactly one sees the last part done.
 */
export class PgParts implements PartStore {
  readonly #db: PgDatabase;
  readonly #queue: PgQueue;
  readonly #outbox: PgOutbox;
  readonly #t: string;
  readonly #p: string;

  constructor(db: PgDatabase, queue: PgQueue, outbox: PgOutbox) {
    this.#db = db;
    this.#queue = queue;
    this.#outbox = outbox;
    this.#t = `${db.schema}.jobs`;
    this.#p = `${db.schema}.job_parts`;
  }

  /** The next waiting part, leased and shown as a job; 'stale' when its queue item outlived its row. */
  async claim(workerId: string, leaseMs: number): Promise<Job | null | 'stale'> {
    return this.#db.tx(async (c) => {
      const conn = txConnection(c);
      const item = await this.#queue.fetch<{ jobId: string; part: number }>(conn, PARTS_QUEUE);
      if (!item) return null;
      const now = Date.now();
      const { rows } = await c.query<PartRow>(
        `UPDATE ${this.#p} p SET status = 'InProgress', lease_owner = $1, lease_expires_at = $2, attempts = p.attempts + 1,
           lease_process = $6
         FROM ${this.#t} j
         WHERE p.job_id = $3 AND p.part = $4 AND p.status = 'Pending' AND p.queue_job_id = $5
           AND j.id = p.job_id AND j.status = 'InProgress'
         RETURNING p.*`,
        [workerId, now + leaseMs, item.data.jobId, item.data.part, item.id, PROCESS],
      );
      const part = rows[0];
      const parent = part ? (await c.query<JobRow>(`SELECT * FROM ${this.#t} WHERE id = $1`, [part.job_id])).rows[0] : undefined;
      if (!part || !parent) {
        await this.#queue.complete(conn, PARTS_QUEUE, item.id, { stale: true });
        return 'stale';
      }
      return partJob(toJob(parent), part);
    });
  }

  async splitIntoParts(jobId: string, workerId: string, parts: PartPlan[], totalPages: number): Promise<boolean> {
    return this.#db.tx(async (c) => {
      const conn = txConnection(c);
      const held = await c.query<{ queue_job_id: string | null; priority: number }>(
        `SELECT queue_job_id, priority FROM ${this.#t} WHERE id = $1 AND lease_owner = $2 AND status = 'InProgress' FOR UPDATE`,
        [jobId, workerId],
      );
      const rows = held.rows;
      if (!rows[0]) return false;
      // The parent waits without a lease or queue item until its last part is done.
      await c.query(
        `UPDATE ${this.#t} SET lease_owner = NULL, lease_expires_at = NULL, lease_process = NULL, fanout_parts = $1,
           total_pages = $2, num_pages = 0, progress = 0, queue_job_id = NULL WHERE id = $3`,
        [parts.length, totalPages, jobId],
      );
      if (!rows[0]) return false;
      await this.#queue.complete(conn, JOBS_QUEUE, rows[0].queue_job_id, { fanout: parts.length });
      // Parts left by an attempt whose worker died start over.
      const old = await c.query<{ queue_job_id: string | null }>(`DELETE FROM ${this.#p} WHERE job_id = $1 RETURNING queue_job_id`, [jobId]);
      for (const r of old.rows) await this.#queue.cancel(conn, PARTS_QUEUE, r.queue_job_id);
      for (const p of parts) {
        if (!p.resultKey) await this.#queuePart(c, jobId, p.part, p, rows[0].priority);
        else {
          await c.query(
            `INSERT INTO ${this.#p} (job_id, part, first_page, last_page, status, pages_done, input_ref, result)
             VALUES ($1, $2, $3, $4, 'Completed', $4::int - $3::int + 1, $5, $6)`,
            [jobId, p.part, p.first, p.last, p.inputRef, p.resultKey],
          );
        }
      }
      if (parts.some((p) => p.resultKey)) await this.#parentProgress(c, jobId);
      return true;
    });
  }

  async completePart(partId: string, workerId: string, resultKey: string, leaseMs: number): Promise<{ applied: boolean; allDone: boolean }> {
    const part = parsePartJobId(partId);
    if (!part) return { applied: false, allDone: false };
    return this.#db.tx(async (c) => {
      // Parts of one parent serialise on the parent's row: exactly one sees the last part done.
      const parent = (await c.query<{ status: string }>(`SELECT status FROM ${this.#t} WHERE id = $1 FOR UPDATE`, [part.parentId])).rows[0];
      if (parent?.status !== 'InProgress') return { applied: false, allDone: false };
      const { rows } = await c.query<PartRow>(
        `UPDATE ${this.#p} SET status = 'Completed', result = $1, pages_done = last_page - first_page + 1,
           lease_owner = NULL, lease_expires_at = NULL
         WHERE job_id = $2 AND part = $3 AND lease_owner = $4 AND status = 'InProgress' RETURNING queue_job_id`,
        [resultKey, part.parentId, part.part, workerId],
      );
      if (!rows[0]) return { applied: false, allDone: false };
      await this.#queue.complete(txConnection(c), PARTS_QUEUE, rows[0].queue_job_id);
      await this.#parentProgress(c, part.parentId);
      const left = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#p} WHERE job_id = $1 AND status <> 'Completed'`, [part.parentId]);
      if (Number(left.rows[0].n) > 0) return { applied: true, allDone: false };
      const leased = await c.query(
        `UPDATE ${this.#t} SET lease_owner = $1, lease_expires_at = $2, lease_process = $3 WHERE id = $4 AND status = 'InProgress' AND lease_owner IS NULL`,
        [workerId, Date.now() + leaseMs, PROCESS, part.parentId],
      );
      return { applied: true, allDone: leased.rowCount === 1 };
    });
  }

  async parts(jobId: string): Promise<StoredPart[]> {
    const { rows } = await this.#db.query<PartRow>(`SELECT * FROM ${this.#p} WHERE job_id = $1 ORDER BY part`, [jobId]);
    return rows.map(toPart);
  }

  /** The parent's pages done and progress, from its parts'. */
  async #parentProgress(c: pg.PoolClient, jobId: string): Promise<void> {
    await c.query(
      `UPDATE ${this.#t} j SET num_pages = s.done, progress = least(100, 100.0 * s.done / greatest(j.total_pages, 1))
       FROM (SELECT sum(pages_done)::int AS done FROM ${this.#p} WHERE job_id = $1) s WHERE j.id = $1`,
      [jobId],
    );
  }

  /** Queue a part: a new one (with its span and input), or a retry of an existing one. */
  async #queuePart(c: pg.PoolClient, jobId: string, part: number, span: PartPlan | null, priority: number): Promise<void> {
    const queueJobId = await this.#queue.send(txConnection(c), PARTS_QUEUE, { jobId, part }, priority + 1);
    if (span) {
      await c.query(
        `INSERT INTO ${this.#p} (job_id, part, first_page, last_page, status, queue_job_id, input_ref)
         VALUES ($1, $2, $3, $4, 'Pending', $5, $6)`,
        [jobId, part, span.first, span.last, queueJobId, span.inputRef],
      );
    } else {
      await c.query(
        // pages_done is kept: progress a user has seen never goes back while the part is redone.
        `UPDATE ${this.#p} SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, queue_job_id = $1
         WHERE job_id = $2 AND part = $3`,
        [queueJobId, jobId, part],
      );
    }
  }

  /** Extend a part's lease while its parent still runs. */
  async renew(parentId: string, part: number, workerId: string, leaseMs: number): Promise<LeaseState> {
    const { rowCount } = await this.#db.query(
      `UPDATE ${this.#p} p SET lease_expires_at = $1 FROM ${this.#t} j
       WHERE p.job_id = $2 AND p.part = $3 AND p.lease_owner = $4 AND p.status = 'InProgress'
         AND j.id = p.job_id AND j.status = 'InProgress'`,
      [Date.now() + leaseMs, parentId, part, workerId],
    );
    if (rowCount === 1) return 'held';
    const { rows } = await this.#db.query<{ status: string }>(`SELECT status FROM ${this.#t} WHERE id = $1`, [parentId]);
    return rows[0]?.status === 'Cancelled' ? 'cancelled' : 'lost';
  }

  async partProgress(partId: string, workerId: string, done: number): Promise<number | null> {
    const part = parsePartJobId(partId);
    if (!part) return null;
    // The parent's progress is the sum of its parts' pages over the document's pages. The
    // parent row is locked first, as completion, failure and cancel do: one lock order (no
    // deadlock), and the sum sees every part's committed count, so progress never goes
    // back. A retried part counts from where its dead attempt got to.
    const rows = await this.#db.tx(async (c) => {
      const parent = await c.query<{ status: string }>(`SELECT status FROM ${this.#t} WHERE id = $1 FOR UPDATE`, [part.parentId]);
      if (parent.rows[0]?.status !== 'InProgress') return [];
      const updated = await c.query<{ progress: number | null }>(
        `WITH p AS (
           UPDATE ${this.#p} SET pages_done = greatest(pages_done, $1) WHERE job_id = $2 AND part = $3 AND lease_owner = $4 AND status = 'InProgress'
           RETURNING job_id)
         UPDATE ${this.#t} j SET num_pages = s.done, progress = least(100, 100.0 * s.done / greatest(j.total_pages, 1))
         FROM p, (SELECT sum(CASE WHEN part = $3 THEN greatest(pages_done, $1) ELSE pages_done END)::int AS done FROM ${this.#p} WHERE job_id = $2) s
         WHERE j.id = p.job_id RETURNING j.progress`,
        [done, part.parentId, part.part, workerId],
      );
      return updated.rows;
    });
    return rows[0]?.progress ?? null;
  }

  /** A part failed: it alone is retried while it has attempts left; then its parent fails. */
  async failPart(partId: string, workerId: string, code: string, reason: string, maxAttempts: number): Promise<{ applied: boolean; parentFailed: boolean }> {
    const part = parsePartJobId(partId);
    if (!part) return { applied: false, parentFailed: false };
    const owed: OutboxRow[] = [];
    const outcome = await this.#db.tx(async (c) => {
      owed.length = 0; // a retried transaction starts over
      const parent = (await c.query<JobRow>(`SELECT * FROM ${this.#t} WHERE id = $1 FOR UPDATE`, [part.parentId])).rows[0];
      if (!parent || parent.status !== 'InProgress') return { applied: false, parentFailed: false };
      const { rows } = await c.query<PartRow>(
        `SELECT * FROM ${this.#p} WHERE job_id = $1 AND part = $2 AND lease_owner = $3 AND status = 'InProgress' FOR UPDATE`,
        [part.parentId, part.part, workerId],
      );
      const row = rows[0];
      if (!row) return { applied: false, parentFailed: false };
      await this.#queue.complete(txConnection(c), PARTS_QUEUE, row.queue_job_id, { failed: code });
      if (row.attempts < maxAttempts) {
        await this.#queuePart(c, part.parentId, part.part, null, parent.priority);
        return { applied: true, parentFailed: false };
      }
      await this.failParent(c, parent, `Pages ${row.first_page}–${row.last_page}: ${reason}`, code, owed);
      return { applied: true, parentFailed: true };
    });
    this.#outbox.announce(owed);
    return outcome;
  }

  /** Fail a fan-out parent and withdraw its unfinished parts (their workers' renew says 'lost'). */
  async failParent(c: pg.PoolClient, parent: JobRow, reason: string, code: string, owed: OutboxRow[]): Promise<void> {
    const now = Date.now();
    await c.query(
      `UPDATE ${this.#t} SET status = 'Failed', error_code = $1, reason = $2, finished_at = $3, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $4`,
      [code, reason, now, parent.id],
    );
    await this.withdraw(c, parent.id, 'Failed');
    if (parent.webhook) owed.push(await this.#outbox.owe(c, parent.id, 'Failed', now));
  }

  async withdraw(c: pg.PoolClient, jobId: string, status: 'Cancelled' | 'Failed'): Promise<void> {
    const { rows } = await c.query<{ queue_job_id: string | null }>(
      `UPDATE ${this.#p} SET status = $1, lease_owner = NULL, lease_expires_at = NULL
       WHERE job_id = $2 AND status IN ('Pending', 'InProgress') RETURNING queue_job_id`,
      [status === 'Failed' ? 'Cancelled' : status, jobId],
    );
    for (const r of rows) await this.#queue.cancel(txConnection(c), PARTS_QUEUE, r.queue_job_id);
  }

  /** Give a part back (graceful shutdown): queued again at once, the attempt not counted. */
  async release(partId: string, workerId: string): Promise<boolean> {
    const part = parsePartJobId(partId);
    if (!part) return false;
    return this.#db.tx(async (c) => {
      const conn = txConnection(c);
      const { rows } = await c.query<{ queue_job_id: string | null; priority: number }>(
        `UPDATE ${this.#p} p SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, lease_process = NULL,
           attempts = greatest(p.attempts - 1, 0)
         FROM ${this.#t} j
         WHERE p.job_id = $1 AND p.part = $2 AND p.lease_owner = $3 AND p.status = 'InProgress'
           AND j.id = p.job_id AND j.status = 'InProgress'
         RETURNING p.queue_job_id, j.priority`,
        [part.parentId, part.part, workerId],
      );
      if (!rows[0]) return false;
      await this.#queue.complete(conn, PARTS_QUEUE, rows[0].queue_job_id, { released: true });
      await this.#queuePart(c, part.parentId, part.part, null, rows[0].priority);
      return true;
    });
  }

  /**
   * Inside the lease sweep's transaction: parts whose worker died. The part alone goes back
   * to the queue, or its parent fails (owing its webhook) when the part is out of attempts.
   */
  async requeueExpired(c: pg.PoolClient, now: number, maxAttempts: number, owed: OutboxRow[]): Promise<{ requeued: string[]; failed: string[] }> {
    const conn = txConnection(c);
    const requeued: string[] = [];
    const failed: string[] = [];
    const parts = await c.query<PartRow & { parent: JobRow }>(
      `SELECT p.*, row_to_json(j) AS parent FROM ${this.#p} p JOIN ${this.#t} j ON j.id = p.job_id
       WHERE p.status = 'InProgress' AND p.lease_expires_at < $1 FOR UPDATE OF p, j SKIP LOCKED`,
      [now],
    );
    for (const p of parts.rows) {
      await this.#queue.fail(conn, PARTS_QUEUE, p.queue_job_id, { reason: 'lease expired' });
      if (p.parent.status !== 'InProgress') continue;
      if (p.attempts >= maxAttempts) {
        await this.failParent(c, p.parent, `Pages ${p.first_page}–${p.last_page}: the worker stopped responding ${p.attempts} times; giving up`, 'INTERNAL_ERROR', owed);
        failed.push(p.job_id);
      } else {
        await this.#queuePart(c, p.job_id, p.part, null, p.parent.priority);
        requeued.push(partJobId(p.job_id, p.part));
      }
    }
    return { requeued, failed };
  }
}
