import type { WebhookConfig } from '../jobs/job.ts';

/** A FOLIO_WEBHOOK_ENDPOINTS entry: where `mode: "svix"` webhooks go, optionally only some channels. */
export interface WebhookEndpoint {
  url: string;
  /** Null = no filter: the endpoint receives every svix-mode webhook. */
  channels: string[] | null;
}

/**
 * FOLIO_WEBHOOK_ENDPOINTS: comma-separated entries, each a URL optionally followed by
 * `#channel` — `https://a.example/hook#ops,billing,https://b.example/hook` subscribes the
 * first endpoint to `ops` and `billing` and the second to everything. A name after `#`
 * (and every following item that is not a URL) belongs to the endpoint before it;
 * a fragment is never sent to the receiver, so `#` is free to mean this.
 */
export function parseWebhookEndpoints(value: string | undefined): WebhookEndpoint[] {
  const endpoints: WebhookEndpoint[] = [];
  for (const item of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!item.includes('://')) {
      const last = endpoints[endpoints.length - 1];
      if (!last?.channels) throw new Error(`FOLIO_WEBHOOK_ENDPOINTS: "${item}" is neither a URL nor a channel after url#channel`);
      last.channels.push(item);
      continue;
    }
    const hash = item.indexOf('#');
    if (hash < 0) {
      endpoints.push({ url: item, channels: null });
      continue;
    }
    const channel = item.slice(hash + 1).trim();
    endpoints.push({ url: item.slice(0, hash), channels: channel ? [channel] : null });
  }
  return endpoints;
}

/**
 * The URLs a job's webhook goes to. Direct: its own URL. Svix: every configured endpoint,
 * with Svix's channel rules — an endpoint without a filter receives everything; one with a
 * filter receives only messages sent to at least one of its channels (so not a message
 * without channels).
 */
export function webhookTargets(hook: WebhookConfig, endpoints: WebhookEndpoint[]): string[] {
  if (hook.mode === 'direct') return hook.url ? [hook.url] : [];
  const channels = hook.channels ?? [];
  const urls = endpoints.filter((e) => e.channels === null || e.channels.some((c) => channels.includes(c))).map((e) => e.url);
  return [...new Set(urls)];
}
