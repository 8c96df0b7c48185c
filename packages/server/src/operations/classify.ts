import { classify, type ClassificationCategory, type PageRangeInput } from '@folio/engine';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

export interface ClassifyJobConfig {
  classification_schema: ClassificationCategory[];
  page_range: PageRangeInput;
  document_metadata?: string | null;
}

/** Classify: the pages in range (default the first five) against each category's criteria. */
export const operation: Operation = async (input, config, ctx) => {
  const c = config as ClassifyJobConfig;
  const doc = await documentOf(input, undefined, ctx, c.page_range);
  const body = classify(doc, c.classification_schema, c.document_metadata, ctx.signal);
  return { response: { ...body }, numPages: doc.pages.length, totalPages: doc.totalPages };
};
