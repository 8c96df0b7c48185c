import { PgDatabase } from '../../src/jobs/pg-database.ts';
import { PgJobStore } from '../../src/jobs/pg-job-store.ts';
import { PgQueue } from '../../src/jobs/pg-queue.ts';
import { migrate } from '../../src/jobs/pg-schema.ts';
import { describeStoreContract } from '../store-contract.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './pg-test-db.ts';

/** The store contract on the real PostgreSQL, with the pg-boss queue, in a fresh schema per case. */
describeStoreContract('PostgreSQL', async () => {
  const schema = freshSchema('folio_c');
  const db = new PgDatabase(TEST_DATABASE_URL, schema, { max: 6, applicationName: `folio-contract/${schema}` });
  await migrate(db);
  const queue = new PgQueue(db, 3600);
  await queue.start();
  return {
    store: new PgJobStore(db, queue),
    async close() {
      await queue.stop();
      await db.close();
      await dropSchema(schema);
    },
  };
});
