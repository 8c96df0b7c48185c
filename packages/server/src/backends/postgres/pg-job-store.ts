import type { Job, JobListQuery, JobPage, NewJob } from '../../jobs/job.ts';
import type { JobOutcome, JobQueue, LeaseState } from '../../jobs/queue.ts';
import type { JobStore, OutboxRow, WebhookAttempt } from '../../jobs/store.ts';
import type { PartPlan, PartStore, StoredPart } from '../../jobs/part-store.ts';
import type { UploadStore } from '../../storage/upload-store.ts';
import type { PgDatabase } from './pg-database.ts';
import { PgJobs } from './pg-jobs.ts';
import { PgLeases } from './pg-leases.ts';
import { PgOutbox } from './pg-outbox.ts';
import { PgParts } from './pg-parts.ts';
import type { PgQueue } from './pg-queue.ts';
import { PgUploads } from './pg-uploads.ts';

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
 *
 * This class only assembles the store's concerns: job rows (PgJobs), leases (PgLeases),
 * fan-out parts (PgParts), uploads (PgUploads) and the webhook outbox (PgOutbox).
 */
export class PgJobStore implements JobStore, JobQueue, PartStore {
  readonly #jobs: PgJobs;
  readonly #leases: PgLeases;
  readonly #parts: PgParts;
  readonly #outbox: PgOutbox;
  readonly uploads: UploadStore;

  constructor(db: PgDatabase, queue: PgQueue) {
    this.#outbox = new PgOutbox(db);
    this.#parts = new PgParts(db, queue, this.#outbox);
    this.#leases = new PgLeases(db, queue, this.#parts, this.#outbox);
    this.#jobs = new PgJobs(db, queue, this.#parts, this.#outbox);
    this.uploads = new PgUploads(db);
  }

  // ── JobStore ────────────────────────────────────────────────────────────────────────────

  create(job: NewJob): Promise<{ job: Job; created: boolean }> {
    return this.#jobs.create(job);
  }

  get(id: string, owner?: string): Promise<Job | null> {
    return this.#jobs.get(id, owner);
  }

  list(q: JobListQuery): Promise<JobPage> {
    return this.#jobs.list(q);
  }

  delete(id: string, owner: string): Promise<Job | null> {
    return this.#jobs.delete(id, owner);
  }

  deleteFinishedBefore(before: number, limit: number): Promise<Job[]> {
    return this.#jobs.deleteFinishedBefore(before, limit);
  }

  /** The stored result JSON text, unparsed. */
  rawResult(id: string): Promise<string | null> {
    return this.#jobs.rawResult(id);
  }

  get webhookDue(): ((row: OutboxRow) => void) | null {
    return this.#outbox.webhookDue;
  }

  set webhookDue(due: ((row: OutboxRow) => void) | null) {
    this.#outbox.webhookDue = due;
  }

  recordWebhookAttempt(a: WebhookAttempt, claimUntil?: number): Promise<void> {
    return this.#outbox.recordWebhookAttempt(a, claimUntil);
  }

  webhookAttempts(jobId: string): Promise<WebhookAttempt[]> {
    return this.#outbox.webhookAttempts(jobId);
  }

  claimWebhooks(now: number, claimMs: number, limit: number): Promise<OutboxRow[]> {
    return this.#outbox.claimWebhooks(now, claimMs, limit);
  }

  closeWebhook(jobId: string, at: number): Promise<void> {
    return this.#outbox.closeWebhook(jobId, at);
  }

  // ── JobQueue ────────────────────────────────────────────────────────────────────────────

  claim(workerId: string, leaseMs: number): Promise<Job | null> {
    return this.#leases.claim(workerId, leaseMs);
  }

  renew(jobId: string, workerId: string, leaseMs: number): Promise<LeaseState> {
    return this.#leases.renew(jobId, workerId, leaseMs);
  }

  progress(jobId: string, workerId: string, done: number, total: number): Promise<void> {
    return this.#leases.progress(jobId, workerId, done, total);
  }

  complete(jobId: string, workerId: string, o: JobOutcome): Promise<boolean> {
    return this.#leases.complete(jobId, workerId, o);
  }

  release(jobId: string, workerId: string): Promise<boolean> {
    return this.#leases.release(jobId, workerId);
  }

  fail(jobId: string, workerId: string, code: string, reason: string): Promise<boolean> {
    return this.#leases.fail(jobId, workerId, code, reason);
  }

  requeueExpired(now: number, maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }> {
    return this.#leases.requeueExpired(now, maxAttempts);
  }

  cancel(jobId: string, owner: string): Promise<Job | null> {
    return this.#jobs.cancel(jobId, owner);
  }

  pendingCount(): Promise<number> {
    return this.#jobs.pendingCount();
  }

  // ── PartStore ───────────────────────────────────────────────────────────────────────────

  splitIntoParts(jobId: string, workerId: string, parts: PartPlan[], totalPages: number): Promise<boolean> {
    return this.#parts.splitIntoParts(jobId, workerId, parts, totalPages);
  }

  completePart(partId: string, workerId: string, resultKey: string, leaseMs: number): Promise<{ applied: boolean; allDone: boolean }> {
    return this.#parts.completePart(partId, workerId, resultKey, leaseMs);
  }

  failPart(partId: string, workerId: string, code: string, reason: string, maxAttempts: number): Promise<{ applied: boolean; parentFailed: boolean }> {
    return this.#parts.failPart(partId, workerId, code, reason, maxAttempts);
  }

  partProgress(partId: string, workerId: string, pagesDone: number): Promise<number | null> {
    return this.#parts.partProgress(partId, workerId, pagesDone);
  }

  parts(jobId: string): Promise<StoredPart[]> {
    return this.#parts.parts(jobId);
  }
}
