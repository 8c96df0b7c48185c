import type { OperationRegistry } from './operation.ts';

/**
 * Job type → operation. Adding an operation: write `src/operations/<name>.ts` exporting
 * `operation`, add one line here, and register its routes with `registerJobRoutes`.
 */
export const OPERATIONS: OperationRegistry = {
  Parse: async () => (await import('./parse.ts')).operation,
  Extract: async () => (await import('./extract.ts')).operation,
  Split: async () => (await import('./split.ts')).operation,
  Classify: async () => (await import('./classify.ts')).operation,
  Pipeline: async () => (await import('./pipeline.ts')).operation,
  Edit: async () => (await import('./edit.ts')).operation,
};
