import { randomUUID } from 'node:crypto';
import type { ParseOptions } from '@folio/engine';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import { loadJobInput } from '../input/input-ref.ts';
import type { Job } from '../jobs/job.ts';
import { ReadingPace } from '../jobs/fanout.ts';
import { buildJobResponse, deleteJobBlobs } from '../jobs/job-response.ts';
import { createTelemetry, type Telemetry } from '../observability/telemetry.ts';
import type { OperationOutput } from '../operations/operation.ts';
import { FanoutCoordinator } from './fanout-coordinator.ts';
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
  readonly #fanout: FanoutCoordinator;
  #reserved = 0;
  #filling = false;
  #refill = false;
  #stopped = false;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Set<Promise<void>>();
  /** Stop functions of the jobs this runner is working on. */
  readonly #halts = new Map<string, (code: string, message: string) => void>();
  #unsubscribe: () => void = () => {};

  constructor(private readonly backends: Backends, private readonly config: ServerConfig, private readonly telemetry: Telemetry = createTelemetry(config, backends)) {
    this.#pool = new WorkerPool(config.workers, config.workerMemoryMb);
    this.#pool.onReady = () => this.#fill();
    // Parts run on any worker of any process; in the distributed deployment they may run on
    // another machine, so each gets its own cut of the document.
    this.#fanout = new FanoutCoordinator(backends, config, config.databaseUrl !== null, config.workers);
    const pool = this.#pool;
    telemetry.metrics.watchWorkers({ size: pool.size, get busy() { return pool.size - pool.idle; } });
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
      while (!this.#stopped) {
        const expired = await uploads.deleteExpired(Date.now(), 500);
        for (const u of expired) await blobs.delete(u.blobKey);
        if (expired.length < 500) break;
      }
      while (this.config.resultTtlH > 0 && !this.#stopped) {
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
        this.telemetry.metrics.jobsFailed.inc({ type: job.type, error: job.errorCode ?? 'UNKNOWN' });
        this.telemetry.log.warn({ job_id: id, type: job.type, attempts: job.attempts, error: job.errorCode, reason: job.reason }, 'job failed');
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
    const { metrics, log } = this.telemetry;
    const started = Date.now();
    // A fan-out part is logged under its parent's id and announced as its parent's progress;
    // the parent is finished by whichever worker completes its last part.
    const part = job.part ?? null;
    // Gains peak_memory_bytes once the run has ended, so the job's last log line carries it.
    const about: Record<string, unknown> = part
      ? { job_id: part.parentId, part: part.part, type: job.type, worker: this.workerId, attempt: job.attempts }
      : { job_id: job.id, type: job.type, worker: this.workerId, attempt: job.attempts };
    const noun = part ? 'job part' : 'job';
    const announced = part ? part.parentId : job.id;
    const seconds = (): number => (Date.now() - started) / 1000;
    let runStarted: number | null = null;
    log.info(about, `${noun} started`);
    // Set from timers and events; read after each await.
    const state: { stop: { code: string; message: string } | null; abortRun: ((code: string, message: string) => void) | null } = { stop: null, abortRun: null };
    // Stops reading the input (a URL download) as well as the run itself.
    const stopLoading = new AbortController();
    const halt = (code: string, message: string): void => {
      state.stop ??= { code, message };
      stopLoading.abort();
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
    const unsubscribe = backends.events.subscribe(announced, (e) => {
      if (e.status === 'Cancelled') halt('JOB_CANCELLED', 'Job cancelled');
    });
    if (!part) backends.events.publish({ jobId: job.id, status: 'InProgress', progress: job.progress });

    let reserved = true;
    const release = (): void => {
      if (reserved) this.#reserved--;
      reserved = false;
    };
    try {
      const reading = part ? this.#fanout.reading(job, part) : null;
      let input = await loadJobInput(reading ? { ref: reading.ref } : job.input, job.owner, backends, config, stopLoading.signal);
      if (state.stop) throw new RunError(state.stop.code, state.stop.message);
      // Threads reading nothing besides this job's own (the reserved count includes this job's):
      // one still warming up counts, as it will take a part in a moment.
      const freeThreads = (): number => this.#pool.unoccupied - this.#reserved;
      const splitDone = async (): Promise<void> => {
        const parts = await backends.parts.parts(job.id);
        log.info({ ...about, parts: parts.length, pages: parts.at(-1)?.last ?? null, duration_s: seconds() }, 'job split into parts');
        backends.events.notifyQueued();
      };
      // With FOLIO_FANOUT_PAGES, a parse of a large PDF is split into parts (the thread counts its pages) rather than run here.
      const pages = !part && this.#fanout.splitsUpFront(job, freeThreads()) ? (await this.#pool.run(job.type, { ...input, countPages: true }, job.config, () => {}).done).totalPages : null;
      if (pages !== null && (await this.#fanout.split(job, this.workerId, input, pages))) {
        backends.events.publish({ jobId: job.id, status: 'InProgress', progress: 0 });
        return splitDone();
      }
      const stopped = state.stop as { code: string; message: string } | null; // may have been set while splitting
      if (stopped) throw new RunError(stopped.code, stopped.message);
      let lastWrite = 0;
      let milestone = 0;
      let msPerPage = 0; // a watched reading's pace when it was asked to hand back
      runStarted = Date.now();
      // `watched`: read whole, the rest handed out in parts if the reading proves long (by default).
      const run = async (watched: boolean): Promise<OperationOutput> => {
        let handingBack = false;
        const pace = new ReadingPace(runStarted!);
        const runInput = reading ? { ...input, pages: reading.span } : watched ? { ...input, mayHandBack: true } : input;
        const handle = this.#pool.run(job.type, runInput, job.config, (done, total) => {
          const progress = total > 0 ? Math.min(100, (done / total) * 100) : null;
          if (progress !== null && progress >= milestone + 25) {
            milestone = Math.floor(progress / 25) * 25;
            log.debug({ ...about, progress: milestone, pages_done: done, pages_total: total }, `${noun} progress`);
          }
          if (!part) backends.events.publish({ jobId: job.id, status: 'InProgress', progress });
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS || done >= total) {
            lastWrite = Date.now();
            if (part) {
              void backends.parts.partProgress(job.id, this.workerId, done)
                .then((p) => p !== null && backends.events.publish({ jobId: part.parentId, status: 'InProgress', progress: p }))
                .catch(() => undefined);
            } else {
              void backends.queue.progress(job.id, this.workerId, done, total).catch(() => undefined);
            }
          }
          if (watched && !handingBack) {
            msPerPage = pace.msPerPage(done);
            if (this.#fanout.handsBack(job, Date.now() - runStarted!, msPerPage, total - done, freeThreads())) {
              handingBack = true;
              handle.handBack();
            }
          }
        }, !(watched && this.#fanout.cutParts)); // the bytes move to the thread, unless cut into parts here later
        release();
        state.abortRun = handle.abort;
        const early = state.stop as { code: string; message: string } | null; // may have been set while loading
        if (early) handle.abort(early.code, early.message);
        return handle.done.finally(() => {
          const peak = handle.peakMemoryBytes();
          if (peak === null) return;
          about.peak_memory_bytes = peak;
          metrics.jobPeakMemory.observe({ type: job.type }, peak);
        });
      };
      let output = await run(!part && this.#fanout.watches(job));
      if (output.handedBack) {
        const read = { pagesRead: output.pagesRead!, pages: output.numPages ?? 0, totalPages: output.totalPages ?? 0 };
        // The thread stays this job's while it splits, for the reading whole should that fail.
        this.#reserved++;
        reserved = true;
        if (await this.#fanout.splitRest(job, this.workerId, input, read, msPerPage)) {
          metrics.pagesProcessed.inc({ type: job.type }, read.pages);
          return await splitDone();
        }
        // Not split after all (the failure is logged): read it whole.
        input = await loadJobInput(job.input, job.owner, backends, config, stopLoading.signal);
        output = await run(false);
      }
      const duration = seconds();
      if (part) {
        if (!output.pagesRead) throw new RunError('INTERNAL_ERROR', 'A fan-out part produced no pages');
        const { applied, allDone } = await this.#fanout.partDone(part, job.id, this.workerId, output.pagesRead, this.leaseMs);
        if (applied) {
          metrics.pagesProcessed.inc({ type: job.type }, output.numPages ?? 0);
          log.info({ ...about, duration_s: duration, pages: output.numPages }, 'job part completed');
        }
        if (allDone) await this.#finishParent(part.parentId);
        return;
      }
      const response = await buildJobResponse(job, output, duration, backends, config);
      const done = await backends.queue.complete(job.id, this.workerId, { result: response, numPages: output.numPages, totalPages: output.totalPages, duration });
      if (done) {
        metrics.jobsCompleted.inc({ type: job.type });
        metrics.jobDuration.observe({ type: job.type, status: 'Completed' }, duration);
        metrics.pagesProcessed.inc({ type: job.type }, output.numPages ?? 0);
        log.info({ ...about, duration_s: duration, pages: output.numPages, total_pages: output.totalPages }, `${noun} completed`);
        backends.events.publish({ jobId: job.id, status: 'Completed', progress: 100 });
      }
    } catch (err) {
      // Once stopped, whatever the interrupted step threw (an aborted download) is the stop's doing.
      const { code, message } = state.stop ?? (err instanceof RunError || err instanceof ApiError
        ? { code: err.code, message: err.message }
        : { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) });
      if (code === 'SHUTDOWN') {
        // Not the job's fault: back to the queue now rather than when the lease expires.
        if (await backends.queue.release(job.id, this.workerId).catch(() => false)) {
          log.info({ ...about, duration_s: seconds() }, `${noun} released: the worker is shutting down`);
          if (!part) backends.events.publish({ jobId: job.id, status: 'Pending', progress: null });
          backends.events.notifyQueued();
        }
      } else if (code === 'JOB_CANCELLED' || code === 'LEASE_LOST') {
        // Already Cancelled (or re-queued for another worker): nothing to write.
        const now = await backends.jobs.get(announced);
        if (code === 'JOB_CANCELLED') {
          if (!part) {
            metrics.jobsCancelled.inc({ type: job.type });
            metrics.jobDuration.observe({ type: job.type, status: 'Cancelled' }, seconds());
          } else if (now) {
            await this.#fanout.cleanup(now);
          }
          log.info({ ...about, duration_s: seconds(), progress: now?.progress ?? null }, `${noun} cancelled`);
        } else {
          log.warn({ ...about, duration_s: seconds() }, `${noun} lease lost: another worker may take it over`);
        }
        if (now) backends.events.publish({ jobId: now.id, status: now.status, progress: now.progress });
      } else if (part) {
        const { applied, parentFailed } = await backends.parts.failPart(job.id, this.workerId, code, message, config.maxAttempts);
        if (applied) log[code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ ...about, duration_s: seconds(), error: code, reason: message, retried: !parentFailed }, 'job part failed');
        if (parentFailed) await this.#parentFailed(part.parentId, code);
        else if (applied) backends.events.notifyQueued();
      } else if (await backends.queue.fail(job.id, this.workerId, code, message)) {
        metrics.jobsFailed.inc({ type: job.type, error: code });
        metrics.jobDuration.observe({ type: job.type, status: 'Failed' }, seconds());
        // INTERNAL_ERROR is a bug of ours; the other names are verdicts on the document or request.
        log[code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ ...about, duration_s: seconds(), error: code, reason: message }, `${noun} failed`);
        backends.events.publish({ jobId: job.id, status: 'Failed', progress: null });
      }
    } finally {
      if (runStarted !== null) metrics.workerBusySeconds.inc((Date.now() - runStarted) / 1000);
      this.#halts.delete(job.id);
      release();
      clearInterval(renewTimer);
      clearTimeout(timeoutTimer);
      unsubscribe();
    }
  }

  /**
   * This worker completed the last part of a fan-out parent and holds the parent's lease:
   * merge the parts' pages into the parent's result and complete it like any job.
   */
  async #finishParent(parentId: string): Promise<void> {
    const { backends, config } = this;
    const { metrics, log } = this.telemetry;
    const parent = await backends.jobs.get(parentId);
    if (!parent) return;
    const about = { job_id: parentId, type: parent.type, worker: this.workerId };
    const renewTimer = setInterval(() => void backends.queue.renew(parentId, this.workerId, this.leaseMs).catch(() => undefined), this.leaseMs / 3);
    try {
      const output = await this.#merge(parent);
      const duration = (Date.now() - (parent.startedAt ?? parent.createdAt)) / 1000;
      const response = await buildJobResponse(parent, output, duration, backends, config);
      const done = await backends.queue.complete(parentId, this.workerId, { result: response, numPages: output.numPages, totalPages: output.totalPages, duration });
      if (done) {
        metrics.jobsCompleted.inc({ type: parent.type });
        metrics.jobDuration.observe({ type: parent.type, status: 'Completed' }, duration);
        log.info({ ...about, duration_s: duration, pages: output.numPages, total_pages: output.totalPages }, 'job completed');
        backends.events.publish({ jobId: parentId, status: 'Completed', progress: 100 });
      }
    } catch (err) {
      const code = err instanceof RunError || err instanceof ApiError ? err.code : 'INTERNAL_ERROR';
      const message = err instanceof Error ? err.message : String(err);
      if (await backends.queue.fail(parentId, this.workerId, code, message)) {
        log.error({ ...about, error: code, reason: message, err }, 'merging the parts of a job failed');
        await this.#parentFailed(parentId, code, true);
      }
    } finally {
      clearInterval(renewTimer);
      await this.#fanout.cleanup(parent);
    }
  }

  /**
   * The merge of a fan-out parent's parts, in a worker thread when one is idle (the thread of
   * the last part, usually): its code is compiled already, and it hands the result back as
   * JSON, as any parse. The main thread runs the merge only when every thread has been taken.
   */
  async #merge(parent: Job): Promise<OperationOutput> {
    const input = await this.#fanout.mergeInput(parent);
    if (this.#pool.idle - this.#reserved <= 0) return (await import('../operations/parse.ts')).mergeParts(input.merge!, parent.config as ParseOptions);
    return this.#pool.run(parent.type, input, parent.config, () => {}, true).done;
  }

  /** A fan-out parent failed (a part out of attempts, or the merge): count, announce, clean up. */
  async #parentFailed(parentId: string, code: string, cleaned = false): Promise<void> {
    const parent = await this.backends.jobs.get(parentId);
    if (!parent) return;
    this.telemetry.metrics.jobsFailed.inc({ type: parent.type, error: code });
    this.telemetry.log.warn({ job_id: parentId, type: parent.type, error: code, reason: parent.reason }, 'job failed');
    this.backends.events.publish({ jobId: parentId, status: 'Failed', progress: null });
    if (!cleaned) await this.#fanout.cleanup(parent);
  }
}
