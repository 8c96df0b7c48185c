import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseWebhookEndpoints, type WebhookEndpoint } from './webhooks/webhook-endpoints.ts';

/** Everything the server reads from the environment, in one place (README has the table). */
export interface ServerConfig {
  host: string;
  port: number;
  /** Base of the URLs Folio signs (result/image/presigned upload URLs). */
  publicUrl: string | null;
  dataDir: string;
  /** Empty = open server (any bearer accepted, one shared owner). */
  apiKeys: string[];
  /** Worker threads in this process; 0 = API only. */
  workers: number;
  /** Heap (MB) each worker thread may use; a document needing more fails alone (DOCUMENT_TOO_LARGE). */
  workerMemoryMb: number;
  /** Serve HTTP; false = a worker-only process. */
  api: boolean;
  /** PostgreSQL URL for the distributed backend (issue 8); unset = SQLite. */
  databaseUrl: string | null;
  /** 'fs' (default) or a value another blob backend recognises (e.g. 's3'). */
  blobStore: string;
  jobTimeoutS: number;
  leaseS: number;
  maxAttempts: number;
  maxUploadBytes: number;
  maxDownloadBytes: number;
  downloadTimeoutS: number;
  allowPrivateUrls: boolean;
  webhookSecret: string | null;
  /** Endpoints for `mode: "svix"` webhooks, each with its channel filter. */
  webhookEndpoints: WebhookEndpoint[];
  /** Delay before the first webhook retry; doubles each time. */
  webhookBackoffMs: number;
  webhookAttempts: number;
  /** Results above this size are served by URL. */
  urlResultBytes: number;
  /** Lifetime of signed URLs. */
  signedUrlTtlS: number;
  /** Finished jobs (and their results) are deleted this long after finishing; 0 = kept forever. */
  resultTtlH: number;
  /** Port of GET /metrics in a process without the HTTP API (`folio worker`); null = none. */
  metricsPort: number | null;
  /**
   * Pages per fan-out part of a large PDF parse, split before it is read (FOLIO_FANOUT_PAGES;
   * 0 = no fan-out). Null = the default: a PDF is read whole, and split once its reading shows
   * `fanoutMinRestMs` or more left.
   */
  fanoutPages: number | null;
  /**
   * Reading left at which a reading under way is split (FOLIO_FANOUT_MIN_REST_MS). Null = the
   * default, MIN_SPLIT_REST_MS; set, it also turns the embedded fan-out on with 2 cores.
   */
  fanoutMinRestMs: number | null;
  /** pino level of the JSON logs (job lifecycle at info; HTTP request logs at debug and below). */
  logLevel: string;
}

const num = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));
const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Config from environment variables, with overrides (tests, the CLI). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const config: ServerConfig = {
    host: env.HOST ?? '127.0.0.1',
    port: num(env.PORT, 8080),
    publicUrl: env.FOLIO_PUBLIC_URL ?? null,
    dataDir: resolve(env.FOLIO_DATA_DIR ?? './.folio'),
    apiKeys: list(env.FOLIO_API_KEYS),
    workers: num(env.FOLIO_WORKERS, availableParallelism()),
    workerMemoryMb: num(env.FOLIO_WORKER_MEMORY_MB, 2048),
    api: true,
    databaseUrl: env.FOLIO_DATABASE_URL ?? null,
    blobStore: env.FOLIO_BLOB_STORE ?? 'fs',
    jobTimeoutS: num(env.FOLIO_JOB_TIMEOUT_S, 900),
    leaseS: num(env.FOLIO_LEASE_S, 15),
    maxAttempts: num(env.FOLIO_MAX_ATTEMPTS, 3),
    maxUploadBytes: num(env.FOLIO_MAX_UPLOAD_MB, 100) * 1e6,
    maxDownloadBytes: num(env.FOLIO_MAX_DOWNLOAD_MB, 100) * 1e6,
    downloadTimeoutS: num(env.FOLIO_DOWNLOAD_TIMEOUT_S, 60),
    allowPrivateUrls: env.FOLIO_ALLOW_PRIVATE_URLS === '1',
    webhookSecret: env.FOLIO_WEBHOOK_SECRET ?? null,
    webhookEndpoints: parseWebhookEndpoints(env.FOLIO_WEBHOOK_ENDPOINTS),
    webhookBackoffMs: num(env.FOLIO_WEBHOOK_BACKOFF_MS, 1000),
    webhookAttempts: num(env.FOLIO_WEBHOOK_ATTEMPTS, 5),
    urlResultBytes: num(env.FOLIO_URL_RESULT_MB, 6) * 1e6,
    signedUrlTtlS: num(env.FOLIO_SIGNED_URL_TTL_S, 24 * 3600),
    resultTtlH: num(env.FOLIO_RESULT_TTL_H, 0),
    metricsPort: env.FOLIO_METRICS_PORT ? Number(env.FOLIO_METRICS_PORT) : null,
    logLevel: env.FOLIO_LOG_LEVEL || 'info',
    fanoutPages: env.FOLIO_FANOUT_PAGES ? Number(env.FOLIO_FANOUT_PAGES) : null,
    fanoutMinRestMs: env.FOLIO_FANOUT_MIN_REST_MS ? Number(env.FOLIO_FANOUT_MIN_REST_MS) : null,
    ...overrides,
  };
  return config;
}
