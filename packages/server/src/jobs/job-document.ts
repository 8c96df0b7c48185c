import { detectFormat, IMAGE_FORMATS } from '@folio/engine';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import { loadInput } from '../input/input-ref.ts';

const JOB_PREFIX = 'jobid://';
const MAX_HOPS = 10;

/** The source document of a job, as GET /job/{id}/document serves it. */
export interface JobDocument {
  bytes: Uint8Array;
  filename: string | null;
  contentType: string;
  /** PDFs and images are shown in place; anything else is offered as a download. */
  inline: boolean;
}

/**
 * The document a job read: its upload, or — for a `jobid://` input — the document of the
 * parse it reused. URL inputs are not kept, so they have no document here.
 */
export async function jobDocument(jobId: string, owner: string, backends: Backends, config: ServerConfig): Promise<JobDocument> {
  let job = await backends.jobs.get(jobId, owner);
  for (let hops = 0; job && job.input.ref.startsWith(JOB_PREFIX) && hops < MAX_HOPS; hops++) {
    job = await backends.jobs.get(job.input.ref.slice(JOB_PREFIX.length), owner);
  }
  if (!job) throw ApiError.notFound('Job', jobId);
  if (job.input.more?.length) throw new ApiError('NOT_FOUND', `Job ${jobId} read ${job.input.more.length + 1} documents; it has no single document`);
  if (!job.input.ref.startsWith('reducto://')) {
    throw new ApiError('NOT_FOUND', `Job ${jobId} read its document from a URL; Folio keeps no copy of URL inputs`);
  }
  const { bytes, filename } = await loadInput(job.input.ref, owner, backends, config);
  const format = await detectFormat(bytes, filename ?? undefined).catch(() => undefined);
  if (format === 'pdf') return { bytes, filename, contentType: 'application/pdf', inline: true };
  if (format && IMAGE_FORMATS.includes(format) && format !== 'heic') {
    return { bytes, filename, contentType: `image/${format}`, inline: true };
  }
  return { bytes, filename, contentType: 'application/octet-stream', inline: false };
}
