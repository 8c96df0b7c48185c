import OpenAI from 'openai';
import { EngineError } from '../errors.ts';
import type { LlmConfig } from './config.ts';

/**
 * One structured-output chat call. Provider failures (HTTP errors, timeouts, refusals)
 * become LLM_PROVIDER_ERROR; content that is not JSON becomes LLM_OUTPUT_PARSE_FAILED.
 */
export async function completeJson(config: LlmConfig, system: string, user: string, schema: object, signal?: AbortSignal): Promise<unknown> {
  const client = new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey, maxRetries: 1, timeout: config.timeoutMs ?? 120_000 });
  let content: string | null | undefined;
  try {
    const completion = await client.chat.completions.create({
      model: config.model,
      temperature: 0,
      messages: [{ role: 'system', content: system }, { role: 'user', content: user }],
      response_format: { type: 'json_schema', json_schema: { name: 'extraction', schema: schema as Record<string, unknown>, strict: false } },
    }, { signal });
    const choice = completion.choices?.[0];
    if (choice?.message?.refusal) throw new EngineError('LLM_PROVIDER_ERROR', `The model refused: ${choice.message.refusal}`);
    content = choice?.message?.content;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    if (signal?.aborted) throw new EngineError('JOB_CANCELLED', 'Job cancelled');
    throw new EngineError('LLM_PROVIDER_ERROR', `The language model call failed: ${(err as Error).message}`);
  }
  if (!content) throw new EngineError('LLM_OUTPUT_PARSE_FAILED', 'The language model returned no content');
  try {
    return JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new EngineError('LLM_OUTPUT_PARSE_FAILED', `The language model returned malformed JSON: ${content.slice(0, 200)}`);
  }
}
