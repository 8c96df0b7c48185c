/**
 * bench/jobs/cancel — how fast a cancel frees a worker thread (npm run bench:cancel).
 * One worker thread: a long PDF parse runs, a 1-page parse waits behind it, the long one is
 * cancelled; we time cancel → the waiting job starts (the thread is free) and cancel → it
 * completes. The engine checks its AbortSignal between pages and the pool replaces a thread
 * that does not stop within 0.4 s, so "started" should stay well under a second.
 * Options: --runs N (default 10), --pages N (long document, default 1000).
 * Figures are printed and written to bench/out/cancel.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, pages: { type: 'string', default: '1000' } } });
const RUNS = Number(values.runs);
const PAGES = Number(values.pages);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const round = (x: number): number => Math.round(x);

const server = await startServerProcess({ workers: 1, env: { FOLIO_LOG_LEVEL: 'error' } });
const api = rawClient(server.baseURL, server.apiKeys[0]);
const long = await api.upload(await makePdf(PAGES), 'long.pdf');
const small = await api.upload(await makePdf(1), 'one.pdf');
/** The internal status (the list view; GET /job shows InProgress as Pending). */
const statusOf = async (jobId: string): Promise<string> => {
  const { body } = await api.request('GET', '/jobs?limit=10&exclude_configs=true');
  return (body.jobs as Array<{ job_id: string; status: string }>).find((j) => j.job_id === jobId)?.status ?? 'unknown';
};

const started: number[] = [];
const completed: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const { body: job } = await api.request('POST', '/parse_async', { input: long });
  while (!((await api.request('GET', `/job/${job.job_id}`)).body.progress > 0)) await sleep(10);
  const { body: next } = await api.request('POST', '/parse_async', { input: small });
  const t0 = performance.now();
  await api.request('POST', `/cancel/${job.job_id}`);
  while ((await statusOf(next.job_id)) === 'Pending') await sleep(5);
  started.push(performance.now() - t0);
  while ((await api.request('GET', `/job/${next.job_id}`)).body.status !== 'Completed') await sleep(5);
  completed.push(performance.now() - t0);
  const { body: after } = await api.request('GET', `/job/${job.job_id}`);
  if (after.reason !== 'Job cancelled') throw new Error(`run ${run}: the long job ended ${after.status} (${after.reason})`);
}
await server.stop();

const results = {
  machine: `${cpus().length} cores`, at: new Date().toISOString(), runs: RUNS, long_pages: PAGES,
  cancel_to_next_started_ms: { p50: round(quantile(started, 0.5)), max: round(Math.max(...started)) },
  cancel_to_next_completed_ms: { p50: round(quantile(completed, 0.5)), max: round(Math.max(...completed)) },
};
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/cancel.json', JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
