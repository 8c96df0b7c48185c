/**
 * bench:quality — the PDF engine against the corpus ground truth, side by side with the raw
 * text-layer peers (pdf.js getTextContent, poppler pdftotext), scored by the team's scorer.
 * Pictures of tables (PubTabNet) are read too, through OCR: they have no text-layer peer.
 *
 *   npm run bench:quality [-- --ids id1,id2] [--families docling,docbank] [--corpus DIR] [--out DIR]
 *
 * DocBank pages are also scored on their text outside display equations (display-equations.ts).
 *
 * Skips cleanly when the corpus (default ../shared/corpus) is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@folio/engine';
import { loadPdfJs, STANDARD_FONT_DATA_URL } from '../../packages/engine/src/formats/pdf/pdfjs.ts';
import { scoreWithoutDisplayEquations } from './display-equations.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const corpus = path.resolve(arg('corpus') ?? process.env.FOLIO_CORPUS ?? path.join(root, '../shared/corpus'));
const scorer = path.resolve(process.env.FOLIO_SCORER ?? path.join(corpus, '../tools/score.mjs'));
if (!existsSync(path.join(corpus, 'manifest.tsv')) || !existsSync(scorer)) {
  console.log(`bench:quality skipped: no corpus at ${corpus} (or no scorer at ${scorer})`);
  process.exit(0);
}
const onlyIds = arg('ids')?.split(',');
const onlyFamilies = arg('families')?.split(',');

interface Entry { id: string; file: string; type: string }
/** Images whose ground truth is a table: the table-image families, read by OCR. */
const isTableImage = (r: Record<string, string>) => ['png', 'jpg', 'tif', 'webp', 'bmp'].includes(r.type) && /table-structure/.test(r.measures ?? '');
const [header, ...lines] = readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n');
const cols = header.split('\t');
const entries: Entry[] = lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])))
  .filter((r) => (r.type === 'pdf' || isTableImage(r)) && (!onlyIds || onlyIds.includes(r.id)) && (!onlyFamilies || onlyFamilies.some((f) => r.id.startsWith(`${f}-`))))
  .map((r) => ({ id: r.id, file: path.join(corpus, r.local_path), type: r.type }));

const outRoot = path.resolve(arg('out') ?? path.join(root, 'bench/out/quality'));
const dirs = { folio: path.join(outRoot, 'folio'), pdfjs: path.join(outRoot, 'pdfjs'), pdftotext: path.join(outRoot, 'pdftotext') };
for (const d of Object.values(dirs)) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true }); }

/** A page of plain text as a one-block ParseResponse chunk, the shape the scorer reads. */
function plainResponse(pages: string[]) {
  const blocks = pages.map((content, i) => ({
    type: 'Text', content, bbox: { left: 0, top: 0, width: 1, height: 1, page: i + 1, original_page: i + 1 },
    image_url: null, chart_data: null, confidence: 'high', granular_confidence: null, extra: null,
  }));
  const content = pages.join('\n\n');
  return { job_id: 'peer', duration: 0, usage: { num_pages: pages.length, credits: null }, result: { type: 'full', chunks: [{ content, embed: content, enriched: null, enrichment_success: false, blocks }], ocr: null, custom: null } };
}

