import { createHmac } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import { assertPublicUrl } from '../input/address-policy.ts';

/**
 * Standard Webhooks signature (what Svix sends): base64 HMAC-SHA256 over
 * "<id>.<timestamp>.<body>", keyed with the base64 part of a `whsec_…` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** One delivery attempt's outcome: error null = the receiver answered 2xx. */
export interface PostOutcome {
  statusCode: number | null;
  error: string | null;
}

/**
 * One signed POST of a webhook body (Svix and Standard Webhooks headers, both with the same
 * values). `id` is stable per job outcome, so a receiver can drop a redelivery. Never throws.
 */
export async function postWebhook(url: string, id: string, body: string, config: ServerConfig): Promise<PostOutcome> {
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
    await res.arrayBuffer().catch(() => undefined);
    return { statusCode: res.status, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    return { statusCode: null, error: err instanceof Error ? err.message : String(err) };
  }
}
