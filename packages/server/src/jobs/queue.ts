import type { Job } from './job.ts';

/** What happened to a lease when its holder tried to renew it. */
export type LeaseState = 'held' | 'lost' | 'cancelled';

/** The outcome a worker reports for a finished run. */
export interface JobOutcome {
  result: unknown;
  numPages: number | null;
  totalPages: number | null;
  duration: number;
}

/**
 * The queue and lease protocol over job rows. A worker claims a job with a lease, renews it
 * while working, and finishes it with complete/fail — which succeed only while the lease is
 * still its own, so a job whose lease expired (and was re-queued) never completes twice.
 * All methods are async; implementations must be safe with many workers in many processes.
 */
export interface JobQueue {
  /**
   * Atomically take the next Pending job (highest priority, then oldest), mark it
   * InProgress, set leaseOwner = workerId and leaseExpiresAt = now + leaseMs, and increment
   * attempts. Resolves null when nothing is waiting.
   */
  claim(workerId: string, leaseMs: number): Promise<Job | null>;

  /**
   * Extend the lease by leaseMs. 'held' = still ours; 'cancelled' = the job was cancelled
   * (stop working, write nothing); 'lost' = expired and taken back (stop, write nothing).
   */
  renew(jobId: string, workerId: string, leaseMs: number): Promise<LeaseState>;

  /** Record pages done/total (progress = done/total·100). No-op unless the lease is ours. */
  progress(jobId: string, workerId: string, done: number, total: number): Promise<void>;

  /** InProgress → Completed with the result, if the lease is still ours. True when applied. */
  complete(jobId: string, workerId: string, outcome: JobOutcome): Promise<boolean>;

  /**
   * Give a job back without a verdict (graceful shutdown): InProgress → Pending, lease
   * cleared, the attempt not counted, claimable again at once. No-op unless the lease is ours.
   */
  release(jobId: string, workerId: string): Promise<boolean>;

  /** InProgress → Failed with an error name and reason, if the lease is still ours. */
  fail(jobId: string, workerId: string, code: string, reason: string): Promise<boolean>;

  /**
   * Return InProgress jobs whose lease expired before `now` to Pending — or mark them Failed
   * when they already had `maxAttempts` attempts. Resolves the ids it touched.
   */
  requeueExpired(now: number, maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }>;

  /**
   * Cancel a job of `owner`: Pending → Cancelled (it will never start), InProgress →
   * Cancelled (its worker sees 'cancelled' on the next renew or event and stops). A finished
   * job is returned unchanged. Null when the job is unknown to this owner.
   */
  cancel(jobId: string, owner: string): Promise<Job | null>;

  /** Jobs waiting for a worker (Pending), across every owner: the queue depth operators watch. */
  pendingCount(): Promise<number>;
}
