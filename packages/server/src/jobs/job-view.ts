import { statusOfErrorName } from '../http/api-error.ts';
import type { Job, JobSummary } from './job.ts';

/** Reducto's poller vocabulary: queued/running read Pending, cancelled reads Failed. */
function pollStatus(job: Job): 'Pending' | 'Completed' | 'Failed' {
  if (job.status === 'Completed') return 'Completed';
  if (job.status === 'Failed' || job.status === 'Cancelled') return 'Failed';
  return 'Pending';
}

function errorOf(job: Job): { code: number; name: string; message: string; job_id: string } | null {
  if (job.status !== 'Failed' && job.status !== 'Cancelled') return null;
  const name = job.errorCode ?? (job.status === 'Cancelled' ? 'JOB_CANCELLED' : 'INTERNAL_ERROR');
  const code = statusOfErrorName(name);
  return { code, name, message: job.reason ?? 'The job failed', job_id: job.id };
}

/**
 * GET /job/{id} as JSON text. The stored result text is spliced in unparsed, which keeps
 * this hot path to one point read and one small stringify.
 */
export function jobViewText(job: Job): string {
  const progress = job.status === 'Completed' ? 100 : (job.progress ?? 0);
  const head = JSON.stringify({
    job_id: job.id,
    status: pollStatus(job),
    progress,
    reason: job.reason,
    error: errorOf(job),
    type: job.type,
    num_pages: job.numPages,
    total_pages: job.totalPages,
    duration: job.duration,
    created_at: new Date(job.createdAt).toISOString(),
    raw_config: job.rawConfig,
    source: null,
    bucket: null,
  });
  const result = job.status === 'Completed' ? (job.resultText ?? JSON.stringify(job.result ?? null)) : 'null';
  return `${head.slice(0, -1)},"result":${result}}`;
}

/** One row of GET /jobs (the list keeps the internal statuses, Cancelled included). */
export function jobListItem(job: JobSummary): Record<string, unknown> {
  return {
    job_id: job.id,
    status: job.status,
    type: job.type,
    raw_config: job.rawConfig,
    created_at: new Date(job.createdAt).toISOString(),
    num_pages: job.numPages,
    total_pages: job.totalPages,
    duration: job.duration,
    progress: job.status === 'Completed' ? 100 : job.progress,
    reason: job.reason,
    source: null,
    bucket: null,
  };
}
