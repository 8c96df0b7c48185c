import { llmConfigFromEnv, split, splitWithModel, withModelFallback, type ParseOptions, type SplitCategory, type SplitSettings } from '@folio/engine';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

export interface SplitJobConfig {
  parsing?: ParseOptions;
  split_description: SplitCategory[];
  split_rules?: string;
  settings?: SplitSettings;
}

/** Split: page sets per category (by the configured model, else by page scoring), partitioned by key when asked. */
export const operation: Operation = async (input, config, ctx) => {
  const c = config as SplitJobConfig;
  const doc = await documentOf(input, c.parsing, ctx);
  const deterministic = () => split(doc, c.split_description, c.settings, ctx.signal);
  const llm = llmConfigFromEnv();
  const body = llm
    ? await withModelFallback(() => splitWithModel(doc, c.split_description, c.split_rules, c.settings ?? {}, llm, ctx.signal), llm, deterministic)
    : deterministic();
  return { response: { ...body }, numPages: doc.pages.length, totalPages: doc.totalPages };
};
