/**
 * bench/sdk — client-side cost of @folio/sdk next to the official reductoai SDK and bare
 * fetch, in one run against one real server process (npm run bench:sdk):
 *  1. GET /job/{id}: mean and p99 latency of sequential calls, and calls/s with 16 in flight;
 *  2. uploading a large file: time and peak RSS of a client process for each way of passing
 *     it (@folio/sdk path → file-backed Blob, stream, presigned PUT of a stream; reductoai
 *     fs stream), next to a process that uploads nothing.
 * Figures are printed and written to bench/out/sdk.json.
 * Options: --calls N (default 500), --mb N (upload size, default 64).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Reducto from 'reductoai';
import { Folio } from '../../packages/sdk/src/index.ts';
import { fileFromPath } from '../../packages/sdk/src/node.ts';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' }, mb: { type: 'string', default: '64' } } });
const CALLS = Number(values.calls);
const MB = Number(values.mb);
const KEY = 'bench-key';

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const round = (x: number): number => Math.round(x * 1000) / 1000;

async function timeSequential(call: () => PromiseLike<unknown>): Promise<{ meanMs: number; p99Ms: number }> {
  for (let i = 0; i < 20; i++) await call(); // warm up connections and JIT
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  return { meanMs: round(times.reduce((a, b) => a + b, 0) / times.length), p99Ms: round(quantile(times, 0.99)) };
}

async function throughput(call: () => PromiseLike<unknown>, inFlight = 16): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < CALLS) await call();
  }));
  return Math.round(CALLS / ((performance.now() - t0) / 1000));
}

const dir = mkdtempSync(join(tmpdir(), 'folio-bench-sdk-'));
const server = await startServerProcess({ apiKeys: [KEY], workers: 1, env: { FOLIO_LOG_LEVEL: 'error', FOLIO_MAX_UPLOAD_MB: String(MB * 2) } });
try {
  const folio = new Folio({ baseURL: server.baseURL, apiKey: KEY });
  const reducto = new Reducto({ baseURL: server.baseURL, apiKey: KEY });
  const pdf = join(dir, 'one.pdf');
  writeFileSync(pdf, await makePdf(1));
  const { job_id } = await folio.parse.runJob({ input: (await folio.upload({ file: await fileFromPath(pdf) })).file_id });
  await folio.job.wait(job_id);
  const url = `${server.baseURL}/job/${job_id}`;

  const get = {
    fetch: () => fetch(url, { headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.json()),
    folio: () => folio.job.get(job_id),
    reductoai: () => reducto.job.get(job_id),
  };
  const sequential: Record<string, { meanMs: number; p99Ms: number }> = {};
  const perSecond: Record<string, number> = {};
  for (const [name, call] of Object.entries(get)) {
    sequential[name] = await timeSequential(call);
    perSecond[name] = await throughput(call);
  }

  // A large file: a PDF header and random bytes (the server stores it; nothing parses it).
  const big = join(dir, 'big.pdf');
  const bytes = new Uint8Array(MB * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(i + 65536, bytes.length)));
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  writeFileSync(big, bytes);
  // Each way in its own process: peak RSS of the whole process (maxRSS), next to a process
  // that uploads nothing. Run twice; the second run is reported (warm file cache).
  const child = fileURLToPath(new URL('./upload-child.ts', import.meta.url));
  const uploads: Record<string, { seconds: number; maxRssMb: number }> = {};
  for (const round of [1, 2]) {
    for (const way of ['none', 'folio-path', 'folio-stream', 'folio-presigned-stream', 'reductoai-stream']) {
      const out = execFileSync(process.execPath, ['--conditions=@folio/source', '--import', 'tsx', child, way, server.baseURL, KEY, big], { encoding: 'utf8' });
      if (round === 2) uploads[way] = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; maxRssMb: number };
    }
  }

  const result = {
    calls: CALLS,
    uploadMb: MB,
    jobGet: {
      sequential,
      perSecondWith16InFlight: perSecond,
      folioOverFetchMeanRatio: round(sequential.folio.meanMs / sequential.fetch.meanMs),
      folioOverReductoaiMeanRatio: round(sequential.folio.meanMs / sequential.reductoai.meanMs),
    },
    uploads,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../out/sdk.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
