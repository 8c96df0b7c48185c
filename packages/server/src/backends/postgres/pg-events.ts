import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { JobEvent, JobEventBus } from '../../jobs/events.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Job events between processes over PostgreSQL LISTEN/NOTIFY: a worker's progress reaches
 * the SSE stream of any API process, a cancel on any API process reaches the worker running
 * the job, and a submit wakes idle workers at once instead of at their next poll.
 *
 * One dedicated connection listens; when it drops (backend terminated, database restart) it
 * reconnects with backoff and then fires a local "queued" so workers re-check the queue for
 * whatever was announced while it was away. Delivery stays best effort, as the interface says.
 */
export class PgJobEventBus implements JobEventBus {
  readonly #db: PgDatabase;
  readonly #emitter = new EventEmitter().setMaxListeners(0);
  readonly #jobChannel: string;
  readonly #queuedChannel: string;
  #client: pg.Client | null = null;
  #closed = false;
  #ready: Promise<void>;
  #retryMs = 100;

  constructor(db: PgDatabase) {
    this.#db = db;
    // Channel names carry the schema so deployments sharing a database do not cross-talk.
    this.#jobChannel = `${db.schema}_job_events`;
    this.#queuedChannel = `${db.schema}_job_queued`;
    this.#ready = this.#connect();
  }

  /** Resolves once this process is listening (the first connection). */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #connect(): Promise<void> {
    while (!this.#closed) {
      const client = new pg.Client({ connectionString: this.#db.url, application_name: `folio-events/${this.#db.schema}` });
      client.on('error', () => this.#reconnect(client));
      client.on('end', () => this.#reconnect(client));
      client.on('notification', (msg) => this.#dispatch(msg.channel, msg.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${this.#jobChannel}`);
        await client.query(`LISTEN ${this.#queuedChannel}`);
        if (this.#closed) {
          await client.end();
          return;
        }
        this.#client = client;
        this.#retryMs = 100;
        return;
      } catch {
        client.removeAllListeners('end');
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, this.#retryMs));
        this.#retryMs = Math.min(this.#retryMs * 2, 3000);
      }
    }
  }

  #reconnect(client: pg.Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    this.#ready = this.#connect().then(() => {
      // Anything announced while we were away is unknown: make workers look again.
      this.#emitter.emit('queued');
    });
  }

  #dispatch(channel: string, payload: string | undefined): void {
    if (channel === this.#queuedChannel) {
      this.#emitter.emit('queued');
      return;
    }
    if (channel !== this.#jobChannel || !payload) return;
    try {
      const event = JSON.parse(payload) as JobEvent;
      this.#emitter.emit(`job:${event.jobId}`, event);
      // A fan-out parent that is cancelled or failed stops its parts at once (their workers
      // subscribe under the part ids `<parent>.p<n>`).
      if (event.status === 'Cancelled' || event.status === 'Failed') {
        const prefix = `job:${event.jobId}.p`;
        for (const name of this.#emitter.eventNames()) {
          if (typeof name === 'string' && name.startsWith(prefix)) this.#emitter.emit(name, { ...event, jobId: name.slice(4) });
        }
      }
    } catch {
      // Not ours; ignore.
    }
  }

  #notify(channel: string, payload: string): void {
    if (this.#closed || this.#db.closed) return;
    this.#db.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => {
      // Best effort: subscribers re-read the store.
    });
  }

  publish(event: JobEvent): void {
    this.#notify(this.#jobChannel, JSON.stringify({ jobId: event.jobId, status: event.status, progress: event.progress }));
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(`job:${jobId}`, listener);
    return () => this.#emitter.off(`job:${jobId}`, listener);
  }

  notifyQueued(): void {
    this.#notify(this.#queuedChannel, '');
  }

  onQueued(listener: () => void): () => void {
    this.#emitter.on('queued', listener);
    return () => this.#emitter.off('queued', listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#emitter.removeAllListeners();
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
