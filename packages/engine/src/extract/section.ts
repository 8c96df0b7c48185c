import type { LeafAnswer } from './answer.ts';
import { coerce, type ReadingContext } from './coerce.ts';
import { colonPairs, union, type DocumentIndex, type Line } from './evidence.ts';
import { fieldTerms, labelScore, type FieldTerms } from './field.ts';
import { mainType, type JsonSchema } from './schema.ts';
import { words } from './terms.ts';

/**
 * A labelled group of lines, such as "Bill To:" followed by a name and an address. Nested
 * objects (`customer: {name, address}`) are read from the section their name labels.
 */
export interface Section {
  lines: Line[];
}

const MAX_SECTION_LINES = 6;

/** The lines a label names: the rest of its line, then the lines of its block (or right below it). */
export function findSection(index: DocumentIndex, terms: FieldTerms): Section | undefined {
  let best: { line: Line; score: number; rest: string } | undefined;
  for (const line of index.lines) {
    const m = /^(.{1,40}?)\s*[:：]\s*(.*)$/.exec(line.text) ?? (line.text.length <= 40 ? [line.text, line.text, ''] : null);
    if (!m) continue;
    const s = labelScore(terms, m[1]);
    if (s >= 0.8 && (!best || s > best.score)) best = { line, score: s, rest: m[2] };
  }
  if (!best) return undefined;
  const anchor = best.line;
  const out: Line[] = [];
  if (best.rest.trim()) out.push({ ...anchor, text: best.rest.trim() });
  const below = index.lines.filter((l) => l.order > anchor.order && l.box.page === anchor.box.page);
  for (const l of below) {
    if (out.length >= MAX_SECTION_LINES) break;
    const sameBlock = l.block === anchor.block;
    const under = l.box.top >= anchor.box.top && l.box.top - (anchor.box.top + anchor.box.height) < anchor.box.height * (1.6 * (out.length + 1))
      && l.box.left < anchor.box.left + anchor.box.width && l.box.left + l.box.width > anchor.box.left;
    if (!sameBlock && !under) break;
    // The next label ("Ship To:", "Invoice Date:") ends the section.
    if (out.length > 0 && /^[^:：]{1,30}[:：]/.test(l.text)) break;
    out.push(l);
  }
  return out.length ? { lines: out } : undefined;
}

/**
 * A child field of a sectioned object: a "Label: value" inside the section, else by role —
 * a name is the section's first line, an address the lines after it, any other string the
 * first line not used by a name.
 */
export function sectionLeaf(section: Section, name: string, schema: JsonSchema, parents: string[], context: ReadingContext = {}): LeafAnswer | undefined {
  const terms = fieldTerms(name, schema, parents);
  for (const line of section.lines) {
    for (const pair of colonPairs(line)) {
      if (labelScore(terms, pair.label) < 0.8) continue;
      const value = coerce(pair.value, schema, context);
      if (value !== undefined) return { kind: 'leaf', value, sources: [pair.source], confidence: 0.85 };
    }
  }
  if (mainType(schema) !== 'string') return undefined;
  const own = words(name);
  const plain = section.lines.filter((l) => !/^[^:：]{1,30}[:：]/.test(l.text));
  if (!plain.length) return undefined;
  const pick = (lines: Line[]): LeafAnswer | undefined => {
    const text = lines.map((l) => l.text.trim()).join(', ');
    const value = coerce(text, schema, context);
    if (value === undefined) return undefined;
    return { kind: 'leaf', value, sources: [{ block: lines[0].block, box: union(lines.map((l) => l.box)), content: text }], confidence: 0.6 };
  };
  if (own.includes('address')) return plain.length > 1 ? pick(plain.slice(1)) : undefined;
  if (own.includes('name') || own.length === 0) return pick([plain[0]]);
  return undefined;
}
