import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Backends } from '../../src/backends.ts';
import { configFromEnv } from '../../src/config.ts';
import { PgDatabase } from '../../src/jobs/pg-database.ts';
import { PgJobStore } from '../../src/jobs/pg-job-store.ts';
import { PgQueue } from '../../src/jobs/pg-queue.ts';
import { migrate } from '../../src/jobs/pg-schema.ts';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './pg-test-db.ts';
import { WebhookReceiver } from './webhook-receiver.ts';

/**
 * The outbox covers a process that finished a job and died before delivering its webhook:
 * another process's sweep delivers it, exactly once, and leaves deliveries in progress alone.
 */
const schema = freshSchema();
let db: PgDatabase;
let queue: PgQueue;
let store: PgJobStore;
let hooks: WebhookReceiver;
let outboxes: WebhookOutbox[];

beforeAll(async () => {
  process.env.FOLIO_ALLOW_PRIVATE_WEBHOOKS = '1'; // the receiver is on 127.0.0.1
  db = new PgDatabase(TEST_DATABASE_URL, schema, { max: 4, applicationName: 'folio-outbox-test' });
  await migrate(db);
  queue = new PgQueue(db, 3600);
  await queue.start();
  store = new PgJobStore(db, queue, { attempts: 2, backoffMs: 10 });
  hooks = await WebhookReceiver.start();
  const config = configFromEnv({}, { webhookAttempts: 2, webhookBackoffMs: 10 });
  const backends = { jobs: store } as unknown as Backends;
  // Two processes' sweepers racing for the same rows.
  outboxes = [new WebhookOutbox(db, backends, config), new WebhookOutbox(db, backends, config)];
});

afterAll(async () => {
  await queue?.stop();
  await db?.close();
  await hooks?.close();
  await dropSchema(schema);
});

const finishedJob = async (): Promise<string> => {
  const id = randomUUID();
  await store.create({
    id, owner: 'o', type: 'Parse', rawConfig: '{}', config: {}, input: { ref: 'reducto://x' }, priority: 0, timeoutS: null,
    idempotencyKey: null, webhook: { mode: 'direct', url: hooks.url }, metadata: { order: 7 }, createdAt: Date.now(),
  });
  const claimed = await store.claim('w', 10_000);
  expect(claimed?.id).toBe(id);
  expect(await store.complete(id, 'w', { result: {}, numPages: 1, totalPages: 1, duration: 0 })).toBe(true);
  return id;
};

it('delivers an abandoned webhook once, from whichever process sweeps first', async () => {
  const id = await finishedJob();
  // Too early: the finishing process may still be delivering.
  expect(await outboxes[0].sweep(Date.now())).toEqual([]);
  const later = Date.now() + 60_000;
  const swept = await Promise.all(outboxes.map((o) => o.sweep(later)));
  expect(swept.flat()).toEqual([id]);
  await expect.poll(() => hooks.for(id)).toEqual(['Completed']);
  expect(hooks.received.find((w) => w.job_id === id)?.metadata).toEqual({ order: 7 });
  await expect.poll(async () => (await db.query(`SELECT delivered_at FROM ${schema}.webhook_outbox WHERE job_id = $1`, [id])).rows[0].delivered_at).not.toBeNull();
  expect((await Promise.all(outboxes.map((o) => o.sweep(later + 60_000)))).flat()).toEqual([]);
  expect(hooks.for(id)).toEqual(['Completed']);
});

it('leaves alone a delivery that its sender is still retrying', async () => {
  const id = await finishedJob();
  // The finishing process recorded a failed first attempt and will retry.
  await store.recordWebhookAttempt({ jobId: id, url: hooks.url, attempt: 1, statusCode: 503, error: 'HTTP 503', at: Date.now() + 30_000 });
  expect(await outboxes[0].sweep(Date.now() + 40_000)).toEqual([]);
});
