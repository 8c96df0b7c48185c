/**
 * PgDatabase.tx against the local PostgreSQL: two transactions that lock two rows in
 * opposite orders deadlock; PostgreSQL aborts one, and tx runs it again, so both commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/backends/postgres/pg-database.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './pg-test-db.ts';

const schema = freshSchema('folio_db');
let db: PgDatabase;

beforeAll(async () => {
  db = new PgDatabase(TEST_DATABASE_URL, schema);
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${schema}.rows (id int PRIMARY KEY, n int NOT NULL)`);
  await db.query(`INSERT INTO ${schema}.rows VALUES (1, 0), (2, 0)`);
});
afterAll(async () => {
  await db?.close();
  await dropSchema(schema);
});

describe('PgDatabase.tx', () => {
  it('runs a transaction again when PostgreSQL aborts it for a deadlock', async () => {
    let runs = 0;
    let bothHoldFirstLock: () => void;
    const barrier = new Promise<void>((r) => (bothHoldFirstLock = r));
    let holding = 0;
    const crosswise = (first: number, second: number) => db.tx(async (c) => {
      runs++;
      await c.query(`UPDATE ${schema}.rows SET n = n + 1 WHERE id = $1`, [first]);
      if (++holding === 2) bothHoldFirstLock();
      await barrier;
      await c.query(`UPDATE ${schema}.rows SET n = n + 1 WHERE id = $1`, [second]);
    });
    await Promise.all([crosswise(1, 2), crosswise(2, 1)]);
    expect(runs).toBe(3); // one of the two was the deadlock victim and ran again
    const { rows } = await db.query<{ n: number }>(`SELECT n FROM ${schema}.rows ORDER BY id`);
    expect(rows.map((r) => r.n)).toEqual([2, 2]);
  });
});
