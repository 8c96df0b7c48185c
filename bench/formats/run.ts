/**
 * bench:formats — quality and speed of Folio's office/web readers against their ground
 * truth, side by side with pandoc (when installed) and mammoth (DOCX) in the same run.
 *
 *   npm run bench:formats [-- --corpus ../shared/corpus --out bench/out/formats]
 *
 * Every system's output becomes a ParseResponse JSON per corpus id, scored by the team's
 * scorer (../shared/tools/score.mjs). Peers emit HTML; that HTML is mapped onto blocks by
 * the same HTML structure reader (without main-content extraction) so every system is
 * judged by one mapping. Skips cleanly when the corpus or the scorer is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mammoth from 'mammoth';
import { parse } from '../../packages/engine/src/index.ts';
import { buildOutput } from '../../packages/engine/src/output.ts';
import type { ParseOptions } from '../../packages/engine/src/options.ts';
import { Flow } from '../../packages/engine/src/formats/flow.ts';
import { htmlToFlow } from '../../packages/engine/src/formats/html.ts';

const FORMATS = ['docx', 'pptx', 'xlsx', 'xlsm', 'html'];
// Tables are scored whole against whole-table ground truth, so Reducto's default split of
// spreadsheet tables into 50-row pieces (a chunking aid, on by default) is switched off here.
const OPTIONS: ParseOptions = { formatting: { table_output_format: 'html' }, spreadsheet: { split_large_tables: { enabled: false } } };

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve('../shared/corpus') },
    scorer: { type: 'string', default: resolve('../shared/tools/score.mjs') },
    out: { type: 'string', default: resolve('bench/out/formats') },
  },
});
const corpus = resolve(args.corpus!);
const scorer = resolve(args.scorer!);
if (!existsSync(join(corpus, 'manifest.tsv')) || !existsSync(scorer)) {
  console.log(`bench:formats skipped: no corpus at ${corpus} or no scorer at ${scorer}`);
  process.exit(0);
}

interface Row { id: string; type: string; file: string }
const rows: Row[] = readFileSync(join(corpus, 'manifest.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
  const c = line.split('\t');
  return { id: c[0], type: c[3], file: join(corpus, c[5]) };
}).filter((r) => FORMATS.includes(r.type) && existsSync(r.file));

const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;
const systems: Array<{ name: string; supports: (t: string) => boolean; run: (r: Row, bytes: Uint8Array) => Promise<unknown> }> = [
  {
    name: 'folio',
    supports: () => true,
    run: async (r, bytes) => (await parse(bytes, OPTIONS, { filename: r.file })).result,
  },
  {
    name: 'mammoth',
    supports: (t) => t === 'docx',
    run: async (_r, bytes) => htmlResult((await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value),
  },
];
if (hasPandoc) {
  systems.push({
    name: 'pandoc',
    supports: (t) => t === 'docx' || t === 'html',
    run: async (r) => htmlResult(execFileSync('pandoc', ['--sandbox', '-f', r.type, '-t', 'html', r.file], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 })),
  });
}

/** A peer's HTML as a FullResult, through the same structure reader Folio's HTML path uses. */
function htmlResult(html: string): unknown {
  const flow = new Flow();
  htmlToFlow(html, flow, OPTIONS, { mainContent: false });
  return buildOutput(flow.finish(OPTIONS), OPTIONS).result;
}

const outDir = resolve(args.out!);
rmSync(outDir, { recursive: true, force: true });
const timing: Record<string, Record<string, { ms: number; n: number; failed: number }>> = {};
for (const sys of systems) {
  const dir = join(outDir, sys.name);
  mkdirSync(dir, { recursive: true });
  for (const r of rows) {
    if (!sys.supports(r.type)) continue;
    const bytes = new Uint8Array(readFileSync(r.file));
    const t0 = performance.now();
    const slot = ((timing[sys.name] ??= {})[r.type] ??= { ms: 0, n: 0, failed: 0 });
    try {
      const result = await sys.run(r, bytes);
      const ms = performance.now() - t0;
      slot.ms += ms;
      slot.n++;
      writeFileSync(join(dir, `${r.id}.json`), JSON.stringify({ job_id: r.id, duration: ms / 1000, usage: { num_pages: 1, credits: null }, result }));
    } catch (err) {
      slot.failed++;
      writeFileSync(join(dir, `${r.id}.json`), JSON.stringify({ error: String((err as Error).message ?? err) }));
    }
  }
}

