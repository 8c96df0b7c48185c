import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

/**
 * The embedded (SQLite) deployment's webhook outbox, on a real server process and a real
 * SQLite file: a webhook owed when the process dies is delivered by the next run on the same
 * data dir; svix-mode channels route to the subscribed endpoints; cancelled jobs notify Failed.
 */
const SECRET = `whsec_${Buffer.from('folio-outbox-test-secret-0123456789').toString('base64')}`;

interface Delivery {
  path: string;
  /** svix's own verification of the signature; 'refused' when the receiver answered 500. */
  verified: unknown;
  id: string;
}

/** A receiver on 127.0.0.1 that refuses paths listed in `failing` with 500 and verifies the rest. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly failing = new Set<string>();
  #server!: Server;
  url = '';

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    const verifier = new Webhook(SECRET);
    r.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const h = req.headers as Record<string, string>;
        if (r.failing.has(path)) {
          r.deliveries.push({ path, verified: 'refused', id: h['svix-id'] });
          res.writeHead(500).end('down');
          return;
        }
        let verified: unknown;
        try {
          verified = verifier.verify(body, { 'svix-id': h['svix-id'], 'svix-timestamp': h['svix-timestamp'], 'svix-signature': h['svix-signature'] });
        } catch (err) {
          verified = `unverified: ${String(err)}`;
        }
        r.deliveries.push({ path, verified, id: h['svix-id'] });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((ok) => r.#server.listen(0, '127.0.0.1', ok));
    r.url = `http://127.0.0.1:${(r.#server.address() as AddressInfo).port}`;
    return r;
  }

  accepted(path: string, jobId?: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path && d.verified !== 'refused' && (!jobId || (d.verified as { job_id?: string }).job_id === jobId));
  }

  async waitFor(path: string, jobId: string, timeoutMs = 300_000): Promise<Delivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.accepted(path, jobId);
      if (got.length) return got[0];
      if (Date.now() > deadline) throw new Error(`no delivery of ${jobId} to ${path}: ${JSON.stringify(this.deliveries)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((ok) => this.#server.close(() => ok()));
  }
}

const baseEnv = { FOLIO_WEBHOOK_SECRET: SECRET, FOLIO_ALLOW_PRIVATE_WEBHOOKS: '1' };

async function attemptsOf(api: RawClient, jobId: string): Promise<Array<{ url: string; attempt: number; status_code: number | null }>> {
  return (await api.request('GET', `/job/${jobId}/webhook_attempts`)).body.attempts;
}

describe('webhook outbox (embedded)', () => {
  let receiver: Receiver;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
    await receiver.close();
  });

  it('a webhook still being retried at SIGKILL is delivered by the restarted server, once, attempts numbered on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'folio-outbox-'));
    try {
      // An hour's backoff: the claim of the killed run lasts past this test unless its death is
      // noticed, so any delivery by the restarted server proves it noticed (no clock needed).
      const env = { ...baseEnv, FOLIO_WEBHOOK_BACKOFF_MS: '3600000', FOLIO_WEBHOOK_ATTEMPTS: '5' };
      receiver.failing.add('/crash');
      const first = await startServerProcess({ workers: 1, env, dataDir });
      servers.push(first);
      const api = rawClient(first.baseURL, first.apiKeys[0]);
      const fileId = await api.upload(await makePdf(1), 'one.pdf');
      const { body } = await api.request('POST', '/parse_async', { input: fileId, async: { webhook: { mode: 'direct', url: `${receiver.url}/crash` }, metadata: { order: 9 } } });
      const jobId = body.job_id as string;
      expect((await api.waitDone(jobId)).status).toBe('Completed');
      for (;;) {
        if ((await attemptsOf(api, jobId)).length >= 1) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await first.kill();
      receiver.failing.delete('/crash');
      expect(receiver.accepted('/crash')).toEqual([]);

      const second = await startServerProcess({ workers: 1, env, dataDir });
      servers.push(second);
      const api2 = rawClient(second.baseURL, second.apiKeys[0]);
      const delivery = await receiver.waitFor('/crash', jobId);
      expect(delivery.verified).toEqual({ status: 'Completed', job_id: jobId, metadata: { order: 9 } });
      expect(delivery.id).toBe(`msg_${jobId}_completed`);
      await new Promise((r) => setTimeout(r, 1500));
      expect(receiver.accepted('/crash', jobId)).toHaveLength(1);
      const attempts = await attemptsOf(api2, jobId);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
      expect(attempts.map((a) => a.status_code)).toEqual([500, 200]);
      // Every delivery of this job (refused or not) carried the same message id.
      expect(new Set(receiver.deliveries.filter((d) => d.path === '/crash').map((d) => d.id))).toEqual(new Set([`msg_${jobId}_completed`]));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('svix mode routes by channel: unfiltered endpoints get everything, filtered ones only their channels', async () => {
    const u = receiver.url;
    const server = await startServerProcess({
      workers: 1,
      env: { ...baseEnv, FOLIO_WEBHOOK_ENDPOINTS: `${u}/all,${u}/ops#ops,${u}/money#billing,finance` },
    });
    servers.push(server);
    const api = rawClient(server.baseURL, server.apiKeys[0]);
    const fileId = await api.upload(await makePdf(1), 'one.pdf');
    const submit = async (channels?: string[]): Promise<string> =>
      (await api.request('POST', '/parse_async', { input: fileId, async: { webhook: { mode: 'svix', ...(channels ? { channels } : {}) } } })).body.job_id;
    const finance = await submit(['finance']);
    const ops = await submit(['ops', 'unknown']);
    const none = await submit();

    await receiver.waitFor('/all', finance);
    await receiver.waitFor('/money', finance);
    await receiver.waitFor('/all', ops);
    await receiver.waitFor('/ops', ops);
    await receiver.waitFor('/all', none);
    await new Promise((r) => setTimeout(r, 1000));
    const urlsOf = async (id: string): Promise<string[]> => (await attemptsOf(api, id)).map((a) => a.url.slice(u.length)).sort();
    expect(await urlsOf(finance)).toEqual(['/all', '/money']);
    expect(await urlsOf(ops)).toEqual(['/all', '/ops']);
    // A message without channels reaches only the endpoints without a filter (Svix's rule).
    expect(await urlsOf(none)).toEqual(['/all']);
    expect(receiver.accepted('/ops', finance)).toEqual([]);
    expect(receiver.accepted('/money', none)).toEqual([]);
  });

  it('a cancelled job (pending or running) notifies {status: "Failed"} once; GET /job reads Failed, "Job cancelled"', async () => {
    const server = await startServerProcess({ workers: 1, env: { ...baseEnv, FOLIO_WEBHOOK_BACKOFF_MS: '100' } });
    servers.push(server);
    const api = rawClient(server.baseURL, server.apiKeys[0]);
    // Long enough (≈ 2.5 s of parsing) to be running still when the cancel arrives.
    const long = await api.upload(await makePdf(600), 'long.pdf');
    const hook = (path: string): unknown => ({ mode: 'direct', url: `${receiver.url}${path}` });
    const running = (await api.request('POST', '/parse_async', { input: long, async: { webhook: hook('/cancel-running'), metadata: 'r' } })).body.job_id;
    for (;;) {
      const job = (await api.request('GET', `/job/${running}`)).body;
      if (job.progress > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // One worker thread, busy: this one waits in the queue.
    const pending = (await api.request('POST', '/parse_async', { input: long, async: { webhook: hook('/cancel-pending'), metadata: { p: 1 } } })).body.job_id;
    expect((await api.request('GET', `/job/${pending}`)).body.status).toBe('Pending');

    for (const id of [pending, running]) expect((await api.request('POST', `/cancel/${id}`)).status).toBeLessThan(300);
    const [p, r] = await Promise.all([receiver.waitFor('/cancel-pending', pending), receiver.waitFor('/cancel-running', running)]);
    expect(p.verified).toEqual({ status: 'Failed', job_id: pending, metadata: { p: 1 } });
    expect(r.verified).toEqual({ status: 'Failed', job_id: running, metadata: 'r' });
    expect(p.id).toBe(`msg_${pending}_failed`);
    for (const id of [pending, running]) {
      const job = (await api.request('GET', `/job/${id}`)).body;
      expect(job.status).toBe('Failed');
      expect(job.reason).toBe('Job cancelled');
    }
    // The stopped worker writes nothing more: no second webhook.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.deliveries.filter((d) => d.path === '/cancel-running')).toHaveLength(1);
    expect(receiver.deliveries.filter((d) => d.path === '/cancel-pending')).toHaveLength(1);

    // Deleting a job removes its webhook bookkeeping with it.
    expect((await api.request('DELETE', `/job/${pending}`)).status).toBe(202);
    const db = new Database(join(server.dataDir, 'folio.db'), { readonly: true });
    const left = (table: string, id: string): unknown => db.prepare(`SELECT count(*) AS n FROM ${table} WHERE job_id = ?`).get(id);
    expect([left('webhook_outbox', pending), left('webhook_attempts', pending)]).toEqual([{ n: 0 }, { n: 0 }]);
    expect(left('webhook_outbox', running)).toEqual({ n: 1 });
    db.close();
  });
});
