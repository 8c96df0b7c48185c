/**
 * The `folio` binary run as a user runs it: a spawned process, its stdout, stderr and exit
 * code. Remote commands talk to a real server process on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { Folio } from '@folio/sdk';
import { main } from '../src/main.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';
import { makePdf } from '../../server/test/fixtures.ts';

// The CLI from its source, as `npm run folio --` runs it in a checkout; the compiled `folio`
// bin of the packed package is checked by pack.test.ts.
const FOLIO = ['--conditions=@folio/source', '--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))];

interface Run { code: number | null; stdout: string; stderr: string }

function folio(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FOLIO, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-cli-'));
  writeFileSync(join(dir, 'note.md'), '# Release notes\n\nFolio parses documents.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
  writeFileSync(join(dir, 'broken.pdf'), '%PDF-1.7\nnot really a PDF at all\n');
  writeFileSync(join(dir, 'invoice.md'), '# Invoice\n\nInvoice number: INV-2024-001\n\nTotal: $1,575.00\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** In-process run of the same `main` the binary calls, for the many quick usage checks. */
async function folioInProcess(args: string[]): Promise<Run> {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d) => (text += d));
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
  };
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('help and usage', () => {
  it('the binary prints an overview', async () => {
    const overview = await folio(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('Usage: folio COMMAND');
    const bare = await folio([]);
    expect(bare.code).toBe(2);
  });

  it('every command has --help', async () => {
    const overview = await folioInProcess(['--help']);
    const names = [...overview.stdout.matchAll(/^ {2}(\S+(?: (?:list|get|cancel|wait|delete|parse|extract))?) {2,}/gm)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['serve', 'worker', 'parse', 'extract', 'upload', 'run parse', 'run extract', 'jobs list', 'jobs get', 'jobs cancel', 'jobs wait', 'jobs delete']));
    for (const name of names) {
      const help = await folioInProcess([...name.split(' '), '--help']);
      expect(help.code, name).toBe(0);
      expect(help.stdout).toContain(`Usage: folio ${name}`);
    }
    expect((await folioInProcess(['jobs', '--help'])).stdout).toContain('jobs wait');
  });

  it('exits 2 on bad usage', async () => {
    const unknown = await folioInProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    const badFlag = await folioInProcess(['parse', join(dir, 'note.md'), '--chunk-mode', 'nope']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--chunk-mode must be one of');
    expect((await folioInProcess(['jobs', 'get'])).code).toBe(2);
    expect((await folioInProcess(['jobs', 'list', '--bogus'])).code).toBe(2);
    expect((await folioInProcess(['jobs', 'list', '--limit', 'ten'])).code).toBe(2);
    expect((await folioInProcess(['run', 'parse', 'x.pdf', '--page-range', '3-1'])).code).toBe(2);
  });
});

describe('folio parse (local engine)', () => {
  it('prints Markdown, or the parse result as JSON', async () => {
    const md = await folio(['parse', join(dir, 'note.md'), '--table-format', 'html']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('Release notes');
    expect(md.stdout).toContain('<table>');
    const json = await folio(['parse', join(dir, 'note.md'), '--format', 'json', '--chunk-mode', 'block']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { result: { type: string; chunks: Array<{ blocks: unknown[] }> } };
    expect(parsed.result.type).toBe('full');
    expect(parsed.result.chunks.length).toBeGreaterThan(1);
  });

  it('extract prints the extract response for a schema', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { invoice_number: { type: 'string' }, total: { type: 'number' } } });
    const run = await folio(['extract', join(dir, 'invoice.md'), '--schema', schema]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { result: unknown[] }).result).toEqual([{ invoice_number: 'INV-2024-001', total: 1575 }]);
  });

  it('fails with exit 1 and a clear message on a missing file', async () => {
    const run = await folio(['parse', join(dir, 'nope.pdf')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENOENT');
  });
});

describe('against a server', () => {
  let server: ServerProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServerProcess({ workers: 2 });
    env = { FOLIO_BASE_URL: server.baseURL, FOLIO_API_KEY: server.apiKeys[0] };
    writeFileSync(join(dir, 'long.pdf'), await makePdf(40));
  });
  afterAll(() => server?.stop());

  it('run parse --wait draws a progress bar from job progress and prints the Markdown', async () => {
    const run = await folio(['run', 'parse', join(dir, 'long.pdf'), '--wait', '--chunk-mode', 'page'], env);
    expect(run.stderr).toMatch(/^job [0-9a-f-]{36}$/m);
    expect(run.code, run.stderr).toBe(0);
    const bars = run.stderr.split('\n').filter((l) => l.startsWith('['));
    for (const bar of bars) expect(bar).toMatch(/^\[[#-]{30}\] +\d{1,3}% \w+/);
    expect(bars.at(-1)).toMatch(/100% Completed$/);
    // Driven by the job's real progress: the bar moved through pages, never backwards.
    const percents = bars.map((b) => Number(/(\d+)%/.exec(b)![1]));
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(run.stdout).toContain('Page 40 of the Folio test document');
  });

  it('run extract --wait prints the result with citations', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { invoice_number: { type: 'string' } } });
    const run = await folio(['run', 'extract', join(dir, 'invoice.md'), '--schema', schema, '--citations', '--wait', '-q'], env);
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout) as { result: { invoice_number: { value: string; citations: Array<{ bbox: { page: number } }> } } };
    expect(body.result.invoice_number.value).toBe('INV-2024-001');
    expect(body.result.invoice_number.citations[0].bbox.page).toBe(1);
  });

  it('a failed job exits 1 with the reason', async () => {
    const run = await folio(['run', 'parse', join(dir, 'broken.pdf'), '--wait'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: Job [0-9a-f-]{36} failed: \S+/);
  });

  it('upload, jobs list/get/wait/cancel/delete', async () => {
    const upload = await folio(['upload', join(dir, 'note.md')], env);
    expect(upload.code).toBe(0);
    const fileId = upload.stdout.trim();
    expect(fileId).toMatch(/^reducto:\/\/.+\.md$/);

    const submitted = await folio(['run', 'parse', fileId, '--json', '--server', server.baseURL, '--api-key', server.apiKeys[0]]);
    expect(submitted.code).toBe(0);
    const { job_id } = JSON.parse(submitted.stdout) as { job_id: string };

    const wait = await folio(['jobs', 'wait', job_id, '--quiet'], env);
    expect(wait.code).toBe(0);
    expect(wait.stdout).toMatch(/status\s+Completed/);

    const list = await folio(['jobs', 'list', '--json', '--limit', '2'], env);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { jobs: Array<{ job_id: string }> }).jobs.map((j) => j.job_id)).toContain(job_id);
    const table = await folio(['jobs', 'list'], env);
    expect(table.stdout).toMatch(/^JOB ID\s+TYPE\s+STATUS/);

    const get = await folio(['jobs', 'get', job_id, '--json'], env);
    expect((JSON.parse(get.stdout) as { status: string }).status).toBe('Completed');

    // A long job, cancelled: `jobs wait` exits 3. Long enough (≈ 4 s of parsing) to outlast
    // starting the CLI process that cancels it.
    const client = new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[0] });
    const long = await client.upload({ file: new Blob([await makePdf(1000) as Uint8Array<ArrayBuffer>]), filename: 'long.pdf' });
    const { job_id: longId } = await client.parse.runJob({ input: long.file_id });
    const cancel = await folio(['jobs', 'cancel', longId], env);
    expect(cancel.code).toBe(0);
    const waitCancelled = await folio(['jobs', 'wait', longId], env);
    expect(waitCancelled.code).toBe(3);
    expect(waitCancelled.stderr).toContain('cancelled');

    const del = await folio(['jobs', 'delete', job_id], env);
    expect(del.code).toBe(0);
    const gone = await folio(['jobs', 'get', job_id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('404');
  });

  it('exits 1 with a connection error when no server answers', async () => {
    const run = await folio(['jobs', 'list', '--server', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Connection error/);
    // It names the URL it tried and why (fetch refuses port 9 outright).
    expect(run.stderr).toContain('the Folio server at http://127.0.0.1:9 (bad port)');
  });
});
