/**
 * DocBank text scored with display equations set apart. DocBank's reference gives a formula's
 * tokens in the order its PDF extractor met the glyphs (a fraction's numerator after its
 * denominator, limits after the sign, a radical's sign detached), which no visual reading order
 * reproduces; a page's edit similarity then says more about its formulas than about its
 * reading order. Here DocBank pages are scored a second time by the same scorer on the text
 * outside display equations: tokens labelled `equation` leave the reference, and blocks lying
 * mostly inside an equation's region leave the prediction. Only predictions with block
 * geometry can be split so (not the text-layer peers, one block per page).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A region of the page in DocBank's 0–1000 coordinates. */
interface Region { x0: number; y0: number; x1: number; y1: number }

/** Equation tokens the extractor gave in a row, split where the next one starts a new line far below: one display each. */
function equationRegions(tsv: string): Region[] {
  const regions: Region[] = [];
  let current: Region | null = null;
  for (const line of tsv.split(/\r?\n/)) {
    const v = line.split('\t');
    if (v.length < 10 || v[0].startsWith('##LT')) continue;
    if (v[9].trim() !== 'equation') { current = null; continue; }
    const [x0, y0, x1, y1] = v.slice(1, 5).map(Number);
    // A gap of three text lines ends a display: the tokens of one formula are close together.
    if (current && y0 - current.y1 < 30 && current.y0 - y1 < 30) {
      current.x0 = Math.min(current.x0, x0); current.y0 = Math.min(current.y0, y0);
      current.x1 = Math.max(current.x1, x1); current.y1 = Math.max(current.y1, y1);
    } else {
      current = { x0, y0, x1, y1 };
      regions.push(current);
    }
  }
  return regions;
}

interface Block { content: string; bbox: { left: number; top: number; width: number; height: number; page: number } }

/** Whether more than half of a block's box lies in the (slightly widened) equation regions. */
function insideEquations(b: Block, regions: Region[]): boolean {
  const x0 = b.bbox.left * 1000, y0 = b.bbox.top * 1000, x1 = x0 + b.bbox.width * 1000, y1 = y0 + b.bbox.height * 1000;
  let covered = 0;
  for (const r of regions) {
    covered += Math.max(0, Math.min(x1, r.x1 + 5) - Math.max(x0, r.x0 - 5)) * Math.max(0, Math.min(y1, r.y1 + 5) - Math.max(y0, r.y0 - 5));
  }
  return covered > 0.5 * Math.max(1, (x1 - x0) * (y1 - y0));
}

export interface ApartFigures { system: string; pages: number; editSim: number; bowF1: number }

/**
 * Scores the DocBank predictions of each system (`dirs`: name → folder of `<id>.json`) without
 * display equations. `work`: a scratch folder for the filtered corpus, predictions and reports.
 */
export function scoreWithoutDisplayEquations(corpus: string, scorer: string, dirs: Record<string, string>, work: string): ApartFigures[] {
  rmSync(work, { recursive: true, force: true });
  const [header, ...lines] = readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n');
  const cols = header.split('\t');
  const gtCol = cols.indexOf('groundtruth_path');
  const rows = lines.map((l) => l.split('\t')).filter((r) => r[0].startsWith('docbank-') && r[gtCol].endsWith('.txt'));
  const regions = new Map<string, { page: number; regions: Region[] }>();
  for (const r of rows) {
    const tsv = readFileSync(path.join(corpus, r[gtCol]), 'utf8');
    const kept = tsv.split(/\r?\n/).filter((l) => l.split('\t')[9]?.trim() !== 'equation').join('\n');
    mkdirSync(path.dirname(path.join(work, 'corpus', r[gtCol])), { recursive: true });
    writeFileSync(path.join(work, 'corpus', r[gtCol]), kept);
    regions.set(r[0], { page: Number(/_p(\d+)$/.exec(r[0])?.[1] ?? -1) + 1, regions: equationRegions(tsv) });
  }
  writeFileSync(path.join(work, 'corpus', 'manifest.tsv'), [header, ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
  const figures: ApartFigures[] = [];
  for (const [system, dir] of Object.entries(dirs)) {
    const out = path.join(work, system);
    mkdirSync(out, { recursive: true });
    const ids = rows.map((r) => r[0]).filter((id) => existsSync(path.join(dir, `${id}.json`)));
    for (const id of ids) {
      const response = JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8'));
      const { page, regions: eq } = regions.get(id)!;
      for (const chunk of response.result.chunks as Array<{ blocks: Block[] }>) {
        chunk.blocks = chunk.blocks.filter((b) => b.bbox.page !== page || !insideEquations(b, eq));
      }
      writeFileSync(path.join(out, `${id}.json`), JSON.stringify(response));
    }
    if (ids.length === 0) continue;
    const report = path.join(work, `${system}.report.json`);
    spawnSync(process.execPath, [scorer, out, '--corpus', path.join(work, 'corpus'), '--formats', 'pdf', '--ids', ids.join(','), '--out', report, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(report)) continue;
    const text = JSON.parse(readFileSync(report, 'utf8')).summary?.overall?.text;
    if (text) figures.push({ system, pages: text.n_docs, editSim: text.edit_sim, bowF1: text.bow_f1 });
  }
  return figures;
}
