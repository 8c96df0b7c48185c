import type { APIPromise } from '../api-promise.ts';
import { jsonBody, type RequestOptions, type Transport } from '../transport.ts';
import type {
  AsyncJobResponse, ClassifyResponse, ClassifyRunParams, EditResponse, EditRunJobParams, EditRunParams,
  ExtractResponse, ExtractRunJobParams, ExtractRunParams, ParseResponse, ParseRunJobParams, ParseRunParams,
  ParseRunResponse, PipelineResponse, PipelineRunJobParams, PipelineRunParams, SplitResponse, SplitRunJobParams,
  SplitRunParams,
} from '../types.ts';
import type { JobResource, WaitOptions } from './job.ts';
import { fetchUrlResult } from '../url-result.ts';

export type RunAndWaitOptions = WaitOptions & Pick<RequestOptions, 'headers' | 'maxRetries'>;

/** A key that stays the same across the retries of one call, so a retried submit makes one job. */
function idempotencyKey(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `folio-sdk-${random}`;
}

/** The operations of the API: each has a synchronous `run` and (except classify) an async `runJob`. */
abstract class Operation {
  constructor(protected readonly transport: Transport, protected readonly job: JobResource) {}

  protected post<T>(path: string, body: unknown, options?: RequestOptions): APIPromise<T> {
    return this.transport.request<T>({ method: 'POST', path, body: jsonBody(body) }, options);
  }

  /** Async submit. Sends an Idempotency-Key (unless given) so retries never queue a job twice. */
  protected submit(path: string, body: unknown, options: RequestOptions = {}): APIPromise<AsyncJobResponse> {
    const given = Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');
    const headers = given ? options.headers : { ...options.headers, 'idempotency-key': idempotencyKey() };
    return this.post(path, body, { ...options, headers });
  }

  /** Submit, wait with `job.wait`, and return the operation's response with a URL result fetched. */
  protected async submitAndWait<R>(path: string, body: unknown, options: RunAndWaitOptions): Promise<R> {
    const { job_id } = await this.submit(path, body, { signal: options.signal, headers: options.headers, maxRetries: options.maxRetries });
    const job = await this.job.wait(job_id, options);
    return fetchUrlResult(this.transport, job.result as R, { signal: options.signal });
  }
}

export class ParseResource extends Operation {
  run(body: ParseRunParams, options?: RequestOptions): APIPromise<ParseRunResponse> {
    return this.post('/parse', body, options);
  }
  runJob(body: ParseRunJobParams, options?: RequestOptions): APIPromise<AsyncJobResponse> {
    return this.submit('/parse_async', body, options);
  }
  /**
   * Submit an async parse, wait for it (progress, cancel and failure as in `job.wait`) and
   * return the parse response with a URL result already fetched — the polling loop users
   * otherwise write by hand.
   */
  runAndWait(body: ParseRunJobParams, options: RunAndWaitOptions = {}): Promise<ParseResponse> {
    return this.submitAndWait('/parse_async', body, options);
  }
}

export class ExtractResource extends Operation {
  run(body: ExtractRunParams, options?: RequestOptions): APIPromise<ExtractResponse | AsyncJobResponse> {
    return this.post('/extract', body, options);
  }
  runJob(body: ExtractRunJobParams, options?: RequestOptions): APIPromise<AsyncJobResponse> {
    return this.submit('/extract_async', body, options);
  }
  runAndWait(body: ExtractRunJobParams, options: RunAndWaitOptions = {}): Promise<ExtractResponse> {
    return this.submitAndWait('/extract_async', body, options);
  }
}

export class SplitResource extends Operation {
  run(body: SplitRunParams, options?: RequestOptions): APIPromise<SplitResponse> {
    return this.post('/split', body, options);
  }
  runJob(body: SplitRunJobParams, options?: RequestOptions): APIPromise<AsyncJobResponse> {
    return this.submit('/split_async', body, options);
  }
  runAndWait(body: SplitRunJobParams, options: RunAndWaitOptions = {}): Promise<SplitResponse> {
    return this.submitAndWait('/split_async', body, options);
  }
}

export class ClassifyResource extends Operation {
  run(body: ClassifyRunParams, options?: RequestOptions): APIPromise<ClassifyResponse> {
    return this.post('/classify', body, options);
  }
}

export class EditResource extends Operation {
  run(body: EditRunParams, options?: RequestOptions): APIPromise<EditResponse> {
    return this.post('/edit', body, options);
  }
  runJob(body: EditRunJobParams, options?: RequestOptions): APIPromise<AsyncJobResponse> {
    return this.submit('/edit_async', body, options);
  }
  runAndWait(body: EditRunJobParams, options: RunAndWaitOptions = {}): Promise<EditResponse> {
    return this.submitAndWait('/edit_async', body, options);
  }
}

export class PipelineResource extends Operation {
  run(body: PipelineRunParams, options?: RequestOptions): APIPromise<PipelineResponse> {
    return this.post('/pipeline', body, options);
  }
  runJob(body: PipelineRunJobParams, options?: RequestOptions): APIPromise<AsyncJobResponse> {
    return this.submit('/pipeline_async', body, options);
  }
  runAndWait(body: PipelineRunJobParams, options: RunAndWaitOptions = {}): Promise<PipelineResponse> {
    return this.submitAndWait('/pipeline_async', body, options);
  }
}

export class WebhookResource {
  constructor(private readonly transport: Transport) {}
  /** POST /configure_webhook: returns the URL of the webhook portal. */
  run(options?: RequestOptions): APIPromise<string> {
    return this.transport.request<string>({ method: 'POST', path: '/configure_webhook' }, options);
  }
}
