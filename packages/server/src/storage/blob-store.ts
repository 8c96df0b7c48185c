import type { Readable } from 'node:stream';

/**
 * Binary objects: uploaded documents, large results, images of parsed pages. Keys are
 * slash-separated paths chosen by the server (`uploads/<id>`, `results/<id>.json`,
 * `images/<jobId>/<key>.png`); the file extension of a key names its content type.
 */
export interface BlobStore {
  /** Store bytes under key, replacing any previous object. Resolves once durable. */
  put(key: string, data: Uint8Array | Readable, options?: { maxBytes?: number }): Promise<{ size: number }>;
  /** The whole object, or null when absent. */
  get(key: string): Promise<Uint8Array | null>;
  /** A stream of the object, or null when absent. */
  stream(key: string): Promise<{ body: Readable; size: number } | null>;
  /** Remove an object (no error when absent). */
  delete(key: string): Promise<void>;
  /** Remove every object whose key starts with prefix. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A URL that serves the object without an API key until `ttlS` seconds from now.
   * The filesystem store signs Folio's own /blobs route; an S3 store presigns.
   */
  signedUrl(key: string, ttlS: number): Promise<string>;
}

/** Raised by BlobStore.put when the data exceeds `maxBytes`. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The document is larger than ${Math.round(maxBytes / 1e6)} MB`);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  webp: 'image/webp', pdf: 'application/pdf', txt: 'text/plain; charset=utf-8',
};

/** Content type of a blob from its key's extension. */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
