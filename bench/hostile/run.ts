/**
 * bench/hostile — hostile input against a real server (npm run bench:hostile): a seeded
 * generator makes --count documents (default 1500): zip bombs (honest and lying headers),
 * Flate bombs, huge page, slide, cell and character counts, a sheet spanning its whole grid,
 * deep HTML/Markdown/PDF nesting, truncations, cut headers and
 * bit flips of generated PDF, DOCX, XLSX, HTML, Markdown, CSV and e-mail files. Each is
 * uploaded and parsed as an async job, a few at a time, while a probe polls GET /job.
 *
 * Reported (and written to bench/out/hostile.json): server crashes, HTTP 5xx, INTERNAL_ERROR
 * failures (with their files' kinds), the slowest job's time from submit to terminal, probe
 * p50/p99/max and failures, and the server's peak RSS, with the files in flight when the
 * sampled RSS was highest (what was being read, or nothing: memory kept after earlier files).
 * Options: --count N, --seed N,
 * --concurrency N (jobs in flight, default: the worker count), --workers N (server threads, default 2).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { makePdf } from '../../packages/server/test/fixtures.ts';
import { startServerProcess } from '../../packages/server/test/harness.ts';
import { rawClient } from '../../packages/server/test/http-client.ts';
import { cornerXlsx, damagedDocx, deepHtml, deepMarkdown, flateBombPdf, longText, manyCellCsv, manyPagePdf, manySlidePptx, officeBomb, rawPdf } from '../../packages/server/test/hostile-files.ts';

const { values } = parseArgs({ options: {
  count: { type: 'string', default: '1500' }, seed: { type: 'string', default: '19' },
  concurrency: { type: 'string' }, workers: { type: 'string', default: '2' },
} });
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency ?? values.workers);

/** mulberry32: a small seeded generator, so a run can be repeated file for file. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(Number(values.seed));
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

async function docx(): Promise<Uint8Array> {
  const zip = new JSZip();
  const paras = Array.from({ length: int(5, 200) }, (_, i) => `<w:p><w:r><w:t>Paragraph ${i} of a hostile test</w:t></w:r></w:p>`).join('');
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>');
  zip.file('word/document.xml', `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function xlsx(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Data');
  for (let r = 0; r < int(3, 300); r++) sheet.addRow([`row ${r}`, r, r * 1.5, new Date(2020, 0, 1 + r)]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const html = (): Uint8Array => Buffer.from(`<!doctype html><html><body><h1>Title</h1>${'<p>Some <b>text</b> here.</p>'.repeat(int(1, 200))}<table><tr><td>a</td><td>b</td></tr></table></body></html>`);
const markdown = (): Uint8Array => Buffer.from(`# Title\n\n${'Some *text* here.\n\n- item\n  - nested\n\n'.repeat(int(1, 200))}`);
const csv = (): Uint8Array => Buffer.from(Array.from({ length: int(2, 500) }, (_, i) => `${i},"name ${i}",${i * 3}`).join('\n'));
const eml = (): Uint8Array => Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: Hostile\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n${'Body line.\r\n'.repeat(int(1, 100))}`);

/** Real documents of each kind, the material the mutations damage. */
const BASES: Array<[string, () => Promise<Uint8Array> | Uint8Array]> = [
  ['pdf', () => makePdf(int(1, 4))], ['docx', docx], ['xlsx', xlsx], ['html', html], ['md', markdown], ['csv', csv], ['eml', eml],
];

function mutate(bytes: Uint8Array): [string, Uint8Array] {
  const b = Buffer.from(bytes);
  switch (int(0, 3)) {
    case 0: return ['truncated', new Uint8Array(b.subarray(0, int(1, Math.max(1, b.length - 1))))];
    case 1: return ['head-cut', new Uint8Array(b.subarray(int(1, Math.min(64, b.length - 1))))];
    case 2: {
      const flips = int(1, 64);
      for (let i = 0; i < flips; i++) b[int(0, b.length - 1)] ^= 1 << int(0, 7);
      return ['bit-flipped', new Uint8Array(b)];
    }
    default: {
      const at = int(0, b.length - 1);
      b.fill(int(0, 255), at, Math.min(b.length, at + int(16, 4096)));
      return ['overwritten', new Uint8Array(b)];
    }
  }
}

