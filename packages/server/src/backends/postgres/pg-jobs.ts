import type pg from 'pg';
import type { Job, JobListQuery, JobPage, JobSummary, NewJob } from '../../jobs/job.ts';
import { decodeCursor, encodeCursor } from '../../jobs/job.ts';
import type { OutboxRow } from '../../jobs/store.ts';
import type { PgDatabase } from './pg-database.ts';
import type { PgOutbox } from './pg-outbox.ts';
import type { PgParts } from './pg-parts.ts';
import { JOBS_QUEUE, txConnection, type PgQueue } from './pg-queue.ts';
import { toJob, type JobRow } from './pg-rows.ts';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;


/** The columns of a job list row: the list never reads a job's config, input or result. */
const LIST_COLUMNS = 'id, type, status, progress, reason, num_pages, total_pages, duration, created_at';

interface SummaryRow {
  id: string; type: string; status: string; progress: number | null; reason: string | null;
  num_pages: number | null; total_pages: number | null; duration: number | null; created_at: string; raw_config?: string;
}

const toSummary = (r: SummaryRow): JobSummary => ({
  id: r.id, type: r.type as Job['type'], status: r.status as Job['status'], progress: r.progress, reason: r.reason,
  numPages: r.num_pages, totalPages: r.total_pages, duration: r.duration, createdAt: Number(r.created_at), rawConfig: r.raw_config ?? '',
});
/**
 * Job rows on PostgreSQL as their owners see them: create (queued in the same transaction,
 * idempotency keys held by a unique index across API processes), read, list by keyset
 * cursor, cancel, delete, and retention.
 */
export class PgJobs {
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

