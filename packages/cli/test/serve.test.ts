/**
 * `folio serve` (what `npm start` runs) and `folio worker`, spawned as a user runs them: the
 * API, the Studio (checked in headless Chromium when installed) and the two roles split
 * across processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Folio } from '@folio/sdk';
import { makePdf } from '../../server/test/fixtures.ts';
import { evaluateWhenReady } from './headless-page.ts';

/** Only a hang takes this long, even on a loaded machine: tests wait for events, not for a budget. */
const HANG_MS = 300_000;
// The CLI from its source, as `npm run folio --` runs it in a checkout; the compiled `folio`
// bin of the packed package is checked by pack.test.ts.
const FOLIO = ['--conditions=@folio/source', '--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))];

/** Headless Chromium for the Studio check, when installed (Debian package `chromium`). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH ?? ''].find((p) => p && existsSync(p));

describe('folio serve (what npm start runs) with the Studio', () => {
  let child: ChildProcess;
  let url: string;
  let data: string;
  let stderr = '';
  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'folio-serve-'));
    child = spawn(process.execPath, [...FOLIO, 'serve', '--port', '0', '--workers', '1', '--data-dir', data], {
      env: { ...process.env, FOLIO_LOG_LEVEL: 'warn', FOLIO_API_KEYS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d) => (stderr += d));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${stderr}`)), HANG_MS);
      child.stderr!.on('data', () => {
        const m = /Folio listening on (http:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });

  it('serves the API and the Studio page, script and pdf.js worker', async () => {
    expect(await (await fetch(`${url}/version`)).json()).toMatch(/folio/i);
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Folio Studio');
    const script = await fetch(`${url}/studio/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toMatch(/Folio/);
    expect((await fetch(`${url}/studio/pdf.worker.mjs`)).status).toBe(200);
  });

  it.skipIf(!CHROMIUM)('the Studio, in headless Chromium, shows a finished job\'s blocks drawn over its pages', async () => {
    const client = new Folio({ baseURL: url });
    const { file_id } = await client.upload({ file: new File(['# Studio check\n\nA paragraph of text.\n\n- one\n- two\n'], 'studio.md') });
    const parsed = await client.parse.runAndWait({ input: file_id });
    const dom = await new Promise<string>((resolve, reject) => {
      const browser = spawn(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', `${url}/#job=${parsed.job_id}`], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      browser.stdout.on('data', (d) => (out += d));
      browser.on('error', reject);
      browser.on('close', () => resolve(out));
    });
    expect(dom).toContain('server folio'); // apiVersion() through the SDK bundle
    expect(dom).toContain(parsed.job_id.slice(0, 8)); // the jobs table (job.getAll)
    expect(dom.match(/class="box"/g)?.length ?? 0).toBeGreaterThanOrEqual(3); // Title, Text, List Items
    expect(dom).toContain('A paragraph of text.');
  });

  it.skipIf(!CHROMIUM)('the Studio draws a PDF job\'s pages from the server\'s copy when opened by link', async () => {
    const client = new Folio({ baseURL: url });
    const { file_id } = await client.upload({ file: new File([(await makePdf(1)) as Uint8Array<ArrayBuffer>], 'linked.pdf') });
    const parsed = await client.parse.runAndWait({ input: file_id });
    // The page canvas appears once pdf.js has drawn the server's copy of the PDF.
    const pages = await evaluateWhenReady(CHROMIUM!, `${url}/#job=${parsed.job_id}`, "document.querySelector('#tab-pages canvas') && document.getElementById('tab-pages').innerHTML");
    expect(pages).toMatch(/<canvas width="\d+" height="\d+"/);
    expect(String(pages).match(/class="box"/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('folio serve --workers 0 + folio worker (roles in separate processes)', () => {
  it('an API-only server queues the job and a worker process runs it', async () => {
    const data = mkdtempSync(join(tmpdir(), 'folio-roles-'));
    const env = { ...process.env, FOLIO_LOG_LEVEL: 'warn', FOLIO_API_KEYS: '', FOLIO_DATA_DIR: data };
    const children: ChildProcess[] = [];
    const start = (args: string[], ready: RegExp) => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...FOLIO, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`not ready:\n${stderr}`)), HANG_MS);
      child.stderr!.on('data', (d) => {
        stderr += d;
        const m = ready.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] ?? '');
        }
      });
    });
    try {
      const url = await start(['serve', '--port', '0', '--workers', '0'], /Folio listening on (http:\/\/\S+)/);
      const client = new Folio({ baseURL: url });
      const { file_id } = await client.upload({ file: new File(['# Roles\n\nQueued by the API, run by a worker.\n'], 'roles.md') });
      const { job_id } = await client.parse.runJob({ input: file_id });
      await new Promise((r) => setTimeout(r, 500));
      expect((await client.job.get(job_id)).status).toBe('Pending'); // no worker yet
      await start(['worker', '--workers', '1'], /Folio worker running (\d+) worker/);
      const parsed = await client.parse.runAndWait({ input: file_id }, { timeout: HANG_MS });
      expect(parsed.result.type === 'full' && parsed.result.chunks[0].content).toContain('run by a worker');
      expect((await client.job.wait(job_id, { timeout: HANG_MS })).status).toBe('Completed');
      // The worker's events reach this API process only through the stream's slow poll: the
      // stream must end on the terminal status without writing after its end (that crashed the API).
      const second = await client.parse.runJob({ input: file_id });
      const statuses: string[] = [];
      for await (const ev of client.job.events(second.job_id)) statuses.push((ev.data as { status: string }).status);
      expect(statuses.at(-1)).toBe('Completed');
      await new Promise((r) => setTimeout(r, 1_500)); // past the next poll tick
      expect((await client.job.get(second.job_id)).status).toBe('Completed');
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('close', r) : r(null)))));
      rmSync(data, { recursive: true, force: true });
    }
  });
});

