import { split, type ParseOptions, type SplitCategory, type SplitSettings } from '@folio/engine';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

export interface SplitJobConfig {
  parsing?: ParseOptions;
  split_description: SplitCategory[];
  split_rules?: string;
  settings?: SplitSettings;
}

/** Split: page sets per category, partitioned by key when asked. */
export const operation: Operation = async (input, config, ctx) => {
  const c = config as SplitJobConfig;
  const doc = await documentOf(input, c.parsing, ctx);
  const body = split(doc, c.split_description, c.settings, ctx.signal);
  return { response: { ...body }, numPages: doc.pages.length, totalPages: doc.totalPages };
};
