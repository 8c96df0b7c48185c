import { ERROR_STATUS } from '@folio/engine';

/** Statuses of the error names the server itself raises while preparing a job's input. */
const SERVER_ERROR_STATUS: Record<string, number> = { NOT_FOUND: 404, URL_NOT_ALLOWED: 400, JOB_NOT_COMPLETE: 400 };

/** The HTTP status a Reducto error name maps to. */
export function statusOfErrorName(name: string): number {
  return (ERROR_STATUS as Record<string, number>)[name] ?? SERVER_ERROR_STATUS[name] ?? 500;
}

/** A domain error answered as Reducto's `{"error": {code, name, message, job_id}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly jobId: string | null = null,
  ) {
    super(message);
  }

  static notFound(what: string, jobId: string | null = null): ApiError {
    return new ApiError(404, 'NOT_FOUND', `${what} not found`, jobId);
  }

  /** The error for a failed job, with the HTTP status its Reducto name maps to. */
  static fromJobFailure(code: string | null, reason: string | null, jobId: string): ApiError {
    const name = code ?? 'INTERNAL_ERROR';
    return new ApiError(statusOfErrorName(name), name, reason ?? 'The job failed', jobId);
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
