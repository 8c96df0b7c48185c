/**
 * bench:speed — full PDF parse time against the raw text layer (pdf.js getTextContent, as it
 * comes) and poppler's `pdftotext -bbox-layout` on the same PDFs; the corpus's digital PDFs
 * (no page OCRed) concatenated to 200 pages, parsed against pdf.js; peak RSS parsing a generated
 * 1,000-page PDF and 1,000 real corpus pages in child processes. Figures only; nothing is
 * asserted.
 *
 *   npm run bench:speed [-- --pages 1000] [--corpus DIR] [--limit N] [--only REGEX] [--skip-rss]
 *
 * --limit N takes N PDFs spread evenly over the corpus; --only keeps paths matching REGEX;
 * --repeat N keeps each PDF's fastest of N runs (a loaded machine makes single runs noisy); the
 * 200-page concatenation is read in rounds (at least 3), Folio and pdf.js in turn, and the
 * median round is reported.
 * Besides wall time, folio and pdf.js are compared on this process's CPU time, which other
 * processes competing for the cores disturb less. The hash of all parse results tells whether
 * a change altered any output. For whole-process figures of one file (start-up included), time
 * `bench/speed/one.ts` with /usr/bin/time. The server's peak RSS on the same 1,000 real pages:
 * `npm run bench:server-rss` (bench/speed/server-rss.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, readDocument } from '@folio/engine';
import { buildOutput } from '../../packages/engine/src/output.ts';
import { build } from 'esbuild';
import { bigPdf } from './big-pdf.ts';
import { concatenatedPdf } from './corpus-pdf.ts';
import { rawTextLayer } from './text-layer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const outDir = path.join(root, 'bench/out/speed');
mkdirSync(outDir, { recursive: true });


const corpus = path.resolve(arg('corpus') ?? process.env.FOLIO_CORPUS ?? path.join(root, '../shared/corpus'));
const corpusPdfs = existsSync(path.join(corpus, 'pdf'))
  ? readdirSync(path.join(corpus, 'pdf')).flatMap((d) => {
    const dir = path.join(corpus, 'pdf', d);
    return readdirSync(dir).filter((f) => f.endsWith('.pdf') && !/password|protected/.test(f)).map((f) => path.join(dir, f));
  })
  : [];
const only = arg('only') ? new RegExp(arg('only')!) : undefined;
const picked = corpusPdfs.filter((f) => !only || only.test(f));
const limit = Number(arg('limit') ?? picked.length);
const every = Math.max(1, Math.ceil(picked.length / Math.max(1, limit)));
const subset = picked.filter((_, i) => i % every === 0);
const files = subset.length > 0 ? subset : [await writeGenerated(30, 'sample-30.pdf')];

async function writeGenerated(pages: number, name: string): Promise<string> {
  const file = path.join(outDir, name);
  if (!existsSync(file)) writeFileSync(file, await bigPdf(pages));
  return file;
}

const repeat = Math.max(1, Number(arg('repeat') ?? 1));
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
/** Wall time and CPU time (all threads) of one run. */
const once = async (fn: () => Promise<unknown> | unknown) => {
  const t = performance.now(), c = cpuMs();
  await fn();
  return { wall: performance.now() - t, cpu: cpuMs() - c };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Fastest wall time and CPU time of `repeat` runs. */
const time = async (fn: () => Promise<unknown> | unknown) => {
  let wall = Infinity, cpu = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now(), c = cpuMs();
    await fn();
    wall = Math.min(wall, performance.now() - t);
    cpu = Math.min(cpu, cpuMs() - c);
  }
  return { wall, cpu };
};
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
// Totals over PDFs read from their text layer alone, and over those where hybrid OCR ran.
const totals = {
  text: { folio: 0, pdfjs: 0, poppler: 0, folioCpu: 0, pdfjsCpu: 0, n: 0 },
  ocr: { folio: 0, pdfjs: 0, poppler: 0, folioCpu: 0, pdfjsCpu: 0, n: 0 },
};
let failed = 0;
const digital: string[] = [];
const results = createHash('sha256');
// Warm up module loading and fonts so the first file does not carry start-up cost.
await rawTextLayer(new Uint8Array(readFileSync(files[0])));
await parse(new Uint8Array(readFileSync(files[0])), {}, { filename: 'x.pdf' }).catch(() => undefined);
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  try {
    let ocred = false;
    let output = '';
    // parse() = readDocument + buildOutput; split here to see which pages needed OCR.
    const f = await time(async () => {
      const doc = await readDocument(bytes, {}, { filename: file });
      ocred = doc.pages.some((p) => p.source === 'ocr');
      output = JSON.stringify(buildOutput(doc, {}));
    });
    results.update(createHash('sha256').update(output).digest());
    if (!ocred) digital.push(file);
    const r = await time(() => rawTextLayer(bytes));
    const p = hasPdftotext ? (await time(() => execFileSync('pdftotext', ['-bbox-layout', file, '/dev/null'], { stdio: 'ignore' }))).wall : 0;
    const t = ocred ? totals.ocr : totals.text;
    t.folio += f.wall; t.pdfjs += r.wall; t.poppler += p; t.folioCpu += f.cpu; t.pdfjsCpu += r.cpu; t.n++;
  } catch (err) {
    if (process.env.DEBUG) console.error(file, err);
    failed++;
  }
}
console.log(`${files.length - failed} PDFs (${corpusPdfs.length > 0 ? corpus : 'generated'}):`);
for (const [label, t] of [['text layer only', totals.text], ['with hybrid OCR pages', totals.ocr]] as const) {
  if (t.n === 0) continue;
  console.log(`  ${label} (${t.n} PDFs): folio ${t.folio.toFixed(0)} ms, pdf.js getTextContent ${t.pdfjs.toFixed(0)} ms, pdftotext -bbox-layout ${t.poppler.toFixed(0)} ms`);
  console.log(`    folio/pdf.js = ${(t.folio / t.pdfjs).toFixed(2)}` + (hasPdftotext ? `, folio/pdftotext = ${(t.folio / t.poppler).toFixed(2)} (goal ≤ 5; pdftotext time includes process start)` : '')
    + `; CPU time folio/pdf.js = ${(t.folioCpu / t.pdfjsCpu).toFixed(2)}` + (label === 'text layer only' ? ' (goal ≤ 1.3)' : ''));
}
console.log(`  results hash ${results.digest('hex').slice(0, 16)} (changes when any output changes)`);

