import { JobCancelledError, JobFailedError, JobWaitTimeoutError, type Folio, type JobGetResponse } from '@folio/sdk';
import { EXIT } from './exit-codes.ts';
import { ProgressBar } from './progress-bar.ts';
import type { Io } from './command.ts';

export type WatchOutcome =
  | { code: typeof EXIT.ok; job: JobGetResponse }
  | { code: Exclude<(typeof EXIT)[keyof typeof EXIT], 0>; job?: JobGetResponse; message: string };

/** Wait for a job with a progress bar on stderr; failures become exit codes, not exceptions. */
export async function watchJob(client: Folio, jobId: string, io: Io, opts: { timeoutS?: number; bar: boolean }): Promise<WatchOutcome> {
  const bar = opts.bar ? new ProgressBar(io.stderr) : null;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const job = await client.job.wait(jobId, {
      signal: stop.signal,
      timeout: opts.timeoutS === undefined ? undefined : opts.timeoutS * 1000,
      onProgress: (progress, j) => bar?.update(progress, `${j.status}${pagesLabel(j)}`),
    });
    bar?.done();
    return { code: EXIT.ok, job };
  } catch (err) {
    bar?.done();
    if (err instanceof JobCancelledError) return { code: EXIT.cancelled, job: err.job as JobGetResponse, message: err.message };
    if (err instanceof JobFailedError) return { code: EXIT.failed, job: err.job as JobGetResponse, message: err.message };
    if (err instanceof JobWaitTimeoutError) return { code: EXIT.timeout, message: err.message };
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function pagesLabel(job: JobGetResponse): string {
  return job.total_pages ? ` (${job.num_pages ?? 0}/${job.total_pages} pages)` : '';
}
