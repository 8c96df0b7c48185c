import {
  APIUserAbortError, JobCancelledError, JobFailedError, JobWaitTimeoutError, type Folio, type JobGetResponse,
} from '@folio/sdk';
import { EXIT } from './exit-codes.ts';
import { ProgressBar } from './progress-bar.ts';
import type { Io } from './command.ts';

export type WatchOutcome =
  | { code: typeof EXIT.ok; job: JobGetResponse }
  | { code: Exclude<(typeof EXIT)[keyof typeof EXIT], 0>; job?: JobGetResponse; message: string };

const TERMINAL = new Set(['Completed', 'Failed', 'Cancelled']);

/**
 * Wait for a job with a progress bar on stderr. Progress comes from the job's event stream
 * (every page as it finishes); if the server offers none, from polling. Failures become
 * exit codes, not exceptions.
 */
export async function watchJob(client: Folio, jobId: string, io: Io, opts: { timeoutS?: number; bar: boolean }): Promise<WatchOutcome> {
  const bar = opts.bar ? new ProgressBar(io.stderr) : null;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  let timedOut = false;
  const timer = opts.timeoutS === undefined ? null : setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, opts.timeoutS * 1000);
  try {
    await followEvents(client, jobId, stop.signal, bar);
    // The final state (and the result) comes from the job itself; wait also covers the fallback.
    const job = await client.job.wait(jobId, {
      signal: stop.signal,
      onProgress: (progress, j) => bar?.update(progress, j.status),
    });
    bar?.done();
    return { code: EXIT.ok, job };
  } catch (err) {
    bar?.done();
    if (err instanceof JobCancelledError) return { code: EXIT.cancelled, job: err.job as JobGetResponse, message: err.message };
    if (err instanceof JobFailedError) return { code: EXIT.failed, job: err.job as JobGetResponse, message: err.message };
    if (timedOut || err instanceof JobWaitTimeoutError) {
      return { code: EXIT.timeout, message: `gave up waiting for job ${jobId} after ${opts.timeoutS} s (it is still running)` };
    }
    if (err instanceof APIUserAbortError) return { code: EXIT.failed, message: `stopped waiting for job ${jobId} (it is still running)` };
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSigint);
  }
}

/** Drive the bar from Server-Sent Events until the job is terminal; silently give up on error. */
async function followEvents(client: Folio, jobId: string, signal: AbortSignal, bar: ProgressBar | null): Promise<void> {
  try {
    for await (const event of client.job.events(jobId, { signal, maxRetries: 0 })) {
      const data = event.data as { status?: string; progress?: number | null };
      if (typeof data?.status !== 'string') continue;
      bar?.update(data.status === 'Completed' ? 100 : Number(data.progress ?? 0), data.status);
      if (TERMINAL.has(data.status)) return;
    }
  } catch (err) {
    if (signal.aborted) throw err;
    // No event stream (older server, proxy): polling in job.wait takes over.
  }
}
