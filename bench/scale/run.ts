/**
 * bench/scale — the distributed deployment's scaling, in one run (npm run bench:scale):
 *  1. pages/s for 1, 2 and 4 worker processes (one worker thread each) on the same batch of
 *     PDFs, submitted as async jobs through one API process (PostgreSQL + s3rver, fan-out off);
 *  2. one 500-page PDF with 4 worker processes: fan-out off (one worker parses it all) vs
 *     fan-out on (FOLIO_FANOUT_PAGES=50: ten parts in parallel, merged).
 * Needs the PostgreSQL of the test setup (FOLIO_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Figures are printed and written to
 * bench/out/scale.json. Options: --docs N --pages N (batch, default 12 × 20 pages),
 * --reports (batch pages of a long report, as bench:speed's generated PDF: two columns of
 * prose and a ruled table, about six times the text of the default's pages), --big N (fan-out
 * document pages, default 500), --workers 1,2,4.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import Reducto, { toFile } from 'reductoai';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { bigPdf } from '../speed/big-pdf.ts';
import { Cluster } from '../../packages/server/test/distributed/cluster.ts';
import { cpuSeconds, cpuSecondsOf } from '../process-cpu.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '12' },
    reports: { type: 'boolean', default: false },
    pages: { type: 'string', default: '20' },
    big: { type: 'string', default: '500' },
    workers: { type: 'string', default: '1,2,4' },
  },
});
const DOCS = Number(values.docs);
const PAGES = Number(values.pages);
const BIG = Number(values.big);
const WORKERS = values.workers!.split(',').map(Number);
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

async function waitAll(client: Reducto, ids: string[]): Promise<void> {
  const pending = new Set(ids);
  while (pending.size) {
    for (const id of [...pending]) {
      const job = await client.job.get(id);
      if (job.status === 'Completed') pending.delete(id);
      else if (job.status === 'Failed') throw new Error(`job ${id} failed: ${job.reason}`);
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU seconds so far: the worker processes, the API process(es), PostgreSQL, and this process (the polling client and s3rver). */
function cpuByPart(cluster: Cluster): Record<'workers' | 'api' | 'postgres' | 'clientAndS3', number> {
  const of = (role: 'api' | 'worker') => cluster.processes.filter((p) => p.role === role).reduce((a, p) => a + cpuSeconds(p.pid), 0);
  const self = process.cpuUsage();
  return { workers: of('worker'), api: of('api'), postgres: cpuSecondsOf('postgres'), clientAndS3: (self.user + self.system) / 1e6 };
}

/** Upload the documents, then time submit → all Completed; with the CPU seconds each part of the deployment spent meanwhile. */
async function timeBatch(cluster: Cluster, docs: Uint8Array[]): Promise<{ seconds: number; cpu: Record<string, number> }> {
  const client = new Reducto({ apiKey: cluster.apiKeys[0], baseURL: cluster.url, maxRetries: 2 });
  const inputs = [];
  for (const [i, d] of docs.entries()) inputs.push((await client.upload({ file: await toFile(Buffer.from(d), `doc-${i}.pdf`) })).file_id);
  const t0 = performance.now();
  const cpu0 = cpuByPart(cluster);
  const ids = await Promise.all(inputs.map(async (input) => (await client.parse.runJob({ input })).job_id));
  await waitAll(client, ids);
  const cpu1 = cpuByPart(cluster);
  const cpu = Object.fromEntries(Object.entries(cpu1).map(([k, v]) => [k, round(v - cpu0[k as keyof typeof cpu0], 1)]));
  return { seconds: (performance.now() - t0) / 1000, cpu };
}

async function withCluster<T>(workers: number, fanoutPages: number, run: (c: Cluster) => Promise<T>): Promise<T> {
  const cluster = await Cluster.start({ apis: 1, workers, threads: 1, env: { FOLIO_FANOUT_PAGES: String(fanoutPages), FOLIO_LEASE_S: '15' } });
  try {
    // Warm every worker (module loading, pdf.js) outside the timed runs; with fan-out, on a
    // document that splits too, so cutting, part reading and merging are not timed cold.
    await timeBatch(cluster, await Promise.all(Array.from({ length: workers }, () => makePdf(2))));
    if (fanoutPages > 0) await timeBatch(cluster, await Promise.all(Array.from({ length: workers }, () => makePdf(2 * fanoutPages))));
    return await run(cluster);
  } finally {
    await cluster.close();
  }
}

const batch = await Promise.all(Array.from({ length: DOCS }, (_, i) => (values.reports ? bigPdf(PAGES) : makePdf(PAGES, (p) => `Document ${i + 1}, page ${p}`))));
const big = await makePdf(BIG);
const totalPages = DOCS * PAGES;
console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
console.log(`batch: ${DOCS} PDFs × ${PAGES} ${values.reports ? 'report ' : ''}pages = ${totalPages} pages; fan-out document: ${BIG} pages\n`);

const throughput: Array<{ workers: number; seconds: number; pagesPerSecond: number; speedup: number; cpuSeconds: Record<string, number> }> = [];
let fanoutOff = 0;
for (const n of WORKERS) {
  await withCluster(n, 0, async (cluster) => {
    const { seconds, cpu } = await timeBatch(cluster, batch);
    const pps = totalPages / seconds;
    throughput.push({ workers: n, seconds: round(seconds), pagesPerSecond: round(pps), speedup: round(pps / (throughput[0]?.pagesPerSecond ?? pps)), cpuSeconds: cpu });
    // Where the cores went: a worker's share well under the whole says how much of the machine
    // the rest of the deployment (API, PostgreSQL, object store, client) takes from the workers.
    console.log(`${n} worker process(es): ${round(seconds)} s, ${round(pps)} pages/s (×${throughput.at(-1)!.speedup} vs ${WORKERS[0]});`
      + ` CPU s: ${Object.entries(cpu).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (n === Math.max(...WORKERS)) {
      fanoutOff = (await timeBatch(cluster, [big])).seconds;
      console.log(`${BIG}-page PDF, fan-out off, ${n} workers: ${round(fanoutOff)} s`);
    }
  });
}
const maxWorkers = Math.max(...WORKERS);
const fanoutOn = await withCluster(maxWorkers, 50, async (cluster) => (await timeBatch(cluster, [big])).seconds);
console.log(`${BIG}-page PDF, fan-out on (50 pages/part), ${maxWorkers} workers: ${round(fanoutOn)} s (×${round(fanoutOff / fanoutOn)})`);

const out = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
  batch: { docs: DOCS, pagesPerDoc: PAGES, totalPages, reports: values.reports },
  throughput,
  fanout: { pages: BIG, workers: maxWorkers, offSeconds: round(fanoutOff), onSeconds: round(fanoutOn), speedup: round(fanoutOff / fanoutOn) },
};
const dir = join(fileURLToPath(new URL('.', import.meta.url)), '../out');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'scale.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwritten to bench/out/scale.json`);
