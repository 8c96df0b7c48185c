import type { Source } from './evidence.ts';

/**
 * An extractor's answer, shaped like the schema: leaves carry the value and the places in
 * the document it was read from. Both extractors (deterministic, LLM) produce this; the
 * wire shape (with or without citations) is made from it in response.ts.
 */
export type Answer = LeafAnswer | ObjectAnswer | ArrayAnswer;

export interface LeafAnswer {
  kind: 'leaf';
  value: unknown;
  sources: Source[];
  /** 0–1, how sure the extractor is of this value. */
  confidence: number;
}

export interface ObjectAnswer {
  kind: 'object';
  fields: Record<string, Answer>;
}

export interface ArrayAnswer {
  kind: 'array';
  items: Answer[];
}

export const missing = (): LeafAnswer => ({ kind: 'leaf', value: null, sources: [], confidence: 0 });

/** Plain JSON value of an answer. */
export function plain(a: Answer): unknown {
  if (a.kind === 'leaf') return a.value;
  if (a.kind === 'array') return a.items.map(plain);
  return Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, plain(v)]));
}

/** Number of leaves (Reducto's num_fields counts fields inside arrays too). */
export function countFields(a: Answer): number {
  if (a.kind === 'leaf') return 1;
  if (a.kind === 'array') return a.items.reduce((n, i) => n + countFields(i), 0);
  return Object.values(a.fields).reduce((n, f) => n + countFields(f), 0);
}
