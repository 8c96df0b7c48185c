/**
 * bench/jobs — the job system's speed, in one run on this machine (npm run bench:jobs):
 *  1. async submit → Completed latency of a 1-page PDF (p50/p99), observed through SSE;
 *  2. GET /job/{id} requests/s with autocannon, next to a bare Fastify + SQLite point read;
 *  3. GET /jobs latency for a page of 100 with 1,000,000 stored jobs (first and deep page).
 * Figures are printed and written to bench/out/jobs.json. Options: --jobs N (latency runs,
 * default 200), --rows N (stored jobs, default 1000000), --seconds N (autocannon, default 10).
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ApiKeys } from '../../packages/server/src/auth/api-keys.ts';
import { SqliteStore } from '../../packages/server/src/backends/embedded/sqlite-store.ts';
import { encodeCursor } from '../../packages/server/src/jobs/job.ts';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '200' }, rows: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '10' } } });
const JOBS = Number(values.jobs);
const ROWS = Number(values.rows);
const SECONDS = Number(values.seconds);
const KEY = 'bench-key';

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x: number): number => Math.round(x * 100) / 100;

/** Wait for the terminal SSE event of a job. */
async function untilTerminal(baseURL: string, jobId: string): Promise<string> {
  const res = await fetch(`${baseURL}/job/${jobId}/events`, { headers: { authorization: `Bearer ${KEY}` } });
  const reader = res.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const m = /event: status\ndata: (.+)\n/.exec(text);
    if (m) {
      await reader.cancel();
      return (JSON.parse(m[1]) as { status: string }).status;
    }
  }
  throw new Error('event stream ended without a status');
}

async function latency(): Promise<{ p50: number; p99: number; mean: number; n: number; getJobId: string; baseURL: string; pid: number | undefined; stop: () => Promise<void>; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-bench-latency-'));
  const server = await startServerProcess({ apiKeys: [KEY], workers: 2, dataDir, env: { FOLIO_LOG_LEVEL: 'error' } });
  const api = rawClient(server.baseURL, KEY);
  const fileId = await api.upload(await makePdf(1), 'one.pdf');
  const run = async (): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${server.baseURL}/parse_async`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: fileId }) });
    const { job_id } = (await res.json()) as { job_id: string };
    const status = await untilTerminal(server.baseURL, job_id);
    if (status !== 'Completed') throw new Error(`job ${job_id} ended ${status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 10; i++) await run(); // warm both threads' code paths
  const times: number[] = [];
  for (let i = 0; i < JOBS; i++) times.push(await run());
  const { body } = await api.request('GET', '/jobs?limit=1&status=Completed');
  return {
    p50: round(quantile(times, 0.5)), p99: round(quantile(times, 0.99)), mean: round(times.reduce((a, b) => a + b, 0) / times.length), n: times.length,
    getJobId: body.jobs[0].job_id, baseURL: server.baseURL, pid: server.child.pid, stop: () => server.stop(), dataDir,
  };
}

/** CPU time (user + system, ms) a process has used so far; null off Linux. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s ticks
  } catch {
    return null;
  }
}

/**
 * autocannon against one URL. With the server's pid, also the server's CPU time per
 * request: on a 2-core machine the load generator shares the CPU, so requests/s is partly
 * its ceiling, while CPU per request is the server's own cost.
 */
async function cannon(url: string, connections: number, headers: Record<string, string> = {}, pid?: number) {
  const before = cpuMs(pid);
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  const after = cpuMs(pid);
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  const cpuUsPerRequest = before !== null && after !== null ? round(((after - before) * 1000) / r.requests.total) : null;
  return { rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, ...(pid ? { server_cpu_us_per_request: cpuUsPerRequest } : {}) };
}

