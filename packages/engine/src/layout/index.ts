import type { DocBlock, PageContent } from '../model.ts';
import type { ParseOptions } from '../options.ts';
import { finalizeLayout } from './document.ts';
import { layoutPage } from './page.ts';

export { layoutPage } from './page.ts';
export { finalizeLayout } from './document.ts';
export type { PageLayout, LayoutBlock } from './types.ts';

/**
 * Positioned page content (a PDF text layer or OCR words) → typed blocks in reading order.
 * Pages are given in output order; `page` in the boxes is their 1-based position here and
 * `original_page` their `pageNumber`. Readers that stream pages call layoutPage per page and
 * finalizeLayout once, so only compact per-page layouts are kept in memory.
 */
export function analyzeLayout(pages: PageContent[], options: ParseOptions = {}): DocBlock[] {
  return finalizeLayout(pages.map((p, i) => layoutPage(p, i + 1)), options);
}
