/**
 * @folio/sdk — a typed client for Folio's Reducto-compatible API. Runs wherever `fetch`
 * does: this entry imports nothing Node-only (paths and `fs` live in `@folio/sdk/node`).
 */
export { Folio, Folio as default, DEFAULT_BASE_URL, type ClientOptions } from './client.ts';
export type { RequestOptions } from './transport.ts';
export { APIPromise } from './api-promise.ts';
export { toFile, type Uploadable } from './uploads.ts';
export { chunkDocuments, type ChunkDocument, type ChunkMetadata } from './chunk-documents.ts';
export type { UploadParams } from './resources/upload.ts';
export type { JobDocument, WaitOptions } from './resources/job.ts';
export type { RunAndWaitOptions } from './resources/operations.ts';
export * from './errors.ts';
export type * from './types.ts';
