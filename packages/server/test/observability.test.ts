/**
 * What an operator sees of a real server process: Prometheus metrics at GET /metrics and one
 * JSON log line (pino) per step of a job's life, at the default log level.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Folio, JobFailedError } from '@folio/sdk';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';

interface LogLine { level: number; msg: string; job_id?: string; [key: string]: unknown }

function logLines(server: ServerProcess): LogLine[] {
  return server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

/** Resolves once the process has written a log line matching `match` (lines arrive through a pipe). */
function waitForLine(server: ServerProcess, match: (line: LogLine) => boolean): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const line = logLines(server).find(match);
      if (line) {
        server.child.stdout!.off('data', onData);
        clearTimeout(timer);
        resolve(line);
      }
      return Boolean(line);
    };
    const onData = (): void => void check();
    const timer = setTimeout(() => {
      server.child.stdout!.off('data', onData);
      reject(new Error(`no such log line in:\n${server.output()}`));
    }, 300_000);
    server.child.stdout!.on('data', onData);
    check();
  });
}

/** The value of one sample of the exposition text, e.g. `folio_queue_depth` or `x{a="b"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(baseURL: string): Promise<string> {
  const response = await fetch(`${baseURL}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('a server process with workers, at the default log level', () => {
  let server: ServerProcess;
  let client: Folio;
  let completedId: string;
  let failedId: string;

  beforeAll(async () => {
    server = await startServerProcess({ workers: 1, env: { FOLIO_LOG_LEVEL: '' } });
    client = new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[0] });
    const good = await client.upload({ file: new File([(await makePdf(3)) as Uint8Array<ArrayBuffer>], 'three-pages.pdf', { type: 'application/pdf' }) });
    const parsed = await client.parse.run({ input: good.file_id });
    completedId = parsed.job_id;
    const bad = await client.upload({ file: new File([new TextEncoder().encode('%PDF-1.7\nthis is not a PDF')], 'broken.pdf', { type: 'application/pdf' }) });
    const { job_id } = await client.parse.runJob({ input: bad.file_id });
    failedId = job_id;
    await expect(client.job.wait(job_id)).rejects.toBeInstanceOf(JobFailedError);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('GET /metrics counts the completed job, its pages and duration, the failed one by error name', async () => {
    const text = await scrape(server.baseURL);
    expect(sample(text, 'folio_jobs_completed_total', { type: 'Parse' })).toBe(1);
    expect(sample(text, 'folio_pages_processed_total', { type: 'Parse' })).toBe(3);
    expect(sample(text, 'folio_job_duration_seconds_count', { type: 'Parse', status: 'Completed' })).toBe(1);
    expect(sample(text, 'folio_job_duration_seconds_bucket', { type: 'Parse', status: 'Completed', le: '+Inf' })).toBe(1);
    expect(sample(text, 'folio_job_duration_seconds_sum', { type: 'Parse', status: 'Completed' })).toBeGreaterThan(0);
    const failed = text.split('\n').filter((l) => l.startsWith('folio_jobs_failed_total{'));
    expect(failed).toEqual([expect.stringMatching(/^folio_jobs_failed_total\{type="Parse",error="[A-Z_]+"\} 1$/)]);
    expect(sample(text, 'folio_queue_depth')).toBe(0);
    expect(sample(text, 'folio_worker_threads')).toBe(1);
    expect(sample(text, 'folio_worker_threads_busy')).toBe(0);
    expect(sample(text, 'folio_worker_busy_seconds_total')).toBeGreaterThan(0);
    // Each job's peak worker memory: both jobs, at least the few MB a thread's heap holds.
    expect(sample(text, 'folio_job_peak_memory_bytes_count', { type: 'Parse' })).toBe(2);
    expect(sample(text, 'folio_job_peak_memory_bytes_sum', { type: 'Parse' })).toBeGreaterThan(2 * 1024 * 1024);
    // Requests by route pattern, and the process's own metrics.
    expect(sample(text, 'folio_http_request_duration_seconds_count', { method: 'POST', route: '/parse', status_code: '200' })).toBe(1);
    expect(sample(text, 'folio_http_request_duration_seconds_count', { method: 'GET', route: '/job/:job_id' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'folio_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('logs each job as JSON lines: submitted, started (worker, attempt), completed with duration and pages', async () => {
    const submitted = await waitForLine(server, (l) => l.msg === 'job submitted' && l.job_id === completedId);
    const started = await waitForLine(server, (l) => l.msg === 'job started' && l.job_id === completedId);
    const completed = await waitForLine(server, (l) => l.msg === 'job completed' && l.job_id === completedId);
    expect(submitted).toMatchObject({ type: 'Parse', level: 30 });
    expect(started).toMatchObject({ type: 'Parse', attempt: 1, worker: expect.stringMatching(/^worker-/) });
    expect(completed).toMatchObject({ type: 'Parse', pages: 3, duration_s: expect.any(Number), worker: started.worker, peak_memory_bytes: expect.any(Number) });
    expect(typeof completed.time).toBe('string');
  });

  it('logs a failed job with its error name and reason', async () => {
    const failed = await waitForLine(server, (l) => l.msg === 'job failed' && l.job_id === failedId);
    expect(failed).toMatchObject({ type: 'Parse', attempt: 1, error: expect.stringMatching(/^[A-Z_]+$/), reason: expect.any(String), duration_s: expect.any(Number), peak_memory_bytes: expect.any(Number) });
    expect(failed.error).not.toBe('INTERNAL_ERROR');
  });
});

describe('an API-only process', () => {
  let server: ServerProcess;
  afterAll(async () => {
    await server?.stop();
  });

  it('reports the jobs waiting for a worker as the queue depth', async () => {
    server = await startServerProcess({ workers: 0 });
    const client = new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[0] });
    const upload = await client.upload({ file: new File([(await makePdf(1)) as Uint8Array<ArrayBuffer>], 'one.pdf', { type: 'application/pdf' }) });
    await client.parse.runJob({ input: upload.file_id });
    await client.parse.runJob({ input: upload.file_id });
    const text = await scrape(server.baseURL);
    expect(sample(text, 'folio_queue_depth')).toBe(2);
    expect(sample(text, 'folio_worker_threads')).toBe(0);
    expect(sample(text, 'folio_jobs_completed_total', { type: 'Parse' })).toBeUndefined();
  });
});

describe('a worker-only process (folio worker --metrics-port)', () => {
  let child: ChildProcess | undefined;
  const data = mkdtempSync(join(tmpdir(), 'folio-worker-metrics-'));
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(data, { recursive: true, force: true });
  });

  it('serves GET /metrics on its own port', async () => {
    const cli = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
    child = spawn(process.execPath, ['--conditions=@folio/source', '--import', 'tsx', cli, 'worker', '--workers', '1', '--metrics-port', '0'], {
      env: { ...process.env, HOST: '127.0.0.1', FOLIO_DATA_DIR: data },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child!.stderr!.on('data', (d) => {
        stderr += d;
        const m = /metrics at (http:\/\/\S+)\/metrics/.exec(stderr);
        if (m) resolve(m[1]);
      });
      child!.once('exit', (code) => reject(new Error(`worker exited (${code}):\n${stderr}`)));
    });
    const text = await scrape(url);
    expect(sample(text, 'folio_worker_threads')).toBe(1);
    expect(sample(text, 'folio_queue_depth')).toBe(0);
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });
});
