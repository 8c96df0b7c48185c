import { parse, type ParseOptions } from '@folio/engine';
import type { Operation } from './operation.ts';

/** Parse: the engine's parse(), or the reused response of a finished parse (`jobid://`). */
export const operation: Operation = async (input, config, ctx) => {
  if (input.parsed) {
    const { job_id: _id, duration: _d, ...response } = input.parsed;
    const usage = response.usage as { num_pages?: number } | undefined;
    return { response, numPages: usage?.num_pages ?? null, totalPages: usage?.num_pages ?? null };
  }
  const options = config as ParseOptions;
  const out = await parse(input.bytes, options, {
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    filename: input.filename ?? undefined,
  });
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
};
