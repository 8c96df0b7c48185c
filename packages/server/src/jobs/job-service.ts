import { randomUUID } from 'node:crypto';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import { checkInputRef } from '../input/input-ref.ts';
import type { Logger } from '../observability/telemetry.ts';
import { isTerminal, type Job, type JobType, type WebhookConfig } from './job.ts';

/** What a route knows about a job it is about to submit. */
export interface Submission {
  owner: string;
  type: JobType;
  inputRef: string;
  /** Further documents of a multi-document input. */
  moreInputRefs?: string[];
  config: unknown;
  rawConfig: string;
  /** Sync requests run before async ones; async.priority lifts an async job. */
  priority: number;
  timeoutS: number | null;
  webhook: WebhookConfig | null;
  metadata: unknown;
  idempotencyKey: string | null;
}

const WAIT_POLL_MS = 1000;

/** Submitting and waiting for jobs: the part of the job lifecycle the API side owns. */
export class JobService {
  constructor(private readonly backends: Backends, private readonly config: ServerConfig, private readonly log: Logger) {}

  /** Validate the input reference, store the job and wake a worker. */
  async submit(s: Submission): Promise<Job> {
    const more = s.moreInputRefs ?? [];
    for (const ref of [s.inputRef, ...more]) await checkInputRef(ref, s.owner, this.backends, this.config);
    const { job, created } = await this.backends.jobs.create({
      id: randomUUID(),
      owner: s.owner,
      type: s.type,
      rawConfig: s.rawConfig,
      config: s.config,
      input: more.length ? { ref: s.inputRef, more } : { ref: s.inputRef },
      priority: s.priority,
      timeoutS: s.timeoutS,
      idempotencyKey: s.idempotencyKey,
      webhook: s.webhook,
      metadata: s.metadata,
      createdAt: Date.now(),
    });
    if (created) {
      this.log.info({ job_id: job.id, type: job.type, priority: job.priority }, 'job submitted');
      this.backends.events.publish({ jobId: job.id, status: 'Pending', progress: null });
      this.backends.events.notifyQueued();
    }
    return job;
  }

  /**
   * Resolve with the job once it is terminal. Events wake the waiter at once; a slow poll
   * covers events lost between processes. `signal` aborts the wait (client went away).
   */
  async waitForTerminal(jobId: string, signal?: AbortSignal): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      let settled = false;
      const check = async (): Promise<void> => {
        if (settled) return;
        try {
          const job = await this.backends.jobs.get(jobId);
          if (!job) return finish(() => reject(ApiError.notFound('Job', jobId)));
          if (isTerminal(job.status)) finish(() => resolve(job));
        } catch (err) {
          finish(() => reject(err));
        }
      };
      const unsubscribe = this.backends.events.subscribe(jobId, (e) => {
        if (isTerminal(e.status)) void check();
      });
      const timer = setInterval(() => void check(), WAIT_POLL_MS);
      const onAbort = (): void => finish(() => reject(new ApiError('JOB_CANCELLED', 'Client closed the request', jobId)));
      signal?.addEventListener('abort', onAbort);
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
        f();
      };
      void check();
    });
  }
}
