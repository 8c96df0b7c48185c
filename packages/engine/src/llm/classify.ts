import { EngineError } from '../errors.ts';
import type { ParsedDocument } from '../model.ts';
import type { ClassificationCategory, ClassifyBody } from '../classify/index.ts';
import { completeJson } from './client.ts';
import type { LlmConfig } from './config.ts';
import { documentPrompt } from './prompt.ts';

/**
 * Classification by a model: it judges each criterion of each category and gives each
 * category a confidence; the answer is checked against the categories asked for.
 */
export async function classifyWithModel(doc: ParsedDocument, schema: ClassificationCategory[], metadata: string | null | undefined, config: LlmConfig, signal?: AbortSignal): Promise<ClassifyBody> {
  const names = schema.map((c) => c.category);
  const answerSchema = {
    type: 'object',
    properties: {
      categories: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            category: { type: 'string', enum: names },
            confidence: { type: 'number', minimum: 0, maximum: 1 },
            criteria: { type: 'array', items: { type: 'object', properties: { criterion: { type: 'string' }, met: { type: 'boolean' } }, required: ['criterion', 'met'] } },
          },
          required: ['category', 'confidence', 'criteria'],
        },
      },
    },
    required: ['categories'],
  };
  const system = `Classify the document into exactly one of these categories. For every category, say which of its criteria the document meets and give a confidence between 0 and 1 (confidences sum to 1).\n${schema.map((c) => `- ${c.category}: ${c.criteria.join('; ')}`).join('\n')}`;
  const user = `${metadata ? `Document metadata: ${metadata}\n\n` : ''}${documentPrompt(doc)}`;
  const raw = (await completeJson(config, system, user, answerSchema, signal)) as { categories?: unknown };
  if (!Array.isArray(raw?.categories)) throw new EngineError('LLM_OUTPUT_PARSE_FAILED', 'The language model did not return categories');
  const byName = new Map((raw.categories as Array<{ category?: unknown; confidence?: unknown; criteria?: unknown }>).map((c) => [String(c.category), c]));
  const categories = schema.map((c) => {
    const got = byName.get(c.category);
    const met = new Map((Array.isArray(got?.criteria) ? got.criteria as Array<{ criterion?: unknown; met?: unknown }> : []).map((x) => [String(x.criterion), x.met === true]));
    const confidence = typeof got?.confidence === 'number' && got.confidence >= 0 && got.confidence <= 1 ? got.confidence : 0;
    return {
      category: c.category,
      confidence: Math.round(confidence * 1000) / 1000,
      criteria_confidence: c.criteria.map((criterion) => ({ criterion, confidence: (met.get(criterion) ? 'high' : 'low') as 'high' | 'low' })),
    };
  });
  if (categories.every((c) => c.confidence === 0)) throw new EngineError('LLM_OUTPUT_PARSE_FAILED', 'The language model named none of the categories');
  const best = categories.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  return {
    response_type: 'classify',
    result: { category: best.category },
    response_confidence: { categories },
    usage: { num_pages: doc.pages.length, num_categories: schema.length, credits: null },
  };
}
