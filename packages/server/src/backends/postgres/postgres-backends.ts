import { join } from 'node:path';
import { registerBackend, type Backends } from '../backends.ts';
import type { ServerConfig } from '../../config.ts';
import { PgDatabase } from './pg-database.ts';
import { PgJobEventBus } from './pg-events.ts';
import { PgJobStore } from './pg-job-store.ts';
import { PgQueue } from './pg-queue.ts';
import { migrate } from './pg-schema.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { FsBlobStore } from '../embedded/fs-blob-store.ts';
import { S3BlobStore, s3ConfigFromEnv } from './s3-blob-store.ts';
import type { UrlSigner } from '../../storage/url-signer.ts';
import { WebhookOutbox } from '../../webhooks/webhook-outbox.ts';

/**
 * The distributed deployment: job rows, uploads and the outbox in PostgreSQL
 * (FOLIO_DATABASE_URL, schema FOLIO_DATABASE_SCHEMA), dispatch through pg-boss, events over
 * LISTEN/NOTIFY, blobs in S3 (FOLIO_BLOB_STORE=s3://bucket/prefix). Large PDFs fan out by
 * page range through the workers' FanoutCoordinator, each part cut into an upload of its
 * own. Every API and worker process builds the same Backends from the same environment.
 */
export async function createDistributedBackends(config: ServerConfig, signer: UrlSigner, env: NodeJS.ProcessEnv = process.env): Promise<Backends> {
  if (!config.databaseUrl) throw new Error('FOLIO_DATABASE_URL is required for the distributed backend');
  const schema = env.FOLIO_DATABASE_SCHEMA ?? 'folio';
  const db = new PgDatabase(config.databaseUrl, schema, {
    max: Number(env.FOLIO_DATABASE_POOL ?? 10),
    applicationName: config.api ? 'folio-api' : 'folio-worker',
  });
  let blobs: BlobStore;
  if (config.blobStore.startsWith('s3://')) blobs = new S3BlobStore(s3ConfigFromEnv(config.blobStore, env));
  else if (config.blobStore === 'fs') blobs = new FsBlobStore(join(config.dataDir, 'blobs'), signer); // one machine only
  else throw new Error(`FOLIO_BLOB_STORE must be "fs" or s3://bucket/prefix, got ${config.blobStore}`);

  await migrate(db);
  // pg-boss's own expiry is only a safety net behind Folio's leases: never before a job could time out.
  const queue = new PgQueue(db, Math.max(config.jobTimeoutS * config.maxAttempts + 600, 3600));
  await queue.start();
  const store = new PgJobStore(db, queue);
  const events = new PgJobEventBus(db);
  await events.ready();
  const backends: Backends = {
    jobs: store,
    queue: store,
    parts: store,
    uploads: store.uploads,
    blobs,
    events,
    signer,
    async close() {
      await outbox.stop();
      await events.close();
      await queue.stop();
      if (blobs instanceof S3BlobStore) blobs.close();
      await db.close();
    },
  };
  const outbox = new WebhookOutbox(store, config);
  outbox.start();
  return backends;
}

registerBackend('postgres', (config, signer) => createDistributedBackends(config, signer));
