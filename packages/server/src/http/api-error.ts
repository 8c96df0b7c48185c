import { ERROR_STATUS, type EngineErrorName } from '@folio/engine';

/**
 * The error names the server raises itself, beside the engine's, each with its one HTTP
 * status: an error's status is always looked up by its name, never passed by hand.
 */
const SERVER_ERROR_STATUS = {
  NOT_FOUND: 404,
  URL_NOT_ALLOWED: 400,
  /** The document at a URL input could not be fetched (the host answered an error, or nothing usable). */
  DOWNLOAD_FAILED: 400,
  JOB_NOT_COMPLETE: 400,
  /** No API key, or an unknown one. */
  AUTH_ERROR: 401,
  /** A signed URL (upload, result) that is invalid or has expired. */
  FORBIDDEN: 403,
} as const;

export type ErrorName = EngineErrorName | keyof typeof SERVER_ERROR_STATUS;

/** The HTTP status an error name maps to (500 for a name no catalogue knows). */
export function statusOfErrorName(name: string): number {
  return (ERROR_STATUS as Record<string, number>)[name] ?? (SERVER_ERROR_STATUS as Record<string, number>)[name] ?? 500;
}

/** A domain error answered as Reducto's `{"error": {code, name, message, job_id}}`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorName,
    message: string,
    readonly jobId: string | null = null,
  ) {
    super(message);
    this.status = statusOfErrorName(code);
  }

  static notFound(what: string, jobId: string | null = null): ApiError {
    return new ApiError('NOT_FOUND', `${what} not found`, jobId);
  }

  /** The error for a failed job, with the HTTP status its name maps to. */
  static fromJobFailure(code: string | null, reason: string | null, jobId: string): ApiError {
    return new ApiError((code ?? 'INTERNAL_ERROR') as ErrorName, reason ?? 'The job failed', jobId);
  }

  body(): { error: { code: number; name: string; message: string; job_id: string | null }; detail: string } {
    return { error: { code: this.status, name: this.code, message: this.message, job_id: this.jobId }, detail: this.message };
  }
}

/** A 422 in FastAPI's shape: `{"detail": [{loc, msg, type}]}`. */
export class ValidationError extends Error {
  constructor(readonly detail: Array<{ loc: Array<string | number>; msg: string; type: string }>) {
    super(detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
  }
}
