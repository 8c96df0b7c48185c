import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

const SECRET = `whsec_${Buffer.from('folio-webhook-test-secret-0123456789').toString('base64')}`;

interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
  verified: unknown;
}

describe('webhooks', () => {
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: Delivery[] = [];
  const failuresLeft = new Map<string, number>([['/flaky', 2]]);
  let server: ServerProcess;
  let api: RawClient;
  let fileId: string;

  beforeAll(async () => {
    const verifier = new Webhook(SECRET);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const left = failuresLeft.get(path) ?? 0;
        if (left > 0) {
          failuresLeft.set(path, left - 1);
          deliveries.push({ path, body, headers: req.headers as Record<string, string>, verified: 'refused' });
          res.writeHead(500).end('try again');
          return;
        }
        const headers = req.headers as Record<string, string>;
        const verified = verifier.verify(body, { 'svix-id': headers['svix-id'], 'svix-timestamp': headers['svix-timestamp'], 'svix-signature': headers['svix-signature'] });
        // The Standard Webhooks names carry the same values.
        expect(headers['webhook-signature']).toBe(headers['svix-signature']);
        deliveries.push({ path, body, headers, verified });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = await startServerProcess({
      workers: 2,
      env: {
        FOLIO_WEBHOOK_SECRET: SECRET,
        FOLIO_ALLOW_PRIVATE_WEBHOOKS: '1',
        FOLIO_WEBHOOK_BACKOFF_MS: '100',
        FOLIO_WEBHOOK_ENDPOINTS: `${receiverUrl}/svix-endpoint`,
      },
    });
    api = rawClient(server.baseURL, server.apiKeys[0]);
    fileId = await api.upload(await makePdf(1), 'hello.pdf');
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  async function deliveriesTo(path: string, count: number): Promise<Delivery[]> {
    for (let i = 0; i < 1200; i++) {
      const got = deliveries.filter((d) => d.path === path && d.verified !== 'refused');
      if (got.length >= count) return got;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no delivery to ${path}: ${JSON.stringify(deliveries.map((d) => d.path))}`);
  }

  it('posts a signed {status, job_id, metadata} that svix verifies', async () => {
    const { body } = await api.request('POST', '/parse_async', { input: fileId, async: { webhook: { mode: 'direct', url: `${receiverUrl}/ok` }, metadata: { order: 42 } } });
    const [delivery] = await deliveriesTo('/ok', 1);
    expect(delivery.verified).toEqual({ status: 'Completed', job_id: body.job_id, metadata: { order: 42 } });
    expect(JSON.parse(delivery.body)).toEqual({ status: 'Completed', job_id: body.job_id, metadata: { order: 42 } });
  });

  it('retries a failing receiver: delivered on the third attempt, every attempt recorded', async () => {
    const { body } = await api.request('POST', '/parse_async', { input: fileId, async: { webhook: { mode: 'direct', url: `${receiverUrl}/flaky` } } });
    const [delivery] = await deliveriesTo('/flaky', 1);
    expect(delivery.verified).toMatchObject({ status: 'Completed', job_id: body.job_id });
    expect(deliveries.filter((d) => d.path === '/flaky').length).toBe(3);
    const attempts = (await api.request('GET', `/job/${body.job_id}/webhook_attempts`)).body.attempts;
    expect(attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
  });

  it('notifies Failed jobs, and svix mode delivers to the configured endpoints', async () => {
    const junk = await api.upload(new Uint8Array(Buffer.from('\x00\x01\x02 not a document \x00\x00')), 'junk.bin');
    const { body } = await api.request('POST', '/parse_async', { input: junk, async: { webhook: { mode: 'svix', channels: ['ops'] }, metadata: 'm-1' } });
    const [delivery] = await deliveriesTo('/svix-endpoint', 1);
    expect(delivery.verified).toEqual({ status: 'Failed', job_id: body.job_id, metadata: 'm-1' });
  });

  it('legacy top-level webhook config works too', async () => {
    const { body } = await api.request('POST', '/parse_async', { document_url: fileId, webhook: { mode: 'direct', url: `${receiverUrl}/legacy`, metadata: { legacy: true } } });
    const [delivery] = await deliveriesTo('/legacy', 1);
    expect(delivery.verified).toEqual({ status: 'Completed', job_id: body.job_id, metadata: { legacy: true } });
  });
});