  async create(job: NewJob): Promise<{ job: Job; created: boolean }> {
    return this.#db.tx(async (c) => {
      if (job.idempotencyKey) {
        const prior = await this.#byIdempotencyKey(c, job.owner, job.idempotencyKey);
        if (prior && Number(prior.created_at) > job.createdAt - IDEMPOTENCY_WINDOW_MS) return { job: toJob(prior), created: false };
        if (prior) await c.query(`UPDATE ${this.#t} SET idempotency_key = NULL WHERE id = $1`, [prior.id]);
      }
      const conn = txConnection(c);
      const queueJobId = await this.#queue.send(conn, JOBS_QUEUE, { jobId: job.id }, job.priority);
      const { rows } = await c.query<JobRow>(
        `INSERT INTO ${this.#t} (id, owner, type, status, raw_config, config, input, created_at, priority, timeout_s,
           idempotency_key, webhook, metadata, queue_job_id)
         VALUES ($1, $2, $3, 'Pending', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT DO NOTHING RETURNING *`,
        [
          job.id, job.owner, job.type, job.rawConfig, JSON.stringify(job.config ?? null), JSON.stringify(job.input),
          job.createdAt, job.priority, job.timeoutS, job.idempotencyKey,
          job.webhook ? JSON.stringify(job.webhook) : null,
          job.metadata === undefined ? null : JSON.stringify(job.metadata), queueJobId,
        ],
      );
      if (rows[0]) return { job: toJob(rows[0]), created: true };
      // Another API process inserted the same idempotency key first and has committed.
      await this.#queue.cancel(conn, JOBS_QUEUE, queueJobId);
      const winner = job.idempotencyKey ? await this.#byIdempotencyKey(c, job.owner, job.idempotencyKey) : undefined;
      if (!winner) throw new Error(`Job ${job.id} already exists`);
      return { job: toJob(winner), created: false };
    });
  }

  async #byIdempotencyKey(c: pg.PoolClient, owner: string, key: string): Promise<JobRow | undefined> {
    const { rows } = await c.query<JobRow>(`SELECT * FROM ${this.#t} WHERE owner = $1 AND idempotency_key = $2 FOR UPDATE`, [owner, key]);
    return rows[0];
  }

  async get(id: string, owner?: string): Promise<Job | null> {
    const { rows } = owner === undefined
      ? await this.#db.query<JobRow>(`SELECT * FROM ${this.#t} WHERE id = $1`, [id])
      : await this.#db.query<JobRow>(`SELECT * FROM ${this.#t} WHERE id = $1 AND owner = $2`, [id, owner]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async list(q: JobListQuery): Promise<JobPage> {
    const params: unknown[] = [q.owner];
    const where = ['owner = $1'];
    const ref = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.status) where.push(`status = ${ref(q.status)}`);
    if (q.type) where.push(`type = ${ref(q.type)}`);
    if (q.createdAfter !== undefined) where.push(`created_at > ${ref(q.createdAfter)}`);
    if (q.createdBefore !== undefined) where.push(`created_at < ${ref(q.createdBefore)}`);
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    // A row value: the (owner, created_at DESC, id DESC) index seeks straight to the cursor.
    if (cursor) where.push(`(created_at, id) < (${ref(cursor.createdAt)}, ${ref(cursor.id)})`);
    const limit = ref(q.limit + 1);
    const columns = q.excludeConfigs ? LIST_COLUMNS : `${LIST_COLUMNS}, raw_config`;
    const { rows } = await this.#db.query<SummaryRow>(
      `SELECT ${columns} FROM ${this.#t} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      params,
    );
    const more = rows.length > q.limit;
    const jobs = rows.slice(0, q.limit).map(toSummary);
    return { jobs, nextCursor: more ? encodeCursor(jobs[jobs.length - 1]) : null };
  }

  async delete(id: string, owner: string): Promise<Job | null> {
    return this.#db.tx(async (c) => {
      const { rows } = await c.query<JobRow>(`DELETE FROM ${this.#t} WHERE id = $1 AND owner = $2 RETURNING *`, [id, owner]);
      if (!rows[0]) return null;
      await c.query(`DELETE FROM ${this.#db.schema}.webhook_outbox WHERE job_id = $1`, [id]);
      await c.query(`DELETE FROM ${this.#db.schema}.webhook_attempts WHERE job_id = $1`, [id]);
      await this.#queue.cancel(txConnection(c), JOBS_QUEUE, rows[0].queue_job_id);
      return toJob(rows[0]);
    });
  }

  async deleteFinishedBefore(before: number, limit: number): Promise<Job[]> {
    const s = this.#db.schema;
    return this.#db.tx(async (c) => {
      // SKIP LOCKED: sweepers in several processes share the work instead of queueing on it.
      const { rows } = await c.query<JobRow>(
        `DELETE FROM ${this.#t} WHERE id IN (
           SELECT id FROM ${this.#t}
           WHERE finished_at < $1 AND status IN ('Completed', 'Failed', 'Cancelled')
             AND coalesce((config::jsonb -> 'settings' -> 'persist_results') = 'true'::jsonb, false) = false
           ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [before, limit],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length) {
        await c.query(`DELETE FROM ${s}.webhook_outbox WHERE job_id = ANY($1)`, [ids]);
        await c.query(`DELETE FROM ${s}.webhook_attempts WHERE job_id = ANY($1)`, [ids]);
      }
      return rows.map(toJob);
    });
  }

  async cancel(jobId: string, owner: string): Promise<Job | null> {
    const owed: OutboxRow[] = [];
    await this.#db.tx(async (c) => {
      owed.length = 0;
      const now = Date.now();
      const { rows } = await c.query<JobRow>(
        `UPDATE ${this.#t} SET status = 'Cancelled', error_code = 'JOB_CANCELLED', reason = 'Job cancelled', finished_at = $1
         WHERE id = $2 AND owner = $3 AND status IN ('Pending', 'InProgress') RETURNING queue_job_id, webhook`,
        [now, jobId, owner],
      );
      // A pending item is withdrawn; a running one's worker sees 'cancelled' and stops —
      // for a fanned-out parse, every part.
      if (rows[0]) {
        await this.#queue.cancel(txConnection(c), JOBS_QUEUE, rows[0].queue_job_id);
        await this.#parts.withdraw(c, jobId, 'Cancelled');
        if (rows[0].webhook) owed.push(await this.#outbox.owe(c, jobId, 'Cancelled', now));
      }
    });
    this.#outbox.announce(owed);
    return this.get(jobId, owner);
  }

  async pendingCount(): Promise<number> {
    // Counted on the jobs_pending partial index (migration 3).
    const { rows } = await this.#db.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#t} WHERE status = 'Pending'`);
    return Number(rows[0].n);
  }

  /** The stored result JSON text, unparsed. */
  async rawResult(id: string): Promise<string | null> {
    const { rows } = await this.#db.query<{ result: string | null }>(`SELECT result FROM ${this.#t} WHERE id = $1`, [id]);
    return rows[0]?.result ?? null;
  }
}
