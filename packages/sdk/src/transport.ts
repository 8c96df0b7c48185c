import { APIPromise } from './api-promise.ts';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from './errors.ts';

export type QueryValue = string | number | boolean | null | undefined;

/** Per-request knobs, accepted as the last argument of every SDK method. */
export interface RequestOptions {
  /** Abort the request (and any retries) with this signal. */
  signal?: AbortSignal;
  /** Milliseconds before one attempt is abandoned (retried if retries remain). */
  timeout?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Extra query parameters for this call. */
  query?: Record<string, QueryValue>;
}

/**
 * What a request sends. `replayable: false` marks a body that can be read only once
 * (a stream): such a request is never retried, since the second attempt would send nothing.
 */
export interface RequestBody {
  make: () => BodyInit;
  contentType?: string;
  replayable: boolean;
}

export interface TransportConfig {
  baseURL: string;
  apiKey: string | null;
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  defaultHeaders: Record<string, string>;
}

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: RequestBody;
  /** Accept header; JSON unless told otherwise. */
  accept?: string;
}

export function jsonBody(value: unknown): RequestBody {
  const text = JSON.stringify(value ?? {});
  return { make: () => text, contentType: 'application/json', replayable: true };
}

const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8000;

/**
 * The HTTP core: one fetch per attempt, retries with exponential backoff and jitter on
 * connection errors, 408, 409, 429 and 5xx (the same set as reductoai), honouring
 * `retry-after-ms` / `retry-after` and `x-should-retry`.
 */
export class Transport {
  constructor(readonly config: TransportConfig) {}

  url(path: string, query?: Record<string, QueryValue>): string {
    const base = this.config.baseURL.replace(/\/+$/, '');
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(base + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      // Like reductoai: undefined is dropped, null is sent empty.
      if (value === undefined) continue;
      url.searchParams.set(key, value === null ? '' : String(value));
    }
    return url.toString();
  }

  /** Auth header only goes to our own server, never to a presigned URL elsewhere. */
  private headersFor(url: string, req: Request, options: RequestOptions, retryCount: number): Record<string, string> {
    const headers: Record<string, string> = {
      accept: req.accept ?? 'application/json',
      'x-folio-retry-count': String(retryCount),
      ...this.config.defaultHeaders,
    };
    if (this.config.apiKey && new URL(url).origin === new URL(this.config.baseURL).origin) {
      headers.authorization = `Bearer ${this.config.apiKey}`;
    }
    if (req.body?.contentType) headers['content-type'] = req.body.contentType;
    return { ...headers, ...options.headers };
  }

  /** A call whose awaited value is the parsed body (JSON, text, or null for 204). */
  request<T>(req: Request, options: RequestOptions = {}): APIPromise<T> {
    return new APIPromise(this.fetchResponse(req, options), readBody as (response: Response) => Promise<T>);
  }

  /** The successful response, body unread, after retries; throws the typed error otherwise. */
  async fetchResponse(req: Request, options: RequestOptions = {}): Promise<Response> {
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    const timeout = options.timeout ?? this.config.timeout;
    const url = this.url(req.path, { ...req.query, ...options.query });
    const canRetry = req.body?.replayable !== false;

    for (let attempt = 0; ; attempt++) {
      const retriesLeft = canRetry ? maxRetries - attempt : 0;
      if (options.signal?.aborted) throw new APIUserAbortError();

      const controller = new AbortController();
      const onAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);

      let response: Response;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method: req.method,
          headers: this.headersFor(url, req, options, attempt),
          signal: controller.signal,
        };
        if (req.body) {
          init.body = req.body.make();
          // Node's fetch needs this to send a ReadableStream body.
          if (!req.body.replayable) init.duplex = 'half';
        }
        response = await this.config.fetch.call(globalThis, url, init);
      } catch (cause) {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (options.signal?.aborted) throw new APIUserAbortError();
        const error = timedOut ? new APIConnectionTimeoutError() : new APIConnectionError({ cause });
        if (retriesLeft > 0) {
          await sleep(defaultDelay(attempt), options.signal);
          continue;
        }
        throw error;
      }
      // The body is read later by the caller (parsed, or streamed), so keep the timeout off it.
      clearTimeout(timer);

      if (!response.ok) {
        options.signal?.removeEventListener('abort', onAbort);
        if (retriesLeft > 0 && shouldRetry(response)) {
          await response.body?.cancel().catch(() => undefined);
          await sleep(retryDelay(response.headers, attempt), options.signal);
          continue;
        }
        const body = await readBody(response).catch(() => undefined);
        throw APIError.generate(response.status, body, undefined, headersObject(response.headers));
      }
      return response;
    }
  }
}

function shouldRetry(response: Response): boolean {
  const explicit = response.headers.get('x-should-retry');
  if (explicit === 'true') return true;
  if (explicit === 'false') return false;
  const s = response.status;
  return s === 408 || s === 409 || s === 429 || s >= 500;
}

/** Server-given delay when it says one (retry-after-ms, then retry-after seconds or date), else backoff. */
export function retryDelay(headers: Headers, attempt: number): number {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0 && ms < 60_000) return ms;
  const after = headers.get('retry-after');
  if (after) {
    const seconds = Number.parseFloat(after);
    const fromServer = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
    if (Number.isFinite(fromServer) && fromServer >= 0 && fromServer < 60_000) return fromServer;
  }
  return defaultDelay(attempt);
}

/** 0.5 s · 2^attempt, capped at 8 s, minus up to 25 % jitter so clients don't retry in lockstep. */
export function defaultDelay(attempt: number): number {
  const delay = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** attempt, MAX_RETRY_DELAY_MS);
  return delay * (1 - Math.random() * 0.25);
}

export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (text === '') return undefined;
  if (/application\/(.+\+)?json/i.test(type)) return JSON.parse(text);
  return text;
}

function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = value));
  return out;
}

/** Sleep that ends early (with APIUserAbortError) when the caller aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
