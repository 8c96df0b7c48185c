import { jsonBody, type RequestOptions, type Transport } from '../transport.ts';
import type {
  AsyncJobResponse, ClassifyResponse, ClassifyRunParams, EditResponse, EditRunJobParams, EditRunParams,
  ExtractResponse, ExtractRunJobParams, ExtractRunParams, ParseResponse, ParseRunJobParams, ParseRunParams,
  ParseRunResponse, PipelineResponse, PipelineRunJobParams, PipelineRunParams, SplitResponse, SplitRunJobParams,
  SplitRunParams,
} from '../types.ts';
import type { JobResource, WaitOptions } from './job.ts';
import { fetchUrlResult } from '../url-result.ts';

/** The operations of the API: each has a synchronous `run` and (except classify) an async `runJob`. */
abstract class Operation {
  constructor(protected readonly transport: Transport) {}
  protected post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.transport.request<T>({ method: 'POST', path, body: jsonBody(body) }, options);
  }
}

export class ParseResource extends Operation {
  constructor(transport: Transport, private readonly job: JobResource) {
    super(transport);
  }
  run(body: ParseRunParams, options?: RequestOptions): Promise<ParseRunResponse> {
    return this.post('/parse', body, options);
  }
  runJob(body: ParseRunJobParams, options?: RequestOptions): Promise<AsyncJobResponse> {
    return this.post('/parse_async', body, options);
  }
  /**
   * Submit an async parse, wait for it, and return the parse response with a URL result
   * already fetched — the polling loop users otherwise write by hand.
   */
  async runAndWait(body: ParseRunJobParams, options: WaitOptions & RequestOptions = {}): Promise<ParseResponse> {
    const { job_id } = await this.runJob(body, { signal: options.signal, headers: options.headers, maxRetries: options.maxRetries });
    const job = await this.job.wait(job_id, options);
    return fetchUrlResult(this.transport, job.result as ParseResponse, { signal: options.signal });
  }
}

export class ExtractResource extends Operation {
  run(body: ExtractRunParams, options?: RequestOptions): Promise<ExtractResponse | AsyncJobResponse> {
    return this.post('/extract', body, options);
  }
  runJob(body: ExtractRunJobParams, options?: RequestOptions): Promise<AsyncJobResponse> {
    return this.post('/extract_async', body, options);
  }
}

export class SplitResource extends Operation {
  run(body: SplitRunParams, options?: RequestOptions): Promise<SplitResponse> {
    return this.post('/split', body, options);
  }
  runJob(body: SplitRunJobParams, options?: RequestOptions): Promise<AsyncJobResponse> {
    return this.post('/split_async', body, options);
  }
}

export class ClassifyResource extends Operation {
  run(body: ClassifyRunParams, options?: RequestOptions): Promise<ClassifyResponse> {
    return this.post('/classify', body, options);
  }
}

export class EditResource extends Operation {
  run(body: EditRunParams, options?: RequestOptions): Promise<EditResponse> {
    return this.post('/edit', body, options);
  }
  runJob(body: EditRunJobParams, options?: RequestOptions): Promise<AsyncJobResponse> {
    return this.post('/edit_async', body, options);
  }
}

export class PipelineResource extends Operation {
  run(body: PipelineRunParams, options?: RequestOptions): Promise<PipelineResponse> {
    return this.post('/pipeline', body, options);
  }
  runJob(body: PipelineRunJobParams, options?: RequestOptions): Promise<AsyncJobResponse> {
    return this.post('/pipeline_async', body, options);
  }
}

export class WebhookResource extends Operation {
  /** POST /configure_webhook: returns the URL of the webhook portal. */
  run(options?: RequestOptions): Promise<string> {
    return this.transport.request<string>({ method: 'POST', path: '/configure_webhook' }, options);
  }
}
