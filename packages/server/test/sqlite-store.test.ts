import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/backends/embedded/sqlite-store.ts';
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
