import { EngineError } from '../errors.ts';
import { checkPageCount } from '../limits.ts';
import type { ParseOptions, PageRange } from '../options.ts';

/**
 * Which source pages (1-based) `settings.page_range` keeps. Ranges are inclusive; strings
 * select sheets or slides by name (spreadsheets), or are numbers/ranges written as text ("2-4").
 * More pages selected than the page budget (`unit` names them: sheets, slides) is DOCUMENT_TOO_LARGE.
 */
export function selectPages(options: ParseOptions, total: number, names: Array<string | undefined> = [], unit = 'pages'): number[] {
  const selected = pick(options, total, names);
  checkPageCount(selected.length, unit);
  return selected;
}

function pick(options: ParseOptions, total: number, names: Array<string | undefined>): number[] {
  const input = options.settings?.page_range;
  const all = Array.from({ length: total }, (_, i) => i + 1);
  if (input === null || input === undefined) return all;
  const ranges: PageRange[] = Array.isArray(input) ? [] : [input];
  const picked = new Set<number>();
  if (Array.isArray(input)) {
    for (const item of input as Array<PageRange | number | string>) {
      if (typeof item === 'number') picked.add(item);
      else if (typeof item === 'string') {
        const byName = names.findIndex((n) => n !== undefined && n.toLowerCase() === item.toLowerCase());
        const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
        if (byName >= 0) picked.add(byName + 1);
        else if (m) ranges.push({ start: Number(m[1]), end: Number(m[2] ?? m[1]) });
        else throw new EngineError('INVALID_CONFIG', `page_range: no sheet or page named "${item}"`);
      } else ranges.push(item);
    }
  }
  for (const r of ranges) {
    const start = Math.max(1, r.start ?? 1);
    const end = Math.min(total, r.end ?? total);
    for (let p = start; p <= end; p++) picked.add(p);
  }
  const out = all.filter((p) => picked.has(p));
  if (out.length === 0) throw new EngineError('INVALID_CONFIG', `page_range selects none of the document's ${total} page(s)`);
  return out;
}
