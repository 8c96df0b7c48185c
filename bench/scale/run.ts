/**
 * bench/scale — the distributed deployment's scaling, in one run (npm run bench:scale):
 *  1. pages/s for 1, 2 and 4 worker processes (one worker thread each) on the same batch of
 *     PDFs, submitted as async jobs through one API process (PostgreSQL + s3rver, fan-out off);
 *  2. two large PDFs with the most worker processes, each timed with fan-out off (one worker
 *     parses it all), as it is by default (read whole, the rest handed out in parts once the
 *     reading shows 3 s or more left; on machines of 3 cores or more) and turned on whatever
 *     the cores (FOLIO_FANOUT_MIN_REST_MS=3000): --big N pages of plain text (read quickly:
 *     expected not to split) and N report pages (as --reports, several times slower per page).
 * Needs the PostgreSQL of the test setup (FOLIO_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Figures are printed and written to
 * bench/out/scale.json. Options: --docs N --pages N (batch, default 12 × 20 pages),
 * --reports (batch pages of a long report, as bench:speed's generated PDF: two columns of
 * prose and a ruled table, about six times the text of the default's pages), --big N (fan-out
 * documents' pages, default 500), --workers 1,2,4, --rounds N (of section 2, default 3).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Reducto, { toFile } from 'reductoai';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { bigPdf } from '../speed/big-pdf.ts';
import { Cluster } from '../../packages/server/test/distributed/cluster.ts';
import { TEST_DATABASE_URL } from '../../packages/server/test/distributed/pg-test-db.ts';
import { cpuSeconds, cpuSecondsOf } from '../process-cpu.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '12' },
    reports: { type: 'boolean', default: false },
    pages: { type: 'string', default: '20' },
    big: { type: 'string', default: '500' },
    workers: { type: 'string', default: '1,2,4' },
    rounds: { type: 'string', default: '3' },
  },
});
const DOCS = Number(values.docs);
const PAGES = Number(values.pages);
const BIG = Number(values.big);
const WORKERS = values.workers!.split(',').map(Number);
const ROUNDS = Number(values.rounds);
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
async function timeBatch(cluster: Cluster, docs: Uint8Array[]): Promise<{ seconds: number; cpu: Record<string, number>; ids: string[] }> {
  const client = new Reducto({ apiKey: cluster.apiKeys[0], baseURL: cluster.url, maxRetries: 2 });
  const inputs = [];
  for (const [i, d] of docs.entries()) inputs.push((await client.upload({ file: await toFile(Buffer.from(d), `doc-${i}.pdf`) })).file_id);
  const t0 = performance.now();
  const cpu0 = cpuByPart(cluster);
  const ids = await Promise.all(inputs.map(async (input) => (await client.parse.runJob({ input })).job_id));
  await waitAll(client, ids);
  const cpu1 = cpuByPart(cluster);
  const cpu = Object.fromEntries(Object.entries(cpu1).map(([k, v]) => [k, round(v - cpu0[k as keyof typeof cpu0], 1)]));
  return { seconds: (performance.now() - t0) / 1000, cpu, ids };
}

/** How many parts a job was split into (0: read whole). */
async function partsOf(cluster: Cluster, jobId: string): Promise<number> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${cluster.schema}.job_parts WHERE job_id = $1`, [jobId])).rows[0].n;
  } finally {
    await db.end();
  }
}

/** Fan-out as each cluster of section 2 has it: off, as by default, and turned on whatever the cores. */
const FANOUT = {
  off: { FOLIO_FANOUT_PAGES: '0' },
  default: {},
  on: { FOLIO_FANOUT_MIN_REST_MS: '3000' },
} satisfies Record<string, Record<string, string>>;
type Fanout = keyof typeof FANOUT;

/** A cluster of `workers` worker processes, fan-out set as `fanout` says, warmed up. */
async function startCluster(workers: number, fanout: Fanout): Promise<Cluster> {
  const cluster = await Cluster.start({ apis: 1, workers, threads: 1, env: { ...FANOUT[fanout], FOLIO_LEASE_S: '15' } });
  // Warm every worker (module loading, pdf.js) outside the timed runs, and once on a long
  // document, so that with fan-out, cutting, part reading and merging are not timed cold.
  await timeBatch(cluster, await Promise.all(Array.from({ length: workers }, () => makePdf(2))));
  await timeBatch(cluster, [await bigPdf(800)]);
  return cluster;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const batch = await Promise.all(Array.from({ length: DOCS }, (_, i) => (values.reports ? bigPdf(PAGES) : makePdf(PAGES, (p) => `Document ${i + 1}, page ${p}`))));
const bigDocs = { plain: await makePdf(BIG), report: await bigPdf(BIG) };
const totalPages = DOCS * PAGES;
console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
console.log(`batch: ${DOCS} PDFs × ${PAGES} ${values.reports ? 'report ' : ''}pages = ${totalPages} pages; fan-out document: ${BIG} pages\n`);

const throughput: Array<{ workers: number; seconds: number; pagesPerSecond: number; speedup: number; cpuSeconds: Record<string, number> }> = [];
for (const n of WORKERS) {
  const cluster = await Cluster.start({ apis: 1, workers: n, threads: 1, env: { ...FANOUT.off, FOLIO_LEASE_S: '15' } });
  try {
    await timeBatch(cluster, await Promise.all(Array.from({ length: n }, () => makePdf(2))));
    const { seconds, cpu } = await timeBatch(cluster, batch);
    const pps = totalPages / seconds;
    throughput.push({ workers: n, seconds: round(seconds), pagesPerSecond: round(pps), speedup: round(pps / (throughput[0]?.pagesPerSecond ?? pps)), cpuSeconds: cpu });
    // Where the cores went: a worker's share well under the whole says how much of the machine
    // the rest of the deployment (API, PostgreSQL, object store, client) takes from the workers.
    console.log(`${n} worker process(es): ${round(seconds)} s, ${round(pps)} pages/s (×${throughput.at(-1)!.speedup} vs ${WORKERS[0]});`
      + ` CPU s: ${Object.entries(cpu).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } finally {
    await cluster.close();
  }
}

