import { classify, classifyWithModel, llmConfigFromEnv, withModelFallback, type ClassificationCategory, type PageRangeInput } from '@folio/engine';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

export interface ClassifyJobConfig {
  classification_schema: ClassificationCategory[];
  page_range: PageRangeInput;
  document_metadata?: string | null;
}

/** Classify: the pages in range (default the first five) against each category's criteria, by the configured model or by criteria coverage. */
export const operation: Operation = async (input, config, ctx) => {
  const c = config as ClassifyJobConfig;
  const doc = await documentOf(input, undefined, ctx, c.page_range);
  const deterministic = () => classify(doc, c.classification_schema, c.document_metadata, ctx.signal);
  const llm = llmConfigFromEnv();
  const body = llm
    ? await withModelFallback(() => classifyWithModel(doc, c.classification_schema, c.document_metadata, llm, ctx.signal), llm, deterministic)
    : deterministic();
  return { response: { ...body }, numPages: doc.pages.length, totalPages: doc.totalPages };
};
