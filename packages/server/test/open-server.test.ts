import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './harness.ts';

describe('open server (FOLIO_API_KEYS unset)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ apiKeys: [], workers: 0 });
  });
  afterAll(() => server?.stop());

  it('accepts any bearer, and says it is open in its start-up log', async () => {
    for (const headers of [{ authorization: 'Bearer whatever' }, {} as Record<string, string>]) {
      const res = await fetch(`${server.baseURL}/jobs?limit=1`, { headers });
      expect(res.status).toBe(200);
    }
    expect(server.output()).toMatch(/server is open/);
  });
});
