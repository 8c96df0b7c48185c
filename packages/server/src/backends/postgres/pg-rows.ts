import { hostname } from 'node:os';
import type { Job } from '../../jobs/job.ts';
import { partJobId } from '../../jobs/fanout.ts';
import type { StoredPart } from '../../jobs/part-store.ts';
import type { Upload } from '../../storage/upload-store.ts';

/** This process, as recorded on the jobs and parts it leases. */
export const PROCESS = `${hostname()}/${process.pid}`;

export interface JobRow {
  id: string; owner: string; type: string; status: string; progress: number | null;
  reason: string | null; error_code: string | null; raw_config: string; config: string;
  input: string; result: string | null; num_pages: number | null; total_pages: number | null;
  duration: number | null; created_at: string; started_at: string | null; finished_at: string | null;
  attempts: number; lease_owner: string | null; lease_expires_at: string | null; priority: number;
  timeout_s: number | null; idempotency_key: string | null; webhook: string | null; metadata: string | null;
  queue_job_id: string | null; fanout_parts: number | null;
}

export interface PartRow {
  job_id: string; part: number; first_page: number; last_page: number; status: string; pages_done: number;
  attempts: number; lease_owner: string | null; lease_expires_at: string | null; queue_job_id: string | null;
  result: string | null; input_ref: string | null;
}

export interface UploadRow {
  id: string; owner: string; filename: string | null; size: string | null; blob_key: string;
  created_at: string; expires_at: string | null;
}

export const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
// bigint columns arrive as strings from node-postgres.
export const ms = (v: string | null): number | null => (v === null ? null : Number(v));

export function toJob(r: JobRow): Job {
  return {
    id: r.id, owner: r.owner, type: r.type as Job['type'], status: r.status as Job['status'],
    progress: r.progress, reason: r.reason, errorCode: r.error_code, rawConfig: r.raw_config,
    config: JSON.parse(r.config), input: JSON.parse(r.input), result: parseJson(r.result),
    numPages: r.num_pages, totalPages: r.total_pages, duration: r.duration, createdAt: Number(r.created_at),
    startedAt: ms(r.started_at), finishedAt: ms(r.finished_at), attempts: r.attempts,
    leaseOwner: r.lease_owner, leaseExpiresAt: ms(r.lease_expires_at), priority: r.priority,
    timeoutS: r.timeout_s, idempotencyKey: r.idempotency_key,
    webhook: parseJson(r.webhook) as Job['webhook'], metadata: parseJson(r.metadata),
  };
}

export const toPart = (p: PartRow): StoredPart => ({
  parentId: p.job_id, part: p.part, first: p.first_page, last: p.last_page, inputRef: p.input_ref, resultKey: p.result,
});

/** A fan-out part, presented to workers as a job of its own (id `<parent>.p<n>`). */
export function partJob(parent: Job, p: PartRow): Job {
  return {
    ...parent,
    id: partJobId(parent.id, p.part),
    status: 'InProgress',
    progress: null,
    result: null,
    attempts: p.attempts,
    leaseOwner: p.lease_owner,
    leaseExpiresAt: ms(p.lease_expires_at),
    idempotencyKey: null,
    // the parent's webhook fires once, when it is finished
    webhook: null,
    part: toPart(p),
  };
}

export function toUpload(r: UploadRow): Upload {
  return {
    id: r.id, owner: r.owner, filename: r.filename, size: ms(r.size), blobKey: r.blob_key,
    createdAt: Number(r.created_at), expiresAt: ms(r.expires_at),
  };
}