async function pdfjsText(bytes: Uint8Array, password?: string): Promise<string[]> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ data: bytes, password, standardFontDataUrl: STANDARD_FONT_DATA_URL, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const tc = await (await doc.getPage(p)).getTextContent();
    pages.push(tc.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
let failures = 0;
/** Per page, the letters and digits of the pdf.js text layer that Folio's output of that page lacks. */
const floorMisses: Array<{ id: string; page: number; missing: number; of: number; sample: string }> = [];
let floorTotal = 0, floorMissing = 0;
for (const e of entries) {
  const bytes = new Uint8Array(readFileSync(e.file));
  const started = performance.now();
  try {
    const out = await parse(bytes, { formatting: { table_output_format: 'html' } }, { filename: e.file });
    const duration = (performance.now() - started) / 1000;
    writeFileSync(path.join(dirs.folio, `${e.id}.json`), JSON.stringify({ job_id: e.id, duration, usage: out.usage, result: out.result, document_properties: out.document_properties }));
  } catch (err) {
    failures++;
    console.log(`folio ${e.id}: ${(err as Error).message}`);
  }
  if (e.type !== 'pdf') continue;
  try {
    const pages = await pdfjsText(bytes);
    writeFileSync(path.join(dirs.pdfjs, `${e.id}.json`), JSON.stringify(plainResponse(pages)));
    const folio = existsSync(path.join(dirs.folio, `${e.id}.json`)) ? JSON.parse(readFileSync(path.join(dirs.folio, `${e.id}.json`), 'utf8')) : null;
    if (folio) checkTextLayerFloor(e.id, pages, folio);
  } catch { /* encrypted etc.: no prediction */ }
  if (hasPdftotext) {
    try {
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', e.file, '-'], { maxBuffer: 1 << 28 }).toString('utf8');
      writeFileSync(path.join(dirs.pdftotext, `${e.id}.json`), JSON.stringify(plainResponse(text.split('\f').filter((p, i, a) => i < a.length - 1 || p.trim()))));
    } catch { /* no prediction */ }
  }
}

type Report = Record<string, unknown>;
const reports: Record<string, Report> = {};
for (const [name, dir] of Object.entries(dirs)) {
  if (name === 'pdftotext' && !hasPdftotext) continue;
  const out = path.join(outRoot, `${name}.report.json`);
  const args = [scorer, dir, '--corpus', corpus, '--formats', [...new Set(entries.map((e) => e.type))].join(','), '--out', out, '--label', name, '--quiet'];
  if (onlyIds || onlyFamilies) args.push('--ids', entries.map((e) => e.id).join(','));
  spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (existsSync(out)) reports[name] = JSON.parse(readFileSync(out, 'utf8'));
}
writeFileSync(path.join(outRoot, 'summary.json'), JSON.stringify(reports, null, 2));
console.log(`${entries.length} documents, ${failures} engine failures; reports in ${path.relative(root, outRoot)}/`);
printSummary(reports);
printPagesAgainstTextLayer(reports);
for (const f of scoreWithoutDisplayEquations(corpus, scorer, { folio: dirs.folio }, path.join(outRoot, 'without-display-equations'))) {
  console.log(`DocBank text outside display equations (${f.system}, ${f.pages} pages): edit similarity ${f.editSim.toFixed(3)}, bag-of-words ${f.bowF1.toFixed(3)}`);
}
console.log(`\nText-layer floor: ${floorMissing} of ${floorTotal} letters and digits of the pdf.js text layer missing from Folio's pages`);
for (const m of floorMisses.sort((a, b) => b.missing / b.of - a.missing / a.of)) {
  console.log(`  ${m.id} p${m.page}: ${m.missing} of ${m.of} (${(100 * m.missing / m.of).toFixed(1)} %) ${JSON.stringify(m.sample)}`);
}

/** Letters and digits, counted (NFKC, table markup dropped): what no reading order may lose. */
function inkCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const plain = text.replace(/<\/?(?:table|thead|tbody|tr|td|th)\b[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').normalize('NFKC');
  for (const ch of plain) if (/[\p{L}\p{N}]/u.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

/** Records each page where Folio's output lacks more than 0.5 % of the text layer's letters and digits. */
function checkTextLayerFloor(id: string, layer: string[], folio: { result: { chunks: Array<{ blocks: Array<{ content: string; bbox: { page: number } }> }> } }): void {
  const byPage = new Map<number, string[]>();
  for (const b of folio.result.chunks.flatMap((c) => c.blocks)) byPage.set(b.bbox.page, [...(byPage.get(b.bbox.page) ?? []), b.content]);
  layer.forEach((text, i) => {
    const want = inkCounts(text), have = inkCounts((byPage.get(i + 1) ?? []).join(' '));
    let of = 0, missing = 0, sample = '';
    for (const [ch, n] of want) {
      of += n;
      const lack = Math.max(0, n - (have.get(ch) ?? 0));
      missing += lack;
      if (lack && sample.length < 20) sample += ch;
    }
    floorTotal += of; floorMissing += missing;
    if (of > 0 && missing > 0.005 * of) floorMisses.push({ id, page: i + 1, missing, of, sample });
  });
}

interface DocReport { id: string; family: string; text?: { edit_sim: number; bow_f1: number } }

/**
 * Per page with text ground truth (DocBank: one page each), Folio against the raw pdf.js text
 * layer it starts from, and every page where Folio falls more than 0.02 below it.
 */
function printPagesAgainstTextLayer(all: Record<string, Report>): void {
  const docs = (name: string) => ((all[name]?.docs ?? []) as DocReport[]).filter((d) => d.family === 'docbank' && d.text);
  const peer = new Map(docs('pdfjs').map((d) => [d.id, d.text!]));
  const rows = docs('folio').filter((d) => peer.has(d.id));
  if (rows.length === 0) return;
  console.log(`\nDocBank pages: Folio vs pdf.js text layer (edit similarity, bag-of-words F1)`);
  const below: string[] = [];
  for (const d of rows) {
    const f = d.text!, p = peer.get(d.id)!;
    const worse = f.edit_sim < p.edit_sim - 0.02 || f.bow_f1 < p.bow_f1 - 0.02;
    if (worse) below.push(d.id);
    console.log(`${d.id.padEnd(56)} edit ${f.edit_sim.toFixed(3)} / ${p.edit_sim.toFixed(3)}   bow ${f.bow_f1.toFixed(3)} / ${p.bow_f1.toFixed(3)}${worse ? '   BELOW' : ''}`);
  }
  console.log(`${below.length} of ${rows.length} pages more than 0.02 below pdf.js${below.length ? `: ${below.join(', ')}` : ''}`);
}

/** Print every numeric summary metric the scorer reports, one column per system. */
function printSummary(all: Record<string, Report>): void {
  const flat = (obj: unknown, prefix = '', acc: Record<string, number> = {}) => {
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      for (const [k, v] of Object.entries(obj)) {
        if (k === 'documents' || k === 'perDocument' || k === 'per_document' || k === 'docs') continue;
        flat(v, prefix ? `${prefix}.${k}` : k, acc);
      }
    } else if (typeof obj === 'number') acc[prefix] = obj;
    return acc;
  };
  const names = Object.keys(all);
  const rows = names.map((n) => flat((all[n] as { summary?: unknown }).summary ?? all[n]));
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  console.log(['metric'.padEnd(48), ...names.map((n) => n.padStart(10))].join(' '));
  for (const k of keys) console.log([k.padEnd(48), ...rows.map((r) => (r[k] === undefined ? '' : r[k].toFixed(3)).padStart(10))].join(' '));
}
