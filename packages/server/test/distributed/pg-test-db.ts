import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL every developer machine and CI has (trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env.FOLIO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name per test run, so runs never see each other's rows or queue. */
export function freshSchema(prefix = 'folio_t'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Drop a run's schemas (Folio's and pg-boss's). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_queue CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Terminate the backends of one deployment (Folio names its connections `<role>/<schema>`),
 * as a failover or restart would; other test files' deployments are left alone.
 */
export async function terminateBackends(schema: string): Promise<number> {
  const applicationNamePattern = `folio%/${schema}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE $1`,
      [applicationNamePattern],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
