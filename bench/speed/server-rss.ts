/**
 * bench:server-rss — peak resident memory of the real server parsing a 1,000-page PDF of real
 * corpus pages: the server started from source as `folio serve` is (2 worker threads, fan-out
 * off so one thread reads the whole document), the PDF uploaded and parsed as an async job,
 * and the resident memory of the server's whole process tree sampled every 250 ms from /proc
 * until the job completes. Figures only; nothing is asserted. Linux only (/proc).
 *
 *   npm run bench:server-rss [-- --pdf FILE] [--pages 1000] [--corpus DIR] [--workers 2] [--node-flags="..."]
 *
 * The PDF: --pdf, else the concatenation bench:speed writes (bench/out/speed/corpus-N.pdf,
 * its digital corpus PDFs), else one made here from the corpus PDFs whose every page has a
 * text layer. --node-flags="..." passes Node/V8 flags to the server (to measure what they do).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';
import { concatenatedPdf, textLayerPdfs } from './corpus-pdf.ts';
import { cpuSeconds } from '../process-cpu.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    pdf: { type: 'string' },
    pages: { type: 'string', default: '1000' },
    corpus: { type: 'string', default: process.env.FOLIO_CORPUS ?? path.join(root, '../shared/corpus') },
    workers: { type: 'string', default: '2' },
    'node-flags': { type: 'string', default: '' },
  },
});
const KEY = 'bench-key';
const SAMPLE_MS = 250;
const outDir = path.join(root, 'bench/out/speed');
mkdirSync(outDir, { recursive: true });

async function pdfToParse(): Promise<string> {
  if (values.pdf) return path.resolve(values.pdf);
  const file = path.join(outDir, `corpus-${values.pages}.pdf`);
  if (existsSync(file)) return file;
  const dir = path.join(values.corpus!, 'pdf');
  if (!existsSync(dir)) throw new Error(`no corpus at ${values.corpus} (--corpus DIR) and no --pdf FILE`);
  const files = readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)).filter((f) => f.endsWith('.pdf')).map((f) => path.join(dir, d, f)));
  writeFileSync(file, await concatenatedPdf(await textLayerPdfs(files), Number(values.pages)));
  return file;
}

/** Processes of the tree rooted at `pid` (the server and any process it started). */
function tree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) for (const c of children.split(/\s+/)) out.push(...tree(Number(c)));
    }
  } catch {
    // The process ended between listing and reading.
  }
  return out;
}

/** A /proc/PID/status field in MB (0 when the process is gone). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const file = await pdfToParse();
const bytes = new Uint8Array(readFileSync(file));
const nodeFlags = values['node-flags']!.trim();
const server = await startServerProcess({
  apiKeys: [KEY],
  workers: Number(values.workers),
  nodeArgs: nodeFlags ? nodeFlags.split(/\s+/) : [],
  env: {
    FOLIO_LOG_LEVEL: 'error',
    FOLIO_FANOUT_PAGES: '0',
    FOLIO_MAX_UPLOAD_MB: String(Math.ceil(bytes.length / 1e6) + 1),
  },
});
try {
  const pid = server.child.pid!;
  const api = rawClient(server.baseURL, KEY);
  // Time for both threads' warm-up parse before the idle figure.
  await new Promise((r) => setTimeout(r, 5000));
  const idleMb = tree(pid).reduce((n, p) => n + statusMb(p, 'VmRSS'), 0);
  let peakMb = idleMb;
  let progress: number | null = null;
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  // The series (seconds, MB, job progress) shows where in the job the peak falls.
  const samples: string[] = ['seconds\trss_mb\tprogress'];
  const sampler = setInterval(() => {
    const mb = tree(pid).reduce((n, p) => n + statusMb(p, 'VmRSS'), 0);
    peakMb = Math.max(peakMb, mb);
    samples.push(`${((performance.now() - t0) / 1000).toFixed(2)}\t${mb.toFixed(0)}\t${progress ?? ''}`);
  }, SAMPLE_MS);
  const fileId = await api.upload(bytes, path.basename(file));
  const { status, body } = await api.request('POST', '/parse_async', { input: fileId });
  if (status !== 200) throw new Error(`submit failed: ${status} ${JSON.stringify(body)}`);
  let job: { status: string; reason?: string; result?: { usage?: { num_pages?: number } } };
  for (;;) {
    job = (await api.request('GET', `/job/${body.job_id}`)).body;
    progress = (job as { progress?: number | null }).progress ?? null;
    if (job.status !== 'Pending' && job.status !== 'InProgress') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  if (job.status !== 'Completed') throw new Error(`job ended ${job.status}: ${job.reason ?? ''}`);
  const processes = tree(pid).map((p) => { try { return path.basename(readlinkSync(`/proc/${p}/exe`)); } catch { return '?'; } });
  console.log(`${path.relative(root, file)} (${(bytes.length / 1e6).toFixed(1)} MB, ${job.result?.usage?.num_pages ?? '?'} pages), server with ${values.workers} worker threads`
    + (nodeFlags ? `, node flags "${nodeFlags}"` : '') + `: ${seconds.toFixed(1)} s, server CPU ${cpu.toFixed(1)} s`);
  console.log(`  peak RSS of the process tree (${processes.join(', ')}), sampled every ${SAMPLE_MS} ms: ${peakMb.toFixed(0)} MB (goal ≤ 600); idle before the job ${idleMb.toFixed(0)} MB`);
  console.log(`  the server process's own high-water mark (VmHWM): ${statusMb(pid, 'VmHWM').toFixed(0)} MB`);
  writeFileSync(path.join(outDir, 'server-rss.tsv'), `${samples.join('\n')}\n`);
  console.log(`  samples: ${path.relative(root, path.join(outDir, 'server-rss.tsv'))}`);
} finally {
  await server.stop();
}
