/**
 * The job model shared by every backend (SQLite embedded, PostgreSQL distributed).
 *
 * Internal statuses are the list vocabulary; the single-job view (GET /job/{id}) maps them to
 * Reducto's poller vocabulary in `jobView` (InProgress → Pending, Cancelled → Failed).
 */

export const JOB_TYPES = ['Parse', 'Extract', 'Split', 'Classify', 'Edit', 'Pipeline'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['Pending', 'InProgress', 'Completed', 'Failed', 'Cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Cancelled'];
export const isTerminal = (s: JobStatus): boolean => TERMINAL_STATUSES.includes(s);

/** Where a job's document comes from, as submitted: `reducto://…`, `jobid://…` or an http(s) URL. */
export interface JobInput {
  ref: string;
  /** Documents read after `ref`, as one document (a multi-document input list). */
  more?: string[];
}

/** Direct (our own signed POST) or svix-style (delivered to configured endpoints). */
export interface WebhookConfig {
  mode: 'direct' | 'svix';
  url?: string;
  channels?: string[];
}

export interface Job {
  id: string;
  /** Owner id derived from the API key; every read is scoped to it. */
  owner: string;
  type: JobType;
  status: JobStatus;
  /** 0–100 from pages done, null before the first page. */
  progress: number | null;
  reason: string | null;
  /** Reducto error name (e.g. DOCUMENT_CORRUPT) when Failed/Cancelled. */
  errorCode: string | null;
  /** The request body as submitted (JSON text), shown as raw_config. */
  rawConfig: string;
  /** Normalised operation config (what the operation function receives). */
  config: unknown;
  input: JobInput;
  /** The response body the sync endpoint returns (job_id and duration included). */
  result: unknown | null;
  /** The same result as stored JSON text, when the backend has it (served without re-encoding). */
  resultText?: string | null;
  numPages: number | null;
  totalPages: number | null;
  /** Seconds of processing, set on completion. */
  duration: number | null;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Times a worker has claimed the job (1 on the first run). */
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** Higher runs first (sync requests and async.priority jobs get 1+). */
  priority: number;
  timeoutS: number | null;
  idempotencyKey: string | null;
  webhook: WebhookConfig | null;
  /** async.metadata, echoed in webhook payloads. */
  metadata: unknown;
  /**
   * Set on a fan-out part as a queue hands it to a worker (id `<parent>.p<n>`): the pages
   * it reads. Its other fields are the parent's.
   */
  part?: JobPart;
}

/** One page range of a fanned-out parse. */
export interface JobPart {
  parentId: string;
  /** 1-based. */
  part: number;
  /** Pages of the parent's document. */
  first: number;
  last: number;
  /** The part's own document (its pages cut out of the parent's), or null: it reads the parent's. */
  inputRef: string | null;
}

/** What a route hands to `JobStore.create`. */
export interface NewJob {
  id: string;
  owner: string;
  type: JobType;
  rawConfig: string;
  config: unknown;
  input: JobInput;
  priority: number;
  timeoutS: number | null;
  idempotencyKey: string | null;
  webhook: WebhookConfig | null;
  metadata: unknown;
  createdAt: number;
}

/** Filters for the job list (Reducto has none; Folio adds these). */
export interface JobListQuery {
  owner: string;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: string | null;
  status?: JobStatus;
  type?: JobType;
  createdAfter?: number;
  createdBefore?: number;
  /** Leave raw_config out (returned as ''): the page is then read from the list index alone. */
  excludeConfigs?: boolean;
}

/** What a row of the job list shows: no config, input or result is read for it. */
export type JobSummary = Pick<Job, 'id' | 'type' | 'status' | 'progress' | 'reason' | 'numPages' | 'totalPages' | 'duration' | 'createdAt' | 'rawConfig'>;

export interface JobPage {
  jobs: JobSummary[];
  nextCursor: string | null;
}

/** Keyset cursor: the (createdAt, id) of the last row of a page, base64url-encoded. */
export function encodeCursor(job: Pick<Job, 'createdAt' | 'id'>): string {
  return Buffer.from(`${job.createdAt}|${job.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = Number(text.slice(0, bar));
  if (bar < 1 || !Number.isFinite(createdAt)) return null;
  return { createdAt, id: text.slice(bar + 1) };
}
