import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import type { JobInput } from '../jobs/job.ts';
import type { OperationInput } from '../operations/operation.ts';
import { assertPublicUrl } from './address-policy.ts';
import { downloadUrl } from './download.ts';

const UPLOAD_PREFIX = 'reducto://';
const JOB_PREFIX = 'jobid://';

/** The wire form of an upload id. */
export const uploadRef = (id: string): string => `${UPLOAD_PREFIX}${id}`;

/** The bare upload id of `reducto://<id>` (or of a bare id). */
export const uploadIdOf = (ref: string): string => (ref.startsWith(UPLOAD_PREFIX) ? ref.slice(UPLOAD_PREFIX.length) : ref);

/**
 * The one document reference in a request's `input` / `document_url`: a string, the upload
 * object `{file_id}`, or a one-element list. Returns null when absent.
 */
export function inputRefOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length === 1) return inputRefOf(value[0]);
    throw new ApiError('INVALID_CONFIG', 'Multi-document input lists are not supported for this operation; send one document');
  }
  if (typeof value === 'object' && typeof (value as { file_id?: unknown }).file_id === 'string') return (value as { file_id: string }).file_id;
  throw new ApiError('INVALID_CONFIG', 'input must be a URL, reducto:// or jobid:// reference, or an upload object {file_id}');
}

/** Most documents one multi-document input may list. */
export const MAX_INPUT_DOCUMENTS = 20;

/**
 * Every document reference in an `input` that may list several (parse, extract, split):
 * one reference, or a list read in order as one document. Returns null when absent.
 */
export function inputRefsOf(value: unknown): string[] | null {
  if (!Array.isArray(value)) {
    const ref = inputRefOf(value);
    return ref ? [ref] : null;
  }
  if (value.length === 0) return null;
  if (value.length > MAX_INPUT_DOCUMENTS) throw new ApiError('INVALID_CONFIG', `input lists ${value.length} documents; at most ${MAX_INPUT_DOCUMENTS} are read as one`);
  return value.map((item, i) => {
    const ref = Array.isArray(item) ? null : inputRefOf(item);
    if (!ref) throw new ApiError('INVALID_CONFIG', `input[${i}] must be a URL, reducto:// or jobid:// reference, or an upload object {file_id}`);
    return ref;
  });
}

/**
 * Check a reference at submit time so the client hears about a bad input at once: the
 * upload or job must belong to the owner, a URL must be http(s) and public.
 */
export async function checkInputRef(ref: string, owner: string, backends: Backends, config: ServerConfig): Promise<void> {
  if (ref.startsWith(UPLOAD_PREFIX)) {
    const upload = await backends.uploads.get(uploadIdOf(ref), owner);
    if (!upload) throw ApiError.notFound(`Upload ${ref}`);
    if (upload.expiresAt !== null && upload.expiresAt <= Date.now()) throw new ApiError('NOT_FOUND', `Upload ${ref} has expired (uploads are kept 24 h)`);
    if (upload.size === null) throw new ApiError('DOCUMENT_EMPTY', `Upload ${ref} has no bytes yet: PUT the document to its presigned_url first`);
  } else if (ref.startsWith(JOB_PREFIX)) {
    const job = await backends.jobs.get(ref.slice(JOB_PREFIX.length), owner);
    if (!job) throw ApiError.notFound(`Job ${ref}`);
    if (job.type !== 'Parse') throw new ApiError('INVALID_CONFIG', `${ref} is a ${job.type} job; jobid:// needs a parse job`);
  } else {
    await assertPublicUrl(ref, config.allowPrivateUrls);
  }
}

/**
 * Fetch the document bytes (or the reused parse) a job works on. Runs in the worker's process.
 * `signal` stops a URL download under way (a held or slow host must not keep a stopped job).
 */
export async function loadInput(ref: string, owner: string, backends: Backends, config: ServerConfig, signal?: AbortSignal): Promise<OperationInput> {
  if (ref.startsWith(UPLOAD_PREFIX)) {
    const found = await backends.uploads.get(uploadIdOf(ref), owner);
    const upload = found && (found.expiresAt === null || found.expiresAt > Date.now()) ? found : null;
    const bytes = upload && (await backends.blobs.get(upload.blobKey));
    if (!upload || !bytes) throw new ApiError('NOT_FOUND', `Upload ${ref} not found (deleted or expired)`);
    return { bytes, filename: upload.filename ?? upload.id };
  }
  if (ref.startsWith(JOB_PREFIX)) {
    const job = await backends.jobs.get(ref.slice(JOB_PREFIX.length), owner);
    if (!job || job.type !== 'Parse') throw new ApiError('NOT_FOUND', `Parse job ${ref} not found`);
    if (job.status !== 'Completed') throw new ApiError('JOB_NOT_COMPLETE', `${ref} has not completed (status ${job.status})`);
    const parsed = await fullResponseOf(job.result as Record<string, unknown>, backends);
    const source = job.input.ref.startsWith(JOB_PREFIX) ? null : await loadInput(job.input.ref, owner, backends, config).catch(() => null);
    return { bytes: source?.bytes ?? new Uint8Array(), filename: source?.filename ?? null, parsed };
  }
  return downloadUrl(ref, { maxBytes: config.maxDownloadBytes, timeoutS: config.downloadTimeoutS, allowPrivate: config.allowPrivateUrls, signal });
}

/** The documents of a job's input: one, or a multi-document input's parts in order. */
export async function loadJobInput(input: JobInput, owner: string, backends: Backends, config: ServerConfig, signal?: AbortSignal): Promise<OperationInput> {
  if (!input.more?.length) return loadInput(input.ref, owner, backends, config, signal);
  const parts: OperationInput[] = [];
  for (const ref of [input.ref, ...input.more]) parts.push(await loadInput(ref, owner, backends, config, signal));
  return { bytes: new Uint8Array(), filename: null, parts };
}

/** A stored response with a `{type: "url"}` result swapped back for the full result blob. */
export async function fullResponseOf(response: Record<string, unknown>, backends: Backends): Promise<Record<string, unknown>> {
  const result = response.result as { type?: string; result_id?: string } | undefined;
  if (result?.type !== 'url' || !result.result_id) return response;
  const blob = await backends.blobs.get(`results/${result.result_id}.json`);
  if (!blob) throw new ApiError('NOT_FOUND', 'The stored result has expired');
  return { ...response, result: JSON.parse(Buffer.from(blob).toString('utf8')) };
}
