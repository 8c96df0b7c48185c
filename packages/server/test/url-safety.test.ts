import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, isBlockedAddress } from '../src/input/address-policy.ts';
import { downloadUrl } from '../src/input/download.ts';
import type { ServerConfig } from '../src/config.ts';
import { postWebhook } from '../src/webhooks/webhook-sender.ts';

describe('URL inputs: address policy', () => {
  it('blocks loopback, private, link-local, metadata and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isBlockedAddress(a), a).toBe(false);
  });

  it('judges every IPv6 form by the address it reaches', () => {
    const blocked = [
      '::7f00:1', '::127.0.0.1', '[::127.0.0.1]', // IPv4-compatible loopback
      '::ffff:0:a9fe:a9fe', '::ffff:7f00:1', // translated and mapped, hex-written
      '2002:a9fe:a9fe::1', '2002:7f00:1::1', '2002:c0a8:101::1', // 6to4 around link-local, loopback, private
      '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', // NAT64 to metadata; local-use NAT64
      '2001:0::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      'fec0::1', '100::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1', '::',
    ];
    for (const a of blocked) expect(isBlockedAddress(a), a).toBe(true);
    for (const a of ['2002:808:808::1', '64:ff9b::808:808', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e']) expect(isBlockedAddress(a), a).toBe(false);
    for (const a of ['not-an-ip', '999.1.1.1']) expect(isBlockedAddress(a), a).toBe(true);
  });

  it('refuses a host name that resolves to loopback, before connecting', async () => {
    await expect(assertPublicUrl('http://localhost:9/x.pdf', false)).rejects.toMatchObject({ code: 'URL_NOT_ALLOWED' });
    await expect(assertPublicUrl('file:///etc/passwd', false)).rejects.toMatchObject({ code: 'URL_NOT_ALLOWED' });
  });
});

describe('URL inputs: download', () => {
  let server: Server;
  let port: number;
  let hits: string[];

  beforeAll(async () => {
    hits = [];
    server = createServer((req, res) => {
      hits.push(`${req.socket.localAddress} ${req.url}`);
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end();
      } else if (req.url === '/big') {
        res.end(Buffer.alloc(2048));
      } else {
        res.end('hello');
      }
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // A policy that treats 127.0.0.1 as "public" lets a local server stand in for the internet.
  const policy = (address: string): boolean => address !== '127.0.0.1';
  const limits = { maxBytes: 1024, timeoutS: 5, allowPrivate: false, isBlocked: policy };

  it('downloads within limits', async () => {
    const got = await downloadUrl(`http://127.0.0.1:${port}/doc.txt`, limits);
    expect(Buffer.from(got.bytes).toString()).toBe('hello');
    expect(got.filename).toBe('doc.txt');
  });

  it('re-checks the target of a redirect and refuses it before connecting', async () => {
    hits = [];
    await expect(downloadUrl(`http://127.0.0.1:${port}/redirect`, limits)).rejects.toMatchObject({ code: 'URL_NOT_ALLOWED' });
    expect(hits).toEqual([`127.0.0.1 /redirect`]);
  });

  it('checks the address it connects to, not only the one it checked (DNS rebinding)', async () => {
    hits = [];
    // A name that resolves to a public address when checked and a private one at connect.
    let lookups = 0;
    const rebinding = (): boolean => ++lookups > 1;
    await expect(downloadUrl(`http://localhost:${port}/doc.txt`, { ...limits, isBlocked: rebinding })).rejects.toMatchObject({ code: 'URL_NOT_ALLOWED' });
    expect(lookups).toBeGreaterThan(1);
    expect(hits).toEqual([]);
  });

  it('never delivers a webhook to a private address', async () => {
    hits = [];
    const config = { allowPrivateUrls: false, webhookSecret: null } as unknown as ServerConfig;
    for (const url of [`http://localhost:${port}/hook`, `http://[::127.0.0.1]:${port}/hook`, `http://127.0.0.1:${port}/hook`]) {
      const outcome = await postWebhook(url, 'msg_1', '{}', config);
      expect(outcome.statusCode, url).toBeNull();
      expect(outcome.error, url).toMatch(/private|loopback|resolves/);
    }
    expect(hits).toEqual([]);
  });

  it('pins a webhook to the address checked at connect (DNS rebinding)', async () => {
    hits = [];
    // The name passes the check made before sending and resolves to a blocked address at connect.
    let lookups = 0;
    const rebinding = (): boolean => ++lookups > 1;
    const config = { allowPrivateUrls: false, webhookSecret: null } as unknown as ServerConfig;
    const outcome = await postWebhook(`http://localhost:${port}/hook`, 'msg_1', '{}', config, rebinding);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/private|loopback|resolves|not allowed/i);
    expect(lookups).toBeGreaterThan(1);
    expect(hits).toEqual([]);
  });

  it('refuses documents above the size limit', async () => {
    await expect(downloadUrl(`http://127.0.0.1:${port}/big`, limits)).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
  });
});
