import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerConfig } from '../config.ts';
import type { JobStore, OutboxRow, WebhookAttempt } from '../jobs/store.ts';
import { WEBHOOK_ATTEMPT_MS } from './outbox-claim.ts';
import { webhookTargets } from './webhook-endpoints.ts';
import { postWebhook } from './webhook-sender.ts';

const SWEEP_MS = 5_000;
const SWEEP_BATCH = 20;

/**
 * Delivers the webhooks the JobStore's outbox owes, for either backend. A terminal
 * transition writes an outbox row claimed by this process and calls `webhookDue`: delivery
 * starts at once. Each endpoint gets up to FOLIO_WEBHOOK_ATTEMPTS attempts with doubling
 * backoff; every attempt is recorded and extends the claim; when every endpoint got it (or
 * was given up on) the row is closed. A sweep — on start and every few seconds — claims rows
 * whose sender went silent (the process died, here or elsewhere) and resumes them: endpoints
 * already served are skipped and attempt numbers continue from the recorded ones, so an
 * accepted job's webhook survives a crash (at least once; the message id repeats).
 */
export class WebhookOutbox {
  #timer: NodeJS.Timeout | null = null;
  #sweeping = false;
  readonly #stopping = new AbortController();
  /** Jobs being delivered by this process (a lapsed claim of ours must not start a second run). */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(private readonly store: JobStore, private readonly config: ServerConfig) {}

  start(): void {
    this.store.webhookDue = (row) => void this.deliver(row);
    this.#timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.#timer.unref();
    void this.sweep();
  }

  /** Stop sweeping and retrying; open rows stay claimed until this process is gone or the claim lapses. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.store.webhookDue = null;
    this.#stopping.abort();
    // A POST under way is let finish (for up to 2 s) so its attempt is recorded.
    const drained = Promise.allSettled([...this.#inFlight.values()]);
    await Promise.race([drained, sleep(2_000, undefined, { ref: false })]);
  }

  /** Claim and resume abandoned deliveries; resolves the job ids it took. */
  async sweep(now = Date.now()): Promise<string[]> {
    if (this.#sweeping || this.#stopping.signal.aborted) return [];
    this.#sweeping = true;
    const taken: string[] = [];
    try {
      for (;;) {
        const rows = await this.store.claimWebhooks(now, WEBHOOK_ATTEMPT_MS, SWEEP_BATCH);
        for (const row of rows) {
          taken.push(row.jobId);
          void this.deliver(row);
        }
        if (rows.length < SWEEP_BATCH) break;
      }
    } catch {
      // storage unavailable: the next sweep retries
    } finally {
      this.#sweeping = false;
    }
    return taken;
  }

  /** Deliver one claimed row to every target of its job; resolves when done or stopped. */
  deliver(row: OutboxRow): Promise<void> {
    const running = this.#inFlight.get(row.jobId);
    if (running) return running;
    const run = this.#deliver(row)
      .catch(() => undefined) // storage unavailable: the claim lapses and a sweep resumes it
      .finally(() => this.#inFlight.delete(row.jobId));
    this.#inFlight.set(row.jobId, run);
    return run;
  }

  async #deliver({ jobId, status }: OutboxRow): Promise<void> {
    const job = await this.store.get(jobId);
    if (!job?.webhook) {
      await this.store.closeWebhook(jobId, Date.now()); // deleted (or retention) meanwhile
      return;
    }
    // Reducto's webhook vocabulary has no Cancelled: GET /job reads Failed, so does the webhook.
    const shown = status === 'Completed' ? 'Completed' : 'Failed';
    const body = JSON.stringify({ status: shown, job_id: job.id, metadata: job.metadata ?? null });
    const id = `msg_${job.id}_${shown.toLowerCase()}`;
    const urls = webhookTargets(job.webhook, this.config.webhookEndpoints);
    const past = urls.length ? await this.store.webhookAttempts(jobId) : [];
    const settled = await Promise.all(urls.map((url) => this.#deliverTo(jobId, url, id, body, past.filter((a) => a.url === url))));
    if (settled.every(Boolean)) await this.store.closeWebhook(jobId, Date.now());
  }

  /** True once the endpoint has the webhook or was given up on; false when stopped first. */
  async #deliverTo(jobId: string, url: string, id: string, body: string, past: WebhookAttempt[]): Promise<boolean> {
    if (past.some((a) => a.error === null)) return true;
    const { webhookAttempts: max, webhookBackoffMs: backoff } = this.config;
    for (let attempt = Math.max(0, ...past.map((a) => a.attempt)) + 1; attempt <= max; attempt++) {
      if (this.#stopping.signal.aborted) return false;
      const { statusCode, error } = await postWebhook(url, id, body, this.config);
      const at = Date.now();
      const wait = backoff * 2 ** (attempt - 1);
      const retry = error !== null && attempt < max;
      await this.store
        .recordWebhookAttempt({ jobId, url, attempt, statusCode, error, at }, retry ? at + wait + WEBHOOK_ATTEMPT_MS : undefined)
        .catch(() => undefined);
      if (!retry) return true;
      try {
        await sleep(wait, undefined, { signal: this.#stopping.signal });
      } catch {
        return false;
      }
    }
    return true;
  }
}
