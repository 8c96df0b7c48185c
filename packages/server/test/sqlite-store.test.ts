import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCursor, type JobListQuery } from '../src/jobs/job.ts';
import { listQuery, SqliteStore } from '../src/backends/embedded/sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

/** The store contract on a real SQLite file (WAL), a fresh one per case. */
describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'folio-sqlite-'));
  const store = new SqliteStore(join(dir, 'folio.db'));
  return {
    store,
    async close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite job list', () => {
  const dirs: string[] = [];
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'folio-sqlite-list-'));
    dirs.push(dir);
    return join(dir, 'folio.db');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const plan = (store: SqliteStore, q: JobListQuery): string => {
    const { sql, params } = listQuery(q);
    return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
  };

  it('reads first, deep and status-filtered pages from a list index in key order (no sort)', () => {
    const store = new SqliteStore(file());
    const cursor = encodeCursor({ createdAt: 5000, id: 'j' });
    const lean = { owner: 'o', limit: 100, excludeConfigs: true };
    expect(plan(store, { ...lean, cursor: null })).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_list \(owner=\?\)$/);
    expect(plan(store, { ...lean, cursor })).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_list \(owner=\? AND \(created_at,id\)<\(\?,\?\)\)$/);
    expect(plan(store, { ...lean, cursor, status: 'Failed' })).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_list_status \(owner=\? AND status=\? AND \(created_at,id\)<\(\?,\?\)\)$/);
    // With raw_config the rows are looked up by rowid, still in index order.
    expect(plan(store, { owner: 'o', limit: 100, cursor })).toMatch(/^SEARCH jobs USING INDEX jobs_list \(owner=\? AND \(created_at,id\)<\(\?,\?\)\)$/);
    store.close();
  });

  it('replaces the older list indexes of an existing database, once', () => {
    const path = file();
    const old = new Database(path);
    old.exec(`CREATE TABLE jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, progress REAL,
      reason TEXT, error_code TEXT, raw_config TEXT NOT NULL, config TEXT NOT NULL, input TEXT NOT NULL, result TEXT,
      num_pages INTEGER, total_pages INTEGER, duration REAL, created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT, lease_expires_at INTEGER, priority INTEGER NOT NULL DEFAULT 0,
      timeout_s REAL, idempotency_key TEXT, webhook TEXT, metadata TEXT);
      CREATE INDEX jobs_owner_created ON jobs(owner, created_at DESC, id DESC);
      CREATE INDEX jobs_owner_status_created ON jobs(owner, status, created_at DESC, id DESC);
      INSERT INTO jobs (id, owner, type, status, raw_config, config, input, created_at) VALUES ('a', 'o', 'Parse', 'Completed', '{}', '{}', '{}', 1);`);
    old.close();
    const indexes = (store: SqliteStore): string[] =>
      (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND name LIKE 'jobs_%'`).all() as Array<{ name: string }>).map((r) => r.name).sort();
    for (let open = 0; open < 2; open++) {
      const store = new SqliteStore(path);
      expect(indexes(store)).toEqual(['jobs_finished', 'jobs_idempotency', 'jobs_leases', 'jobs_list', 'jobs_list_status', 'jobs_pending']);
      expect(plan(store, { owner: 'o', limit: 10, cursor: null, excludeConfigs: true })).toMatch(/COVERING INDEX jobs_list\b/);
      store.close();
    }
  });
});
