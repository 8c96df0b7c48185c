import type { Job, JobListQuery, JobPage, NewJob } from './job.ts';

/**
 * Durable job rows. Every method is async so that a network database (PostgreSQL) can
 * implement it; the embedded SQLite implementation simply resolves synchronously.
 * Reads that take an `owner` never return another owner's rows.
 */
export interface JobStore {
  /**
   * Insert a Pending job. With `idempotencyKey`, an existing job of the same owner and key
   * created within the last 24 h is returned instead (created = false) — atomically, so two
   * concurrent submits with one key yield one job.
   */
  create(job: NewJob): Promise<{ job: Job; created: boolean }>;

  /** The job, or null when it does not exist or belongs to another owner (owner omitted = any). */
  get(id: string, owner?: string): Promise<Job | null>;

  /**
   * Newest first by (createdAt, id), keyset-paginated: a page never repeats or skips rows,
   * even while new jobs are inserted. `nextCursor` is null on the last page.
   */
  list(query: JobListQuery): Promise<JobPage>;

  /** Remove the row; returns the deleted job (so the caller can delete its blobs) or null. */
  delete(id: string, owner: string): Promise<Job | null>;

  /**
   * Retention: remove up to `limit` finished jobs (Completed/Failed/Cancelled) that finished
   * before `before`, except those submitted with `settings.persist_results`, and return them
   * (the caller deletes their blobs). Two sweepers at once never get the same job.
   */
  deleteFinishedBefore(before: number, limit: number): Promise<Job[]>;

  /**
   * Append one webhook delivery attempt to the job's record (listed at
   * GET /job/{id}/webhook_attempts). With `claimUntil`, the job's open outbox row stays
   * claimed by its sender until then (it will retry), in the same write.
   */
  recordWebhookAttempt(attempt: WebhookAttempt, claimUntil?: number): Promise<void>;

  /** All recorded webhook attempts of a job, oldest first. */
  webhookAttempts(jobId: string): Promise<WebhookAttempt[]>;

  // ── Webhook outbox ──────────────────────────────────────────────────────────────────────
  // Every transition to a terminal state of a job with a webhook (complete, fail, give up,
  // cancel) writes an outbox row in the same transaction, claimed by this process
  // (THIS_PROCESS) for WEBHOOK_ATTEMPT_MS, then calls `webhookDue`. The row stays open until
  // every endpoint got the webhook or was given up on, so a process that dies meanwhile
  // leaves it for the next sweep, here or in another process.

  /** Set by this process's WebhookOutbox: a row this process claimed is ready to deliver. */
  webhookDue: ((row: OutboxRow) => void) | null;

  /**
   * Claim for this process, until `now + claimMs`, up to `limit` open rows whose claim
   * lapsed (or whose claimer is a process of this host that no longer runs), oldest first.
   * Two processes sweeping at once never get the same row.
   */
  claimWebhooks(now: number, claimMs: number, limit: number): Promise<OutboxRow[]>;

  /** Close the job's outbox row: delivered, given up, or the job is gone. */
  closeWebhook(jobId: string, at: number): Promise<void>;
}

/** A terminal state whose webhook is owed; Cancelled is announced as Failed. */
export interface OutboxRow {
  jobId: string;
  status: 'Completed' | 'Failed' | 'Cancelled';
}

export interface WebhookAttempt {
  jobId: string;
  url: string;
  attempt: number;
  /** HTTP status of the receiver's answer; null on a network error. */
  statusCode: number | null;
  error: string | null;
  at: number;
}
