import { randomUUID } from 'node:crypto';
import type { Backends } from '../backends.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import { loadJobInput } from '../input/input-ref.ts';
import type { Job } from '../jobs/job.ts';
import { buildJobResponse, deleteJobBlobs } from '../jobs/job-response.ts';
import { RunError, WorkerPool } from './pool.ts';

const POLL_MS = 500;
const PROGRESS_WRITE_MS = 200;
const UPLOAD_SWEEP_MS = 10 * 60 * 1000;

/**
 * The worker role of a process: claims jobs with a lease while it has idle threads, renews
 * the lease while a job runs, stops the job on cancel/timeout/lost lease and writes the result
 * (the store owes the webhook in the same write; the WebhookOutbox delivers it). It also
 * returns expired leases (dead workers) to the queue.
 */
export class JobRunner {
  readonly workerId = `worker-${randomUUID()}`;
  readonly #pool: WorkerPool;
  #reserved = 0;
  #filling = false;
  #refill = false;
  #stopped = false;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Set<Promise<void>>();
  /** Stop functions of the jobs this runner is working on. */
  readonly #halts = new Map<string, (code: string, message: string) => void>();
  #unsubscribe: () => void = () => {};

  constructor(private readonly backends: Backends, private readonly config: ServerConfig) {
    this.#pool = new WorkerPool(config.workers, config.workerMemoryMb);
    this.#pool.onReady = () => this.#fill();
  }

  get leaseMs(): number {
    return this.config.leaseS * 1000;
  }

  start(): void {
    this.#unsubscribe = this.backends.events.onQueued(() => this.#fill());
    this.#timers.push(setInterval(() => this.#fill(), POLL_MS));
    this.#timers.push(setInterval(() => void this.#sweep(), Math.max(250, this.leaseMs / 3)));
    this.#timers.push(setInterval(() => void this.#sweepRetention(), UPLOAD_SWEEP_MS));
    void this.#sweep();
    void this.#sweepRetention();
    this.#fill();
  }

