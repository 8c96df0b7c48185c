import type pg from 'pg';
import type { OutboxRow, WebhookAttempt } from '../../jobs/store.ts';
import { deadClaimers, THIS_PROCESS, WEBHOOK_ATTEMPT_MS } from '../../webhooks/outbox-claim.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Webhooks on PostgreSQL: the outbox rows that terminal transitions owe (written inside
 * their transaction with `owe`, announced after it commits), their claims across processes,
 * and the record of delivery attempts.
 */
export class PgOutbox {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  /** An attempt that will be retried extends the outbox claim, so no other process re-sends it meanwhile. */
  async recordWebhookAttempt(a: WebhookAttempt, claimUntil?: number): Promise<void> {
    const insert = `INSERT INTO ${this.#db.schema}.webhook_attempts (job_id, url, attempt, status_code, error, at) VALUES ($1, $2, $3, $4, $5, $6)`;
    const values = [a.jobId, a.url, a.attempt, a.statusCode, a.error, a.at];
    if (claimUntil === undefined) {
      await this.#db.query(insert, values);
      return;
    }
    await this.#db.query(
      `WITH attempt AS (${insert})
       UPDATE ${this.#db.schema}.webhook_outbox SET claimed_until = greatest(coalesce(claimed_until, 0), $7)
       WHERE job_id = $1 AND delivered_at IS NULL`,
      [...values, claimUntil],
    );
  }

  webhookDue: ((row: OutboxRow) => void) | null = null;

  async claimWebhooks(now: number, claimMs: number, limit: number): Promise<OutboxRow[]> {
    const s = this.#db.schema;
    const claimers = await this.#db.query<{ claimed_by: string | null }>(
      `SELECT DISTINCT claimed_by FROM ${s}.webhook_outbox WHERE delivered_at IS NULL AND claimed_until >= $1`,
      [now],
    );
    const { rows } = await this.#db.query<{ job_id: string; status: OutboxRow['status'] }>(
      `UPDATE ${s}.webhook_outbox o SET claimed_by = $1, claimed_until = $2
       WHERE (o.job_id, o.status) IN (
         SELECT job_id, status FROM ${s}.webhook_outbox
         WHERE delivered_at IS NULL AND (coalesce(claimed_until, 0) < $3 OR claimed_by = ANY($4))
         ORDER BY created_at LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING o.job_id, o.status`,
      [THIS_PROCESS, now + claimMs, now, deadClaimers(claimers.rows.map((r) => r.claimed_by)), limit],
    );
    return rows.map((r) => ({ jobId: r.job_id, status: r.status }));
  }

  async closeWebhook(jobId: string, at: number): Promise<void> {
    await this.#db.query(`UPDATE ${this.#db.schema}.webhook_outbox SET delivered_at = $1 WHERE job_id = $2 AND delivered_at IS NULL`, [at, jobId]);
  }

  /** After a transaction that owed webhooks committed: hand them to this process's outbox. */
  announce(rows: OutboxRow[]): void {
    for (const row of rows) this.webhookDue?.(row);
  }

  async webhookAttempts(jobId: string): Promise<WebhookAttempt[]> {
    const { rows } = await this.#db.query<{ job_id: string; url: string; attempt: number; status_code: number | null; error: string | null; at: string }>(
      `SELECT * FROM ${this.#db.schema}.webhook_attempts WHERE job_id = $1 ORDER BY at, attempt`,
      [jobId],
    );
    return rows.map((r) => ({ jobId: r.job_id, url: r.url, attempt: r.attempt, statusCode: r.status_code, error: r.error, at: Number(r.at) }));
  }

  /** Inside a terminal transition of a job with a webhook: owe it, claimed by this process. */
  async owe(c: pg.PoolClient, jobId: string, status: OutboxRow['status'], now: number): Promise<OutboxRow> {
    await c.query(
      `INSERT INTO ${this.#db.schema}.webhook_outbox (job_id, status, created_at, claimed_by, claimed_until)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [jobId, status, now, THIS_PROCESS, now + WEBHOOK_ATTEMPT_MS],
    );
    return { jobId, status };
  }
}
