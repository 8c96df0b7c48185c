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
   * (the caller deletes their blobs). Optional: without it results are kept forever.
   */
  deleteFinishedBefore?(before: number, limit: number): Promise<Job[]>;

  /** Append one webhook delivery attempt to the job's record (kept for inspection). */
  recordWebhookAttempt(attempt: WebhookAttempt): Promise<void>;

  /** All recorded webhook attempts of a job, oldest first. */
  webhookAttempts(jobId: string): Promise<WebhookAttempt[]>;
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
