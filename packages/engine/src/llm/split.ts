import { EngineError } from '../errors.ts';
import type { ParsedDocument } from '../model.ts';
import { splitFromLabels, type SplitBody, type SplitCategory, type SplitSettings } from '../split/index.ts';
import { completeJson } from './client.ts';
import type { LlmConfig } from './config.ts';

/**
 * Split by a model: it names the category of every page (following the split rules);
 * sections, overlaps and partitions are then built as in the deterministic split.
 */
export async function splitWithModel(doc: ParsedDocument, categories: SplitCategory[], rules: string | undefined, settings: SplitSettings, config: LlmConfig, signal?: AbortSignal): Promise<SplitBody> {
  const names = categories.map((c) => c.name);
  const answerSchema = {
    type: 'object',
    properties: {
      pages: { type: 'array', items: { type: 'object', properties: { page: { type: 'integer' }, category: { type: ['string', 'null'], enum: [...names, null] } }, required: ['page', 'category'] } },
    },
    required: ['pages'],
  };
  const system = `${rules?.trim() || 'Split the document into the applicable sections.'}\nName the category of every page (null when none applies). Categories:\n${categories.map((c) => `- ${c.name}: ${c.description}`).join('\n')}`;
  const user = doc.pages.map((p) => `=== Page ${p.page} ===\n${doc.blocks.filter((b) => b.box.page === p.page).map((b) => (b.table ? b.table.cells.map((c) => c.text).join(' | ') : b.text)).join('\n')}`).join('\n\n');
  const raw = (await completeJson(config, system, user, answerSchema, signal)) as { pages?: unknown };
  if (!Array.isArray(raw?.pages)) throw new EngineError('LLM_OUTPUT_PARSE_FAILED', 'The language model did not return pages');
  const byPage = new Map((raw.pages as Array<{ page?: unknown; category?: unknown }>).map((p) => [Number(p.page), typeof p.category === 'string' ? names.indexOf(p.category) : -1]));
  // A page the model skipped or left unnamed continues the previous section.
  let previous = 0;
  const labels = doc.pages.map((p) => {
    const c = byPage.get(p.page) ?? -1;
    if (c >= 0) previous = c;
    return c >= 0 ? c : previous;
  });
  return splitFromLabels(doc, categories, labels, null, settings);
}
