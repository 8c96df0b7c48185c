import { hostname } from 'node:os';
import type pg from 'pg';
import type { Job, JobListQuery, JobPage, JobSummary, NewJob } from './job.ts';
import { decodeCursor, encodeCursor } from './job.ts';
import type { JobOutcome, JobQueue, LeaseState } from './queue.ts';
import type { JobStore, OutboxRow, WebhookAttempt } from './store.ts';
import { deadClaimers, THIS_PROCESS, WEBHOOK_ATTEMPT_MS } from '../webhooks/outbox-claim.ts';
import type { Upload, UploadStore } from '../storage/upload-store.ts';
import type { PgDatabase } from './pg-database.ts';
import { JOBS_QUEUE, PARTS_QUEUE, txConnection, type PgQueue } from './pg-queue.ts';
import { parsePartJobId, partJobId } from './fanout.ts';
import type { PartPlan, PartStore, StoredPart } from './part-store.ts';

/** This process, as recorded on the jobs it leases. */
const PROCESS = `${hostname()}/${process.pid}`;
const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

interface JobRow {
  id: string; owner: string; type: string; status: string; progress: number | null;
  reason: string | null; error_code: string | null; raw_config: string; config: string;
  input: string; result: string | null; num_pages: number | null; total_pages: number | null;
  duration: number | null; created_at: string; started_at: string | null; finished_at: string | null;
  attempts: number; lease_owner: string | null; lease_expires_at: string | null; priority: number;
  timeout_s: number | null; idempotency_key: string | null; webhook: string | null; metadata: string | null;
  queue_job_id: string | null; fanout_parts: number | null;
}

interface PartRow {
  job_id: string; part: number; first_page: number; last_page: number; status: string; pages_done: number;
  attempts: number; lease_owner: string | null; lease_expires_at: string | null; queue_job_id: string | null;
  result: string | null; input_ref: string | null;
}

interface UploadRow {
  id: string; owner: string; filename: string | null; size: string | null; blob_key: string;
  created_at: string; expires_at: string | null;
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
// bigint columns arrive as strings from node-postgres.
const ms = (v: string | null): number | null => (v === null ? null : Number(v));

function toJob(r: JobRow): Job {
  return {
    id: r.id, owner: r.owner, type: r.type as Job['type'], status: r.status as Job['status'],
    progress: r.progress, reason: r.reason, errorCode: r.error_code, rawConfig: r.raw_config,
    config: JSON.parse(r.config), input: JSON.parse(r.input), result: parseJson(r.result),
    numPages: r.num_pages, totalPages: r.total_pages, duration: r.duration, createdAt: Number(r.created_at),
    startedAt: ms(r.started_at), finishedAt: ms(r.finished_at), attempts: r.attempts,
    leaseOwner: r.lease_owner, leaseExpiresAt: ms(r.lease_expires_at), priority: r.priority,
    timeoutS: r.timeout_s, idempotencyKey: r.idempotency_key,
    webhook: parseJson(r.webhook) as Job['webhook'], metadata: parseJson(r.metadata),
  };
}

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

const toPart = (p: PartRow): StoredPart => ({
  parentId: p.job_id, part: p.part, first: p.first_page, last: p.last_page, inputRef: p.input_ref, resultKey: p.result,
});

/** A fan-out part, presented to workers as a job of its own (id `<parent>.p<n>`). */
function partJob(parent: Job, p: PartRow): Job {
  return {
    ...parent,
    id: partJobId(parent.id, p.part),
    status: 'InProgress',
    progress: null,
    result: null,
    attempts: p.attempts,
    leaseOwner: p.lease_owner,
    leaseExpiresAt: ms(p.lease_expires_at),
    idempotencyKey: null,
    // the parent's webhook fires once, when it is finished
    webhook: null,
    part: toPart(p),
  };
}

function toUpload(r: UploadRow): Upload {
  return {
    id: r.id, owner: r.owner, filename: r.filename, size: ms(r.size), blobKey: r.blob_key,
    createdAt: Number(r.created_at), expiresAt: ms(r.expires_at),
  };
}

/**
 * The distributed backend's job rows, on PostgreSQL, with the same contract as the SQLite
 * store: leases fenced by lease owner (a job completes at most once even when a slow worker
 * wakes up after its lease was taken back), bounded attempts, keyset cursors, idempotency
 * keys enforced by a unique index (so they hold across API processes).
 *
 * Dispatch goes through pg-boss (PgQueue): `create` enqueues in the same transaction as the
 * row insert; `claim` fetches a queue item and leases its row in one transaction. Fan-out
 * parts have a queue of their own, taken first.
 * Terminal transitions of jobs with a webhook also write an outbox row in that transaction.
 */
export class PgJobStore implements JobStore, JobQueue, PartStore {
  readonly #db: PgDatabase;
  readonly #queue: PgQueue;
  readonly #t: string;

