/**
 * bench/jobs — the job system's speed, in one run on this machine (npm run bench:jobs):
 *  1. async submit → Completed latency of a 1-page PDF (p50/p99), observed through SSE;
 *  2. GET /job/{id} requests/s with autocannon, next to a bare Fastify + point read of the
 *     same jobs table;
 *  3. GET /jobs latency for a page of 100 with 1,000,000 stored jobs (first page, a deep page
 *     and a status-filtered page; with and without raw_config).
 * Figures are printed and written to bench/out/jobs.json (jobs-pg.json). Options: --jobs N
 * (latency runs, default 200), --rows N (stored jobs, default 1000000), --seconds N
 * (autocannon, default 10), --backend sqlite|pg (pg: the distributed backend on the test
 * PostgreSQL, FOLIO_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, in a
 * schema of its own dropped at the end; npm run bench:jobs:pg).
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
import { PgDatabase } from '../../packages/server/src/backends/postgres/pg-database.ts';
import { migrate } from '../../packages/server/src/backends/postgres/pg-schema.ts';
import { SqliteStore } from '../../packages/server/src/backends/embedded/sqlite-store.ts';
import { encodeCursor, type JobListQuery } from '../../packages/server/src/jobs/job.ts';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../../packages/server/test/distributed/pg-test-db.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '200' }, rows: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '10' }, backend: { type: 'string', default: 'sqlite' } } });
const JOBS = Number(values.jobs);
const ROWS = Number(values.rows);
const SECONDS = Number(values.seconds);
const PG = values.backend === 'pg';
if (!PG && values.backend !== 'sqlite') throw new Error(`--backend is sqlite or pg, got ${values.backend}`);
const KEY = 'bench-key';
const OWNER = new ApiKeys([KEY]).ownerOf(`Bearer ${KEY}`);
/** The PostgreSQL schema of this run (pg only). */
const SCHEMA = freshSchema('folio_bench');
/** Server environment: the distributed backend's database, or the embedded SQLite file. */
const backendEnv: Record<string, string> = PG ? { FOLIO_DATABASE_URL: TEST_DATABASE_URL, FOLIO_DATABASE_SCHEMA: SCHEMA } : {};

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
  const server = await startServerProcess({ apiKeys: [KEY], workers: 2, dataDir, env: { FOLIO_LOG_LEVEL: 'error', ...backendEnv } });
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
  // A wrong answer ends the run; a few socket errors (a connection reset under load, on a
  // loaded machine) are counted and reported, unless they stop being rare.
  if (r.non2xx) throw new Error(`${url}: ${r.non2xx} non-2xx answers`);
  const socketErrors = r.errors + r.timeouts;
  if (socketErrors > Math.max(MAX_SOCKET_ERRORS, r.requests.total * 0.001)) throw new Error(`${url}: ${r.errors} socket errors and ${r.timeouts} timeouts in ${r.requests.total} requests`);
  const cpuUsPerRequest = before !== null && after !== null ? round(((after - before) * 1000) / r.requests.total) : null;
  return {
    rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, requests: r.requests.total,
    socket_errors: r.errors, timeouts: r.timeouts, ...(pid ? { server_cpu_us_per_request: cpuUsPerRequest } : {}),
  };
}

/** Socket errors and timeouts a cannon run may have before the bench gives up (or 0.1 % of its requests). */
const MAX_SOCKET_ERRORS = 10;

