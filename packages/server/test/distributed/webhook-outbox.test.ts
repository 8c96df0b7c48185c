import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';
import { PgDatabase } from '../../src/backends/postgres/pg-database.ts';
import { PgJobStore } from '../../src/backends/postgres/pg-job-store.ts';
import { PgQueue } from '../../src/backends/postgres/pg-queue.ts';
import { migrate } from '../../src/backends/postgres/pg-schema.ts';
import { WEBHOOK_ATTEMPT_MS } from '../../src/webhooks/outbox-claim.ts';
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
  store = new PgJobStore(db, queue);
  hooks = await WebhookReceiver.start();
  const config = configFromEnv({}, { webhookAttempts: 2, webhookBackoffMs: 10 });
  // Two processes' sweepers racing for the same rows.
  outboxes = [new WebhookOutbox(store, config), new WebhookOutbox(store, config)];
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
  // The finishing process recorded a failed first attempt and will retry (its claim extended past the backoff).
  const at = Date.now() + 30_000;
  await store.recordWebhookAttempt({ jobId: id, url: hooks.url, attempt: 1, statusCode: 503, error: 'HTTP 503', at }, at + 10 + WEBHOOK_ATTEMPT_MS);
  expect(await outboxes[0].sweep(Date.now() + 40_000)).toEqual([]);
});

it('a resumed delivery skips nothing and repeats nothing: attempt numbers continue from the recorded ones', async () => {
  const id = await finishedJob();
  // The finishing process failed once, then died during the backoff.
  await store.recordWebhookAttempt({ jobId: id, url: hooks.url, attempt: 1, statusCode: 503, error: 'HTTP 503', at: Date.now() }, Date.now() + 100);
  expect(await outboxes[1].sweep(Date.now() + 60_000)).toContain(id); // with the previous test's row
  await expect.poll(() => hooks.for(id)).toEqual(['Completed']);
  await expect.poll(async () => (await store.webhookAttempts(id)).map((a) => [a.attempt, a.statusCode])).toEqual([[1, 503], [2, 204]]);
});

it('cancel owes the webhook too, announced as Failed, delivered by the cancelling process', async () => {
  // A process of its own (store + started outbox), so the sweepers above stay idle.
  const api = new PgJobStore(db, queue);
  const outbox = new WebhookOutbox(api, configFromEnv({}, { webhookAttempts: 2, webhookBackoffMs: 10 }));
  outbox.start();
  try {
    const id = randomUUID();
    await api.create({
      id, owner: 'o', type: 'Parse', rawConfig: '{}', config: {}, input: { ref: 'reducto://x' }, priority: 0, timeoutS: null,
      idempotencyKey: null, webhook: { mode: 'direct', url: hooks.url }, metadata: 'm', createdAt: Date.now(),
    });
    expect((await api.cancel(id, 'o'))?.status).toBe('Cancelled');
    await expect.poll(() => hooks.received.filter((w) => w.job_id === id)).toEqual([{ status: 'Failed', job_id: id, metadata: 'm' }]);
    await expect.poll(async () => (await db.query(`SELECT status, delivered_at FROM ${schema}.webhook_outbox WHERE job_id = $1`, [id])).rows[0]?.delivered_at).not.toBeNull();
    // Cancelling again changes nothing and owes nothing.
    await api.cancel(id, 'o');
    expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.webhook_outbox WHERE job_id = $1`, [id])).rows[0].n).toBe(1);
  } finally {
    await outbox.stop();
  }
});
