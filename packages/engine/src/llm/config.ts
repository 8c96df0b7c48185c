/** How to reach an OpenAI-compatible model (OpenAI, vLLM, Ollama, llama.cpp server). */
export interface LlmConfig {
  baseURL: string;
  apiKey: string;
  model: string;
  /** On a model error: fail the job (default) or answer with the deterministic extractor. */
  fallback?: 'deterministic' | 'none';
  timeoutMs?: number;
}

/**
 * FOLIO_LLM_BASE_URL / FOLIO_LLM_API_KEY / FOLIO_LLM_MODEL, plus FOLIO_LLM_FALLBACK
 * ("deterministic") and FOLIO_LLM_TIMEOUT_MS. No base URL means no model.
 */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  const baseURL = env.FOLIO_LLM_BASE_URL?.trim();
  if (!baseURL) return null;
  return {
    baseURL,
    apiKey: env.FOLIO_LLM_API_KEY?.trim() || 'not-needed',
    model: env.FOLIO_LLM_MODEL?.trim() || 'gpt-4o-mini',
    fallback: env.FOLIO_LLM_FALLBACK === 'deterministic' ? 'deterministic' : 'none',
    timeoutMs: Number(env.FOLIO_LLM_TIMEOUT_MS) > 0 ? Number(env.FOLIO_LLM_TIMEOUT_MS) : 120_000,
  };
}
