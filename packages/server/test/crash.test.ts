import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient } from './http-client.ts';

describe('crash durability', () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
  });

  it('50 async jobs survive SIGKILL mid-way: after a restart on the same data dir all complete exactly once', async () => {
    // Every completion sends one webhook; a job completed twice would be announced twice.
    const announced = new Map<string, number>();
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { job_id, status } = JSON.parse(body) as { job_id: string; status: string };
        if (status === 'Completed') announced.set(job_id, (announced.get(job_id) ?? 0) + 1);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = { mode: 'direct', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` };
    // Short leases so the jobs held by the killed process return to the queue quickly.
    const env = { FOLIO_LEASE_S: '2', FOLIO_ALLOW_PRIVATE_WEBHOOKS: '1' };
    const first = await startServerProcess({ workers: 2, env });
    servers.push(first);
    const api = rawClient(first.baseURL, first.apiKeys[0]);
    const fileId = await api.upload(await makePdf(5), 'five.pdf');
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await api.request('POST', '/parse_async', { input: fileId, async: { webhook: hook } })).body.job_id);

    // Kill once some, but not all, jobs are done.
    for (;;) {
      const { body } = await api.request('GET', '/jobs?limit=100&status=Completed');
      if (body.jobs.length >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await first.kill();
    const announcedAtKill = new Set(announced.keys());
    const before = new Database(join(first.dataDir, 'folio.db'), { readonly: true });
    const stateAtKill = before.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: number }>;
    const recordedAtKill = new Set((before.prepare('SELECT DISTINCT job_id FROM webhook_attempts WHERE error IS NULL').all() as Array<{ job_id: string }>).map((r) => r.job_id));
    before.close();
    expect(stateAtKill.find((s) => s.status === 'Completed')?.n ?? 0).toBeLessThan(50);

    const second = await startServerProcess({ workers: 2, env, dataDir: first.dataDir });
    servers.push(second);
    const api2 = rawClient(second.baseURL, second.apiKeys[0]);
    for (const id of ids) expect((await api2.waitDone(id)).status, id).toBe('Completed');

    const db = new Database(join(first.dataDir, 'folio.db'), { readonly: true });
    const rows = db.prepare('SELECT id, status, attempts, finished_at FROM jobs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<{ status: string; attempts: number }>;
    db.close();
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.status === 'Completed')).toBe(true);
    // The jobs that were running at the kill ran again; none went past the attempt limit.
    expect(rows.some((r) => r.attempts === 2)).toBe(true);
    expect(rows.every((r) => r.attempts <= 3)).toBe(true);
    // Completed exactly once: results carry the first completion's job_id and never change.
    const after = await Promise.all(ids.map((id) => api2.request('GET', `/job/${id}`)));
    for (const [i, r] of after.entries()) expect(r.body.result.job_id).toBe(ids[i]);
    // Every job announced (the outbox resends what the kill interrupted), none twice — except
    // a POST the receiver had answered but the killed process had not yet recorded: at least
    // once, with the same message id.
    while (announced.size < 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(announced.size).toBe(50);
    const inFlightAtKill = new Set([...announcedAtKill].filter((id) => !recordedAtKill.has(id)));
    for (const [id, n] of announced) expect(n === 1 || (n === 2 && inFlightAtKill.has(id)), `${id} announced ${n} times`).toBe(true);
    receiver.close();
  });

  it('a graceful stop (SIGTERM) gives running jobs back to the queue at once, attempt not counted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'folio-sigterm-'));
    try {
      const server = await startServerProcess({ workers: 1, dataDir });
      const api = rawClient(server.baseURL, server.apiKeys[0]);
      // Long enough (≈ 2.5 s of parsing) to be running still when the stop arrives.
      const fileId = await api.upload(await makePdf(600), 'long.pdf');
      const { body } = await api.request('POST', '/parse_async', { input: fileId });
      for (;;) {
        const job = (await api.request('GET', `/job/${body.job_id}`)).body;
        if (job.progress > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.stop();
      expect(server.child.exitCode).toBe(0);
      const db = new Database(join(dataDir, 'folio.db'), { readonly: true });
      const row = db.prepare('SELECT status, attempts, lease_owner FROM jobs WHERE id = ?').get(body.job_id);
      db.close();
      expect(row).toEqual({ status: 'Pending', attempts: 0, lease_owner: null });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