  /** Stop claiming, stop the running jobs and give them back to the queue, close the threads. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    for (const t of this.#timers) clearInterval(t);
    for (const halt of this.#halts.values()) halt('SHUTDOWN', 'The worker is shutting down');
    await Promise.allSettled([...this.#running]);
    await this.#pool.close();
  }

  /**
   * Retention, a batch at a time: uploads past their expiry, and finished jobs older than
   * FOLIO_RESULT_TTL_H (unless submitted with persist_results), with their blobs.
   */
  async #sweepRetention(): Promise<void> {
    const { uploads, jobs, blobs } = this.backends;
    try {
      while (uploads.deleteExpired && !this.#stopped) {
        const expired = await uploads.deleteExpired(Date.now(), 500);
        for (const u of expired) await blobs.delete(u.blobKey);
        if (expired.length < 500) break;
      }
      while (jobs.deleteFinishedBefore && this.config.resultTtlH > 0 && !this.#stopped) {
        const old = await jobs.deleteFinishedBefore(Date.now() - this.config.resultTtlH * 3600 * 1000, 500);
        for (const job of old) await deleteJobBlobs(job, this.backends);
        if (old.length < 500) break;
      }
    } catch (err) {
      console.error('Folio: retention sweep failed', err);
    }
  }

  async #sweep(): Promise<void> {
    try {
      const { requeued, failed } = await this.backends.queue.requeueExpired(Date.now(), this.config.maxAttempts);
      if (requeued.length) this.backends.events.notifyQueued();
      for (const id of failed) {
        const job = await this.backends.jobs.get(id);
        if (!job) continue;
        this.backends.events.publish({ jobId: id, status: 'Failed', progress: job.progress });
      }
    } catch (err) {
      console.error('lease sweep failed', err);
    }
  }

  /** Claim jobs while threads are idle. Re-entrant calls coalesce into one more round. */
  #fill(): void {
    if (this.#stopped) return;
    if (this.#filling) {
      this.#refill = true;
      return;
    }
    this.#filling = true;
    void (async () => {
      try {
        do {
          this.#refill = false;
          while (!this.#stopped && this.#pool.idle - this.#reserved > 0) {
            const job = await this.backends.queue.claim(this.workerId, this.leaseMs);
            if (!job) break;
            this.#reserved++;
            const run = this.#execute(job).finally(() => {
              this.#running.delete(run);
              this.#fill();
            });
            this.#running.add(run);
          }
        } while (this.#refill && !this.#stopped);
      } catch (err) {
        console.error('claiming jobs failed', err);
      } finally {
        this.#filling = false;
      }
    })();
  }

  async #execute(job: Job): Promise<void> {
    const { backends, config } = this;
    const started = Date.now();
    // Set from timers and events; read after each await.
    const state: { stop: { code: string; message: string } | null; abortRun: ((code: string, message: string) => void) | null } = { stop: null, abortRun: null };
    const halt = (code: string, message: string): void => {
      state.stop ??= { code, message };
      state.abortRun?.(code, message);
    };
    this.#halts.set(job.id, halt);
    const renewTimer = setInterval(async () => {
      const state = await backends.queue.renew(job.id, this.workerId, this.leaseMs).catch(() => 'held' as const);
      if (state === 'cancelled') halt('JOB_CANCELLED', 'Job cancelled');
      else if (state === 'lost') halt('LEASE_LOST', 'The lease expired');
    }, this.leaseMs / 3);
    const timeoutS = job.timeoutS ?? config.jobTimeoutS;
    const timeoutTimer = setTimeout(() => halt('TIMEOUT', `The job exceeded its timeout of ${timeoutS} s`), timeoutS * 1000);
    const unsubscribe = backends.events.subscribe(job.id, (e) => {
      if (e.status === 'Cancelled') halt('JOB_CANCELLED', 'Job cancelled');
    });
    backends.events.publish({ jobId: job.id, status: 'InProgress', progress: job.progress });

    let reserved = true;
    const release = (): void => {
      if (reserved) this.#reserved--;
      reserved = false;
    };
    try {
      const input = await loadJobInput(job.input, job.owner, backends, config);
      if (state.stop) throw new RunError(state.stop.code, state.stop.message);
      let lastWrite = 0;
      const handle = this.#pool.run(job.type, input, job.config, (done, total) => {
        const progress = total > 0 ? Math.min(100, (done / total) * 100) : null;
        backends.events.publish({ jobId: job.id, status: 'InProgress', progress });
        if (Date.now() - lastWrite >= PROGRESS_WRITE_MS || done >= total) {
          lastWrite = Date.now();
          void backends.queue.progress(job.id, this.workerId, done, total).catch(() => undefined);
        }
      });
      release();
      state.abortRun = handle.abort;
      const early = state.stop as { code: string; message: string } | null; // may have been set while loading
      if (early) handle.abort(early.code, early.message);
      const output = await handle.done;
      const duration = (Date.now() - started) / 1000;
      const response = await buildJobResponse(job, output, duration, backends, config);
      const done = await backends.queue.complete(job.id, this.workerId, { result: response, numPages: output.numPages, totalPages: output.totalPages, duration });
      if (done) {
        backends.events.publish({ jobId: job.id, status: 'Completed', progress: 100 });
      }
    } catch (err) {
      const { code, message } = err instanceof RunError || err instanceof ApiError
        ? { code: err.code, message: err.message }
        : { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) };
      if (code === 'SHUTDOWN') {
        // Not the job's fault: back to the queue now rather than when the lease expires.
        if (await backends.queue.release?.(job.id, this.workerId).catch(() => false)) {
          backends.events.publish({ jobId: job.id, status: 'Pending', progress: null });
          backends.events.notifyQueued();
        }
      } else if (code === 'JOB_CANCELLED' || code === 'LEASE_LOST') {
        // Already Cancelled (or re-queued for another worker): nothing to write.
        const now = await backends.jobs.get(job.id);
        if (now) backends.events.publish({ jobId: job.id, status: now.status, progress: now.progress });
      } else if (await backends.queue.fail(job.id, this.workerId, code, message)) {
        backends.events.publish({ jobId: job.id, status: 'Failed', progress: null });
      }
    } finally {
      this.#halts.delete(job.id);
      release();
      clearInterval(renewTimer);
      clearTimeout(timeoutTimer);
      unsubscribe();
    }
  }
}