// Section 2: the three clusters side by side, each document read by each in turn, ROUNDS times:
// a moment of load then weighs on every side alike. Medians are reported.
const maxWorkers = Math.max(...WORKERS);
const clusters = {} as Record<Fanout, Cluster>;
for (const f of Object.keys(FANOUT) as Fanout[]) clusters[f] = await startCluster(maxWorkers, f);
const fanout = [];
try {
  for (const [kind, doc] of Object.entries(bigDocs)) {
    const seconds: Record<Fanout, number[]> = { off: [], default: [], on: [] };
    const parts: Record<Fanout, number[]> = { off: [], default: [], on: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const f of Object.keys(FANOUT) as Fanout[]) {
        const run = await timeBatch(clusters[f], [doc]);
        seconds[f].push(run.seconds);
        parts[f].push(await partsOf(clusters[f], run.ids[0]));
      }
    }
    const off = median(seconds.off);
    for (const f of ['default', 'on'] as const) {
      const on = median(seconds[f]);
      console.log(`${BIG}-page PDF of ${kind} pages, ${maxWorkers} workers, fan-out ${f === 'on' ? 'on (FOLIO_FANOUT_MIN_REST_MS=3000)' : 'as by default'}: ${round(on)} s against ${round(off)} s off`
        + ` (×${round(off / on)}; parts per round ${parts[f].join(', ')}; rounds off ${seconds.off.map((x) => round(x)).join(', ')}, ${f} ${seconds[f].map((x) => round(x)).join(', ')})`);
      fanout.push({ kind, pages: BIG, workers: maxWorkers, fanout: f, parts: parts[f], offSeconds: round(off), onSeconds: round(on), speedup: round(off / on) });
    }
  }
} finally {
  await Promise.all(Object.values(clusters).map((c) => c.close()));
}

const out = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
  batch: { docs: DOCS, pagesPerDoc: PAGES, totalPages, reports: values.reports },
  throughput,
  fanout,
};
const dir = join(fileURLToPath(new URL('.', import.meta.url)), '../out');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'scale.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwritten to bench/out/scale.json`);
