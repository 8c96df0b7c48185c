/**
 * bench:extract — the deterministic extractor on the SROIE receipts of ../shared/corpus
 * (scanned JPEGs, so OCR first), offline, scored by ../shared/tools/extract-score.mjs
 * (company, date, address, total with SROIE-style normalisation).
 *
 *   npm run bench:extract [-- --limit N] [--cache DIR] [--out DIR]
 *
 * --cache keeps each receipt's read document (OCR output) so extraction can be re-run
 * without OCR; the figures are only comparable when everything else is the same.
 * Skips (exit 0) when the corpus or the scorer is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extract, readDocument, type ParsedDocument } from '@folio/engine';

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
    total: { type: 'string', description: 'Total amount paid', pattern: '\\d[\\d,]*[.,]\\d{2}' },
  },
};

interface Row { id: string; doc: string }

function sroieRows(): Row[] {
  const lines = readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8').split('\n').filter((l) => l.startsWith('sroie-'));
  return lines.map((l) => {
    const cols = l.split('\t');
    return { id: cols[0], doc: cols[5] };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { limit: { type: 'string' }, cache: { type: 'string' }, out: { type: 'string' } } });
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
  for (const row of rows) {
    const cached = values.cache ? join(values.cache, `${row.id}.json`) : null;
    let doc: ParsedDocument;
    let t = performance.now();
    if (cached && existsSync(cached)) {
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
    t = performance.now();
    const body = await extract(doc, { schema: SROIE_SCHEMA });
    extractMs += performance.now() - t;
    writeFileSync(join(out, `${row.id}.json`), JSON.stringify(body));
    const r = (body.result as Array<Record<string, unknown>>)[0];
    console.log(`${row.id}: ${JSON.stringify(r)}`);
  }
  console.log(`\n${rows.length} receipts: read (OCR) ${(readMs / 1000).toFixed(1)} s, extract ${extractMs.toFixed(0)} ms total`);
  console.log(execFileSync(process.execPath, [SCORER, out, '--corpus', CORPUS], { encoding: 'utf8' }));
}

if (process.argv[1]?.endsWith("sroie.ts")) await main();
