/**
 * bench/scale/embedded — one large PDF in the embedded deployment (npm run bench:scale:embedded):
 * the same digital PDF parsed as an async job by a server with FOLIO_WORKERS=1, then 2 (more
 * with --workers), each timed submit → Completed after a warm-up job. The ratio shows whether
 * one document uses more than one worker thread; the blocks and pages of every run are
 * compared with the first run's. Options: --pages N (default 400), --runs N (default 3, median
 * kept), --workers 1,2. Figures are printed and written to bench/out/scale-embedded.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { bigPdf } from '../speed/big-pdf.ts';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '400' }, runs: { type: 'string', default: '3' }, workers: { type: 'string', default: '1,2' } } });
const PAGES = Number(values.pages);
const RUNS = Number(values.runs);
const WORKERS = values.workers!.split(',').map(Number);
const round = (x: number): number => Math.round(x * 100) / 100;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pdf = await bigPdf(PAGES);
/** Blocks (type, page, text) of a finished parse: what must not change with the worker count. */
type Shape = { numPages: number; blocks: string[] };
let reference: Shape | null = null;
const rows: Array<{ workers: number; seconds: number; speedup: number; sameResult: boolean }> = [];

for (const workers of WORKERS) {
  const server = await startServerProcess({ workers, env: { FOLIO_LOG_LEVEL: 'error' } });
  try {
    const api = rawClient(server.baseURL, server.apiKeys[0]);
    const warm = await api.upload(await makePdf(2), 'warm.pdf');
    for (let i = 0; i < workers; i++) await api.waitDone((await api.request('POST', '/parse_async', { input: warm })).body.job_id);
    const input = await api.upload(pdf, 'big.pdf');
    const times: number[] = [];
    let shape: Shape | null = null;
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const { body } = await api.request('POST', '/parse_async', { input });
      const job = await api.waitDone(body.job_id, 3_600_000);
      times.push((performance.now() - t0) / 1000);
      if (job.status !== 'Completed') throw new Error(`${workers} workers: job ${job.status} (${job.reason})`);
      const result = job.result.result.type === 'url' ? await (await fetch(job.result.result.url)).json() : job.result.result;
      shape = {
        numPages: job.result.usage.num_pages,
        blocks: result.chunks.flatMap((c: { blocks: Array<{ type: string; bbox: { page: number }; content: string }> }) => c.blocks.map((b) => `${b.bbox.page}|${b.type}|${b.content}`)),
      };
    }
    reference ??= shape;
    const seconds = median(times);
    const sameResult = shape!.numPages === reference!.numPages && JSON.stringify(shape!.blocks) === JSON.stringify(reference!.blocks);
    rows.push({ workers, seconds: round(seconds), speedup: round((rows[0]?.seconds ?? seconds) / seconds), sameResult });
    console.log(`FOLIO_WORKERS=${workers}: ${round(seconds)} s (median of ${RUNS}), ×${rows.at(-1)!.speedup}, ${shape!.blocks.length} blocks on ${shape!.numPages} pages${sameResult ? '' : ' — DIFFERENT RESULT'}`);
  } finally {
    await server.stop();
  }
}

const out = { date: new Date().toISOString(), machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version }, pages: PAGES, runs: rows };
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/scale-embedded.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
