import type { JobType } from '../jobs/job.ts';

/** The document an operation works on, resolved by the runner before the thread starts. */
export interface OperationInput {
  bytes: Uint8Array;
  filename: string | null;
  /**
   * For `jobid://<id>` inputs: the finished Parse response of that job (its `result` is
   * always the full form here). Operations that start from a parse use it instead of bytes.
   */
  parsed?: Record<string, unknown>;
  /** A multi-document input: these documents, read in order as one (`bytes` is then empty). */
  parts?: OperationInput[];
  /**
   * A fan-out part of a Parse: read only these pages of the PDF, up to the document-level
   * decisions, and hand back `pagesRead` for the merge instead of a response.
   */
  pages?: { first: number; last: number };
  /** Only count the PDF's pages (`totalPages`; null when not a readable PDF): whether to fan out. */
  countPages?: boolean;
  /**
   * A Parse that may be asked, while it reads a PDF, to stop and hand back the pages read so
   * far (`OperationContext.handBack`; the output's `pagesRead`, `handedBack`): a fan-out that
   * begins as a whole reading and splits off the rest once the reading proves long.
   */
  mayHandBack?: boolean;
  /**
   * A fan-out parent whose parts are all read: each part's `pagesRead` and how its pages shift
   * into the parent's, merged into the whole document's parse (`bytes` is then empty).
   */
  merge?: PartPages[];
}

/** A fan-out part's pages (the engine's PagesRead, v8-serialized) and their shift into the parent's. */
export interface PartPages {
  pagesRead: Uint8Array;
  pageOffset: number;
}

export interface OperationContext {
  /** Fires on cancel or timeout; operations check it at least once per page. */
  signal: AbortSignal;
  /** Pages done / pages total; drives the job's progress. */
  onProgress: (done: number, total: number) => void;
  /** True once the runner asks a `mayHandBack` reading to stop at the next page. */
  handBack?: () => boolean;
}

/**
 * What an operation hands back. `response` is the body of the sync endpoint without
 * `job_id`/`duration` (the runner adds them). Its `result` field is replaced by a
 * `{type: "url"}` reference when large. `images` are stored as blobs and their
 * `folio-image:<key>` placeholders replaced by signed URLs.
 */
export interface OperationOutput {
  response: Record<string, unknown> & { result?: unknown };
  numPages: number | null;
  totalPages: number | null;
  images?: Map<string, { bytes: Uint8Array; mime: string }>;
  /**
   * A fan-out part's pages, read up to the document-level decisions (`input.pages`): the
   * engine's PagesRead in v8's serialization (Maps and image bytes kept), made in the thread
   * and moved out of it without a copy, ready to store.
   */
  pagesRead?: Uint8Array;
  /** A `mayHandBack` reading stopped when asked: `pagesRead` holds its first `numPages` pages. */
  handedBack?: boolean;
  /**
   * The response's `result` as UTF-8 JSON, as a worker thread sends it back (`response.result`
   * is then a null placeholder): a large result is stored as it came, never rebuilt as
   * objects in the main thread.
   */
  resultJson?: Uint8Array;
}

/** One job type's work, run inside a worker thread (no I/O besides its input). */
export type Operation = (input: OperationInput, config: unknown, ctx: OperationContext) => Promise<OperationOutput>;

/** Loaded lazily inside the thread so a Parse never imports what Extract needs. */
export type OperationRegistry = Partial<Record<JobType, () => Promise<Operation>>>;