// Real pages at length: the digital corpus PDFs, concatenated (no corpus: skipped).
const concatenated = async (pages: number) => {
  const file = path.join(outDir, `corpus-${pages}.pdf`);
  writeFileSync(file, await concatenatedPdf(digital, pages));
  return file;
};
let corpus1000: string | undefined;
if (digital.length > 0) {
  const file = await concatenated(200);
  const bytes = new Uint8Array(readFileSync(file));
  // One long document swings from run to run (collections, compilation on other threads): the
  // two sides take turns, and each round's ratio compares runs made moments apart.
  const rounds: Array<{ f: { wall: number; cpu: number }; r: { wall: number; cpu: number } }> = [];
  for (let i = 0; i < Math.max(3, repeat); i++) {
    rounds.push({ f: await once(async () => buildOutput(await readDocument(bytes, {}, { filename: file }), {})), r: await once(() => rawTextLayer(bytes)) });
  }
  const cpuRatios = rounds.map(({ f, r }) => f.cpu / r.cpu);
  console.log(`200 pages of ${digital.length} digital corpus PDFs, ${rounds.length} rounds: folio ${median(rounds.map((x) => x.f.wall)).toFixed(0)} ms, pdf.js getTextContent ${median(rounds.map((x) => x.r.wall)).toFixed(0)} ms (medians);`
    + ` CPU time folio/pdf.js = ${median(cpuRatios).toFixed(2)} (median of ${cpuRatios.map((x) => x.toFixed(2)).join(', ')}; goal ≤ 1.1), wall ${median(rounds.map(({ f, r }) => f.wall / r.wall)).toFixed(2)}`);
  if (!process.argv.includes('--skip-rss')) corpus1000 = await concatenated(1000);
} else {
  console.log('no digital corpus PDF: the 200- and 1,000-page concatenations are skipped');
}
if (process.argv.includes('--skip-rss')) process.exit(0);

const pages = Number(arg('pages') ?? 1000);
const generated = await writeGenerated(pages, `big-${pages}.pdf`);
// Peak RSS in a fresh process, twice: as the server runs today (node --import tsx), and as
// plain Node running the engine bundled by esbuild (dependencies external), which shows what
// the loader itself costs.
const bundle = path.join(outDir, 'child.mjs');
await build({ entryPoints: [path.join(root, 'bench/speed/child.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'error' });
const runs = [['generated', generated], ...(corpus1000 ? [['real corpus pages', corpus1000]] : [])] as const;
for (const [kind, big] of runs) {
  for (const [label, args] of [['node --import tsx', ['--conditions=@folio/source', '--import', 'tsx', path.join(root, 'bench/speed/child.ts')]], ['plain node (bundled)', [bundle]]] as const) {
    const child = spawnSync(process.execPath, [...args, big], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: root });
    try {
      const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { ms: number; pages: number; maxRssMB: number };
      console.log(`${r.pages}-page PDF of ${kind}, ${label}: ${(r.ms / 1000).toFixed(1)} s, ${(r.ms / r.pages).toFixed(1)} ms/page, peak RSS ${r.maxRssMB.toFixed(0)} MB (goal ≤ 400)`);
    } catch {
      console.log(`big PDF run failed (${kind}, ${label}): ${child.stderr.slice(-2000)}`);
    }
  }
}
