import type { ParsedDocument } from '../model.ts';
import { missing, type Answer, type ArrayAnswer, type LeafAnswer, type ObjectAnswer } from './answer.ts';
import { coerce, findDateText, parseNumber } from './coerce.ts';
import { DocumentIndex, type Line, type Pair, type Source, type TableView } from './evidence.ts';
import { fieldTerms, labelScore, type FieldTerms } from './field.ts';
import { mainType, resolve, type JsonSchema } from './schema.ts';
import { words } from './terms.ts';
import { findSection, sectionLeaf } from './section.ts';
import { addressFallback, organisationFallback, isAddressField, isNameText, isOrganisationField } from './roles.ts';
import { agreesWith, changeCheckedTotal, inTaxSummary, isPayableTotal, misreadTotal, paidTotal, roundedTotal, taxSummaryStarts } from './totals.ts';

/** Explicit pairs beat geometric guesses. */
const KIND_WEIGHT: Record<Pair['kind'] | 'prefix', number> = {
  'key-value': 1, colon: 0.97, cell: 0.9, prefix: 0.9, right: 0.88, below: 0.8,
};

const SUMMARY_ROW = /^(sub\s*-?total|total|grand total|tax|vat|gst|balance|amount due|discount|shipping)\b/i;

const COUNT_LABEL = /\b(qty|quantity|items?|pcs|count|units?|no\.? of)\b/i;

/** Below this a label is not taken to name the field. */
const MIN_LABEL_SCORE = 0.6;

/**
 * The default extractor: no model, no network. Each schema leaf is looked up by its name,
 * title, synonyms and description among the document's labelled values (Key Value blocks,
 * "Label: value" text, a value right of or below its label, table row labels and headers);
 * the value must coerce to the leaf's type or it is not taken. Arrays of objects come from
 * table rows. What is not found is null.
 */
export function extractDeterministic(doc: ParsedDocument, schema: JsonSchema, options: DeterministicOptions = {}): ObjectAnswer {
  const index = new DocumentIndex(doc);
  return objectAnswer(index, schema, schema, [], options);
}

export interface DeterministicOptions {
  /**
   * Arrays of objects take the rows of every table that matches the item properties as well
   * as the best one, not only the best table and its continuations (array_extract).
   */
  everyTable?: boolean;
}

function objectAnswer(index: DocumentIndex, schema: JsonSchema, root: JsonSchema, parents: string[], options: DeterministicOptions): ObjectAnswer {
  // A nested object may be a labelled section ("Bill To:" + name + address lines).
  const own = parents[parents.length - 1];
  const section = own ? findSection(index, fieldTerms(own, schema, parents.slice(0, -1))) : undefined;
  const fields: Record<string, Answer> = {};
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const child = resolve(raw, root);
    const found = answerFor(index, name, child, root, parents, options);
    // An explicit label anywhere ("Customer Name: …") beats the section's layout.
    if (section && found.kind === 'leaf' && found.confidence < 0.9) {
      const inSection = sectionLeaf(section, name, child, parents, index.context);
      if (inSection) { fields[name] = inSection; continue; }
    }
    fields[name] = found;
  }
  return { kind: 'object', fields };
}

function answerFor(index: DocumentIndex, name: string, schema: JsonSchema, root: JsonSchema, parents: string[], options: DeterministicOptions): Answer {
  const type = mainType(schema);
  if (type === 'object') return objectAnswer(index, schema, root, [...parents, name], options);
  if (type === 'array') {
    const items = resolve(schema.items ?? {}, root);
    if (mainType(items) === 'object') return rowsAnswer(index, name, schema, items, root, options);
    return listAnswer(index, name, schema, items, parents);
  }
  return leafAnswer(index, fieldTerms(name, schema, parents), schema);
}

interface Candidate {
  value: unknown;
  source: Source;
  score: number;
  order: number;
}

