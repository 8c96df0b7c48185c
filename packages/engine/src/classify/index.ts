import { throwIfAborted } from '../errors.ts';
import type { ParsedDocument } from '../model.ts';
import { contentWords, sameWord, words } from '../extract/terms.ts';

export interface ClassificationCategory {
  category: string;
  criteria: string[];
}

export interface CategoryConfidence {
  category: string;
  confidence: number;
  criteria_confidence: Array<{ criterion: string; confidence: 'high' | 'low' }>;
}

export interface ClassifyBody {
  response_type: 'classify';
  result: { category: string };
  response_confidence: { categories: CategoryConfidence[] };
  usage: { num_pages: number; num_categories: number; credits: number | null };
}

/** Softmax temperature: a category ahead by 0.3 in criterion coverage gets most of the mass. */
const TEMPERATURE = 0.12;

/**
 * Classify a document into one of the given categories by its criteria. A criterion is met
 * ("high") when most of its content words appear in the document (near-equal words count,
 * for OCR); a category's score is the mean coverage of its criteria plus its name, turned into
 * confidences that sum to 1. Reads the pages given (the caller selects page_range; default
 * first 5).
 */
export function classify(doc: ParsedDocument, schema: ClassificationCategory[], metadata?: string | null, signal?: AbortSignal): ClassifyBody {
  throwIfAborted(signal);
  const text = [metadata ?? '', ...doc.blocks.map((b) => (b.table ? b.table.cells.map((c) => c.text).join(' ') : b.text))].join('\n');
  const vocabulary = new Set(words(text));
  const has = (w: string): boolean => vocabulary.has(w) || (w.length >= 5 && [...vocabulary].some((v) => sameWord(v, w)));
  const coverage = (phrase: string): number => {
    const ws = [...new Set(contentWords(phrase))];
    if (!ws.length) return 0;
    return ws.filter(has).length / ws.length;
  };
  const scored = schema.map((c) => {
    const criteria = c.criteria.map((criterion) => ({ criterion, cov: coverage(criterion) }));
    const mean = criteria.length ? criteria.reduce((s, x) => s + x.cov, 0) / criteria.length : 0;
    const score = 0.8 * mean + 0.2 * coverage(c.category);
    return { c, criteria, score };
  });
  const exps = scored.map((s) => Math.exp(s.score / TEMPERATURE));
  const total = exps.reduce((a, b) => a + b, 0) || 1;
  const categories: CategoryConfidence[] = scored.map((s, i) => ({
    category: s.c.category,
    confidence: Math.round((exps[i] / total) * 1000) / 1000,
    criteria_confidence: s.criteria.map((x) => ({ criterion: x.criterion, confidence: x.cov >= 0.5 ? 'high' : 'low' })),
  }));
  const best = categories.reduce((a, b) => (b.confidence > a.confidence ? b : a), categories[0]);
  return {
    response_type: 'classify',
    result: { category: best?.category ?? '' },
    response_confidence: { categories },
    usage: { num_pages: doc.pages.length, num_categories: schema.length, credits: null },
  };
}
