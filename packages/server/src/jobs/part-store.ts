import type { JobPart } from './job.ts';

/**
 * A part as planned by the coordinator, before it is queued. `resultKey`: its pages were read
 * already, by the worker that split the job (it began reading the whole, then handed the rest
 * out): the part is recorded Completed with that result and never queued.
 */
export type PartPlan = Omit<JobPart, 'parentId'> & { resultKey?: string };

/** A part's row as the coordinator reads it back to merge: where its result was stored. */
export interface StoredPart extends JobPart {
  resultKey: string | null;
}

/**
 * The rows of fan-out: a parent job's page-range parts, queued and leased like jobs (a part
 * comes out of `JobQueue.claim` as a Job with `part` set, id `<parent>.p<n>`, and is renewed,
 * released and failed through the JobQueue methods by that id). Row operations only: the
 * FanoutCoordinator does every read and write of documents and results, outside any
 * transaction.
 *
 * A fanned-out parent is InProgress without a lease while its parts run; it is cancelled
 * like any job (its parts' renewals then say 'cancelled'). When its last part completes it
 * is leased again, to the worker that completed that part, which merges the parts and
 * completes the parent with `JobQueue.complete` — or, if that worker dies, the lease lapses
 * and the parent is re-queued and split anew.
 */
export interface PartStore {
  /**
   * Turn a job this worker holds into a fan-out parent: its lease cleared, `parts` queued
   * ahead of new jobs (replacing any left by an earlier attempt; a part already read is
   * recorded Completed instead), `totalPages` recorded for progress. At least one part is
   * left to read. False when the lease is no longer the worker's.
   */
  splitIntoParts(jobId: string, workerId: string, parts: PartPlan[], totalPages: number): Promise<boolean>;

  /**
   * A part's worker finished it and stored its result under `resultKey`. `allDone`: it was
   * the parent's last part, and the parent is now leased to `workerId` for `leaseMs` to be
   * merged. Not applied when the lease on the part was lost or the parent is no longer
   * InProgress (cancelled, failed).
   */
  completePart(partId: string, workerId: string, resultKey: string, leaseMs: number): Promise<{ applied: boolean; allDone: boolean }>;

  /**
   * A part failed: while it has attempts left (of `maxAttempts`) it alone is queued again;
   * then the parent fails with the part's error and its other parts are withdrawn.
   */
  failPart(partId: string, workerId: string, code: string, reason: string, maxAttempts: number): Promise<{ applied: boolean; parentFailed: boolean }>;

  /**
   * Pages done of a part this worker holds; resolves the parent's progress (0–100, pages of
   * every part over the document's pages), null when not applied. Never goes back, even
   * while a failed part is redone.
   */
  partProgress(partId: string, workerId: string, pagesDone: number): Promise<number | null>;

  /** The parent's parts in page order. */
  parts(jobId: string): Promise<StoredPart[]>;
}