/** One hostile file: a bomb or absurd structure (about a fifth), else a damaged real document. */
async function hostile(): Promise<{ kind: string; name: string; bytes: Uint8Array }> {
  if (random() < 0.2) {
    const office = (['docx', 'xlsx', 'pptx'] as const)[int(0, 2)];
    switch (int(0, 11)) {
      case 0: return { kind: `${office} bomb (declared 2 GiB)`, name: `bomb.${office}`, bytes: await officeBomb(office, 1 << 20, 2 ** 31) };
      case 1: return { kind: `${office} bomb (ratio)`, name: `bomb.${office}`, bytes: await officeBomb(office, 48 << 20) };
      case 2: return { kind: `${office} bomb (lying header)`, name: `bomb.${office}`, bytes: await officeBomb(office, 48 << 20, int(1, 5) << 20) };
      case 3: return { kind: 'pdf flate bomb', name: 'flate.pdf', bytes: await flateBombPdf(int(300, 600)) };
      case 4: return { kind: 'pdf 20,000 pages', name: 'pages.pdf', bytes: manyPagePdf(20_000) };
      case 5: return { kind: 'deep html', name: 'deep.html', bytes: deepHtml(int(300, 50_000), ['div', 'table', 'span', 'ul'][int(0, 3)]) };
      case 6: return { kind: 'deep markdown', name: 'deep.md', bytes: deepMarkdown(int(300, 2_000)) };
      case 8: return { kind: 'csv millions of cells', name: 'cells.csv', bytes: manyCellCsv(int(2, 5) * 1_000_000) };
      case 9: return { kind: 'xlsx corner cells', name: 'corners.xlsx', bytes: await cornerXlsx() };
      case 10: return { kind: 'text 24M characters', name: 'long.txt', bytes: longText(24_000_000) };
      case 11: return { kind: 'pptx 6,000 slides', name: 'slides.pptx', bytes: await manySlidePptx(6_000) };
      default: {
        const depth = int(1_000, 200_000);
        const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        return { kind: 'deep pdf arrays', name: 'deep.pdf', bytes: rawPdf([`<< /Type /Catalog /Pages 2 0 R /Deep ${deep} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>']) };
      }
    }
  }
  if (random() < 0.05) return { kind: 'docx damaged deflate', name: 'damaged.docx', bytes: await damagedDocx() };
  const [ext, make] = BASES[int(0, BASES.length - 1)];
  const [how, bytes] = mutate(await make());
  return { kind: `${ext} ${how}`, name: `${how}.${ext}`, bytes };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
};

/** The server's peak (VmHWM) or current (VmRSS) resident size in MB. */
function rssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const server = await startServerProcess({ workers: Number(values.workers), env: { FOLIO_MAX_UPLOAD_MB: '100' } });
const api = rawClient(server.baseURL, server.apiKeys[0]);
const stats = { files: 0, http5xx: 0, internalErrors: [] as string[], completed: 0, failed: {} as Record<string, number>, slowestS: 0, slowestKind: '', slowestFile: null as null | { name: string; bytes: Uint8Array }, uploadRefused: 0 };
const probes: number[] = [];
let probeFailures = 0;
let running = true;
let lastJob: string | null = null;
/** Files being uploaded or parsed now, and what was in flight when the server's RSS was highest. */
const inFlight = new Set<string>();
const rssPeak = { mb: 0, inFlight: [] as string[] };

// The probe: GET /job/{id} (or /jobs) every 250 ms, timed, for the whole run.
const probe = (async () => {
  while (running) {
    const t = performance.now();
    try {
      const res = await fetch(`${server.baseURL}${lastJob ? `/job/${lastJob}` : '/jobs'}`, { headers: { authorization: `Bearer ${server.apiKeys[0]}` }, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status >= 500) probeFailures++;
    } catch {
      probeFailures++;
    }
    probes.push(performance.now() - t);
    const rss = rssMb(server.child.pid!, 'VmRSS');
    if (rss > rssPeak.mb) Object.assign(rssPeak, { mb: Math.round(rss), inFlight: [...inFlight] });
    await new Promise((r) => setTimeout(r, 250));
  }
})();

async function one(file: { kind: string; name: string; bytes: Uint8Array }): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(file.bytes)]), file.name);
  const up = await fetch(`${server.baseURL}/upload`, { method: 'POST', headers: { authorization: `Bearer ${server.apiKeys[0]}` }, body: form });
  const upBody = (await up.json()) as { file_id?: string };
  if (up.status >= 500) stats.http5xx++;
  if (!up.ok || !upBody.file_id) return void stats.uploadRefused++;
  const submitted = await api.request('POST', '/parse_async', { input: upBody.file_id });
  if (submitted.status >= 500) stats.http5xx++;
  if (submitted.status !== 200) return;
  const jobId: string = submitted.body.job_id;
  lastJob = jobId;
  // Submit to terminal: with no more jobs in flight than worker threads (the default), a job
  // starts as it is submitted, so this is its time from start to finish (an upper bound).
  const submittedAt = Date.now();
  let job: { status: string; reason?: string; error?: { name?: string } | null };
  for (;;) {
    job = (await api.request('GET', `/job/${jobId}`)).body;
    if (job.status === 'Completed' || job.status === 'Failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - submittedAt) / 1000;
  if (seconds > stats.slowestS) Object.assign(stats, { slowestS: seconds, slowestKind: file.kind, slowestFile: file });
  if (job.status === 'Completed') stats.completed++;
  else {
    const code = job.error?.name ?? 'Failed';
    stats.failed[code] = (stats.failed[code] ?? 0) + 1;
    if (code === 'INTERNAL_ERROR') stats.internalErrors.push(`${file.kind}: ${job.reason}`);
  }
}

const t0 = Date.now();
let next = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < COUNT) {
    next++;
    const file = await hostile();
    stats.files++;
    const tag = `${stats.files}: ${file.kind}`;
    inFlight.add(tag);
    try {
      await one(file);
    } catch (err) {
      stats.internalErrors.push(`${file.kind}: client error ${(err as Error).message}`);
    }
    inFlight.delete(tag);
    if (stats.files % 100 === 0) console.log(`${stats.files}/${COUNT} files, ${Math.round((Date.now() - t0) / 1000)} s`);
  }
}));
running = false;
await probe;
const alive = server.child.exitCode === null && server.child.signalCode === null;
const report = {
  files: stats.files, seconds: Math.round((Date.now() - t0) / 1000), serverCrashed: !alive,
  http5xx: stats.http5xx, internalErrors: stats.internalErrors.length, internalErrorSamples: stats.internalErrors.slice(0, 10),
  completed: stats.completed, failedByCode: stats.failed, uploadRefused: stats.uploadRefused,
  slowestJobS: Math.round(stats.slowestS * 10) / 10, slowestKind: stats.slowestKind,
  probe: { count: probes.length, p50Ms: Math.round(quantile(probes, 0.5)), p99Ms: Math.round(quantile(probes, 0.99)), maxMs: Math.round(Math.max(0, ...probes)), failures: probeFailures },
  serverPeakRssMb: alive ? Math.round(rssMb(server.child.pid!, 'VmHWM')) : null,
  // Sampled with the probe: the highest RSS seen, and the files in flight at that moment.
  sampledPeakRss: rssPeak,
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
writeFileSync(new URL('../out/hostile.json', import.meta.url), JSON.stringify(report, null, 2));
// The slowest file, to look into: bench/out/hostile-slowest-<name>.
if (stats.slowestFile) writeFileSync(new URL(`../out/hostile-slowest-${stats.slowestFile.name}`, import.meta.url), stats.slowestFile.bytes);
await server.stop();
