import { createHmac } from 'node:crypto';
import type { Backends } from '../backends.ts';
import type { ServerConfig } from '../config.ts';
import type { Job } from '../jobs/job.ts';
import { assertPublicUrl } from '../input/address-policy.ts';

/**
 * Standard Webhooks signature (what Svix sends): base64 HMAC-SHA256 over
 * "<id>.<timestamp>.<body>", keyed with the base64 part of a `whsec_…` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Post `{status, job_id, metadata}` for a finished job to its webhook: the direct URL, or
 * every FOLIO_WEBHOOK_ENDPOINTS endpoint for `mode: "svix"`. Each endpoint is retried with
 * exponential backoff; every attempt is recorded in the JobStore. Never throws.
 */
export async function sendJobWebhook(job: Job, status: 'Completed' | 'Failed', backends: Backends, config: ServerConfig): Promise<void> {
  const hook = job.webhook;
  if (!hook) return;
  const urls = hook.mode === 'direct' ? (hook.url ? [hook.url] : []) : config.webhookEndpoints;
  const body = JSON.stringify({ status, job_id: job.id, metadata: job.metadata ?? null });
  // One id per job outcome: a receiver can drop a message it has already seen (redelivery).
  const id = `msg_${job.id}_${status.toLowerCase()}`;
  await Promise.all(urls.map((url) => deliver(job.id, url, id, body, backends, config)));
}

async function deliver(jobId: string, url: string, id: string, body: string, backends: Backends, config: ServerConfig): Promise<void> {
  for (let attempt = 1; attempt <= config.webhookAttempts; attempt++) {
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      await assertPublicUrl(url, config.allowPrivateUrls || process.env.FOLIO_ALLOW_PRIVATE_WEBHOOKS === '1');
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Folio-Webhooks/0.1' };
      for (const prefix of ['webhook', 'svix']) {
        headers[`${prefix}-id`] = id;
        headers[`${prefix}-timestamp`] = String(timestamp);
        if (config.webhookSecret) headers[`${prefix}-signature`] = signWebhook(config.webhookSecret, id, timestamp, body);
      }
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) error = null;
      else error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    await backends.jobs.recordWebhookAttempt({ jobId, url, attempt, statusCode, error, at: Date.now() }).catch(() => undefined);
    if (error === null) return;
    if (attempt < config.webhookAttempts) await sleep(config.webhookBackoffMs * 2 ** (attempt - 1));
  }
}
