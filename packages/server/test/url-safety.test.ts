import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, isBlockedAddress } from '../src/input/address-policy.ts';
import { downloadUrl } from '../src/input/download.ts';

describe('URL inputs: address policy', () => {
  it('blocks loopback, private, link-local, metadata and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isBlockedAddress(a), a).toBe(false);
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

  it('refuses documents above the size limit', async () => {
    await expect(downloadUrl(`http://127.0.0.1:${port}/big`, limits)).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
  });
});