export function leafAnswer(index: DocumentIndex, terms: FieldTerms, schema: JsonSchema): LeafAnswer {
  const candidates: Candidate[] = [];
  const payable = isPayableTotal(terms);
  // Totals clearly labelled whose figure does not read as one.
  const unread: Pair[] = [];
  for (const pair of index.pairs) {
    const s = labelScore(terms, pair.label);
    if (s < MIN_LABEL_SCORE) continue;
    // "Total Qty 7 51.42", "Total items 3": a count, whatever is printed beside it.
    if (payable && COUNT_LABEL.test(pair.label.replace(/\([^)]*\)/g, ' '))) continue;
    const value = coerce(pair.value, schema, index.context);
    if (value === undefined) {
      if (payable && pair.kind !== 'below') unread.push(pair);
      continue;
    }
    candidates.push({ value, source: pair.source, score: s * KIND_WEIGHT[pair.kind], order: pair.order });
  }
  candidates.push(...prefixCandidates(index, terms, schema));
  if (isOrganisationField(terms)) {
    // A name is written in words: "Company: 12345-X" or "Store: DATE" is a mislabelled read.
    const kept = candidates.filter((c) => c.score >= 0.8 && typeof c.value === 'string' && isNameText(c.value));
    candidates.splice(0, candidates.length, ...kept);
  }
  if (payable) {
    // A tax summary's "TOTAL" (printed after the payment) is the taxable base, not the total paid.
    const summaries = taxSummaryStarts(index);
    for (const c of candidates) if (inTaxSummary(summaries, c.source.box.page, c.order)) c.score *= 0.85;
    // A total is written as an amount: "AMOUNT" over an item line ("LED TUBE @16.00") is a
    // column header, "GST @6%" a rate.
    const kept = candidates.filter((c) => parseNumber(c.source.content) !== undefined && !c.source.content.includes('%'));
    candidates.splice(0, candidates.length, ...kept);
  }
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  let best = candidates[0];
  // Totals and balances are restated as they are adjusted ("TOTAL", then "TOTAL ROUNDED");
  // among near-equal readings the last one is the final figure.
  if (best && terms.phrases[0]?.some((w) => w === 'total' || w === 'balance')) {
    const near = candidates.filter((c) => c.score >= best.score - 0.06).sort((a, b) => a.order - b.order);
    best = near[near.length - 1];
    // A restated total moves by a rounding step at most: further apart, OCR garbled one of them.
    const before = near.length > 1 ? near[near.length - 2] : undefined;
    if (payable && before && !agreesWith(index, best, before)) best = before;
  }
  if (best && payable) {
    const amount = typeof best.value === 'number' ? best.value : parseNumber(String(best.value));
    const rounded = amount === undefined ? undefined : roundedTotal(index, best, amount, schema);
    if (rounded) best = { ...rounded, score: best.score };
    const chosen = typeof best.value === 'number' ? best.value : parseNumber(String(best.value));
    const checked = chosen === undefined ? undefined
      : changeCheckedTotal(index, chosen, (label) => labelScore(terms, label) >= 0.4 && !COUNT_LABEL.test(label), schema);
    if (checked) best = { ...checked, score: best.score };
  }
  if (best) return { kind: 'leaf', value: best.value, sources: [best.source], confidence: round(best.score) };
  if (payable && mainType(schema) !== 'object') {
    const paid = paidTotal(index, schema) ?? misreadTotal(index, unread, schema);
    if (paid) return { kind: 'leaf', value: paid.value, sources: [paid.source], confidence: 0.5 };
  }
  return fallback(index, terms, schema) ?? missing();
}

