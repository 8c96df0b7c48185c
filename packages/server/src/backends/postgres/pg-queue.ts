import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { PgDatabase } from './pg-database.ts';

/** Queue names in pg-boss: whole jobs, and the page-range parts of fanned-out parses. */
export const JOBS_QUEUE = 'folio-jobs';
export const PARTS_QUEUE = 'folio-parts';
const QUEUE_INSTALL_LOCK = 0x466f6c696f51; // "FolioQ"

/** pg-boss's view of a connection: our pool, or the client of an open transaction. */
export type QueueConnection = PgBoss.Db;

export function poolConnection(db: PgDatabase): QueueConnection {
  return { executeSql: (text, values) => (values?.length ? db.query(text, values) : db.query(text)) };
}

export function txConnection(client: pg.PoolClient): QueueConnection {
  return { executeSql: (text, values) => (values?.length ? client.query(text, values) : client.query(text)) };
}

/**
 * The dispatch queue, on pg-boss. pg-boss gives us a proven `FOR UPDATE SKIP LOCKED` fetch
 * ordered by priority then age, transactional enqueue (a job row and its queue item commit
 * together, so an accepted job is never lost), expiry as a last-resort safety net, and
 * archiving. Folio's own lease on the job row stays the authority on who may finish a job:
 * each attempt is a fresh queue item (`retryLimit: 0`), and Folio bounds the attempts.
 * Prompt pickup comes from LISTEN/NOTIFY (see PgJobEventBus), not from pg-boss's polling.
 */
export class PgQueue {
  readonly boss: PgBoss;

  /** Set while this process installs pg-boss under a session lock (see start). */
  #installer: pg.PoolClient | null = null;

  constructor(private readonly db: PgDatabase, private readonly expireInSeconds: number) {
    const pool = poolConnection(db);
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => (this.#installer ? txConnection(this.#installer) : pool).executeSql(text, values) },
      schema: `${db.schema}_queue`,
      // Workers fetch explicitly; no cron, no monitoring timers beyond maintenance.
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: 120,
      migrate: true,
    });
    this.boss.on('error', () => {
      // Maintenance errors during a database restart are retried on the next interval.
    });
  }

  /**
   * Install or migrate pg-boss's schema and create Folio's queues. Processes starting together
   * would race on CREATE SCHEMA, so installation runs on one connection holding a session
   * advisory lock.
   */
  async start(): Promise<void> {
    const client = await this.db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [QUEUE_INSTALL_LOCK]);
      this.#installer = client;
      await this.boss.start();
      for (const name of [JOBS_QUEUE, PARTS_QUEUE]) {
        if (!(await this.boss.getQueue(name))) {
          await this.boss.createQueue(name, { name, retryLimit: 0, expireInSeconds: this.expireInSeconds });
        }
      }
    } finally {
      this.#installer = null;
      await client.query('SELECT pg_advisory_unlock($1)', [QUEUE_INSTALL_LOCK]).catch(() => {});
      client.release();
    }
  }

  /** Enqueue inside the caller's transaction; returns the queue item id. */
  async send(conn: QueueConnection, queue: string, data: object, priority: number): Promise<string> {
    const id = randomUUID();
    await this.boss.send(queue, data, { id, priority, retryLimit: 0, expireInSeconds: this.expireInSeconds, db: conn });
    return id;
  }

  /** Take the next item (priority, then age); locked until the transaction commits. */
  async fetch<T extends object>(conn: QueueConnection, queue: string): Promise<PgBoss.Job<T> | null> {
    const [job] = await this.boss.fetch<T>(queue, { batchSize: 1, db: conn });
    return job ?? null;
  }

  async complete(conn: QueueConnection, queue: string, id: string | null, output?: object): Promise<void> {
    if (id) await this.boss.complete(queue, id, output ?? {}, { db: conn });
  }

  async fail(conn: QueueConnection, queue: string, id: string | null, output?: object): Promise<void> {
    if (id) await this.boss.fail(queue, id, output ?? {}, { db: conn });
  }

  async cancel(conn: QueueConnection, queue: string, id: string | null): Promise<void> {
    if (id) await this.boss.cancel(queue, id, { db: conn });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, close: false, wait: true }).catch(() => {});
  }
}
