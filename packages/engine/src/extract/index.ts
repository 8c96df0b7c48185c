import { throwIfAborted } from '../errors.ts';
import { withModelFallback } from '../llm/fallback.ts';
import type { ParsedDocument } from '../model.ts';
import { extractWithModel, type LlmConfig } from '../llm/extract.ts';
import type { ObjectAnswer } from './answer.ts';
import { arraysBySegment } from './array-extract.ts';
import { extractDeterministic } from './deterministic.ts';
import { toWire, type CitationSettings, type ExtractBody } from './response.ts';
import { validateSchema } from './schema.ts';

export interface ExtractInstructions {
  schema?: unknown;
  system_prompt?: string;
}

export interface ExtractSettings {
  citations?: CitationSettings;
  array_extract?: boolean;
  include_images?: boolean;
  optimize_for_latency?: boolean;
  deep_extract?: boolean;
}

export interface ExtractOptions {
  /** An OpenAI-compatible model; without one the deterministic extractor answers. */
  llm?: LlmConfig | null;
  signal?: AbortSignal;
}

/**
 * Extract structured data from a read document against the user's JSON Schema
 * (validated first: INVALID_SCHEMA). Returns Reducto's extract body.
 */
export async function extract(doc: ParsedDocument, instructions: ExtractInstructions, settings: ExtractSettings = {}, options: ExtractOptions = {}): Promise<ExtractBody> {
  const schema = validateSchema(instructions.schema);
  throwIfAborted(options.signal);
  // array_extract: array fields read page segment by page segment, then concatenated.
  const deterministic = (): ObjectAnswer => {
    const whole = extractDeterministic(doc, schema);
    return settings.array_extract ? arraysBySegment(doc, schema, whole, (part, arrays) => extractDeterministic(part, arrays, { everyTable: true })) : whole;
  };
  const answer = options.llm
    ? await withModelFallback(() => extractWithModel(doc, schema, instructions.system_prompt, options.llm!, options.signal), options.llm, deterministic)
    : deterministic();
  return toWire(answer, doc.pages.length, settings.citations);
}

export { validateSchema, type JsonSchema } from './schema.ts';
export type { ExtractBody, Citation, CitationSettings } from './response.ts';

