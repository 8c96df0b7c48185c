import pg from 'pg';

/**
 * The PostgreSQL connection of one Folio process: a pool that survives backends being
 * terminated (pg_terminate_backend, a database restart, a failover) and a transaction helper
 * that retries a whole transaction when the connection failed or PostgreSQL aborted it for a
 * deadlock — not when a statement is wrong.
 */
export class PgDatabase {
  readonly pool: pg.Pool;
  /** Schema holding Folio's tables; pg-boss lives in `<schema>_queue`. */
  readonly schema: string;
  readonly url: string;
  #closed = false;

  constructor(url: string, schema: string, options: { max?: number; applicationName?: string } = {}) {
    if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) throw new Error(`Invalid FOLIO_DATABASE_SCHEMA: ${schema}`);
    this.url = url;
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      // The schema in the name tells deployments sharing a server apart (pg_stat_activity).
      application_name: `${options.applicationName ?? 'folio'}/${schema}`,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client whose backend was terminated emits 'error'; the pool drops it. Without a
    // listener the error would crash the process.
    this.pool.on('error', () => {});
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One statement, retried on connection loss (statements passed here must be idempotent). */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    return withReconnect(() => this.pool.query<R>(text, values));
  }

  /** Run `work` in a transaction; on a connection failure or a conflict the whole transaction is retried. */
  async tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withReconnect(async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await work(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        broken = isConnectionError(err);
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release(broken ? true : undefined);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

/** True when the error means "the connection is gone" (safe to retry a whole transaction). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && (CONNECTION_CODES.has(e.code) || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(e.code))) return true;
  return /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    e?.message ?? '',
  );
}

/**
 * Deadlock or serialization failure: PostgreSQL rolled the transaction back, and running it
 * again is the remedy. (A cancel locks a job then its parts while a worker's progress update
 * locks a part then its job; making every path take one order is not worth the fragility.)
 */
export function isConflict(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Retry `fn` while the database connection is being re-established (≈ 15 s in total), and
 * after a deadlock or serialization conflict (at once, then with the same backoff).
 */
export async function withReconnect<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  let delay = 100;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const conflict = isConflict(err);
      if (i >= attempts || !(conflict || isConnectionError(err))) throw err;
      if (conflict && i === 1) continue;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 3000);
    }
  }
}
