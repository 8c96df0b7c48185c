import { extract, llmConfigFromEnv, type ExtractInstructions, type ExtractSettings, type ParseOptions, type PageRangeInput } from '@folio/engine';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

/** What POST /extract becomes (see routes/extract.ts). */
export interface ExtractJobConfig {
  parsing?: ParseOptions;
  instructions: ExtractInstructions;
  settings?: ExtractSettings & { page_range?: PageRangeInput | null };
}

/** Extract: read (or reuse) the document, then the deterministic or model extractor. */
export const operation: Operation = async (input, config, ctx) => {
  const c = config as ExtractJobConfig;
  const doc = await documentOf(input, c.parsing, ctx, c.settings?.page_range);
  const body = await extract(doc, c.instructions, c.settings, { llm: llmConfigFromEnv(), signal: ctx.signal });
  return { response: { ...body, studio_link: null }, numPages: doc.pages.length, totalPages: doc.totalPages };
};
