import type { DocBlock, ParsedDocument } from '../model.ts';
import { contentWords } from '../extract/terms.ts';

/** A page as a bag of words for scoring; heading words count several times. */
export interface PageTerms {
  page: number;
  terms: string[];
  text: string;
}

const HEADING_BOOST = 3;
const HEADINGS = new Set(['Title', 'Section Header']);

function blockText(b: DocBlock): string {
  if (b.table) return b.table.cells.map((c) => c.text).join(' ');
  return b.text;
}

export function pageTerms(doc: ParsedDocument): PageTerms[] {
  return doc.pages.map((p) => {
    const blocks = doc.blocks.filter((b) => b.box.page === p.page);
    const terms: string[] = [];
    const texts: string[] = [];
    blocks.forEach((b, i) => {
      const text = blockText(b);
      texts.push(text);
      const w = contentWords(text);
      // Titles, section headers and the first line of a page name what the page is.
      const heading = HEADINGS.has(b.type) || (i === 0 && text.length < 80);
      for (let k = 0; k < (heading ? HEADING_BOOST : 1); k++) terms.push(...w);
    });
    return { page: p.page, terms, text: texts.join('\n') };
  });
}

/**
 * BM25 score of each page for a query (Okapi, k1 = 1.2, b = 0.75, non-negative idf), with
 * pages as the collection.
 */
export function bm25(pages: PageTerms[], query: string[]): number[] {
  const k1 = 1.2;
  const b = 0.75;
  const n = pages.length;
  const avg = pages.reduce((s, p) => s + p.terms.length, 0) / Math.max(1, n) || 1;
  const counts = pages.map((p) => {
    const m = new Map<string, number>();
    for (const t of p.terms) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const unique = [...new Set(query)];
  const idf = new Map(unique.map((t) => {
    const df = counts.filter((c) => c.has(t)).length;
    return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
  }));
  return pages.map((p, i) => unique.reduce((s, t) => {
    const tf = counts[i].get(t) ?? 0;
    if (!tf) return s;
    return s + idf.get(t)! * (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * p.terms.length) / avg));
  }, 0));
}
