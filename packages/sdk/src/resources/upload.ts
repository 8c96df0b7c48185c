import { APIPromise } from '../api-promise.ts';
import { readBody, type RequestBody, type RequestOptions, type Transport } from '../transport.ts';
import type { Upload } from '../types.ts';
import { multipartFor, rawBodyFor, type Uploadable } from '../uploads.ts';

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

  /**
   * The presigned flow, for large files and object-store deployments: POST /upload without a
   * file returns `{file_id, presigned_url}`; the bytes are then PUT to that URL (streamed
   * when given a stream). Resolves with the `file_id` to use as `input`.
   */
  async createPresigned(params: UploadParams & { file: Uploadable }, options?: RequestOptions): Promise<Upload> {
    const body = await rawBodyFor(params.file);
    const extension = params.extension ?? extensionOf(params.filename ?? body.filename);
    const upload = await this.create({ extension }, options);
    if (!upload.presigned_url) throw new TypeError('The server returned no presigned_url for a file-less upload');
    const put = await this.transport.fetchResponse({ method: 'PUT', path: upload.presigned_url, body }, options);
    await put.body?.cancel();
    return { ...upload, presigned_url: null };
  }

  /** DELETE /upload/{file_id}; accepts the `reducto://…` id or the bare id. */
  delete(fileId: string | Upload, options?: RequestOptions): APIPromise<{ file_id: string; [key: string]: unknown }> {
    const id = typeof fileId === 'string' ? fileId : fileId.file_id;
    return this.transport.request({ method: 'DELETE', path: `/upload/${encodeURIComponent(id)}` }, options);
  }
}

function extensionOf(name: string | undefined): string | undefined {
  const m = name ? /\.([A-Za-z0-9]{1,8})$/.exec(name) : null;
  return m ? m[1].toLowerCase() : undefined;
}
