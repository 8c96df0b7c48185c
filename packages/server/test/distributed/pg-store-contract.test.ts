import { afterAll } from 'vitest';
import { PgDatabase } from '../../src/backends/postgres/pg-database.ts';
import { PgJobStore } from '../../src/backends/postgres/pg-job-store.ts';
import { PgQueue } from '../../src/backends/postgres/pg-queue.ts';
import { migrate } from '../../src/backends/postgres/pg-schema.ts';
import { describeStoreContract } from '../store-contract.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './pg-test-db.ts';

/**
 * The store contract on the real PostgreSQL, with the pg-boss queue, in a fresh schema for
 * this run. Each case starts from empty tables and an empty queue (installing pg-boss per
 * case would cost seconds each).
 */
const schema = freshSchema('folio_c');
let node: Promise<{ db: PgDatabase; queue: PgQueue }> | null = null;

async function start(): Promise<{ db: PgDatabase; queue: PgQueue }> {
  const db = new PgDatabase(TEST_DATABASE_URL, schema, { max: 6, applicationName: `folio-contract/${schema}` });
  await migrate(db);
  const queue = new PgQueue(db, 3600);
  await queue.start();
  return { db, queue };
}

afterAll(async () => {
  if (!node) return;
  const { db, queue } = await node;
  await queue.stop();
  await db.close();
  await dropSchema(schema);
});

describeStoreContract('PostgreSQL', async () => {
  const { db, queue } = await (node ??= start());
  return {
    store: new PgJobStore(db, queue),
    async close() {
      await db.query(`TRUNCATE ${schema}.jobs, ${schema}.job_parts, ${schema}.uploads, ${schema}.webhook_attempts, ${schema}.webhook_outbox`);
      await db.query(`DELETE FROM ${schema}_queue.job`);
    },
  };
});
