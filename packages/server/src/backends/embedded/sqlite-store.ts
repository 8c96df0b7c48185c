import Database from 'better-sqlite3';
import type { Job, JobListQuery, JobPage, JobSummary, NewJob } from '../../jobs/job.ts';
import { decodeCursor, encodeCursor } from '../../jobs/job.ts';
import type { JobOutcome, JobQueue, LeaseState } from '../../jobs/queue.ts';
import type { JobStore, OutboxRow, WebhookAttempt } from '../../jobs/store.ts';
import { deadClaimers, THIS_PROCESS, WEBHOOK_ATTEMPT_MS } from '../../webhooks/outbox-claim.ts';
import type { Upload, UploadStore } from '../../storage/upload-store.ts';
import { parsePartJobId, partJobId } from '../../jobs/fanout.ts';
import type { PartPlan, PartStore, StoredPart } from '../../jobs/part-store.ts';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  progress REAL,
  reason TEXT,
  error_code TEXT,
  raw_config TEXT NOT NULL,
  config TEXT NOT NULL,
  input TEXT NOT NULL,
  result TEXT,
  num_pages INTEGER,
  total_pages INTEGER,
  duration REAL,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  priority INTEGER NOT NULL DEFAULT 0,
  timeout_s REAL,
  idempotency_key TEXT,
  webhook TEXT,
  metadata TEXT
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs(priority DESC, created_at, id) WHERE status = 'Pending';
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_leases ON jobs(lease_expires_at) WHERE status = 'InProgress';
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs(owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  filename TEXT,
  size INTEGER,
  blob_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS uploads_expiry ON uploads(expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS webhook_attempts (
  job_id TEXT NOT NULL,
  url TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_attempts_job ON webhook_attempts(job_id);
-- Outbox: one row per terminal state of a job with a webhook, written in the transaction
-- that finishes the job; open (delivered_at NULL) until every endpoint is served.
CREATE TABLE IF NOT EXISTS webhook_outbox (
  job_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  claimed_by TEXT,
  claimed_until INTEGER,
  delivered_at INTEGER,
  PRIMARY KEY (job_id, status)
);
CREATE INDEX IF NOT EXISTS webhook_outbox_open ON webhook_outbox(created_at) WHERE delivered_at IS NULL;
-- Fan-out: the page-range parts of a large parse, each queued and leased like a job.
CREATE TABLE IF NOT EXISTS job_parts (
  job_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  first_page INTEGER NOT NULL,
  last_page INTEGER NOT NULL,
  input_ref TEXT,
  status TEXT NOT NULL,
  pages_done INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  result_key TEXT,
  PRIMARY KEY (job_id, part)
);
CREATE INDEX IF NOT EXISTS job_parts_pending ON job_parts(job_id, part) WHERE status = 'Pending';
CREATE INDEX IF NOT EXISTS job_parts_leases ON job_parts(lease_expires_at) WHERE status = 'InProgress';
`;

/**
 * The job list's indexes: the keyset order (owner, created_at DESC, id DESC) followed by every
 * column a list row shows except raw_config (the request body, of any size), so a page with
 * exclude_configs is read from the index alone, and the first and the ten-thousandth page
 * cost the same. One with the status right after the owner serves the status filter.
 * They replace the older key-only indexes when an existing database is opened.
 */
const LIST_INDEXES = `
DROP INDEX IF EXISTS jobs_owner_created;
DROP INDEX IF EXISTS jobs_owner_status_created;
CREATE INDEX IF NOT EXISTS jobs_list ON jobs(owner, created_at DESC, id DESC, status, type, progress, reason, num_pages, total_pages, duration);
CREATE INDEX IF NOT EXISTS jobs_list_status ON jobs(owner, status, created_at DESC, id DESC, type, progress, reason, num_pages, total_pages, duration);
`;

/** The columns of a list row, all in the list indexes; raw_config is read from the table when asked for. */
const LIST_COLUMNS = 'id, type, status, progress, reason, num_pages, total_pages, duration, created_at';

interface SummaryRow {
  id: string; type: string; status: string; progress: number | null; reason: string | null;
  num_pages: number | null; total_pages: number | null; duration: number | null; created_at: number; raw_config?: string;
}

const toSummary = (r: SummaryRow): JobSummary => ({
  id: r.id, type: r.type as Job['type'], status: r.status as Job['status'], progress: r.progress, reason: r.reason,
  numPages: r.num_pages, totalPages: r.total_pages, duration: r.duration, createdAt: r.created_at, rawConfig: r.raw_config ?? '',
});

/** The statement of one list page (one row more than asked: whether a next page exists). */
export function listQuery(q: JobListQuery): { sql: string; params: Record<string, unknown> } {
  const where = ['owner = @owner'];
  const params: Record<string, unknown> = { owner: q.owner, limit: q.limit + 1 };
  if (q.status) { where.push('status = @status'); params.status = q.status; }
  if (q.type) { where.push('type = @type'); params.type = q.type; }
  if (q.createdAfter !== undefined) { where.push('created_at > @after'); params.after = q.createdAfter; }
  if (q.createdBefore !== undefined) { where.push('created_at < @before'); params.before = q.createdBefore; }
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  if (cursor) {
    // A row value: the index seeks straight to the cursor, however deep the page.
    where.push('(created_at, id) < (@cAt, @cId)');
    params.cAt = cursor.createdAt;
    params.cId = cursor.id;
  }
  const columns = q.excludeConfigs ? LIST_COLUMNS : `${LIST_COLUMNS}, raw_config`;
  return { sql: `SELECT ${columns} FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`, params };
}

interface PartRow {
  job_id: string; part: number; first_page: number; last_page: number; input_ref: string | null; status: string;
  pages_done: number; attempts: number; lease_owner: string | null; lease_expires_at: number | null; result_key: string | null;
}

const toPart = (p: PartRow): StoredPart => ({
  parentId: p.job_id, part: p.part, first: p.first_page, last: p.last_page, inputRef: p.input_ref, resultKey: p.result_key,
});

/** A part, as a worker takes it: its parent's job with the part's id, pages and lease. */
function partJob(parent: Job, p: PartRow): Job {
  return {
    ...parent,
    id: partJobId(p.job_id, p.part),
    status: 'InProgress',
    progress: null,
    result: null,
    resultText: null,
    attempts: p.attempts,
    leaseOwner: p.lease_owner,
    leaseExpiresAt: p.lease_expires_at,
    idempotencyKey: null,
    // the parent's webhook fires once, when it is finished
    webhook: null,
    part: toPart(p),
  };
}

interface JobRow {
  id: string; owner: string; type: string; status: string; progress: number | null;
  reason: string | null; error_code: string | null; raw_config: string; config: string;
  input: string; result: string | null; num_pages: number | null; total_pages: number | null;
  duration: number | null; created_at: number; started_at: number | null; finished_at: number | null;
  attempts: number; lease_owner: string | null; lease_expires_at: number | null; priority: number;
  timeout_s: number | null; idempotency_key: string | null; webhook: string | null; metadata: string | null;
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** A row as a Job. JSON columns are parsed on first use: GET /job needs none of them. */
function toJob(r: JobRow): Job {
  let result: unknown;
  let config: unknown;
  let input: Job['input'] | undefined;
  let webhook: Job['webhook'] | undefined;
  let metadata: unknown;
  return {
    id: r.id, owner: r.owner, type: r.type as Job['type'], status: r.status as Job['status'],
    progress: r.progress, reason: r.reason, errorCode: r.error_code, rawConfig: r.raw_config,
    get config() { return (config ??= JSON.parse(r.config)); },
    get input() { return (input ??= JSON.parse(r.input) as Job['input']); },
    get result() { return (result ??= parseJson(r.result)); },
    resultText: r.result,
    numPages: r.num_pages, totalPages: r.total_pages, duration: r.duration, createdAt: r.created_at,
    startedAt: r.started_at, finishedAt: r.finished_at, attempts: r.attempts,
    leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at, priority: r.priority,
    timeoutS: r.timeout_s, idempotencyKey: r.idempotency_key,
    get webhook() { return (webhook ??= parseJson(r.webhook) as Job['webhook']); },
    get metadata() { return (metadata ??= parseJson(r.metadata)); },
  };
}

function toUpload(r: Record<string, unknown>): Upload {
  return {
    id: r.id as string, owner: r.owner as string, filename: r.filename as string | null,
    size: r.size as number | null, blobKey: r.blob_key as string, createdAt: r.created_at as number,
    expiresAt: r.expires_at as number | null,
  };
}

/**
 * The embedded backend: one SQLite file in WAL mode holding jobs, uploads and webhook
 * attempts. better-sqlite3 is synchronous and every statement runs inside one process, so
 * claim/complete are atomic by construction; the methods are async to match the interfaces.
 */
export class SqliteStore implements JobStore, JobQueue, PartStore {
  readonly db: Database.Database;
  readonly #s;
  /** One prepared statement per combination of list filters and columns (at most 2^6). */
  readonly #listStatements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.db.exec(LIST_INDEXES);
    const db = this.db;
    this.#s = {
      insert: db.prepare(`INSERT INTO jobs (id, owner, type, status, raw_config, config, input, created_at, priority,
        timeout_s, idempotency_key, webhook, metadata) VALUES (@id, @owner, @type, 'Pending', @rawConfig, @config,
        @input, @createdAt, @priority, @timeoutS, @idempotencyKey, @webhook, @metadata)`),
      byIdem: db.prepare('SELECT * FROM jobs WHERE owner = ? AND idempotency_key = ?'),
      forgetIdem: db.prepare('UPDATE jobs SET idempotency_key = NULL WHERE id = ?'),
      get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      getOwned: db.prepare('SELECT * FROM jobs WHERE id = ? AND owner = ?'),
      delete: db.prepare('DELETE FROM jobs WHERE id = ?'),
      forgetWebhooks: db.prepare('DELETE FROM webhook_outbox WHERE job_id = ?'),
      forgetAttempts: db.prepare('DELETE FROM webhook_attempts WHERE job_id = ?'),
      nextPending: db.prepare(`SELECT id FROM jobs WHERE status = 'Pending' ORDER BY priority DESC, created_at, id LIMIT 1`),
      pendingCount: db.prepare(`SELECT count(*) AS n FROM jobs WHERE status = 'Pending'`),
      lease: db.prepare(`UPDATE jobs SET status = 'InProgress', lease_owner = ?, lease_expires_at = ?,
        attempts = attempts + 1, started_at = coalesce(started_at, ?) WHERE id = ? AND status = 'Pending'`),
      renew: db.prepare(`UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      leaseOf: db.prepare('SELECT status, lease_owner FROM jobs WHERE id = ?'),
      progress: db.prepare(`UPDATE jobs SET progress = ?, num_pages = ?, total_pages = ?
        WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      complete: db.prepare(`UPDATE jobs SET status = 'Completed', progress = 100, result = ?, num_pages = ?,
        total_pages = ?, duration = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      fail: db.prepare(`UPDATE jobs SET status = 'Failed', error_code = ?, reason = ?, finished_at = ?,
        lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      expired: db.prepare(`SELECT id, attempts FROM jobs WHERE status = 'InProgress' AND lease_expires_at < ?`),
      // A re-queued job starts over: no progress shows while it waits.
      requeue: db.prepare(`UPDATE jobs SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, progress = NULL
        WHERE id = ? AND status = 'InProgress' AND lease_expires_at < ?`),
      giveUp: db.prepare(`UPDATE jobs SET status = 'Failed', error_code = 'INTERNAL_ERROR', reason = ?, finished_at = ?,
        lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND status = 'InProgress' AND lease_expires_at < ?`),
      cancel: db.prepare(`UPDATE jobs SET status = 'Cancelled', error_code = 'JOB_CANCELLED', reason = 'Job cancelled',
        finished_at = ? WHERE id = ? AND owner = ? AND status IN ('Pending', 'InProgress')`),
      outboxInsert: db.prepare(`INSERT INTO webhook_outbox (job_id, status, created_at, claimed_by, claimed_until)
        SELECT id, @status, @now, @claimer, @until FROM jobs WHERE id = @id AND webhook IS NOT NULL
        ON CONFLICT DO NOTHING`),
      outboxClaimers: db.prepare(`SELECT DISTINCT claimed_by FROM webhook_outbox
        WHERE delivered_at IS NULL AND claimed_until >= ?`),
      outboxDue: db.prepare(`SELECT job_id, status FROM webhook_outbox WHERE delivered_at IS NULL
        AND (coalesce(claimed_until, 0) < @now OR claimed_by IN (SELECT value FROM json_each(@dead)))
        ORDER BY created_at LIMIT @limit`),
      outboxClaim: db.prepare('UPDATE webhook_outbox SET claimed_by = ?, claimed_until = ? WHERE job_id = ? AND status = ?'),
      outboxExtend: db.prepare(`UPDATE webhook_outbox SET claimed_until = max(coalesce(claimed_until, 0), ?)
        WHERE job_id = ? AND delivered_at IS NULL`),
      outboxClose: db.prepare('UPDATE webhook_outbox SET delivered_at = ? WHERE job_id = ? AND delivered_at IS NULL'),
      webhookInsert: db.prepare(`INSERT INTO webhook_attempts (job_id, url, attempt, status_code, error, at)
        VALUES (@jobId, @url, @attempt, @statusCode, @error, @at)`),
      webhookList: db.prepare('SELECT * FROM webhook_attempts WHERE job_id = ? ORDER BY at, attempt'),
      uploadInsert: db.prepare(`INSERT INTO uploads (id, owner, filename, size, blob_key, created_at, expires_at)
        VALUES (@id, @owner, @filename, @size, @blobKey, @createdAt, @expiresAt)`),
      uploadGet: db.prepare('SELECT * FROM uploads WHERE id = ?'),
      uploadSize: db.prepare('UPDATE uploads SET size = ? WHERE id = ?'),
      uploadDelete: db.prepare('DELETE FROM uploads WHERE id = ?'),
      finishedBefore: db.prepare(`SELECT * FROM jobs WHERE finished_at < ? AND status IN ('Completed', 'Failed', 'Cancelled')
        AND coalesce(json_extract(config, '$.settings.persist_results'), 0) = 0 LIMIT ?`),
      uploadsExpired: db.prepare('SELECT * FROM uploads WHERE expires_at < ? LIMIT ?'),
      release: db.prepare(`UPDATE jobs SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, progress = NULL,
        attempts = max(attempts - 1, 0) WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      // Parts of documents already started go first: finishing them frees their parents.
      nextPart: db.prepare(`SELECT p.* FROM job_parts p JOIN jobs j ON j.id = p.job_id
        WHERE p.status = 'Pending' AND j.status = 'InProgress' ORDER BY j.priority DESC, j.created_at, p.job_id, p.part LIMIT 1`),
      leasePart: db.prepare(`UPDATE job_parts SET status = 'InProgress', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
        WHERE job_id = ? AND part = ? AND status = 'Pending' RETURNING *`),
      renewPart: db.prepare(`UPDATE job_parts SET lease_expires_at = ? WHERE job_id = ? AND part = ? AND lease_owner = ? AND status = 'InProgress'
        AND (SELECT status FROM jobs WHERE id = job_id) = 'InProgress'`),
      heldPart: db.prepare(`SELECT * FROM job_parts WHERE job_id = ? AND part = ? AND lease_owner = ? AND status = 'InProgress'`),
      releasePart: db.prepare(`UPDATE job_parts SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, attempts = max(attempts - 1, 0)
        WHERE job_id = ? AND part = ? AND lease_owner = ? AND status = 'InProgress'`),
      requeuePart: db.prepare(`UPDATE job_parts SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ? AND part = ?`),
      completePart: db.prepare(`UPDATE job_parts SET status = 'Completed', result_key = ?, pages_done = last_page - first_page + 1,
        lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ? AND part = ? AND lease_owner = ? AND status = 'InProgress'`),
      partsLeft: db.prepare(`SELECT count(*) AS n FROM job_parts WHERE job_id = ? AND status <> 'Completed'`),
      leaseParent: db.prepare(`UPDATE jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND status = 'InProgress' AND lease_owner IS NULL`),
      unleaseParent: db.prepare(`UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, total_pages = ?, num_pages = 0, progress = 0
        WHERE id = ? AND lease_owner = ? AND status = 'InProgress'`),
      dropParts: db.prepare('DELETE FROM job_parts WHERE job_id = ?'),
      insertPart: db.prepare(`INSERT INTO job_parts (job_id, part, first_page, last_page, input_ref, status)
        VALUES (?, ?, ?, ?, ?, 'Pending')`),
      insertReadPart: db.prepare(`INSERT INTO job_parts (job_id, part, first_page, last_page, input_ref, status, pages_done, result_key)
        VALUES (?, ?, ?, ?, ?, 'Completed', ? - ? + 1, ?)`),
      withdrawParts: db.prepare(`UPDATE job_parts SET status = 'Cancelled', lease_owner = NULL, lease_expires_at = NULL
        WHERE job_id = ? AND status IN ('Pending', 'InProgress')`),
      failParent: db.prepare(`UPDATE jobs SET status = 'Failed', error_code = ?, reason = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = ? AND status = 'InProgress'`),
      partPages: db.prepare(`UPDATE job_parts SET pages_done = max(pages_done, ?) WHERE job_id = ? AND part = ? AND lease_owner = ? AND status = 'InProgress'`),
      parentProgress: db.prepare(`UPDATE jobs SET num_pages = (SELECT sum(pages_done) FROM job_parts WHERE job_id = jobs.id),
        progress = min(100, 100.0 * (SELECT sum(pages_done) FROM job_parts WHERE job_id = jobs.id) / max(coalesce(total_pages, 1), 1))
        WHERE id = ? AND status = 'InProgress' RETURNING progress`),
      partsOf: db.prepare('SELECT * FROM job_parts WHERE job_id = ? ORDER BY part'),
      expiredParts: db.prepare(`SELECT * FROM job_parts WHERE status = 'InProgress' AND lease_expires_at < ?`),
      parentStatus: db.prepare('SELECT status FROM jobs WHERE id = ?'),
    };
  }

  close(): void {
    this.db.close();
  }

  // ── JobStore ────────────────────────────────────────────────────────────────────────────

  async create(job: NewJob): Promise<{ job: Job; created: boolean }> {
    return this.db.transaction(() => {
      if (job.idempotencyKey) {
        const prior = this.#s.byIdem.get(job.owner, job.idempotencyKey) as JobRow | undefined;
        if (prior && prior.created_at > job.createdAt - IDEMPOTENCY_WINDOW_MS) return { job: toJob(prior), created: false };
        if (prior) this.#s.forgetIdem.run(prior.id);
      }
      this.#s.insert.run({
        ...job,
        config: JSON.stringify(job.config ?? null),
        input: JSON.stringify(job.input),
        webhook: job.webhook ? JSON.stringify(job.webhook) : null,
        metadata: job.metadata === undefined ? null : JSON.stringify(job.metadata),
      });
      return { job: toJob(this.#s.get.get(job.id) as JobRow), created: true };
    })();
  }

  async get(id: string, owner?: string): Promise<Job | null> {
    const row = (owner === undefined ? this.#s.get.get(id) : this.#s.getOwned.get(id, owner)) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async list(q: JobListQuery): Promise<JobPage> {
    const { sql, params } = listQuery(q);
    let statement = this.#listStatements.get(sql);
    if (!statement) this.#listStatements.set(sql, (statement = this.db.prepare(sql)));
    const rows = statement.all(params) as SummaryRow[];
    const more = rows.length > q.limit;
    const jobs = rows.slice(0, q.limit).map(toSummary);
    return { jobs, nextCursor: more ? encodeCursor(jobs[jobs.length - 1]) : null };
  }

  async delete(id: string, owner: string): Promise<Job | null> {
    return this.db.transaction(() => {
      const row = this.#s.getOwned.get(id, owner) as JobRow | undefined;
      if (!row) return null;
      this.#deleteRow(id);
      return toJob(row);
    })();
  }

  async deleteFinishedBefore(before: number, limit: number): Promise<Job[]> {
    return this.db.transaction(() => {
      const rows = this.#s.finishedBefore.all(before, limit) as JobRow[];
      for (const r of rows) this.#deleteRow(r.id);
      return rows.map(toJob);
    })();
  }

  /** The job with its webhook bookkeeping (a delivery under way finds nothing left to extend or close). */
  #deleteRow(id: string): void {
    this.#s.delete.run(id);
    this.#s.dropParts.run(id);
    this.#s.forgetWebhooks.run(id);
    this.#s.forgetAttempts.run(id);
  }

  async recordWebhookAttempt(a: WebhookAttempt, claimUntil?: number): Promise<void> {
    this.db.transaction(() => {
      this.#s.webhookInsert.run(a);
      if (claimUntil !== undefined) this.#s.outboxExtend.run(claimUntil, a.jobId);
    })();
  }

  async webhookAttempts(jobId: string): Promise<WebhookAttempt[]> {
    const rows = this.#s.webhookList.all(jobId) as Array<{ job_id: string; url: string; attempt: number; status_code: number | null; error: string | null; at: number }>;
    return rows.map((r) => ({ jobId: r.job_id, url: r.url, attempt: r.attempt, statusCode: r.status_code, error: r.error, at: r.at }));
  }

  webhookDue: ((row: OutboxRow) => void) | null = null;

  async claimWebhooks(now: number, claimMs: number, limit: number): Promise<OutboxRow[]> {
    return this.db.transaction(() => {
      const claimers = (this.#s.outboxClaimers.all(now) as Array<{ claimed_by: string | null }>).map((r) => r.claimed_by);
      const rows = this.#s.outboxDue.all({ now, dead: JSON.stringify(deadClaimers(claimers)), limit }) as Array<{ job_id: string; status: OutboxRow['status'] }>;
      for (const r of rows) this.#s.outboxClaim.run(THIS_PROCESS, now + claimMs, r.job_id, r.status);
      return rows.map((r) => ({ jobId: r.job_id, status: r.status }));
    }).immediate();
  }

  async closeWebhook(jobId: string, at: number): Promise<void> {
    this.#s.outboxClose.run(at, jobId);
  }

  /** Inside a terminal transition: owe the job's webhook (if it has one), claimed by this process. */
  #owe(jobId: string, status: OutboxRow['status'], now: number): OutboxRow | null {
    const info = this.#s.outboxInsert.run({ id: jobId, status, now, claimer: THIS_PROCESS, until: now + WEBHOOK_ATTEMPT_MS });
    return info.changes ? { jobId, status } : null;
  }

  /** After the transition committed: hand the rows to this process's outbox. */
  #announce(rows: Array<OutboxRow | null>): void {
    for (const row of rows) if (row) this.webhookDue?.(row);
  }

  // ── JobQueue ────────────────────────────────────────────────────────────────────────────

  async claim(workerId: string, leaseMs: number): Promise<Job | null> {
    return this.db.transaction(() => {
      const now = Date.now();
      const part = this.#s.nextPart.get() as PartRow | undefined;
      if (part) {
        const leased = this.#s.leasePart.get(workerId, now + leaseMs, part.job_id, part.part) as PartRow;
        return partJob(toJob(this.#s.get.get(part.job_id) as JobRow), leased);
      }
      const next = this.#s.nextPending.get() as { id: string } | undefined;
      if (!next) return null;
      this.#s.lease.run(workerId, now + leaseMs, now, next.id);
      return toJob(this.#s.get.get(next.id) as JobRow);
    }).immediate();
  }

  async renew(jobId: string, workerId: string, leaseMs: number): Promise<LeaseState> {
    const part = parsePartJobId(jobId);
    if (part) {
      if (this.#s.renewPart.run(Date.now() + leaseMs, part.parentId, part.part, workerId).changes === 1) return 'held';
      return (this.#s.parentStatus.get(part.parentId) as { status: string } | undefined)?.status === 'Cancelled' ? 'cancelled' : 'lost';
    }
    if (this.#s.renew.run(Date.now() + leaseMs, jobId, workerId).changes === 1) return 'held';
    const row = this.#s.leaseOf.get(jobId) as { status: string; lease_owner: string | null } | undefined;
    return row?.status === 'Cancelled' ? 'cancelled' : 'lost';
  }

  async progress(jobId: string, workerId: string, done: number, total: number): Promise<void> {
    if (parsePartJobId(jobId)) {
      await this.partProgress(jobId, workerId, done);
      return;
    }
    const pct = total > 0 ? Math.min(100, (done / total) * 100) : null;
    this.#s.progress.run(pct, done, total, jobId, workerId);
  }

  async complete(jobId: string, workerId: string, o: JobOutcome): Promise<boolean> {
    const result = JSON.stringify(o.result);
    const owed = this.db.transaction(() => {
      const now = Date.now();
      if (this.#s.complete.run(result, o.numPages, o.totalPages, o.duration, now, jobId, workerId).changes !== 1) return false;
      return this.#owe(jobId, 'Completed', now);
    })();
    if (owed === false) return false;
    this.#announce([owed]);
    return true;
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    const part = parsePartJobId(jobId);
    if (part) return this.#s.releasePart.run(part.parentId, part.part, workerId).changes === 1;
    return this.#s.release.run(jobId, workerId).changes === 1;
  }

  async fail(jobId: string, workerId: string, code: string, reason: string): Promise<boolean> {
    const owed = this.db.transaction(() => {
      const now = Date.now();
      if (this.#s.fail.run(code, reason, now, jobId, workerId).changes !== 1) return false;
      return this.#owe(jobId, 'Failed', now);
    })();
    if (owed === false) return false;
    this.#announce([owed]);
    return true;
  }

  async pendingCount(): Promise<number> {
    // Counted on the jobs_pending partial index.
    return (this.#s.pendingCount.get() as { n: number }).n;
  }

  async requeueExpired(now: number, maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }> {
    const owed: Array<OutboxRow | null> = [];
    const touched = this.db.transaction(() => {
      const requeued: string[] = [];
      const failed: string[] = [];
      for (const { id, attempts } of this.#s.expired.all(now) as Array<{ id: string; attempts: number }>) {
        if (attempts >= maxAttempts) {
          const reason = `The job's worker stopped responding ${attempts} times; giving up`;
          if (this.#s.giveUp.run(reason, now, id, now).changes) {
            failed.push(id);
            owed.push(this.#owe(id, 'Failed', now));
          }
        } else if (this.#s.requeue.run(id, now).changes) {
          requeued.push(id);
        }
      }
      // Parts whose worker died: the part alone goes back to the queue, or its parent fails.
      for (const p of this.#s.expiredParts.all(now) as PartRow[]) {
        if (p.attempts >= maxAttempts) {
          const reason = `Pages ${p.first_page}–${p.last_page}: the worker stopped responding ${p.attempts} times; giving up`;
          const owe = this.#failParent(p.job_id, 'INTERNAL_ERROR', reason, now);
          if (owe !== false) {
            failed.push(p.job_id);
            owed.push(owe);
          }
        } else {
          this.#s.requeuePart.run(p.job_id, p.part);
          requeued.push(partJobId(p.job_id, p.part));
        }
      }
      return { requeued, failed };
    }).immediate();
    this.#announce(owed);
    return touched;
  }

  async cancel(jobId: string, owner: string): Promise<Job | null> {
    const owed = this.db.transaction(() => {
      const now = Date.now();
      if (!this.#s.cancel.run(now, jobId, owner).changes) return null;
      // A running part's worker sees 'cancelled' on its next renewal.
      this.#s.withdrawParts.run(jobId);
      return this.#owe(jobId, 'Cancelled', now);
    })();
    this.#announce([owed]);
    return this.get(jobId, owner);
  }

  // ── PartStore ───────────────────────────────────────────────────────────────────────────

  async splitIntoParts(jobId: string, workerId: string, parts: PartPlan[], totalPages: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.#s.unleaseParent.run(totalPages, jobId, workerId).changes !== 1) return false;
      this.#s.dropParts.run(jobId); // left by an attempt whose worker died
      for (const p of parts) {
        if (p.resultKey) this.#s.insertReadPart.run(jobId, p.part, p.first, p.last, p.inputRef, p.last, p.first, p.resultKey);
        else this.#s.insertPart.run(jobId, p.part, p.first, p.last, p.inputRef);
      }
      if (parts.some((p) => p.resultKey)) this.#s.parentProgress.get(jobId);
      return true;
    }).immediate();
  }

  async completePart(partId: string, workerId: string, resultKey: string, leaseMs: number): Promise<{ applied: boolean; allDone: boolean }> {
    const part = parsePartJobId(partId);
    if (!part) return { applied: false, allDone: false };
    return this.db.transaction(() => {
      if ((this.#s.parentStatus.get(part.parentId) as { status: string } | undefined)?.status !== 'InProgress') return { applied: false, allDone: false };
      if (this.#s.completePart.run(resultKey, part.parentId, part.part, workerId).changes !== 1) return { applied: false, allDone: false };
      this.#s.parentProgress.get(part.parentId);
      if ((this.#s.partsLeft.get(part.parentId) as { n: number }).n > 0) return { applied: true, allDone: false };
      const allDone = this.#s.leaseParent.run(workerId, Date.now() + leaseMs, part.parentId).changes === 1;
      return { applied: true, allDone };
    }).immediate();
  }

  async failPart(partId: string, workerId: string, code: string, reason: string, maxAttempts: number): Promise<{ applied: boolean; parentFailed: boolean }> {
    const part = parsePartJobId(partId);
    if (!part) return { applied: false, parentFailed: false };
    const owed: Array<OutboxRow | null> = [];
    const outcome = this.db.transaction(() => {
      const row = this.#s.heldPart.get(part.parentId, part.part, workerId) as PartRow | undefined;
      if (!row || (this.#s.parentStatus.get(part.parentId) as { status: string } | undefined)?.status !== 'InProgress') {
        return { applied: false, parentFailed: false };
      }
      if (row.attempts < maxAttempts) {
        this.#s.requeuePart.run(part.parentId, part.part);
        return { applied: true, parentFailed: false };
      }
      const owe = this.#failParent(part.parentId, code, `Pages ${row.first_page}–${row.last_page}: ${reason}`, Date.now());
      if (owe !== false) owed.push(owe);
      return { applied: true, parentFailed: true };
    }).immediate();
    this.#announce(owed);
    return outcome;
  }

  /** Inside a transaction: fail a fan-out parent and withdraw its unfinished parts (false: not InProgress). */
  #failParent(jobId: string, code: string, reason: string, now: number): OutboxRow | null | false {
    if (this.#s.failParent.run(code, reason, now, jobId).changes !== 1) return false;
    this.#s.withdrawParts.run(jobId);
    return this.#owe(jobId, 'Failed', now);
  }

  async partProgress(partId: string, workerId: string, pagesDone: number): Promise<number | null> {
    const part = parsePartJobId(partId);
    if (!part) return null;
    return this.db.transaction(() => {
      if (this.#s.partPages.run(pagesDone, part.parentId, part.part, workerId).changes !== 1) return null;
      return (this.#s.parentProgress.get(part.parentId) as { progress: number | null } | undefined)?.progress ?? null;
    })();
  }

  async parts(jobId: string): Promise<StoredPart[]> {
    return (this.#s.partsOf.all(jobId) as PartRow[]).map(toPart);
  }

  // ── UploadStore ─────────────────────────────────────────────────────────────────────────
  // (exposed through `uploads` below to keep the JobStore.create/get names unambiguous)

  readonly uploads: UploadStore = {
    create: async (u: Upload) => { this.#s.uploadInsert.run(u); },
    get: async (id: string, owner?: string) => {
      const r = this.#s.uploadGet.get(id) as Record<string, unknown> | undefined;
      if (!r || (owner !== undefined && r.owner !== owner)) return null;
      return toUpload(r);
    },
    deleteExpired: async (now: number, limit: number) => {
      const rows = (this.#s.uploadsExpired.all(now, limit) as Array<Record<string, unknown>>).map(toUpload);
      for (const u of rows) this.#s.uploadDelete.run(u.id);
      return rows;
    },
    setSize: async (id: string, size: number) => { this.#s.uploadSize.run(size, id); },
    delete: async (id: string, owner: string) => {
      const u = await this.uploads.get(id, owner);
      if (u) this.#s.uploadDelete.run(id);
      return u;
    },
  };
}
