/**
 * Typed errors, named and shaped like `reductoai`'s so that code catching
 * `NotFoundError` or reading `err.status` / `err.error` ports unchanged.
 */
export class FolioError extends Error {
  override name = 'FolioError';
}

export class APIError extends FolioError {
  override name = 'APIError';
  /** HTTP status of the response, undefined for connection errors. */
  readonly status: number | undefined;
  /** Response headers, undefined for connection errors. */
  readonly headers: Record<string, string> | undefined;
  /** Parsed response body (JSON when the server sent JSON, else the text). */
  readonly error: unknown;

  constructor(status: number | undefined, error: unknown, message: string | undefined, headers: Record<string, string> | undefined) {
    super(APIError.makeMessage(status, error, message));
    this.status = status;
    this.headers = headers;
    this.error = error;
  }

  /** Same message rule as reductoai: body.message, else the JSON body, else the given text. */
  private static makeMessage(status: number | undefined, error: unknown, message: string | undefined): string {
    const body = error as { message?: unknown; detail?: unknown; error?: { message?: unknown } } | undefined;
    const msg =
      body && typeof body === 'object' && body.message !== undefined
        ? typeof body.message === 'string' ? body.message : JSON.stringify(body.message)
        : error !== undefined && error !== null && error !== ''
          ? typeof error === 'string' ? error : JSON.stringify(error)
          : message;
    if (status && msg) return `${status} ${msg}`;
    if (status) return `${status} status code (no body)`;
    return msg ?? '(no status code or body)';
  }

  static generate(status: number, error: unknown, message: string | undefined, headers: Record<string, string>): APIError {
    const Class = STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, error, message, headers);
  }
}

export class BadRequestError extends APIError { override name = 'BadRequestError'; }
export class AuthenticationError extends APIError { override name = 'AuthenticationError'; }
export class PermissionDeniedError extends APIError { override name = 'PermissionDeniedError'; }
export class NotFoundError extends APIError { override name = 'NotFoundError'; }
export class ConflictError extends APIError { override name = 'ConflictError'; }
export class UnprocessableEntityError extends APIError { override name = 'UnprocessableEntityError'; }
export class RateLimitError extends APIError { override name = 'RateLimitError'; }
export class InternalServerError extends APIError { override name = 'InternalServerError'; }

const STATUS_ERRORS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export class APIConnectionError extends APIError {
  override name = 'APIConnectionError';
  constructor({ message, cause }: { message?: string; cause?: unknown } = {}) {
    super(undefined, undefined, message ?? 'Connection error.', undefined);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor({ message }: { message?: string } = {}) {
    super({ message: message ?? 'Request timed out.' });
  }
}

export class APIUserAbortError extends APIError {
  override name = 'APIUserAbortError';
  constructor({ message }: { message?: string } = {}) {
    super(undefined, undefined, message ?? 'Request was aborted.', undefined);
  }
}

/** A job reached `Failed`; `reason` is the server's explanation. */
export class JobFailedError extends FolioError {
  override name = 'JobFailedError';
  constructor(readonly jobId: string, readonly reason: string | null, readonly job: unknown) {
    super(`Job ${jobId} failed${reason ? `: ${reason}` : ''}`);
  }
}

/** A job was cancelled before it finished. */
export class JobCancelledError extends FolioError {
  override name = 'JobCancelledError';
  constructor(readonly jobId: string, readonly job: unknown) {
    super(`Job ${jobId} was cancelled`);
  }
}

/** `job.wait` gave up after its `timeout`; the job itself keeps running. */
export class JobWaitTimeoutError extends FolioError {
  override name = 'JobWaitTimeoutError';
  constructor(readonly jobId: string, readonly timeoutMs: number) {
    super(`Gave up waiting for job ${jobId} after ${timeoutMs} ms (the job is still running)`);
  }
}
