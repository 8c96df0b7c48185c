import type { RequestOptions, Transport } from '../transport.ts';
import type { Upload } from '../types.ts';
import { multipartFor, type Uploadable } from '../uploads.ts';

export interface UploadParams {
  /** The document: File, Blob, bytes, Response, stream, or (Node) a path. Omit for a presigned upload. */
  file?: Uploadable | null;
  /** Extension hint such as "pdf" (sent as `?extension=`). */
  extension?: string | null;
  /** File name sent with bytes or a stream (defaults to the File's or stream's own name). */
  filename?: string;
}

export class UploadResource {
  constructor(private readonly transport: Transport) {}

  /** POST /upload; returns `{file_id: "reducto://…"}` to pass as `input`. */
  async create(params: UploadParams = {}, options?: RequestOptions): Promise<Upload> {
    const query = { extension: params.extension };
    if (params.file === undefined || params.file === null) {
      return this.transport.request({ method: 'POST', path: '/upload', query, body: { make: () => '{}', contentType: 'application/json', replayable: true } }, options);
    }
    const body = await multipartFor(params.file, params.filename);
    return this.transport.request({ method: 'POST', path: '/upload', query, body }, options);
  }

  /** DELETE /upload/{file_id}; accepts the `reducto://…` id or the bare id. */
  delete(fileId: string | Upload, options?: RequestOptions): Promise<{ file_id: string; [key: string]: unknown }> {
    const id = typeof fileId === 'string' ? fileId : fileId.file_id;
    return this.transport.request({ method: 'DELETE', path: `/upload/${encodeURIComponent(id)}` }, options);
  }
}
