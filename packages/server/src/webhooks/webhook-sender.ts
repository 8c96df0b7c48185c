import { createHmac } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { assertPublicUrl, isBlockedAddress, publicLookup } from '../input/address-policy.ts';

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

/** Whether webhooks may target private addresses (FOLIO_ALLOW_PRIVATE_WEBHOOKS, or all URLs allowed). */
export function privateWebhooksAllowed(config: ServerConfig): boolean {
  return config.allowPrivateUrls || process.env.FOLIO_ALLOW_PRIVATE_WEBHOOKS === '1';
}

/** Check a direct webhook URL when the job is submitted: http(s), and a public host. Throws URL_NOT_ALLOWED. */
export async function assertWebhookUrl(url: string, config: ServerConfig): Promise<void> {
  await assertPublicUrl(url, privateWebhooksAllowed(config));
}

const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * One signed POST of a webhook body (Svix and Standard Webhooks headers, both with the same
 * values). `id` is stable per job outcome, so a receiver can drop a redelivery. The URL is
 * checked again, and the connection goes only to an address checked as it was resolved.
 * Redirects are not followed. Never throws. `isBlocked` judges addresses (the default policy).
 */
export async function postWebhook(url: string, id: string, body: string, config: ServerConfig, isBlocked = isBlockedAddress): Promise<PostOutcome> {
  try {
    const allowPrivate = privateWebhooksAllowed(config);
    const target = await assertPublicUrl(url, allowPrivate, isBlocked);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Folio-Webhooks/0.1' };
    for (const prefix of ['webhook', 'svix']) {
      headers[`${prefix}-id`] = id;
      headers[`${prefix}-timestamp`] = String(timestamp);
      if (config.webhookSecret) headers[`${prefix}-signature`] = signWebhook(config.webhookSecret, id, timestamp, body);
    }
    const status = await post(target, headers, body, allowPrivate ? undefined : isBlocked);
    return { statusCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` };
  } catch (err) {
    return { statusCode: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** `isBlocked` undefined: private targets allowed, no address check at connect. */
function post(url: URL, headers: Record<string, string>, body: string, isBlocked: ((address: string) => boolean) | undefined): Promise<number> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<number>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // IP literals were checked by assertPublicUrl; names are checked as they resolve.
      lookup: !isBlocked || isIP(host) ? undefined : publicLookup(isBlocked),
      timeout: DELIVERY_TIMEOUT_MS,
    });
    req.on('timeout', () => req.destroy(new Error(`No answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.end(body);
  });
}
