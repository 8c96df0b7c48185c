/** Exit codes, documented in the CLI README. */
export const EXIT = {
  ok: 0,
  /** A request failed or the job failed. */
  failed: 1,
  /** Bad command line. */
  usage: 2,
  /** The job was cancelled. */
  cancelled: 3,
  /** `--timeout` passed before the job finished. */
  timeout: 4,
} as const;

/** Thrown for bad command lines; main prints the message and the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
