/* eslint-disable @typescript-eslint/no-explicit-any -- test helper */
/** A minimal fetch client for tests that need raw HTTP (headers, status codes, SSE). */
export interface RawClient {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  upload(bytes: Uint8Array, filename: string): Promise<string>;
  /** Poll GET /job/{id} until Completed or Failed. */
  waitDone(jobId: string, timeoutMs?: number): Promise<any>;
}

export function rawClient(baseURL: string, apiKey: string): RawClient {
  const auth = { authorization: `Bearer ${apiKey}` };
  const client: RawClient = {
    async request(method, path, body, headers = {}) {
      const res = await fetch(`${baseURL}${path}`, {
        method,
        headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async upload(bytes, filename) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(bytes)]), filename);
      const res = await fetch(`${baseURL}/upload`, { method: 'POST', headers: auth, body: form });
      const json = (await res.json()) as { file_id: string };
      if (!res.ok) throw new Error(`upload failed: ${res.status} ${JSON.stringify(json)}`);
      return json.file_id;
    },
    async waitDone(jobId, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await client.request('GET', `/job/${jobId}`);
        if (body.status === 'Completed' || body.status === 'Failed') return body;
        if (Date.now() > deadline) throw new Error(`job ${jobId} not done: ${JSON.stringify(body).slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return client;
}
