/** Reducto's error names, with the HTTP status each maps to when surfaced by the server. */
export const ERROR_STATUS = {
  DOCUMENT_CORRUPT: 415,
  DOCUMENT_EMPTY: 400,
  DOCUMENT_UNSUPPORTED: 415,
  DOCUMENT_TOO_LARGE: 413,
  DOCUMENT_PASSWORD_PROTECTED: 442,
  IMAGE_TOO_LARGE: 413,
  IMAGE_TOO_SMALL: 400,
  CELL_COUNT_EXCEEDED: 422,
  INVALID_CONFIG: 400,
  INVALID_SCHEMA: 422,
  LLM_PROVIDER_ERROR: 502,
  LLM_OUTPUT_PARSE_FAILED: 502,
  FORM_FILL_FAILED: 422,
  PROCESSING_FAILED: 500,
  TIMEOUT: 504,
  JOB_CANCELLED: 499,
  INTERNAL_ERROR: 500,
} as const;

export type EngineErrorName = keyof typeof ERROR_STATUS;

/** An expected failure with a user-facing reason; anything else is a bug (INTERNAL_ERROR). */
export class EngineError extends Error {
  readonly code: EngineErrorName;
  constructor(code: EngineErrorName, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Thrown when the caller's AbortSignal fires; engines check it at least once per page. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new EngineError('JOB_CANCELLED', 'Job cancelled');
}
