import type { JobType } from '../jobs/job.ts';
import type { OperationInput, OperationOutput } from '../operations/operation.ts';

/** Main thread → worker thread. */
export type ToThread =
  /** `control`: the run's RunControl word, shared with the main thread. */
  | { kind: 'run'; runId: number; type: JobType; input: OperationInput; config: unknown; control: Int32Array }
  | { kind: 'abort'; runId: number };

/**
 * What the main thread asks of a run under way, in a word of shared memory the thread reads
 * after each page: a thread reading a PDF does not turn to its messages between pages, so an
 * abort sent only as a message went unheard until the thread was replaced.
 */
export const RunControl = {
  /** Go on. */
  none: 0,
  /** Stop a `mayHandBack` reading at its next page and hand back the pages read. */
  handBack: 1,
  /** Stop: the run is aborted. */
  abort: 2,
} as const;

/** Worker thread → main thread. */
export type FromThread =
  | { kind: 'ready' }
  | { kind: 'progress'; runId: number; done: number; total: number }
  /**
   * `response`: the output's response as UTF-8 JSON, its `result` (if any) a null placeholder
   * for `result`, the result as UTF-8 JSON: moved rather than cloned object by object.
   */
  | { kind: 'done'; runId: number; output: Omit<OperationOutput, 'response' | 'resultJson'>; response: Uint8Array; result?: Uint8Array; peakMemoryBytes: number }
  | { kind: 'error'; runId: number; code: string; message: string; peakMemoryBytes: number };
