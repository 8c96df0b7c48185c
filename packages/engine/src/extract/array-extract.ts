import type { DocBlock, ParsedDocument } from '../model.ts';
import type { Answer, ArrayAnswer, ObjectAnswer } from './answer.ts';
import { mainType, resolve, type JsonSchema } from './schema.ts';

/**
 * `settings.array_extract`: long documents are read in overlapping page segments (10 pages,
 * the last page of one segment repeated as the first of the next, as Reducto does), each
 * top-level array field is extracted from every segment and the items are concatenated.
 * A segment picks its own best table or item list, so lists whose header changes along the
 * document (a statement's sections, a table restarted with other column titles) are all
 * read. Items read twice from the shared page are kept once; scalar fields are read from
 * the whole document as usual.
 */

export const SEGMENT_PAGES = 10;
export const SEGMENT_OVERLAP = 1;

/** Page numbers in segments of `size` pages, consecutive segments sharing `overlap` pages. */
export function pageSegments(pages: number[], size = SEGMENT_PAGES, overlap = SEGMENT_OVERLAP): number[][] {
  if (pages.length <= size) return [pages];
  const out: number[][] = [];
  const step = Math.max(1, size - overlap);
  for (let start = 0; start < pages.length; start += step) {
    out.push(pages.slice(start, start + size));
    if (start + size >= pages.length) break;
  }
  return out;
}

/** The document restricted to some pages (blocks keep their boxes and page numbers). */
export function pagesOf(doc: ParsedDocument, pages: number[]): ParsedDocument {
  const wanted = new Set(pages);
  return { ...doc, pages: doc.pages.filter((p) => wanted.has(p.page)), blocks: doc.blocks.filter((b) => wanted.has(b.box.page)) };
}

/**
 * Replace the top-level array fields of `whole` (the answer over the whole document) by the
 * items read segment by segment with `extractor`.
 */
export function arraysBySegment(
  doc: ParsedDocument,
  schema: JsonSchema,
  whole: ObjectAnswer,
  extractor: (doc: ParsedDocument, schema: JsonSchema) => ObjectAnswer,
): ObjectAnswer {
  const arrays = Object.entries(schema.properties ?? {}).filter(([, s]) => mainType(resolve(s, schema)) === 'array');
  const segments = pageSegments(doc.pages.map((p) => p.page));
  if (arrays.length === 0) return whole;
  // Only the array fields are asked of each segment ($defs and the like stay for $ref).
  const arraySchema: JsonSchema = { ...schema, properties: Object.fromEntries(arrays) };
  const merged: Record<string, ArrayAnswer> = Object.fromEntries(arrays.map(([name]) => [name, { kind: 'array', items: [] }]));
  const seen = new Map<string, Set<string>>(arrays.map(([name]) => [name, new Set()]));
  const blockIndex = new Map(doc.blocks.map((b, i) => [b, i]));
  for (const pages of segments) {
    const part = extractor(pagesOf(doc, pages), arraySchema);
    for (const [name] of arrays) {
      const found = part.fields[name];
      if (found?.kind !== 'array') continue;
      for (const item of found.items) {
        const key = itemKey(blockIndex, item);
        // The shared page is read by both segments: the same item from the same place once.
        if (key !== undefined && seen.get(name)!.has(key)) continue;
        if (key !== undefined) seen.get(name)!.add(key);
        merged[name].items.push(item);
      }
    }
  }
  return { kind: 'object', fields: { ...whole.fields, ...merged } };
}

/**
 * An item's identity: its values and where each was read. Two equal line items printed on
 * different lines stay two items; one line read by two segments is one.
 */
function itemKey(blockIndex: Map<DocBlock, number>, item: Answer): string | undefined {
  const parts: unknown[] = [];
  const walk = (a: Answer): void => {
    if (a.kind === 'leaf') {
      parts.push(a.value, ...a.sources.map((s) => [blockIndex.get(s.block) ?? -1, s.content, s.box.page, s.box.top, s.box.left]));
    } else if (a.kind === 'array') a.items.forEach(walk);
    else Object.values(a.fields).forEach(walk);
  };
  walk(item);
  return parts.length ? JSON.stringify(parts) : undefined;
}
