import type { Backends } from '../backends.ts';
import type { ServerConfig } from '../config.ts';
import type { PgDatabase } from '../jobs/pg-database.ts';
import { WEBHOOK_ATTEMPT_MS } from '../jobs/pg-job-store.ts';
import { sendJobWebhook } from './webhook-sender.ts';

const SWEEP_MS = 5_000;

/**
 * The distributed deployment's safety net for webhooks. The process that finishes a job
 * writes an outbox row in the same transaction and sends the webhook right away; each
 * recorded attempt extends the row's claim, and success (or giving up) closes it. A row whose
 * sender went silent — the process died between finishing the job and delivering — is
 * claimed here by exactly one process (FOR UPDATE SKIP LOCKED) and delivered again.
 */
export class WebhookOutbox {
  #timer: NodeJS.Timeout | null = null;
  #sweeping = false;

  constructor(private readonly db: PgDatabase, private readonly backends: Backends, private readonly config: ServerConfig) {}

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Claim and re-send abandoned deliveries; resolves the job ids it took. */
  async sweep(now = Date.now()): Promise<string[]> {
    if (this.#sweeping || this.db.closed) return [];
    this.#sweeping = true;
    try {
      const s = this.db.schema;
      const { rows } = await this.db.query<{ job_id: string; status: 'Completed' | 'Failed' }>(
        `UPDATE ${s}.webhook_outbox o SET claimed_until = $1
         WHERE (o.job_id, o.status) IN (
           SELECT job_id, status FROM ${s}.webhook_outbox
           WHERE delivered_at IS NULL AND created_at < $2 AND coalesce(claimed_until, 0) < $3
           ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING o.job_id, o.status`,
        [now + WEBHOOK_ATTEMPT_MS, now - WEBHOOK_ATTEMPT_MS, now],
      );
      for (const row of rows) {
        const job = await this.backends.jobs.get(row.job_id);
        if (job) void sendJobWebhook(job, row.status, this.backends, this.config);
        else await this.db.query(`DELETE FROM ${s}.webhook_outbox WHERE job_id = $1`, [row.job_id]);
      }
      return rows.map((r) => r.job_id);
    } catch {
      return []; // database unavailable: the next sweep retries
    } finally {
      this.#sweeping = false;
    }
  }
}
