import { APIPromise } from '../api-promise.ts';
import { readBody, type RequestBody, type RequestOptions, type Transport } from '../transport.ts';
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
  create(params: UploadParams = {}, options?: RequestOptions): APIPromise<Upload> {
    const query = { extension: params.extension };
    const file = params.file;
    // No file: the presigned flow (the response carries a URL to PUT the bytes to).
    const body = file === undefined || file === null
      ? Promise.resolve<RequestBody>({ make: () => '{}', contentType: 'application/json', replayable: true })
      : multipartFor(file, params.filename);
    const response = body.then((b) => this.transport.fetchResponse({ method: 'POST', path: '/upload', query, body: b }, options));
    return new APIPromise(response, readBody as (r: Response) => Promise<Upload>);
  }

  /** DELETE /upload/{file_id}; accepts the `reducto://…` id or the bare id. */
  delete(fileId: string | Upload, options?: RequestOptions): APIPromise<{ file_id: string; [key: string]: unknown }> {
    const id = typeof fileId === 'string' ? fileId : fileId.file_id;
    return this.transport.request({ method: 'DELETE', path: `/upload/${encodeURIComponent(id)}` }, options);
  }
}