/** "Invoice Number INV-001" (no colon): a line that starts with one of the field's phrases. */
function prefixCandidates(index: DocumentIndex, terms: FieldTerms, schema: JsonSchema): Candidate[] {
  const out: Candidate[] = [];
  for (const line of index.lines) {
    // Lines with "Label: value" are read as pairs already, table rows as cells.
    if (/[:：]/.test(line.text) || line.block.type === 'Table') continue;
    const tokens = line.text.split(/\s+/);
    for (let k = 1; k <= Math.min(5, tokens.length - 1); k++) {
      const label = tokens.slice(0, k).join(' ');
      const s = labelScore(terms, label);
      if (s < 0.8) continue;
      const rest = tokens.slice(k).join(' ').replace(/^[:#\-–\s]+/, '');
      // "Company No 1234": the label goes on; this is not the company.
      if (/^(no|nr|number|#|reg|id)\b/i.test(rest)) continue;
      const value = coerce(rest, schema, index.context);
      if (value === undefined) continue;
      const start = line.text.lastIndexOf(rest);
      const box = start > 0 ? { ...line.box, left: line.box.left + (line.box.width * start) / line.text.length, width: (line.box.width * rest.length) / line.text.length } : line.box;
      out.push({ value, source: { block: line.block, box, content: rest }, score: s * KIND_WEIGHT.prefix, order: line.order });
    }
  }
  return out;
}

/** Unlabelled values that have a recognisable shape or place: a date, a letterhead name, an address. */
function fallback(index: DocumentIndex, terms: FieldTerms, schema: JsonSchema): LeafAnswer | undefined {
  const nameWords = words(terms.name);
  const isDate = schema.format === 'date' || schema.format === 'date-time' || nameWords.includes('date');
  if (isDate && mainType(schema) === 'string') {
    for (const line of index.lines) {
      const text = findDateText(line.text);
      if (!text) continue;
      const value = coerce(text, schema, index.context);
      if (value !== undefined) return { kind: 'leaf', value, sources: [{ block: line.block, box: line.box, content: text }], confidence: 0.5 };
    }
  }
  if (mainType(schema) === 'string' && !schema.format && !schema.enum) {
    if (isOrganisationField(terms)) return organisationFallback(index);
    if (isAddressField(terms)) return addressFallback(index);
  }
  return undefined;
}

/** Arrays of objects: the table whose headers best match the item properties, one item per row. */
function rowsAnswer(index: DocumentIndex, name: string, schema: JsonSchema, items: JsonSchema, root: JsonSchema, options: DeterministicOptions): ArrayAnswer {
  const props = Object.entries(items.properties ?? {}).map(([k, v]) => ({ key: k, schema: resolve(v, root), terms: fieldTerms(k, resolve(v, root)) }));
  const nameTerms = fieldTerms(name, schema);
  type Match = { table: TableView; mapping: Map<string, number>; score: number };
  const matches: Match[] = [];
  let best: Match | undefined;
  for (const table of index.tables) {
    const mapping = mapColumns(table.headers, props.map((p) => p.terms));
    let score = [...mapping.values()].length;
    if (score === 0) continue;
    // A table named like the field ("Line items") wins a tie.
    score += 0.01 * table.headers.reduce((m, h) => Math.max(m, labelScore(nameTerms, h)), 0);
    matches.push({ table, mapping, score });
    if (!best || score > best.score) best = { table, mapping, score };
  }
  if (!best) return rowsFromLines(index, props) ?? { kind: 'array', items: [] };
  const signature = best.table.headers.join('|').toLowerCase();
  // A table continued on the next pages repeats its header. With everyTable, any table whose
  // headers name as many item properties as the best one's is read too (with its own columns).
  const tables = options.everyTable
    ? matches.filter((m) => m.mapping.size >= best!.mapping.size)
    : index.tables.filter((t) => t === best!.table || (t.order > best!.table.order && t.headers.join('|').toLowerCase() === signature)).map((table) => ({ table, mapping: best!.mapping }));
  const out: Answer[] = [];
  for (const { table, mapping } of tables) {
    for (const row of table.rows) {
      const fields: Record<string, Answer> = {};
      let filled = 0;
      for (const p of props) {
        const col = mapping.get(p.key);
        const cell = col === undefined ? undefined : row[col];
        const value = cell ? coerce(cell.text, p.schema, index.context) : undefined;
        if (value === undefined || !cell) { fields[p.key] = mainType(p.schema) === 'array' ? { kind: 'array', items: [] } : missing(); continue; }
        filled++;
        fields[p.key] = { kind: 'leaf', value, sources: [{ block: table.block, box: cell.box ?? table.block.box, content: cell.text }], confidence: 0.9 };
      }
      // Rows with fewer than half the mapped columns filled are spacing; "Total" rows are summaries.
      if (filled === 0 || filled < mapping.size / 2) continue;
      if (filled < mapping.size && row.some((c) => c && SUMMARY_ROW.test(c.text.trim()))) continue;
      out.push({ kind: 'object', fields });
    }
  }
  return { kind: 'array', items: out };
}

/** Assign each property the column whose header names it best (each column used once). */
function mapColumns(headers: string[], props: FieldTerms[]): Map<string, number> {
  const scored: Array<{ prop: string; col: number; s: number }> = [];
  props.forEach((p) => headers.forEach((h, col) => {
    const s = labelScore(p, h);
    if (s >= 0.5) scored.push({ prop: p.name, col, s });
  }));
  scored.sort((a, b) => b.s - a.s);
  const mapping = new Map<string, number>();
  const used = new Set<number>();
  for (const { prop, col } of scored) {
    if (mapping.has(prop) || used.has(col)) continue;
    mapping.set(prop, col);
    used.add(col);
  }
  return mapping;
}

/**
 * No table block: a line whose wide-gap segments read like the item headers, and the lines
 * under it with the same number of segments.
 */
function rowsFromLines(index: DocumentIndex, props: Array<{ key: string; schema: JsonSchema; terms: FieldTerms }>): ArrayAnswer | undefined {
  const lines = index.lines;
  for (let i = 0; i < lines.length; i++) {
    const headers = lines[i].text.split(/\s{2,}|\t/);
    if (headers.length < 2) continue;
    const mapping = mapColumns(headers, props.map((p) => p.terms));
    if (mapping.size < 2) continue;
    const items: Answer[] = [];
    for (let j = i + 1; j < lines.length && lines[j].box.page === lines[i].box.page; j++) {
      const cells = lines[j].text.split(/\s{2,}|\t/);
      if (cells.length !== headers.length) break;
      const fields: Record<string, Answer> = {};
      let filled = 0;
      for (const p of props) {
        const col = mapping.get(p.key);
        const value = col === undefined ? undefined : coerce(cells[col], p.schema, index.context);
        if (value === undefined) { fields[p.key] = missing(); continue; }
        filled++;
        fields[p.key] = { kind: 'leaf', value, sources: [{ block: lines[j].block, box: lines[j].box, content: cells[col!] }], confidence: 0.7 };
      }
      if (filled >= mapping.size / 2) items.push({ kind: 'object', fields });
    }
    if (items.length) return { kind: 'array', items };
  }
  return undefined;
}

/** Arrays of plain values: a table column named like the field, else a labelled list "a, b, c". */
function listAnswer(index: DocumentIndex, name: string, schema: JsonSchema, items: JsonSchema, parents: string[]): ArrayAnswer {
  const terms = fieldTerms(name, schema, parents);
  for (const table of index.tables) {
    const col = table.headers.findIndex((h) => labelScore(terms, h) >= MIN_LABEL_SCORE);
    if (col < 0) continue;
    const out: Answer[] = [];
    for (const row of table.rows) {
      const cell = row[col];
      const value = cell ? coerce(cell.text, items, index.context) : undefined;
      if (value !== undefined && cell) out.push({ kind: 'leaf', value, sources: [{ block: table.block, box: cell.box ?? table.block.box, content: cell.text }], confidence: 0.85 });
    }
    if (out.length) return { kind: 'array', items: out };
  }
  const leaf = leafAnswer(index, terms, { type: 'string' });
  if (leaf.value === null) return { kind: 'array', items: [] };
  const parts = String(leaf.value).split(/\s*[,;]\s*/).filter(Boolean);
  const out: Answer[] = [];
  for (const part of parts) {
    const value = coerce(part, items, index.context);
    if (value !== undefined) out.push({ kind: 'leaf', value, sources: leaf.sources, confidence: leaf.confidence });
  }
  return { kind: 'array', items: out };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
