import { describe, expect, it } from 'vitest';
import { parseWebhookEndpoints, webhookTargets } from '../src/webhooks/webhook-endpoints.ts';

describe('FOLIO_WEBHOOK_ENDPOINTS', () => {
  it('parses plain URLs and url#channel lists, channels running until the next URL', () => {
    expect(parseWebhookEndpoints('https://a.example/h, https://b.example/h#ops,billing ,https://c.example/h#x')).toEqual([
      { url: 'https://a.example/h', channels: null },
      { url: 'https://b.example/h', channels: ['ops', 'billing'] },
      { url: 'https://c.example/h', channels: ['x'] },
    ]);
    expect(parseWebhookEndpoints(undefined)).toEqual([]);
    expect(parseWebhookEndpoints('https://a.example/h#')).toEqual([{ url: 'https://a.example/h', channels: null }]);
  });

  it('rejects a channel name with no url#channel before it', () => {
    expect(() => parseWebhookEndpoints('ops,https://a.example/h')).toThrow(/neither a URL/);
    expect(() => parseWebhookEndpoints('https://a.example/h,ops')).toThrow(/neither a URL/);
  });

  it('routes with Svix channel rules', () => {
    const endpoints = parseWebhookEndpoints('https://all.example/h,https://ops.example/h#ops,https://money.example/h#billing,finance');
    expect(webhookTargets({ mode: 'svix', channels: ['finance'] }, endpoints)).toEqual(['https://all.example/h', 'https://money.example/h']);
    expect(webhookTargets({ mode: 'svix', channels: ['ops', 'billing'] }, endpoints)).toEqual(['https://all.example/h', 'https://ops.example/h', 'https://money.example/h']);
    expect(webhookTargets({ mode: 'svix' }, endpoints)).toEqual(['https://all.example/h']);
    expect(webhookTargets({ mode: 'svix', channels: ['nobody'] }, endpoints)).toEqual(['https://all.example/h']);
    expect(webhookTargets({ mode: 'direct', url: 'https://mine.example/h', channels: ['ops'] }, endpoints)).toEqual(['https://mine.example/h']);
  });
});
