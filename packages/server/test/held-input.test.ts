import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeldDocumentServer } from './distributed/held-document-server.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

/**
 * A job stopped while its input is still downloading stops at once: the download is aborted,
 * not waited for. The document host holds each first download open until released (here:
 * never), so the job is reliably mid-download, however fast or slow the machine is.
 */
describe('stopping a job whose input is downloading', () => {
  let docs: HeldDocumentServer;
  let server: ServerProcess;
  let api: RawClient;

  beforeAll(async () => {
    docs = await HeldDocumentServer.start();
    // One worker thread: a job that kept its slot would keep every later job waiting.
    server = await startServerProcess({ workers: 1, env: { FOLIO_ALLOW_PRIVATE_URLS: '1' } });
    api = rawClient(server.baseURL, server.apiKeys[0]);
  });
  afterAll(async () => {
    await server?.stop();
    await docs?.close();
  });

  const submit = async (name: string, settings: Record<string, unknown> = {}): Promise<string> => {
    const { status, body } = await api.request('POST', '/parse_async', { input: docs.doc(name), settings });
    expect(status).toBe(200);
    return body.job_id;
  };

  it('cancel: the job is Cancelled and the worker takes the next job while the host still holds the download', async () => {
    const held = await submit('held-cancel');
    await docs.downloading('held-cancel');
    docs.release('next-after-cancel');
    const next = await submit('next-after-cancel');
    await api.request('POST', `/cancel/${held}`);
    expect(await api.waitDone(next)).toMatchObject({ status: 'Completed' });
    expect(await api.waitDone(held)).toMatchObject({ status: 'Failed', reason: 'Job cancelled' });
    expect(docs.hits.get('held-cancel')).toBe(1);
  });

  it('timeout: the job fails with TIMEOUT while the host still holds the download', async () => {
    const held = await submit('held-timeout', { timeout: 0.5 });
    await docs.downloading('held-timeout');
    const job = await api.waitDone(held);
    expect(job.status).toBe('Failed');
    expect(job.error.name).toBe('TIMEOUT');
    expect(job.reason).toMatch(/timeout of 0.5 s/);
    // The thread is free again: a job submitted now completes.
    docs.release('next-after-timeout');
    expect(await api.waitDone(await submit('next-after-timeout'))).toMatchObject({ status: 'Completed' });
    expect(docs.hits.get('held-timeout')).toBe(1);
  });
});