  readonly #p: string;

  constructor(db: PgDatabase, queue: PgQueue) {
    this.#db = db;
    this.#p = `${db.schema}.job_parts`;
    this.#queue = queue;
    this.#t = `${db.schema}.jobs`;
  }

  // ── JobStore ────────────────────────────────────────────────────────────────────────────

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

  /** An attempt that will be retried extends the outbox claim, so no other process re-sends it meanwhile. */
  async recordWebhookAttempt(a: WebhookAttempt, claimUntil?: number): Promise<void> {
    const insert = `INSERT INTO ${this.#db.schema}.webhook_attempts (job_id, url, attempt, status_code, error, at) VALUES ($1, $2, $3, $4, $5, $6)`;
    const values = [a.jobId, a.url, a.attempt, a.statusCode, a.error, a.at];
    if (claimUntil === undefined) {
      await this.#db.query(insert, values);
      return;
    }
    await this.#db.query(
      `WITH attempt AS (${insert})
       UPDATE ${this.#db.schema}.webhook_outbox SET claimed_until = greatest(coalesce(claimed_until, 0), $7)
       WHERE job_id = $1 AND delivered_at IS NULL`,
      [...values, claimUntil],
    );
  }

  webhookDue: ((row: OutboxRow) => void) | null = null;

  async claimWebhooks(now: number, claimMs: number, limit: number): Promise<OutboxRow[]> {
    const s = this.#db.schema;
    const claimers = await this.#db.query<{ claimed_by: string | null }>(
      `SELECT DISTINCT claimed_by FROM ${s}.webhook_outbox WHERE delivered_at IS NULL AND claimed_until >= $1`,
      [now],
    );
    const { rows } = await this.#db.query<{ job_id: string; status: OutboxRow['status'] }>(
      `UPDATE ${s}.webhook_outbox o SET claimed_by = $1, claimed_until = $2
       WHERE (o.job_id, o.status) IN (
         SELECT job_id, status FROM ${s}.webhook_outbox
         WHERE delivered_at IS NULL AND (coalesce(claimed_until, 0) < $3 OR claimed_by = ANY($4))
         ORDER BY created_at LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING o.job_id, o.status`,
      [THIS_PROCESS, now + claimMs, now, deadClaimers(claimers.rows.map((r) => r.claimed_by)), limit],
    );
    return rows.map((r) => ({ jobId: r.job_id, status: r.status }));
  }

  async closeWebhook(jobId: string, at: number): Promise<void> {
    await this.#db.query(`UPDATE ${this.#db.schema}.webhook_outbox SET delivered_at = $1 WHERE job_id = $2 AND delivered_at IS NULL`, [at, jobId]);
  }

  /** After a transaction that owed webhooks committed: hand them to this process's outbox. */
  #announce(rows: OutboxRow[]): void {
    for (const row of rows) this.webhookDue?.(row);
  }

  async webhookAttempts(jobId: string): Promise<WebhookAttempt[]> {
    const { rows } = await this.#db.query<{ job_id: string; url: string; attempt: number; status_code: number | null; error: string | null; at: string }>(
      `SELECT * FROM ${this.#db.schema}.webhook_attempts WHERE job_id = $1 ORDER BY at, attempt`,
      [jobId],
    );
    return rows.map((r) => ({ jobId: r.job_id, url: r.url, attempt: r.attempt, statusCode: r.status_code, error: r.error, at: Number(r.at) }));
  }

  // ── JobQueue ────────────────────────────────────────────────────────────────────────────

  async claim(workerId: string, leaseMs: number): Promise<Job | null> {
    // Parts of documents already started go first: finishing them frees their parents.
    // A queue item whose row is no longer Pending (cancelled, deleted, re-queued under a new
    // item) is stale: acknowledge it and look at the next one.
    for (let i = 0; i < 50; i++) {
      const part = await this.#claimPart(workerId, leaseMs);
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

  async #claimPart(workerId: string, leaseMs: number): Promise<Job | null | 'stale'> {
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
      for (const p of parts) await this.#queuePart(c, jobId, p.part, p, rows[0].priority);
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
      await c.query(
        `UPDATE ${this.#t} j SET num_pages = s.done, progress = least(100, 100.0 * s.done / greatest(j.total_pages, 1))
         FROM (SELECT sum(pages_done)::int AS done FROM ${this.#p} WHERE job_id = $1) s WHERE j.id = $1`,
        [part.parentId],
      );
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

  async renew(jobId: string, workerId: string, leaseMs: number): Promise<LeaseState> {
    const part = parsePartJobId(jobId);
    if (part) return this.#renewPart(part.parentId, part.part, workerId, leaseMs);
    const { rowCount } = await this.#db.query(
      `UPDATE ${this.#t} SET lease_expires_at = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'InProgress'`,
      [Date.now() + leaseMs, jobId, workerId],
    );
    if (rowCount === 1) return 'held';
    const { rows } = await this.#db.query<{ status: string }>(`SELECT status FROM ${this.#t} WHERE id = $1`, [jobId]);
    return rows[0]?.status === 'Cancelled' ? 'cancelled' : 'lost';
  }

  async #renewPart(parentId: string, part: number, workerId: string, leaseMs: number): Promise<LeaseState> {
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

  async progress(jobId: string, workerId: string, done: number, total: number): Promise<void> {
    if (parsePartJobId(jobId)) {
      await this.partProgress(jobId, workerId, done);
      return;
    }
    const pct = total > 0 ? Math.min(100, (done / total) * 100) : null;
    await this.#db.query(
      `UPDATE ${this.#t} SET progress = $1, num_pages = $2, total_pages = $3
       WHERE id = $4 AND lease_owner = $5 AND status = 'InProgress'`,
      [pct, done, total, jobId, workerId],
    );
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
    const part = parsePartJobId(jobId);
    return this.#db.tx(async (c) => {
      const conn = txConnection(c);
      if (part) {
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
      }
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
    if (parsePartJobId(jobId)) return (await this.failPart(jobId, workerId, code, reason, 1)).applied;
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
      if (rows[0].webhook) owed.push(await this.#outbox(c, jobId, status, now));
      return true;
    });
    this.#announce(owed);
    return applied;
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
      await this.#failParent(c, parent, `Pages ${row.first_page}–${row.last_page}: ${reason}`, code, owed);
      return { applied: true, parentFailed: true };
    });
    this.#announce(owed);
    return outcome;
  }

  /** Fail a fan-out parent and withdraw its unfinished parts (their workers' renew says 'lost'). */
  async #failParent(c: pg.PoolClient, parent: JobRow, reason: string, code: string, owed: OutboxRow[]): Promise<void> {
    const now = Date.now();
    await c.query(
      `UPDATE ${this.#t} SET status = 'Failed', error_code = $1, reason = $2, finished_at = $3, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $4`,
      [code, reason, now, parent.id],
    );
    await this.#withdrawParts(c, parent.id, 'Failed');
    if (parent.webhook) owed.push(await this.#outbox(c, parent.id, 'Failed', now));
  }

  async #withdrawParts(c: pg.PoolClient, jobId: string, status: 'Cancelled' | 'Failed'): Promise<void> {
    const { rows } = await c.query<{ queue_job_id: string | null }>(
      `UPDATE ${this.#p} SET status = $1, lease_owner = NULL, lease_expires_at = NULL
       WHERE job_id = $2 AND status IN ('Pending', 'InProgress') RETURNING queue_job_id`,
      [status === 'Failed' ? 'Cancelled' : status, jobId],
    );
    for (const r of rows) await this.#queue.cancel(txConnection(c), PARTS_QUEUE, r.queue_job_id);
  }

  /** Inside a terminal transition of a job with a webhook: owe it, claimed by this process. */
  async #outbox(c: pg.PoolClient, jobId: string, status: OutboxRow['status'], now: number): Promise<OutboxRow> {
    await c.query(
      `INSERT INTO ${this.#db.schema}.webhook_outbox (job_id, status, created_at, claimed_by, claimed_until)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [jobId, status, now, THIS_PROCESS, now + WEBHOOK_ATTEMPT_MS],
    );
    return { jobId, status };
  }

  async pendingCount(): Promise<number> {
    // Counted on the jobs_pending partial index (migration 3).
    const { rows } = await this.#db.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#t} WHERE status = 'Pending'`);
    return Number(rows[0].n);
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
          if (r.webhook) owed.push(await this.#outbox(c, r.id, 'Failed', now));
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
      // Parts whose worker died: the part alone goes back to the queue, or its parent fails.
      const parts = await c.query<PartRow & { parent: JobRow }>(
        `SELECT p.*, row_to_json(j) AS parent FROM ${this.#p} p JOIN ${this.#t} j ON j.id = p.job_id
         WHERE p.status = 'InProgress' AND p.lease_expires_at < $1 FOR UPDATE OF p, j SKIP LOCKED`,
        [now],
      );
      for (const p of parts.rows) {
        await this.#queue.fail(conn, PARTS_QUEUE, p.queue_job_id, { reason: 'lease expired' });
        if (p.parent.status !== 'InProgress') continue;
        if (p.attempts >= maxAttempts) {
          await this.#failParent(c, p.parent, `Pages ${p.first_page}–${p.last_page}: the worker stopped responding ${p.attempts} times; giving up`, 'INTERNAL_ERROR', owed);
          failed.push(p.job_id);
        } else {
          await this.#queuePart(c, p.job_id, p.part, null, p.parent.priority);
          requeued.push(partJobId(p.job_id, p.part));
        }
      }
      return { requeued, failed };
    });
    this.#announce(owed);
    return touched;
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
        await this.#withdrawParts(c, jobId, 'Cancelled');
        if (rows[0].webhook) owed.push(await this.#outbox(c, jobId, 'Cancelled', now));
      }
    });
    this.#announce(owed);
    return this.get(jobId, owner);
  }

  /** The stored result JSON text, unparsed. */
  async rawResult(id: string): Promise<string | null> {
    const { rows } = await this.#db.query<{ result: string | null }>(`SELECT result FROM ${this.#t} WHERE id = $1`, [id]);
    return rows[0]?.result ?? null;
  }

  // ── UploadStore ─────────────────────────────────────────────────────────────────────────

  readonly uploads: UploadStore = {
    create: async (u: Upload) => {
      await this.#db.query(
        `INSERT INTO ${this.#db.schema}.uploads (id, owner, filename, size, blob_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [u.id, u.owner, u.filename, u.size, u.blobKey, u.createdAt, u.expiresAt],
      );
    },
    get: async (id: string, owner?: string) => {
      const { rows } = await this.#db.query<UploadRow>(`SELECT * FROM ${this.#db.schema}.uploads WHERE id = $1`, [id]);
      const r = rows[0];
      return r && (owner === undefined || r.owner === owner) ? toUpload(r) : null;
    },
    setSize: async (id: string, size: number) => {
      await this.#db.query(`UPDATE ${this.#db.schema}.uploads SET size = $1 WHERE id = $2`, [size, id]);
    },
    delete: async (id: string, owner: string) => {
      const { rows } = await this.#db.query<UploadRow>(
        `DELETE FROM ${this.#db.schema}.uploads WHERE id = $1 AND owner = $2 RETURNING *`,
        [id, owner],
      );
      return rows[0] ? toUpload(rows[0]) : null;
    },
    deleteExpired: async (now: number, limit: number) => {
      const u = `${this.#db.schema}.uploads`;
      const { rows } = await this.#db.query<UploadRow>(
        `DELETE FROM ${u} WHERE id IN (
           SELECT id FROM ${u} WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, limit],
      );
      return rows.map(toUpload);
    },
  };
}