async function bareServer(where: string[]): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(process.execPath, ['--conditions=@folio/source', '--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url)), ...where], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const owner = OWNER;
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

/**
 * The run's PostgreSQL schema holding `rows` more jobs of one owner (one in ten Failed),
 * inserted by one statement, then vacuumed and analysed as autovacuum would have.
 */
async function seedPgJobs(rows: number): Promise<{ dataDir: string; cursorDeep: string }> {
  const db = new PgDatabase(TEST_DATABASE_URL, SCHEMA, { max: 1, applicationName: 'folio-bench' });
  await migrate(db);
  const t = `${SCHEMA}.jobs`;
  await db.query(`INSERT INTO ${t} (id, owner, type, status, raw_config, config, input, num_pages, total_pages, duration, created_at, finished_at, attempts)
    SELECT gen_random_uuid()::text, $1, 'Parse', CASE WHEN i % 10 = 0 THEN 'Failed' ELSE 'Completed' END, '{"input":"reducto://x.pdf"}', '{}',
      '{"ref":"reducto://x.pdf"}', 1, 1, 0.05, $2::bigint + i * 10, $2::bigint + i * 10 + 50, 1 FROM generate_series(0, $3::int - 1) AS i`,
  [OWNER, Date.now() - rows * 10, rows]);
  await db.query(`VACUUM ANALYZE ${t}`);
  const { rows: [deep] } = await db.query<{ created_at: string; id: string }>(`SELECT created_at, id FROM ${t} WHERE owner = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, [OWNER, Math.floor(rows / 2)]);
  await db.close();
  return { dataDir: mkdtempSync(join(tmpdir(), 'folio-bench-jobs-')), cursorDeep: encodeCursor({ createdAt: Number(deep.created_at), id: deep.id }) };
}

const results: Record<string, unknown> = { machine: `${cpus().length} cores`, backend: PG ? 'postgresql' : 'sqlite', at: new Date().toISOString() };

console.log(`1. submit → Completed latency (${JOBS} sequential 1-page PDF parses, 2 worker threads)…`);
const lat = await latency();
results.submit_to_completed_ms = { p50: lat.p50, p99: lat.p99, mean: lat.mean, n: lat.n };
console.log(results.submit_to_completed_ms);

console.log(`2. GET /job/{id} for ${SECONDS} s, 50 connections…`);
results.get_job = await cannon(`${lat.baseURL}/job/${lat.getJobId}`, 50, { authorization: `Bearer ${KEY}` }, lat.pid);
await lat.stop();
console.log(results.get_job);
// The ceiling, measured right after on the same jobs table: bare Fastify + one point read.
const bareName = PG ? 'bare_fastify_pg' : 'bare_fastify_sqlite';
console.log(`   ceiling: bare Fastify + ${PG ? 'PostgreSQL' : 'SQLite'} point read, ${SECONDS} s, 50 connections…`);
const bare = await bareServer(PG ? [TEST_DATABASE_URL, SCHEMA] : [join(lat.dataDir, 'folio.db')]);
results[bareName] = await cannon(`${bare.url}/row/${lat.getJobId}`, 50, {}, bare.pid);
bare.stop();
results.get_job_vs_bare = round((results.get_job as { rps: number }).rps / (results[bareName] as { rps: number }).rps);
const cpuOf = (k: string): number | null => (results[k] as { server_cpu_us_per_request?: number | null }).server_cpu_us_per_request ?? null;
const [ours, bareCpu] = [cpuOf('get_job'), cpuOf(bareName)];
if (ours && bareCpu) results.get_job_cpu_vs_bare = round(ours / bareCpu);
console.log(results[bareName]);
rmSync(lat.dataDir, { recursive: true, force: true });

console.log(`3. GET /jobs?limit=100 with ${ROWS.toLocaleString()} stored jobs…`);
const t0 = Date.now();
const seeded = PG ? await seedPgJobs(ROWS) : seedJobs(ROWS);
console.log(`   seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (!PG) {
  // The store's own time per page, in this process: the part of a request the index decides,
  // without HTTP and with less of the scheduling noise of a loaded machine.
  const store = new SqliteStore(join(seeded.dataDir, 'folio.db'));
  const storeQueries: Record<string, Omit<JobListQuery, 'owner' | 'limit'>> = {
    first_page: { cursor: null },
    deep_page: { cursor: seeded.cursorDeep },
    status_filter: { cursor: null, status: 'Failed', excludeConfigs: true },
    first_page_lean: { cursor: null, excludeConfigs: true },
    deep_page_lean: { cursor: seeded.cursorDeep, excludeConfigs: true },
  };
  const storeMs: Record<string, { p50: number; p99: number }> = {};
  for (const [name, q] of Object.entries(storeQueries)) {
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await store.list({ owner: OWNER, limit: 100, ...q });
      times.push(performance.now() - t);
    }
    storeMs[name] = { p50: round(quantile(times, 0.5)), p99: round(quantile(times, 0.99)) };
  }
  store.close();
  results.list_store_ms = storeMs;
  console.log('   store.list, 500 calls each:', storeMs);
}
const listServer = await startServerProcess({ apiKeys: [KEY], workers: 0, dataDir: seeded.dataDir, env: { FOLIO_LOG_LEVEL: 'error', ...backendEnv } });
const auth = { authorization: `Bearer ${KEY}` };
const pages = {
  first_page: 'limit=100',
  deep_page: `limit=100&cursor=${seeded.cursorDeep}`,
  status_filter: 'limit=100&status=Failed&exclude_configs=true',
  // Without raw_config: the SQLite list index alone answers.
  first_page_lean: 'limit=100&exclude_configs=true',
  deep_page_lean: `limit=100&cursor=${seeded.cursorDeep}&exclude_configs=true`,
};
for (const [name, query] of Object.entries(pages)) {
  results[`list_${name}_100`] = await cannon(`${listServer.baseURL}/jobs?${query}`, 1, auth);
  console.log(name, results[`list_${name}_100`]);
}
await listServer.stop();
rmSync(seeded.dataDir, { recursive: true, force: true });
if (PG) await dropSchema(SCHEMA);

mkdirSync('bench/out', { recursive: true });
writeFileSync(`bench/out/${PG ? 'jobs-pg' : 'jobs'}.json`, JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
