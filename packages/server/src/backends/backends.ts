import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from '../config.ts';
import { LocalJobEventBus, type JobEventBus } from '../jobs/events.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { PartStore } from '../jobs/part-store.ts';
import { SqliteStore } from './embedded/sqlite-store.ts';
import type { JobStore } from '../jobs/store.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { FsBlobStore } from './embedded/fs-blob-store.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { UrlSigner } from '../storage/url-signer.ts';
import { WebhookOutbox } from '../webhooks/webhook-outbox.ts';

/** Every storage dependency of the server and workers; one deployment = one Backends. */
export interface Backends {
  jobs: JobStore;
  queue: JobQueue;
  /** Fan-out parts of large parses (the same store as `queue`). */
  parts: PartStore;
  uploads: UploadStore;
  blobs: BlobStore;
  events: JobEventBus;
  signer: UrlSigner;
  close(): Promise<void>;
}

/** A factory for a non-default backend, registered by another module (e.g. PostgreSQL + S3). */
export type BackendFactory = (config: ServerConfig, signer: UrlSigner) => Promise<Backends>;

const factories = new Map<string, BackendFactory>();

/**
 * Plug in a backend: `name` is matched against the scheme of FOLIO_DATABASE_URL
 * ("postgres") — the distributed deployment registers itself here.
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  factories.set(name, factory);
}

/** The secret that signs Folio's URLs: FOLIO_SIGNING_SECRET, else one kept in the data dir. */
function signingSecret(dataDir: string): string {
  if (process.env.FOLIO_SIGNING_SECRET) return process.env.FOLIO_SIGNING_SECRET;
  const file = join(dataDir, 'signing-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return readFileSync(file, 'utf8').trim();
  }
}

export function publicUrlOf(config: ServerConfig): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** Choose the backends from config, in one place. */
export async function createBackends(config: ServerConfig): Promise<Backends> {
  mkdirSync(config.dataDir, { recursive: true });
  const signer = new UrlSigner(signingSecret(config.dataDir), () => publicUrlOf(config));
  if (config.databaseUrl) {
    const scheme = new URL(config.databaseUrl).protocol.replace(/:$/, '').replace(/ql$/, '');
    // The distributed backend registers itself when loaded; load it only when asked for.
    if (!factories.has('postgres')) await import('./postgres/postgres-backends.ts');
    const factory = factories.get(scheme) ?? factories.get('postgres');
    if (!factory) throw new Error(`No backend registered for ${scheme} (FOLIO_DATABASE_URL)`);
    return factory(config, signer);
  }
  if (config.blobStore !== 'fs') throw new Error(`FOLIO_BLOB_STORE=${config.blobStore} needs FOLIO_DATABASE_URL (distributed deployment)`);
  const store = new SqliteStore(join(config.dataDir, 'folio.db'));
  const events = new LocalJobEventBus();
  // Webhooks owed by the store, including those a crashed run left undelivered.
  const outbox = new WebhookOutbox(store, config);
  outbox.start();
  return {
    jobs: store,
    queue: store,
    parts: store,
    uploads: store.uploads,
    blobs: new FsBlobStore(join(config.dataDir, 'blobs'), signer),
    events,
    signer,
    async close() {
      await outbox.stop();
      await events.close();
      store.close();
    },
  };
}