interface Agg {
  n_docs: number;
  pass_rate: number | null;
  text?: { edit_sim: number; bow_f1: number };
  headings?: { f1: number };
  tables?: { adjacency_macro: { f1: number }; adjacency_micro: { f1: number } };
}
const reports: Record<string, Record<string, Agg>> = {};
for (const sys of systems) {
  const formats = FORMATS.filter((f) => sys.supports(f)).join(',');
  const report = join(outDir, `${sys.name}.report.json`);
  execFileSync(process.execPath, [scorer, join(outDir, sys.name), '--corpus', corpus, '--formats', formats, '--out', report, '--quiet'], { stdio: 'ignore' });
  reports[sys.name] = JSON.parse(readFileSync(report, 'utf8')).summary.by_format;
}

const f = (x: number | undefined): string => (x === undefined || x === null ? '—' : x.toFixed(3));
const lines = ['| format | system | docs | pass | edit-sim | BoW-F1 | headings F1 | table adj F1 (macro) | ms/doc |', '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
for (const fmt of FORMATS) {
  for (const sys of systems) {
    const a = reports[sys.name][fmt];
    if (!a) continue;
    const t = timing[sys.name]?.[fmt];
    lines.push(`| ${fmt} | ${sys.name} | ${a.n_docs} | ${f(a.pass_rate ?? undefined)} | ${f(a.text?.edit_sim)} | ${f(a.text?.bow_f1)} | ${f(a.headings?.f1)} | ${f(a.tables?.adjacency_macro.f1)} | ${t && t.n ? (t.ms / t.n).toFixed(1) : '—'} |`);
  }
}
lines.push('', ...familyTable(JSON.parse(readFileSync(join(outDir, 'folio.report.json'), 'utf8')).docs));
if (!hasPandoc) lines.push('', 'pandoc not installed (apt-get install pandoc): its rows are missing.');
lines.push('', 'pandoc 2.17 reads DOCX and HTML only; mammoth reads DOCX only. Peers\' HTML is mapped onto blocks by Folio\'s HTML structure reader (no main-content extraction).');
console.log(lines.join('\n'));
writeFileSync(join(outDir, 'summary.md'), `${lines.join('\n')}\n`);

interface DocScore {
  family: string;
  format: string;
  tables?: { gt_tables: number; detected: number; f1: number };
  text?: { edit_sim: number; bow_f1: number };
}

/**
 * Folio per corpus family and format (XLSM counted with XLSX): table detection recall over
 * all ground-truth tables, adjacency F1 and text edit similarity averaged over documents,
 * as the scorer aggregates them.
 */
function familyTable(docs: DocScore[]): string[] {
  const groups = new Map<string, DocScore[]>();
  for (const d of docs) {
    const key = `${d.family} ${d.format === 'xlsm' ? 'xlsx' : d.format}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const mean = (xs: number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  const out = ['| family (folio) | docs | tables: detection recall | tables: adj F1 (macro) | text: edit-sim | text: BoW-F1 |', '|---|---:|---:|---:|---:|---:|'];
  for (const [key, ds] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const withTables = ds.filter((d) => d.tables && d.tables.gt_tables > 0);
    const gt = withTables.reduce((n, d) => n + d.tables!.gt_tables, 0);
    const detected = withTables.reduce((n, d) => n + d.tables!.detected, 0);
    const texts = ds.filter((d) => d.text);
    out.push(`| ${key} | ${ds.length} | ${gt ? f(detected / gt) : '—'} | ${f(mean(withTables.map((d) => d.tables!.f1)))} | ${f(mean(texts.map((d) => d.text!.edit_sim)))} | ${f(mean(texts.map((d) => d.text!.bow_f1)))} |`);
  }
  return out;
}

