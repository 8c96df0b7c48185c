import { join } from 'node:path';
import { registerBackend, type Backends } from './backends.ts';
import type { ServerConfig } from './config.ts';
import { PgDatabase } from './jobs/pg-database.ts';
import { PgJobEventBus } from './jobs/pg-events.ts';
import { PgJobStore } from './jobs/pg-job-store.ts';
import { PgQueue } from './jobs/pg-queue.ts';
import { migrate } from './jobs/pg-schema.ts';
import type { BlobStore } from './storage/blob-store.ts';
import { FsBlobStore } from './storage/fs-blob-store.ts';
import { S3BlobStore, s3ConfigFromEnv } from './storage/s3-blob-store.ts';
import type { UrlSigner } from './storage/url-signer.ts';
import { WebhookOutbox } from './webhooks/webhook-outbox.ts';
import { fullResponseOf, loadInput, uploadRef } from './input/input-ref.ts';
import { buildJobResponse } from './jobs/job-response.ts';
import { cutPdf, openPdf, partUploadId } from './jobs/fanout.ts';

/**
 * The distributed deployment: job rows, uploads and the outbox in PostgreSQL
 * (FOLIO_DATABASE_URL, schema FOLIO_DATABASE_SCHEMA), dispatch through pg-boss, events over
 * LISTEN/NOTIFY, blobs in S3 (FOLIO_BLOB_STORE=s3://bucket/prefix), large PDFs fanned out
 * by page range. Every API and worker process builds the same Backends from the same
 * environment.
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
  // Fan-out of large parses across workers (FOLIO_FANOUT_PAGES pages per part; 0 = off).
  store.partAttempts = config.maxAttempts;
  store.fanout = {
    pagesPerPart: Number(env.FOLIO_FANOUT_PAGES ?? 50),
    prepare: async (job) => {
      const input = await loadInput(job.input.ref, job.owner, backends, config);
      const doc = await openPdf(input.bytes);
      if (!doc) return null;
      return {
        pages: doc.getPageCount(),
        cut: async (span, part) => {
          const bytes = await cutPdf(doc, span);
          const id = partUploadId(job.id, part);
          const blobKey = `parts/${job.id}/${id}`;
          await backends.blobs.put(blobKey, bytes);
          const now = Date.now();
          await backends.uploads.delete(id, job.owner); // left by an attempt whose worker died
          await backends.uploads.create({ id, owner: job.owner, filename: id, size: bytes.length, blobKey, createdAt: now, expiresAt: now + 7 * 24 * 3600 * 1000 });
          return uploadRef(id);
        },
      };
    },
    cleanup: (jobId) => backends.blobs.deletePrefix(`parts/${jobId}/`),
    resolvePart: (response) => fullResponseOf(response, backends),
    finalize: (job, merged, numPages, totalPages, duration) => {
      const { job_id: _part, duration: _partDuration, ...response } = merged;
      return buildJobResponse(job, { response, numPages, totalPages }, duration, backends, config);
    },
    queued: () => events.notifyQueued(),
    changed: (jobId, status, progress) => events.publish({ jobId, status, progress }),
  };
  const outbox = new WebhookOutbox(store, config);
  outbox.start();
  return backends;
}

registerBackend('postgres', (config, signer) => createDistributedBackends(config, signer));
