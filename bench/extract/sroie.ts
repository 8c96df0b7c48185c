/**
 * bench:extract — the deterministic extractor on the SROIE receipts of ../shared/corpus
 * (scanned JPEGs, so OCR first), offline, scored by ../shared/tools/extract-score.mjs
 * (company, date, address, total with SROIE-style normalisation).
 *
 *   npm run bench:extract [-- --limit N] [--cache DIR] [--out DIR] [--text gt]
 *
 * Prints the scorer's table (per-field accuracy and overall), the ceiling (key values the
 * read text contains at all) and every miss, expected against extracted, marked "in text"
 * (the extractor's miss) or "not in text" (the reading's).
 *
 * --text gt reads each receipt from the corpus's own line transcriptions (box/*.csv) instead
 * of OCR: the extractor's score with perfect text, to tell extraction errors from OCR errors.
 * --cache keeps each receipt's read document (OCR output) so extraction can be re-run
 * without OCR; the figures are only comparable when everything else is the same.
 * Skips (exit 0) when the corpus or the scorer is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { extract, readDocument, type DocBlock, type ParsedDocument } from '@folio/engine';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(process.env.FOLIO_CORPUS ?? join(ROOT, '../shared/corpus'));
const SCORER = resolve(ROOT, '../shared/tools/extract-score.mjs');

/** What a user would ask for: SROIE's four fields, with the amount and date as printed. */
export const SROIE_SCHEMA = {
  type: 'object',
  properties: {
    company: { type: 'string', description: 'Name of the company or store that issued the receipt' },
    date: {
      type: 'string',
      description: 'Date of the receipt, as printed',
      pattern: '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.](?:\\d{1,2}|[A-Za-z]{3})[-/.]\\d{2,4}|\\d{1,2} [A-Za-z]{3,9} \\d{2,4}',
    },
    address: { type: 'string', description: 'Address of the company' },
    // As printed: a currency written onto the figure ("RM5.00") is part of it, one set apart is not.
    total: { type: 'string', description: 'Total amount paid, as printed', pattern: '(?:RM|[$€£])?\\d[\\d,]*[.,]\\d{2}' },
  },
};

interface Row { id: string; doc: string; gt: string[] }

const FIELDS = ['company', 'date', 'address', 'total'] as const;

/** What the scorer module exports (a bundled .mjs without types). */
interface FieldScore { pred: string | null; gt: string; normalised: boolean; lenient: boolean }
interface ExtractReport {
  n_docs: number;
  per_field: Record<string, { normalised: number; strict: number; lenient: number }>;
  overall: { normalised: number; strict: number; lenient: number };
  docs: Array<{ id: string; status: string; error: string | null; fields: Record<string, FieldScore> }>;
}
interface Scorer {
  scoreExtractDir(o: { predDir: string; corpus: string; label?: string }): ExtractReport;
  extractMarkdown(r: ExtractReport): string;
}

