import type { APIPromise } from './api-promise.ts';
import { Transport, type RequestOptions } from './transport.ts';
import { JobResource } from './resources/job.ts';
import { UploadResource, type UploadParams } from './resources/upload.ts';
import {
  ClassifyResource, EditResource, ExtractResource, ParseResource, PipelineResource, SplitResource, WebhookResource,
} from './resources/operations.ts';
import { fetchUrlResult } from './url-result.ts';
import type { Upload } from './types.ts';

export interface ClientOptions {
  /** Bearer token; defaults to FOLIO_API_KEY (then REDUCTO_API_KEY). A server without auth needs none. */
  apiKey?: string | null;
  /** Defaults to FOLIO_BASE_URL (then REDUCTO_BASE_URL), else http://127.0.0.1:8080. */
  baseURL?: string | null;
  /** Per-attempt timeout in ms (default 1 hour, like reductoai: sync parses can be long). */
  timeout?: number;
  /** Retries on connection errors, 408, 409, 429 and 5xx (default 2). */
  maxRetries?: number;
  /** A fetch implementation; defaults to the global one. */
  fetch?: typeof fetch;
  defaultHeaders?: Record<string, string>;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

function env(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[name]?.trim() || undefined;
}

/** The Folio client: the `reductoai` 0.16 surface plus helpers for waiting, paging and events. */
export class Folio {
  readonly baseURL: string;
  readonly apiKey: string | null;
  readonly parse: ParseResource;
  readonly extract: ExtractResource;
  readonly split: SplitResource;
  readonly classify: ClassifyResource;
  readonly edit: EditResource;
  readonly pipeline: PipelineResource;
  readonly job: JobResource;
  readonly uploads: UploadResource;
  readonly webhook: WebhookResource;
  private readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    // REDUCTO_* are read too, so a script written for reductoai runs after changing the import.
    this.baseURL = options.baseURL ?? env('FOLIO_BASE_URL') ?? env('REDUCTO_BASE_URL') ?? DEFAULT_BASE_URL;
    this.apiKey = options.apiKey === undefined ? env('FOLIO_API_KEY') ?? env('REDUCTO_API_KEY') ?? null : options.apiKey;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (!fetchImpl) throw new Error('No fetch implementation: pass `fetch` in the client options');
    this.transport = new Transport({
      baseURL: this.baseURL,
      apiKey: this.apiKey,
      timeout: options.timeout ?? 60 * 60 * 1000,
      maxRetries: options.maxRetries ?? 2,
      fetch: fetchImpl,
      defaultHeaders: options.defaultHeaders ?? {},
    });
    this.job = new JobResource(this.transport);
    this.parse = new ParseResource(this.transport, this.job);
    this.extract = new ExtractResource(this.transport, this.job);
    this.split = new SplitResource(this.transport, this.job);
    this.classify = new ClassifyResource(this.transport, this.job);
    this.edit = new EditResource(this.transport, this.job);
    this.pipeline = new PipelineResource(this.transport, this.job);
    this.uploads = new UploadResource(this.transport);
    this.webhook = new WebhookResource(this.transport);
  }

  /** POST /upload (reductoai's top-level `client.upload`). */
  upload(params: UploadParams = {}, options?: RequestOptions): APIPromise<Upload> {
    return this.uploads.create(params, options);
  }

  /** GET /version. */
  apiVersion(options?: RequestOptions): APIPromise<string> {
    return this.transport.request({ method: 'GET', path: '/version' }, options);
  }

  /** Replace a `{type: "url"}` result by the full result it points to (no-op otherwise). */
  fetchUrlResult<T>(response: T, options?: RequestOptions): Promise<T> {
    return fetchUrlResult(this.transport, response, options);
  }

  /** Raw calls for routes the SDK has no method for. */
  get<T = unknown>(path: string, options?: RequestOptions): APIPromise<T> {
    return this.transport.request({ method: 'GET', path }, options);
  }
  post<T = unknown>(path: string, body?: unknown, options?: RequestOptions): APIPromise<T> {
    const text = JSON.stringify(body ?? {});
    return this.transport.request({ method: 'POST', path, body: { make: () => text, contentType: 'application/json', replayable: true } }, options);
  }
}
