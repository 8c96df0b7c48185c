import { EventSourceParserStream } from 'eventsource-parser/stream';
import { JobCancelledError, JobFailedError, JobWaitTimeoutError } from '../errors.ts';
import type { APIPromise } from '../api-promise.ts';
import { sleep, type RequestOptions, type Transport } from '../transport.ts';
import type {
  JobDeleteParams, JobEvent, JobGetAllParams, JobGetAllResponse, JobGetResponse, JobListItem,
} from '../types.ts';

export interface WaitOptions {
  signal?: AbortSignal;
  /** Called whenever the job's progress (0–100) or status changes. */
  onProgress?: (progress: number, job: JobGetResponse) => void;
  /** First delay between polls in ms (default 250); grows ×1.5 up to `maxPollInterval`. */
  pollInterval?: number;
  /** Longest delay between polls in ms (default 5000). */
  maxPollInterval?: number;
  /** Give up after this many ms with JobWaitTimeoutError (default: wait forever). */
  timeout?: number;
}

/** A job's source document as `job.document()` returns it. */
export interface JobDocument {
  bytes: Uint8Array;
  contentType: string;
  filename: string | null;
}

const RUNNING = new Set(['Pending', 'Idle', 'InProgress', 'Completing']);

/** A cancelled job may be reported as `Cancelled` (list vocabulary) or as `Failed` with JOB_CANCELLED. */
function isCancelled(job: JobGetResponse): boolean {
  return job.status === 'Cancelled' || (job.status === 'Failed' && job.error?.name === 'JOB_CANCELLED');
}

export class JobResource {
  constructor(private readonly transport: Transport) {}

  /** GET /job/{id} — status, progress, reason and (when done) the result. */
  get(jobId: string, options?: RequestOptions): APIPromise<JobGetResponse> {
    return this.transport.request({ method: 'GET', path: `/job/${encodeURIComponent(jobId)}` }, options);
  }

  /** Alias of `get` (the name used in Reducto's job-management docs). */
  retrieve(jobId: string, options?: RequestOptions): APIPromise<JobGetResponse> {
    return this.get(jobId, options);
  }

  /** GET /jobs — one page, newest first; pass `next_cursor` back as `cursor` for the next. */
  getAll(query: JobGetAllParams = {}, options?: RequestOptions): APIPromise<JobGetAllResponse> {
    return this.transport.request({ method: 'GET', path: '/jobs', query: { ...query } }, options);
  }

  /** Alias of `getAll`. */
  list(query: JobGetAllParams = {}, options?: RequestOptions): APIPromise<JobGetAllResponse> {
    return this.getAll(query, options);
  }

  /** POST /cancel/{id}. */
  cancel(jobId: string, options?: RequestOptions): APIPromise<unknown> {
    return this.transport.request({ method: 'POST', path: `/cancel/${encodeURIComponent(jobId)}` }, options);
  }

  /** DELETE /job/{id} — removes the job and its stored result. */
  delete(jobId: string, params: JobDeleteParams = {}, options?: RequestOptions): APIPromise<{ job_id: string; [key: string]: unknown }> {
    return this.transport.request(
      { method: 'DELETE', path: `/job/${encodeURIComponent(jobId)}`, query: { include_persisted: params.include_persisted } },
      options,
    );
  }

  /**
   * GET /job/{id}/document (Folio extension) — the document the job read: its upload, or
   * the upload behind a `jobid://` input. URL inputs are not kept (404).
   */
  async document(jobId: string, options?: RequestOptions): Promise<JobDocument> {
    const response = await this.transport.fetchResponse({ method: 'GET', path: `/job/${encodeURIComponent(jobId)}/document`, accept: '*/*' }, options);
    const filename = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    return {
      bytes: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      filename: filename ? decodeURIComponent(filename) : null,
    };
  }

  /**
   * Poll until the job finishes, with a growing interval. Resolves with the completed job;
   * throws JobFailedError (with the server's reason), JobCancelledError or JobWaitTimeoutError.
   */
  async wait(jobId: string, options: WaitOptions = {}): Promise<JobGetResponse> {
    const { signal, onProgress, timeout } = options;
    const maxInterval = options.maxPollInterval ?? 5000;
    let interval = options.pollInterval ?? 250;
    const deadline = timeout === undefined ? Infinity : Date.now() + timeout;
    let lastReported: string | undefined;

    for (;;) {
      const job = await this.get(jobId, { signal });
      const key = `${job.status}:${job.progress ?? 0}`;
      if (onProgress && key !== lastReported) {
        lastReported = key;
        onProgress(job.status === 'Completed' ? 100 : Number(job.progress ?? 0), job);
      }
      if (job.status === 'Completed') return job;
      if (isCancelled(job)) throw new JobCancelledError(jobId, job);
      if (job.status === 'Failed') throw new JobFailedError(jobId, job.reason ?? job.error?.message ?? null, job);
      if (!RUNNING.has(job.status)) throw new JobFailedError(jobId, `unknown job status ${String(job.status)}`, job);

      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new JobWaitTimeoutError(jobId, timeout ?? 0);
      await sleep(Math.min(interval, remaining), signal);
      interval = Math.min(interval * 1.5, maxInterval);
    }
  }

  /** Every job across pages: `for await (const job of client.job.iterate({ limit: 100 }))`. */
  async *iterate(query: JobGetAllParams = {}, options?: RequestOptions): AsyncGenerator<JobListItem, void, undefined> {
    let cursor = query.cursor ?? undefined;
    for (;;) {
      const page = await this.getAll({ ...query, cursor }, options);
      yield* page.jobs;
      if (!page.next_cursor || page.jobs.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  /**
   * Server-Sent Events from GET /job/{id}/events (status and progress as they change).
   * Ends when the server closes the stream (after the job finishes) or `signal` aborts.
   */
  async *events(jobId: string, options: RequestOptions = {}): AsyncGenerator<JobEvent, void, undefined> {
    const response = await this.transport.fetchResponse(
      { method: 'GET', path: `/job/${encodeURIComponent(jobId)}/events`, accept: 'text/event-stream' },
      // Only the connection is timed; the stream lives as long as the job.
      options,
    );
    if (!response.body) return;
    const stream = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield { event: value.event ?? 'message', id: value.id, data: parseData(value.data) };
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
