import type { RequestOptions, Transport } from './transport.ts';
import type { URLResult } from './types.ts';

function isUrlResult(value: unknown): value is URLResult {
  return !!value && typeof value === 'object' && (value as URLResult).type === 'url' && typeof (value as URLResult).url === 'string';
}

/**
 * Large results (or `force_url_result`) come back as `{type: "url", url}`. This fetches the
 * URL and returns the same response with the full result in its place; any other response
 * is returned unchanged. A job response (`{status, result: {...}}`) is handled too.
 */
export async function fetchUrlResult<T>(transport: Transport, response: T, options: RequestOptions = {}): Promise<T> {
  if (!response || typeof response !== 'object') return response;
  const holder = response as { result?: unknown; status?: unknown };
  if (isUrlResult(holder.result)) {
    const full = await transport.request<unknown>({ method: 'GET', path: holder.result.url }, options);
    return { ...response, result: full };
  }
  // A job response nests the operation's response under `result`.
  if (typeof holder.status === 'string' && holder.result && typeof holder.result === 'object') {
    return { ...response, result: await fetchUrlResult(transport, holder.result, options) };
  }
  return response;
}
