import { throwIfAborted } from '../errors.ts';
import type { ParsedDocument } from '../model.ts';
import { DocumentIndex } from '../extract/evidence.ts';
import { leafAnswer } from '../extract/deterministic.ts';
import { fieldTerms } from '../extract/field.ts';
import { contentWords } from '../extract/terms.ts';
import { bm25, pageTerms } from './page-text.ts';

export interface SplitCategory {
  name: string;
  description: string;
  partition_key?: string | null;
}

export interface SplitSettings {
  allow_page_overlap?: boolean;
  table_cutoff?: 'truncate' | 'preserve';
}

export interface SplitPartition {
  name: string;
  pages: number[];
  conf: 'high' | 'low';
}

export interface SplitEntry {
  name: string;
  pages: number[];
  conf: 'high' | 'low';
  partitions: SplitPartition[] | null;
}

export interface SplitBody {
  response_type: 'split';
  result: { section_mapping: Record<string, number[]>; splits: SplitEntry[] };
  usage: { num_pages: number; credits: number | null };
}

/** Cost of starting a new section, relative to a page's best normalised score (1). */
const SWITCH_PENALTY = 0.35;

/**
 * Split a document into sections by category. Each page is scored against every category
 * (BM25 over name + description, heading words boosted); a dynamic program then picks the
 * page labelling that maximises total score minus a penalty per section change, so pages
 * with little text follow their neighbours. `partition_key` groups a section's pages by the
 * value of that key read on each page.
 */
export function split(doc: ParsedDocument, categories: SplitCategory[], settings: SplitSettings = {}, signal?: AbortSignal): SplitBody {
  throwIfAborted(signal);
  const pages = pageTerms(doc);
  const raw = categories.map((c) => bm25(pages, [...contentWords(c.name), ...contentWords(c.name), ...contentWords(c.description)]));
  // Normalise per page so a long page does not outvote a short one.
  const norm = pages.map((_, i) => {
    const max = Math.max(0, ...categories.map((_, c) => raw[c][i]));
    return categories.map((_, c) => (max > 0 ? raw[c][i] / max : 0));
  });
  const labels = smooth(norm, categories.length);
  return splitFromLabels(doc, categories, labels, norm, settings);
}

/**
 * Sections from a category per page (index into `categories`): page sets, confidence from
 * the score margin when scores are known, boundary overlap, and partitions.
 */
export function splitFromLabels(doc: ParsedDocument, categories: SplitCategory[], labels: number[], norm: number[][] | null, settings: SplitSettings = {}): SplitBody {
  const pageNumbers = doc.pages.map((p) => p.page);
  const splits: SplitEntry[] = categories.map((cat, c) => {
    const chosen = pageNumbers.map((page, i) => ({ page, i })).filter(({ i }) => labels[i] === c);
    const members = new Set(chosen.map((x) => x.page));
    if (norm && (settings.allow_page_overlap ?? true)) addBoundaryOverlap(members, labels, norm, c, pageNumbers);
    const list = [...members].sort((a, b) => a - b);
    const margin = !norm ? 1 : chosen.length ? chosen.reduce((s, { i }) => s + margin2(norm[i], c), 0) / chosen.length : 0;
    return {
      name: cat.name,
      pages: list,
      conf: margin >= 0.3 ? 'high' : 'low',
      partitions: cat.partition_key ? partition(doc, list, cat.partition_key) : null,
    };
  });
  const section_mapping = Object.fromEntries(splits.map((s) => [s.name, s.pages]));
  return { response_type: 'split', result: { section_mapping, splits }, usage: { num_pages: doc.pages.length, credits: null } };
}

/** How far the chosen category's score is ahead of the runner-up on a page (0–1). */
function margin2(scores: number[], c: number): number {
  const others = scores.filter((_, k) => k !== c);
  return scores[c] - Math.max(0, ...others);
}

/** Best labelling: Σ score − penalty × changes (Viterbi over categories). */
function smooth(norm: number[][], k: number): number[] {
  if (norm.length === 0 || k === 0) return [];
  let best = norm[0].slice();
  const back: number[][] = [];
  for (let i = 1; i < norm.length; i++) {
    const next: number[] = [];
    const from: number[] = [];
    for (let c = 0; c < k; c++) {
      let arg = c;
      let val = best[c];
      for (let p = 0; p < k; p++) {
        const v = best[p] - (p === c ? 0 : SWITCH_PENALTY);
        if (v > val) { val = v; arg = p; }
      }
      next.push(val + norm[i][c]);
      from.push(arg);
    }
    back.push(from);
    best = next;
  }
  let c = best.indexOf(Math.max(...best));
  const labels = [c];
  for (let i = back.length - 1; i >= 0; i--) {
    c = back[i][c];
    labels.unshift(c);
  }
  return labels;
}

/** Sections may share their first/last page when that page reads as both. */
function addBoundaryOverlap(members: Set<number>, labels: number[], norm: number[][], c: number, pageNumbers: number[]): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === c) continue;
    const touches = (i > 0 && labels[i - 1] === c) || (i + 1 < labels.length && labels[i + 1] === c);
    if (touches && norm[i][c] >= 0.85 && norm[i][c] > 0) members.add(pageNumbers[i]);
  }
}

/**
 * Group pages by the value of `key` read on each page; a page without the value continues
 * the previous partition.
 */
function partition(doc: ParsedDocument, pages: number[], key: string): SplitPartition[] {
  const terms = fieldTerms(key, {});
  const out: SplitPartition[] = [];
  let current: SplitPartition | undefined;
  for (const page of pages) {
    const pageDoc: ParsedDocument = { ...doc, blocks: doc.blocks.filter((b) => b.box.page === page), pages: doc.pages.filter((p) => p.page === page) };
    const found = leafAnswer(new DocumentIndex(pageDoc), terms, { type: 'string' });
    const value = typeof found.value === 'string' ? found.value.trim() : null;
    if (value && (!current || current.name !== value)) {
      current = out.find((p) => p.name === value) ?? { name: value, pages: [], conf: found.confidence >= 0.7 ? 'high' : 'low' };
      if (!out.includes(current)) out.push(current);
    }
    if (!current) {
      current = { name: 'unknown', pages: [], conf: 'low' };
      out.push(current);
    }
    current.pages.push(page);
  }
  return out;
}
