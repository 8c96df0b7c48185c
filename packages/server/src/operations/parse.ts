import { deserialize, serialize } from 'node:v8';
import { buildOutput, countPdfPages, documentFromParse, mergePages, parse, parseOrHandBack, parsePages, readDocument, type PagesRead, type ParseOptions, type ParseOutput } from '@folio/engine';
import { readParts } from './document.ts';
import type { Operation, OperationContext, OperationInput, OperationOutput, PartPages } from './operation.ts';

/** A multi-document input read as one: each document in turn (a reused parse as it was), then joined. */
async function parseParts(parts: OperationInput[], options: ParseOptions, ctx: OperationContext) {
  const doc = await readParts(parts, ctx, async (part, partCtx) => part.parsed
    ? documentFromParse(part.parsed)
    : readDocument(part.bytes, options, { signal: partCtx.signal, onProgress: partCtx.onProgress, filename: part.filename ?? undefined, handOver: true }));
  return buildOutput(doc, options);
}

/**
 * Parse: the engine's parse(), or the reused response of a finished parse (`jobid://`). The
 * input's bytes are read once, so the engine may hand them to pdf.js without a copy.
 */
export const operation: Operation = async (input, config, ctx) => {
  if (input.parsed) {
    const { job_id: _id, duration: _d, ...response } = input.parsed;
    const usage = response.usage as { num_pages?: number } | undefined;
    return { response, numPages: usage?.num_pages ?? null, totalPages: usage?.num_pages ?? null };
  }
  const options = config as ParseOptions;
  if (input.countPages) {
    return { response: {}, numPages: null, totalPages: await countPdfPages(input.bytes, options, { filename: input.filename ?? undefined }) };
  }
  if (input.merge) return mergeParts(input.merge, options);
  if (input.pages) {
    const read = await parsePages(input.bytes, options, { signal: ctx.signal, onProgress: ctx.onProgress, filename: input.filename ?? undefined, handOver: true }, input.pages);
    return pagesOutput(read);
  }
  if (input.mayHandBack) {
    const out = await parseOrHandBack(input.bytes, options, { signal: ctx.signal, onProgress: ctx.onProgress, filename: input.filename ?? undefined, handOver: true, handBack: ctx.handBack });
    return 'read' in out ? { ...pagesOutput(out.read), handedBack: true } : parseResponse(out.output);
  }
  const out = input.parts
    ? await parseParts(input.parts, options, ctx)
    : await parse(input.bytes, options, { signal: ctx.signal, onProgress: ctx.onProgress, filename: input.filename ?? undefined, handOver: true });
  return parseResponse(out);
};

/** Pages read for a fan-out, as a part's output. */
function pagesOutput(read: PagesRead): OperationOutput {
  // A buffer of its own (not a slice of Node's pool), so the thread can hand it over.
  const pagesRead = new Uint8Array(serialize(read));
  return { response: {}, numPages: read.pages.length, totalPages: read.totalPages, pagesRead };
}

/** The whole document's parse from its fan-out parts' pages (headings, furniture, hyphens and chunks decided once). */
export async function mergeParts(parts: PartPages[], options: ParseOptions): Promise<OperationOutput> {
  return parseResponse(await mergePages(parts.map((p) => ({ read: deserialize(p.pagesRead) as PagesRead, pageOffset: p.pageOffset })), options));
}

/** The sync endpoint's body (without job_id and duration) for the engine's parse output. */
export function parseResponse(out: ParseOutput): OperationOutput {
  return {
    response: {
      response_type: 'parse',
      usage: out.usage,
      result: out.result,
      pdf_url: null,
      studio_link: null,
      document_properties: out.document_properties,
    },
    numPages: out.usage.num_pages,
    totalPages: out.totalPages,
    images: out.images,
  };
}
