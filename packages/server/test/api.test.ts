import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from './fixtures.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';

/** HTTP details beyond what the SDK conformance suite sees. */
describe('server API details', () => {
  let server: ServerProcess;
  let api: RawClient;
  let pdf: Uint8Array;
  let fileId: string;

  beforeAll(async () => {
    server = await startServerProcess({ workers: 1 });
    api = rawClient(server.baseURL, server.apiKeys[0]);
    pdf = await makePdf(2);
    fileId = await api.upload(pdf, 'two.pdf');
  });
  afterAll(() => server?.stop());

  it('answers 401 JSON without a key and serves /version, /health without one', async () => {
    const res = await fetch(`${server.baseURL}/jobs`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { name: string } }).error.name).toBe('AUTH_ERROR');
    expect(await (await fetch(`${server.baseURL}/version`)).json()).toMatch(/^folio-/);
    expect(await (await fetch(`${server.baseURL}/health`)).json()).toMatchObject({ status: 'ok' });
  });

  it('supports the presigned upload flow: no file → signed PUT URL → parse', async () => {
    const { body } = await api.request('POST', '/upload');
    expect(body.file_id).toMatch(/^reducto:\/\//);
    const put = await fetch(body.presigned_url, { method: 'PUT', body: Buffer.from(pdf) });
    expect(put.status).toBe(200);
    const tampered = await fetch(body.presigned_url.replace(/sig=[^&]+/, 'sig=tampered'), { method: 'PUT', body: Buffer.from(pdf) });
    expect(tampered.status).toBe(403);
    const parsed = await api.request('POST', '/parse', { input: body.file_id });
    expect(parsed.status).toBe(200);
    expect(parsed.body.usage.num_pages).toBe(2);
  });

  it('never answers /upload with a retryable status the SDK would replay', async () => {
    const form = new FormData();
    form.append('other', 'x');
    const res = await fetch(`${server.baseURL}/upload`, { method: 'POST', headers: { authorization: `Bearer ${server.apiKeys[0]}` }, body: form });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-should-retry')).toBe('false');
  });

  it('accepts the legacy body and refuses a mix of legacy and v3 keys', async () => {
    const legacy = await api.request('POST', '/parse', { document_url: fileId, options: { chunking: { chunk_mode: 'page' } }, advanced_options: { table_output_format: 'md' } });
    expect(legacy.status).toBe(200);
    expect(legacy.body.result.chunks).toHaveLength(2);
    const mixed = await api.request('POST', '/parse', { document_url: fileId, input: fileId });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.name).toBe('INVALID_CONFIG');
  });

  it('validates bodies and queries with FastAPI-shaped 422s', async () => {
    const bad = await api.request('POST', '/parse', { input: fileId, retrieval: { chunking: { chunk_mode: 'sentences' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc.slice(0, 3)).toEqual(['body', 'retrieval', 'chunking']);
    // A union of literals: one issue naming the allowed values, not one per literal.
    expect(bad.body.detail).toEqual([{
      loc: ['body', 'retrieval', 'chunking', 'chunk_mode'],
      msg: "Input should be 'disabled', 'variable', 'section', 'page', 'page_sections' or 'block'",
      type: 'literal_error',
    }]);
    expect((await api.request('GET', '/jobs?limit=0')).status).toBe(422);
    expect((await api.request('GET', '/jobs?limit=501')).status).toBe(422);
    expect((await api.request('GET', '/jobs?cursor=')).status).toBe(200);
  });

  it('serves force_url_result as a signed URL that needs no key; DELETE /job removes it', async () => {
    const res = await api.request('POST', '/parse', { input: fileId, settings: { force_url_result: true } });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ type: 'url', result_id: expect.any(String) });
    const full = await fetch(res.body.result.url);
    expect(full.status).toBe(200);
    const result = (await full.json()) as { type: string; chunks: unknown[] };
    expect(result.type).toBe('full');
    expect(result.chunks.length).toBeGreaterThan(0);
    expect((await fetch(res.body.result.url.replace(/expires=\d+/, 'expires=1'))).status).toBe(403);
    // jobid:// reuse resolves the URL result back to the full one.
    const reused = await api.request('POST', '/parse', { input: `jobid://${res.body.job_id}` });
    expect(reused.body.result.type).toBe('full');

    // Read twice (the second answer comes from the finished-job cache), then delete.
    for (let i = 0; i < 2; i++) expect((await api.request('GET', `/job/${res.body.job_id}`)).body.status).toBe('Completed');
    const del = await api.request('DELETE', `/job/${res.body.job_id}`);
    expect(del.status).toBe(202);
    expect((await api.request('GET', `/job/${res.body.job_id}`)).status).toBe(404);
    expect((await fetch(res.body.result.url)).status).toBe(404);
  });

  it('serves the document a job read to its owner only, also through jobid:// chains', async () => {
    const parsed = await api.request('POST', '/parse', { input: fileId });
    const reused = await api.request('POST', '/extract', { input: `jobid://${parsed.body.job_id}`, instructions: { schema: { type: 'object', properties: { title: { type: 'string' } } } } });
    expect(reused.status).toBe(200);
    for (const id of [parsed.body.job_id, reused.body.job_id]) {
      const res = await fetch(`${server.baseURL}/job/${id}/document`, { headers: { authorization: `Bearer ${server.apiKeys[0]}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename\*=UTF-8''two\.pdf$/);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
    }
    const other = await fetch(`${server.baseURL}/job/${parsed.body.job_id}/document`, { headers: { authorization: `Bearer ${server.apiKeys[1]}` } });
    expect(other.status).toBe(404);
  });

  it('reads a multi-document input list as one document: pages run on, blocks name their document', async () => {
    const second = await api.upload(await makePdf(3, (p) => `Appendix page ${p}`), 'appendix.pdf');
    const parsed = await api.request('POST', '/parse', { input: [fileId, second], retrieval: { chunking: { chunk_mode: 'page' } } });
    expect(parsed.status).toBe(200);
    expect(parsed.body.usage.num_pages).toBe(5);
    const chunks = parsed.body.result.chunks as Array<{ content: string; blocks: Array<{ bbox: { page: number; original_page: number }; extra?: { source?: string } }> }>;
    expect(chunks).toHaveLength(5);
    expect(chunks[1].content).toContain('Page 2 of the Folio test document');
    expect(chunks[2].content).toContain('Appendix page 1');
    expect(chunks[4].blocks[0].bbox).toMatchObject({ page: 5, original_page: 5 });
    expect(chunks[0].blocks[0].extra?.source).toBe('two.pdf');
    expect(chunks[4].blocks[0].extra?.source).toBe('appendix.pdf');
    // page_range applies to each document; a finished parse can be one of the documents.
    const ranged = await api.request('POST', '/parse', { input: [`jobid://${parsed.body.job_id}`, second], settings: { page_range: { start: 1, end: 1 } } });
    expect(ranged.body.usage.num_pages).toBe(6);
    const extracted = await api.request('POST', '/extract', { input: [fileId, second], instructions: { schema: { type: 'object', properties: { heading: { type: 'string' } } } }, settings: { page_range: { start: 1, end: 1 } } });
    expect(extracted.status).toBe(200);
    expect(extracted.body.usage.num_pages).toBe(2);
    // One document is not a list; too many or malformed entries are refused at once.
    expect((await api.request('POST', '/parse', { input: Array(21).fill(fileId) })).status).toBe(400);
    expect((await api.request('POST', '/parse', { input: [fileId, 'not a document'] })).status).toBe(400);
    expect((await api.request('POST', '/classify', { input: [fileId, second], classification_schema: [{ category: 'a', criteria: ['x'] }] })).status).toBe(400);
    expect((await fetch(`${server.baseURL}/job/${parsed.body.job_id}/document`, { headers: { authorization: `Bearer ${server.apiKeys[0]}` } })).status).toBe(404);
  });

  it('fails a job past its timeout with TIMEOUT', async () => {
    // ≈ 1.3 s of parsing against a 0.1 s budget (150 pages and 0.5 s was too close once PDF
    // parsing got faster: the job finished in time).
    const long = await api.upload(await makePdf(300), 'long.pdf');
    const { body } = await api.request('POST', '/parse_async', { input: long, settings: { timeout: 0.1 } });
    const job = await api.waitDone(body.job_id);
    expect(job.status).toBe('Failed');
    expect(job.error.name).toBe('TIMEOUT');
    expect(job.reason).toMatch(/timeout/i);
  });

  it('fails a corrupt document with a reason, and the sync call answers its error', async () => {
    const broken = await api.upload(new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj <<< broken')), 'broken.pdf');
    const res = await api.request('POST', '/parse', { input: broken });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error.job_id).toBeTruthy();
    const job = (await api.request('GET', `/job/${res.body.error.job_id}`)).body;
    expect(job.status).toBe('Failed');
    expect(job.reason).toBeTruthy();
  });

  it('filters the job list by status and type, and deletes uploads', async () => {
    const failed = await api.request('GET', '/jobs?status=Failed&type=Parse&limit=50');
    expect(failed.body.jobs.length).toBeGreaterThan(0);
    expect(failed.body.jobs.every((j: { status: string }) => j.status === 'Failed')).toBe(true);
    const future = await api.request('GET', `/jobs?created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.body.jobs).toEqual([]);
    const gone = await api.upload(pdf, 'gone.pdf');
    expect((await api.request('DELETE', `/upload/${encodeURIComponent(gone)}`)).status).toBe(200);
    expect((await api.request('POST', '/parse_async', { input: gone })).status).toBe(404);
  });

  it('takes the extension hint for nameless uploads, answers /configure_webhook with a string, aliases /async_parse', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(pdf)]), 'file');
    const res = await fetch(`${server.baseURL}/upload?extension=.pdf`, { method: 'POST', headers: { authorization: `Bearer ${server.apiKeys[0]}` }, body: form });
    const { file_id } = (await res.json()) as { file_id: string };
    expect(file_id).toMatch(/\.pdf$/);
    const hook = await api.request('POST', '/configure_webhook', {});
    expect(hook.status).toBe(200);
    expect(typeof hook.body).toBe('string');
    const { body } = await api.request('POST', '/async_parse', { input: file_id });
    expect((await api.waitDone(body.job_id)).status).toBe('Completed');
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const { body } = await api.request('GET', '/openapi.json');
    expect(body.openapi).toMatch(/^3\./);
    const parse = body.paths['/parse'].post;
    expect(parse.requestBody.content['application/json'].schema.properties.settings.properties.force_url_result.type).toBe('boolean');
    expect(body.paths['/jobs'].get.parameters.map((p: { name: string }) => p.name)).toContain('cursor');
  });
});