async function bareServer(dbFile: string): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(process.execPath, ['--conditions=@folio/source', '--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url)), dbFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** A data dir whose SQLite file holds `rows` jobs of one owner, inserted directly. */
function seedJobs(rows: number): { dataDir: string; cursorDeep: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-bench-jobs-'));
  const store = new SqliteStore(join(dataDir, 'folio.db'));
  const owner = new ApiKeys([KEY]).ownerOf(`Bearer ${KEY}`);
  const insert = store.db.prepare(`INSERT INTO jobs (id, owner, type, status, raw_config, config, input, result, num_pages, total_pages, duration, created_at, finished_at, attempts)
    VALUES (?, ?, 'Parse', ?, ?, '{}', '{"ref":"reducto://x.pdf"}', NULL, 1, 1, 0.05, ?, ?, 1)`);
  const start = Date.now() - rows * 10;
  let deep = { createdAt: 0, id: '' };
  store.db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const id = randomUUID();
      const at = start + i * 10;
      insert.run(id, owner, i % 10 === 0 ? 'Failed' : 'Completed', '{"input":"reducto://x.pdf"}', at, at + 50);
      if (i === Math.floor(rows / 2)) deep = { createdAt: at, id };
    }
  })();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return { dataDir, cursorDeep: encodeCursor(deep) };
}

const results: Record<string, unknown> = { machine: `${cpus().length} cores`, at: new Date().toISOString() };

console.log(`1. submit → Completed latency (${JOBS} sequential 1-page PDF parses, 2 worker threads)…`);
const lat = await latency();
results.submit_to_completed_ms = { p50: lat.p50, p99: lat.p99, mean: lat.mean, n: lat.n };
console.log(results.submit_to_completed_ms);

console.log(`2. GET /job/{id} for ${SECONDS} s, 50 connections…`);
results.get_job = await cannon(`${lat.baseURL}/job/${lat.getJobId}`, 50, { authorization: `Bearer ${KEY}` }, lat.pid);
await lat.stop();
console.log(results.get_job);
// The ceiling, measured right after on the same jobs table: bare Fastify + one point read.
console.log(`   ceiling: bare Fastify + SQLite point read, ${SECONDS} s, 50 connections…`);
const bare = await bareServer(join(lat.dataDir, 'folio.db'));
results.bare_fastify_sqlite = await cannon(`${bare.url}/row/${lat.getJobId}`, 50, {}, bare.pid);
bare.stop();
results.get_job_vs_bare = round((results.get_job as { rps: number }).rps / (results.bare_fastify_sqlite as { rps: number }).rps);
const cpuOf = (k: string): number | null => (results[k] as { server_cpu_us_per_request?: number | null }).server_cpu_us_per_request ?? null;
const [ours, bareCpu] = [cpuOf('get_job'), cpuOf('bare_fastify_sqlite')];
if (ours && bareCpu) results.get_job_cpu_vs_bare = round(ours / bareCpu);
console.log(results.bare_fastify_sqlite);
rmSync(lat.dataDir, { recursive: true, force: true });

console.log(`3. GET /jobs?limit=100 with ${ROWS.toLocaleString()} stored jobs…`);
const t0 = Date.now();
const seeded = seedJobs(ROWS);
console.log(`   seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const listServer = await startServerProcess({ apiKeys: [KEY], workers: 0, dataDir: seeded.dataDir, env: { FOLIO_LOG_LEVEL: 'error' } });
const auth = { authorization: `Bearer ${KEY}` };
results.list_first_page_100 = await cannon(`${listServer.baseURL}/jobs?limit=100`, 1, auth);
results.list_deep_page_100 = await cannon(`${listServer.baseURL}/jobs?limit=100&cursor=${seeded.cursorDeep}`, 1, auth);
results.list_status_filter_100 = await cannon(`${listServer.baseURL}/jobs?limit=100&status=Failed&exclude_configs=true`, 1, auth);
console.log({ first: results.list_first_page_100, deep: results.list_deep_page_100, status: results.list_status_filter_100 });
await listServer.stop();
rmSync(seeded.dataDir, { recursive: true, force: true });

mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/jobs.json', JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
