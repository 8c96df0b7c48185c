import { EngineError } from '../../errors.ts';
import type { PageRangeInput } from '../../options.ts';

/**
 * `settings.page_range` in every documented form — `{start, end}`, a list of those, a list of
 * page numbers, or strings such as "3", "2-5", "7-" — as sorted unique 1-based page numbers
 * within the document. Open ends run to the first/last page; no selection means every page.
 */
export function selectPages(range: PageRangeInput | null | undefined, total: number): number[] {
  const all = Array.from({ length: total }, (_, i) => i + 1);
  if (range === null || range === undefined) return all;
  const list: unknown[] = Array.isArray(range) ? range : [range];
  if (list.length === 0) return all;
  const picked = new Set<number>();
  const addSpan = (start: number, end: number) => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
      throw new EngineError('INVALID_CONFIG', `Invalid page_range ${start}–${end}`);
    }
    for (let p = start; p <= Math.min(end, total); p++) picked.add(p);
  };
  for (const item of list) {
    if (typeof item === 'number') addSpan(item, item);
    else if (typeof item === 'string') {
      const m = /^\s*(\d*)\s*(?:([-–:])\s*(\d*))?\s*$/.exec(item);
      if (!m || (!m[1] && !m[3])) throw new EngineError('INVALID_CONFIG', `Invalid page_range entry "${item}"`);
      const start = m[1] ? Number(m[1]) : 1;
      const end = m[2] ? (m[3] ? Number(m[3]) : total) : start;
      addSpan(start, end);
    } else if (item && typeof item === 'object') {
      const { start, end } = item as { start?: number | null; end?: number | null };
      addSpan(start ?? 1, end ?? total);
    } else {
      throw new EngineError('INVALID_CONFIG', 'Invalid page_range entry');
    }
  }
  const pages = [...picked].sort((a, b) => a - b);
  if (pages.length === 0) throw new EngineError('INVALID_CONFIG', `page_range selects no page of this ${total}-page document`);
  return pages;
}
