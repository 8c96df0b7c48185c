/** Metadata of an uploaded document; the bytes live in the BlobStore under `blobKey`. */
export interface Upload {
  /** The bare id; the wire form is `reducto://<id>` (the id may end in `.ext`). */
  id: string;
  owner: string;
  filename: string | null;
  /** Null until the bytes arrive (presigned flow). */
  size: number | null;
  blobKey: string;
  createdAt: number;
  expiresAt: number | null;
}

/** Upload rows. Async for the same reason as JobStore; reads are scoped to an owner. */
export interface UploadStore {
  create(upload: Upload): Promise<void>;
  /** The upload, or null when unknown or owned by someone else (owner omitted = any). */
  get(id: string, owner?: string): Promise<Upload | null>;
  /** Record the size once the bytes are stored (presigned PUT). */
  setSize(id: string, size: number): Promise<void>;
  /** Remove the row; returns it (so the caller deletes the blob) or null. */
  delete(id: string, owner: string): Promise<Upload | null>;
  /**
   * Remove up to `limit` uploads that expired before `now` and return them (the caller
   * deletes their blobs). Two sweepers at once never get the same upload.
   */
  deleteExpired(now: number, limit: number): Promise<Upload[]>;
}
