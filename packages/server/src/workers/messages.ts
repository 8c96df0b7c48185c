import type { JobType } from '../jobs/job.ts';
import type { OperationInput, OperationOutput } from '../operations/operation.ts';

/** Main thread → worker thread. */
export type ToThread =
  /**
   * `handBack`: a flag shared with the main thread, set to 1 to stop a `mayHandBack` reading at
   * its next page. Read between pages, where the thread may not have turned to its messages.
   */
  | { kind: 'run'; runId: number; type: JobType; input: OperationInput; config: unknown; handBack: Int32Array }
  | { kind: 'abort'; runId: number };

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
