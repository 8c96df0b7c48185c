/**
 * bench/scale/embedded — one large PDF in the embedded deployment (npm run bench:scale:embedded):
 * the same digital PDF parsed as an async job by servers with FOLIO_WORKERS=1 and 2 (more with
 * --workers), all started up front and warmed, then given the document in turn (1, 2, 1, 2, …)
 * so that each round compares runs made moments apart on a shared, noisy machine. Per server:
 * the median submit → Completed time, the speed-up over the first server as the median of the
 * rounds' ratios, and the CPU seconds its process spent per job (from /proc: what fan-out
 * costs in extra work), of them its main thread's (HTTP, the store, a fan-out's merge; the
 * rest is the worker threads' reading and V8's compiler and collector threads). The blocks
 * and pages of every result are compared with the first server's. Options: --pages N
 * (default 400), --runs N (default 5), --workers 1,2, --fanout-pages N (FOLIO_FANOUT_PAGES: split
 * before reading into parts of N pages) or --min-rest-ms N (FOLIO_FANOUT_MIN_REST_MS: read whole,
 * the rest handed out once N ms or more of it are left; also turns fan-out on with 2 cores),
 * either given only to servers of 2 or more worker threads (a one-thread server is the unsplit
 * baseline, and its parts could only run one after another); default: fan-out as by default.
 * Figures are printed and written to bench/out/scale-embedded.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { bigPdf } from '../speed/big-pdf.ts';
import { cpuSeconds } from '../process-cpu.ts';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient, type RawClient } from '../../packages/server/test/http-client.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '400' }, runs: { type: 'string', default: '5' }, workers: { type: 'string', default: '1,2' }, 'fanout-pages': { type: 'string' }, 'min-rest-ms': { type: 'string' } } });
const PAGES = Number(values.pages);
const RUNS = Number(values.runs);
const WORKERS = values.workers!.split(',').map(Number);
const round = (x: number): number => Math.round(x * 100) / 100;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Blocks (type, page, text) of a finished parse: what must not change with the worker count. */
type Shape = { numPages: number; blocks: string[] };
interface Server { workers: number; server: ServerProcess; api: RawClient; input: string; times: number[]; cpu: number[]; mainCpu: number[]; shape: Shape | null }

const pdf = await bigPdf(PAGES);
const servers: Server[] = [];
try {
  for (const workers of WORKERS) {
    const fanout: Record<string, string> = workers < 2 ? {} : {
      ...(values['fanout-pages'] ? { FOLIO_FANOUT_PAGES: values['fanout-pages'] } : {}),
      ...(values['min-rest-ms'] ? { FOLIO_FANOUT_MIN_REST_MS: values['min-rest-ms'] } : {}),
    };
    const server = await startServerProcess({ workers, env: { FOLIO_LOG_LEVEL: 'error', ...fanout } });
    const api = rawClient(server.baseURL, server.apiKeys[0]);
    // Warm every thread on a document long enough to compile the layout code.
    const warm = await api.upload(await makePdf(30), 'warm.pdf');
    await Promise.all(Array.from({ length: workers }, async () => api.waitDone((await api.request('POST', '/parse_async', { input: warm })).body.job_id)));
    servers.push({ workers, server, api, input: await api.upload(pdf, 'big.pdf'), times: [], cpu: [], mainCpu: [], shape: null });
  }
  for (let run = 0; run < RUNS; run++) {
    for (const s of servers) {
      const pid = s.server.child.pid!;
      const cpu0 = cpuSeconds(pid);
      const main0 = cpuSeconds(pid, pid);
      const t0 = performance.now();
      const { body } = await s.api.request('POST', '/parse_async', { input: s.input });
      const job = await s.api.waitDone(body.job_id, 3_600_000);
      s.times.push((performance.now() - t0) / 1000);
      s.cpu.push(cpuSeconds(pid) - cpu0);
      s.mainCpu.push(cpuSeconds(pid, pid) - main0);
      if (job.status !== 'Completed') throw new Error(`${s.workers} workers: job ${job.status} (${job.reason})`);
      const result = job.result.result.type === 'url' ? await (await fetch(job.result.result.url)).json() : job.result.result;
      s.shape = {
        numPages: job.result.usage.num_pages,
        blocks: result.chunks.flatMap((c: { blocks: Array<{ type: string; bbox: { page: number }; content: string }> }) => c.blocks.map((b) => `${b.bbox.page}|${b.type}|${b.content}`)),
      };
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.server.stop()));
}

const base = servers[0];
const rows = servers.map((s) => {
  const sameResult = s.shape!.numPages === base.shape!.numPages && JSON.stringify(s.shape!.blocks) === JSON.stringify(base.shape!.blocks);
  const ratios = s.times.map((t, i) => base.times[i] / t);
  const row = {
    workers: s.workers, seconds: round(median(s.times)), speedup: round(median(ratios)),
    speedupRange: [round(Math.min(...ratios)), round(Math.max(...ratios))], cpuSeconds: round(median(s.cpu)), mainThreadCpuSeconds: round(median(s.mainCpu)), sameResult,
  };
  console.log(`FOLIO_WORKERS=${s.workers}: ${row.seconds} s (median of ${RUNS}), ×${row.speedup} (rounds ${row.speedupRange.join('–')}), ${row.cpuSeconds} CPU s per job (main thread ${row.mainThreadCpuSeconds}), ${s.shape!.blocks.length} blocks on ${s.shape!.numPages} pages${sameResult ? '' : ' — DIFFERENT RESULT'}`);
  return row;
});

const out = { date: new Date().toISOString(), machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version }, pages: PAGES, fanoutPages: values['fanout-pages'] ?? null, minRestMs: values['min-rest-ms'] ?? null, runs: rows };
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/scale-embedded.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
