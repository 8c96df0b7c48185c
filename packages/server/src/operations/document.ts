import { documentFromParse, readDocument, type ParsedDocument, type ParseOptions, type PageRangeInput } from '@folio/engine';
import type { OperationContext, OperationInput } from './operation.ts';

/**
 * The document model an extract/split/classify job works on: the reused parse of a
 * `jobid://` input (its parsing options are then ignored, as in Reducto), else a fresh read.
 */
export async function documentOf(input: OperationInput, parsing: ParseOptions | undefined, ctx: OperationContext, pageRange?: PageRangeInput | null): Promise<ParsedDocument> {
  if (input.parsed) return selectPages(documentFromParse(input.parsed), pageRange);
  const options: ParseOptions = pageRange ? { ...parsing, settings: { ...parsing?.settings, page_range: pageRange } } : parsing ?? {};
  const doc = await readDocument(input.bytes, options, { signal: ctx.signal, onProgress: ctx.onProgress, filename: input.filename ?? undefined });
  // Readers that cannot select pages read them all; keep only the range.
  return selectPages(doc, pageRange);
}

/** Keep the pages of a range (1-based source pages) when the document was read whole. */
export function selectPages(doc: ParsedDocument, range: PageRangeInput | null | undefined): ParsedDocument {
  if (!range) return doc;
  const ranges = Array.isArray(range) ? range : [range];
  const keep = (page: number): boolean => ranges.some((r) => {
    if (typeof r === 'number') return r === page;
    if (typeof r === 'string') return false;
    return page >= (r.start ?? 1) && page <= (r.end ?? Number.MAX_SAFE_INTEGER);
  });
  const pages = doc.pages.filter((p) => keep(p.originalPage));
  if (pages.length === doc.pages.length) return doc;
  const wanted = new Set(pages.map((p) => p.originalPage));
  return { ...doc, pages, blocks: doc.blocks.filter((b) => wanted.has(b.box.original_page)) };
}
