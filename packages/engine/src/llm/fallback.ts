import { EngineError } from '../errors.ts';
import type { LlmConfig } from './config.ts';

/**
 * Run the model path; on a model error (provider or unusable output) fail, or answer with
 * the deterministic path when the deployment configured FOLIO_LLM_FALLBACK=deterministic.
 */
export async function withModelFallback<T>(run: () => Promise<T>, llm: LlmConfig, fallback: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const modelError = err instanceof EngineError && (err.code === 'LLM_PROVIDER_ERROR' || err.code === 'LLM_OUTPUT_PARSE_FAILED');
    if (modelError && llm.fallback === 'deterministic') return fallback();
    throw err;
  }
}
