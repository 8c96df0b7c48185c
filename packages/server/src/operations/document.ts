import { concatDocuments, documentFromParse, readDocument, type ParsedDocument, type ParseOptions, type PageRangeInput } from '@folio/engine';
import type { OperationContext, OperationInput } from './operation.ts';

/**
 * The context for part `index` of `count` of a multi-document input: its progress is scaled
 * into the job's, so the job's progress rises steadily from document to document.
 */
export function partContext(ctx: OperationContext, index: number, count: number): OperationContext {
  return {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress(Math.round((index + (total > 0 ? done / total : 1)) * 100), count * 100),
  };
}

/** Read each part of a multi-document input with `read`, then join them as one document. */
export async function readParts(parts: OperationInput[], ctx: OperationContext, read: (part: OperationInput, ctx: OperationContext) => Promise<ParsedDocument>): Promise<ParsedDocument> {
  const docs = [];
  for (const [i, part] of parts.entries()) docs.push({ doc: await read(part, partContext(ctx, i, parts.length)), name: part.filename });
  return concatDocuments(docs);
}

/**
 * The document model an extract/split/classify job works on: the reused parse of a
 * `jobid://` input (its parsing options are then ignored, as in Reducto), else a fresh read.
 */
export async function documentOf(input: OperationInput, parsing: ParseOptions | undefined, ctx: OperationContext, pageRange?: PageRangeInput | null): Promise<ParsedDocument> {
  // Several documents: each read (and page-range selected) on its own, then joined.
  if (input.parts) return readParts(input.parts, ctx, (part, partCtx) => documentOf(part, parsing, partCtx, pageRange));
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