/** SROIE's comparison form (as the scorer): upper case, no spaces, punctuation or symbols. */
function sroieNorm(s: string): string {
  return s.normalize('NFKC').toUpperCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The receipt as transcribed by SROIE's annotators: one Text block per line, boxes from the CSV. */
export async function documentFromTranscription(row: Row): Promise<ParsedDocument> {
  const csv = row.gt.find((g) => g.endsWith('.csv'));
  if (!csv) throw new Error('no line transcription');
  const { width = 1, height = 1 } = await sharp(join(CORPUS, row.doc)).metadata();
  const lines = readFileSync(join(CORPUS, csv), 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((l) => {
    const v = l.split(',');
    const xs = [0, 2, 4, 6].map((i) => Number(v[i]));
    const ys = [1, 3, 5, 7].map((i) => Number(v[i]));
    return { text: v.slice(8).join(',').trim(), x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  }).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const blocks: DocBlock[] = lines.map((l) => ({
    type: 'Text', text: l.text, confidence: 1,
    box: { left: l.x0 / width, top: l.y0 / height, width: (l.x1 - l.x0) / width, height: (l.y1 - l.y0) / height, page: 1, original_page: 1 },
  }));
  return { pages: [{ page: 1, originalPage: 1, width, height }], blocks, totalPages: 1 };
}

/**
 * The scorer judges every receipt its corpus lists; with --limit it is given a corpus that
 * lists only the receipts read (the manifest's other rows left out, the files linked).
 */
function corpusOf(rows: Row[]): string {
  const manifest = readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8').split('\n');
  const ids = new Set(rows.map((r) => r.id));
  if (manifest.filter((l) => l.startsWith('sroie-')).length === ids.size) return CORPUS;
  const dir = mkdtempSync(join(tmpdir(), 'folio-bench-extract-corpus-'));
  writeFileSync(join(dir, 'manifest.tsv'), manifest.filter((l, i) => i === 0 || ids.has(l.split('\t')[0])).join('\n'));
  for (const top of new Set(rows.flatMap((r) => [r.doc, ...r.gt].map((p) => p.split('/')[0])))) symlinkSync(join(CORPUS, top), join(dir, top));
  return dir;
}

function sroieRows(): Row[] {
  const lines = readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8').split('\n').filter((l) => l.startsWith('sroie-'));
  return lines.map((l) => {
    const cols = l.split('\t');
    return { id: cols[0], doc: cols[5], gt: cols[4].split(';') };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { limit: { type: 'string' }, cache: { type: 'string' }, out: { type: 'string' }, text: { type: 'string' } } });
  const transcribed = values.text === 'gt';
  if (!existsSync(join(CORPUS, 'manifest.tsv')) || !existsSync(SCORER)) {
    console.log(`bench:extract skipped: corpus (${CORPUS}) or scorer (${SCORER}) not found`);
    return;
  }
  const rows = sroieRows().slice(0, values.limit ? Number(values.limit) : undefined);
  const out = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), 'folio-bench-extract-'));
  mkdirSync(out, { recursive: true });
  if (values.cache) mkdirSync(values.cache, { recursive: true });
  let readMs = 0;
  let extractMs = 0;
  // How many key values the read text contains at all (SROIE normalisation): the ceiling
  // any extractor reaches on this text, to tell reading errors from extraction errors.
  const present: Record<string, number> = {};
  const inText = new Set<string>();
  for (const row of rows) {
    const cached = values.cache ? join(values.cache, `${row.id}.json`) : null;
    let doc: ParsedDocument;
    let t = performance.now();
    if (transcribed) {
      doc = await documentFromTranscription(row);
    } else if (cached && existsSync(cached)) {
      doc = JSON.parse(readFileSync(cached, 'utf8')) as ParsedDocument;
    } else {
      try {
        doc = await readDocument(new Uint8Array(readFileSync(join(CORPUS, row.doc))), {}, { filename: row.doc });
      } catch (err) {
        writeFileSync(join(out, `${row.id}.json`), JSON.stringify({ error: String((err as Error).message) }));
        console.log(`${row.id}: read failed: ${(err as Error).message}`);
        continue;
      }
      if (cached) writeFileSync(cached, JSON.stringify(doc));
    }
    readMs += performance.now() - t;
    const key = row.gt.find((g) => g.endsWith('.json'));
    if (key) {
      const text = sroieNorm(doc.blocks.map((b) => b.table ? b.table.cells.map((c) => c.text).join(' ') : b.text).join(' '));
      for (const [field, value] of Object.entries(JSON.parse(readFileSync(join(CORPUS, key), 'utf8')) as Record<string, string>)) {
        if (sroieNorm(value) && text.includes(sroieNorm(value))) {
          present[field] = (present[field] ?? 0) + 1;
          inText.add(`${row.id}/${field}`);
        }
      }
    }
    t = performance.now();
    const body = await extract(doc, { schema: SROIE_SCHEMA });
    extractMs += performance.now() - t;
    writeFileSync(join(out, `${row.id}.json`), JSON.stringify(body));
    const r = (body.result as Array<Record<string, unknown>>)[0];
    console.log(`${row.id}: ${JSON.stringify(r)}`);
  }
  console.log(`\n${rows.length} receipts (${transcribed ? 'text from the corpus transcriptions, no OCR' : 'read with OCR'}): read ${(readMs / 1000).toFixed(1)} s, extract ${extractMs.toFixed(0)} ms total`);
  const scorer = (await import(pathToFileURL(SCORER).href)) as Scorer;
  const report = scorer.scoreExtractDir({ predDir: out, corpus: corpusOf(rows), label: transcribed ? 'transcribed text' : 'OCR text' });
  console.log(scorer.extractMarkdown(report));
  const ceiling = FIELDS.map((f) => `${f} ${((present[f] ?? 0) / rows.length).toFixed(3)}`).join(', ');
  const overall = FIELDS.reduce((n, f) => n + (present[f] ?? 0), 0) / (rows.length * FIELDS.length);
  console.log(`\nkey values present in the read text (normalised, the ceiling for this text): ${ceiling}; overall ${overall.toFixed(3)}`);
  // Each miss with what was expected: "in text" misses are the extractor's, the others the reading's.
  const misses = report.docs.flatMap((d) => FIELDS.filter((f) => !d.fields[f].normalised).map((f) => ({ id: d.id, f, s: d.fields[f] })));
  console.log(`\nmisses (${misses.length}):`);
  for (const { id, f, s } of misses) {
    console.log(`  ${id} ${f.padEnd(7)} [${inText.has(`${id}/${f}`) ? 'in text' : 'not in text'}] expected ${JSON.stringify(s.gt)} got ${JSON.stringify(s.pred)}`);
  }
  const fields = FIELDS.map((f) => `${f} ${report.per_field[f].normalised.toFixed(3)}`).join(', ');
  console.log(`\nfield accuracy (normalised): ${fields}; overall ${report.overall.normalised.toFixed(3)} (ceiling ${overall.toFixed(3)})`);
}

if (process.argv[1]?.endsWith("sroie.ts")) await main();
