import Reducto, { toFile } from 'reductoai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePdf } from '../../engine/test/extract/fixtures.ts';
import { startFakeLlm, type FakeLlm } from '../../engine/test/extract/fake-llm.ts';
import { startServerProcess, type ServerProcess } from './harness.ts';

/** The server configured with an OpenAI-compatible model (FOLIO_LLM_*): a recorded endpoint on 127.0.0.1. */
describe('extract with a configured language model', () => {
  let llm: FakeLlm;
  let server: ServerProcess;
  let client: Reducto;
  let invoice: string;

  beforeAll(async () => {
    llm = await startFakeLlm();
    server = await startServerProcess({ workers: 1, env: { FOLIO_LLM_BASE_URL: llm.baseURL, FOLIO_LLM_API_KEY: 'k', FOLIO_LLM_MODEL: 'recorded-good' } });
    client = new Reducto({ apiKey: server.apiKeys[0], baseURL: server.baseURL, maxRetries: 0 });
    invoice = (await client.upload({ file: await toFile(Buffer.from(await invoicePdf()), 'invoice.pdf') })).file_id;
  });
  afterAll(async () => {
    await server?.stop();
    await llm?.close();
  });

  const schema = { type: 'object', properties: { invoice_number: { type: 'string' }, total: { type: 'number' } } };

  it('answers from the model, with citations from the block ids it names', async () => {
    llm.answerWith(null);
    const res: any = await client.extract.run({ input: invoice, instructions: { schema }, settings: { citations: { enabled: true } } });
    expect(res.result.invoice_number.value).toBe('INV-2024-001');
    expect(res.result.total.citations[0].content).toContain('Total Due');
    expect(llm.requests.at(-1)!.model).toBe('recorded-good');
  });

  it('fails the job with the model error, never an invented answer', async () => {
    llm.answerWith('malformed');
    const bad = await client.extract.run({ input: invoice, instructions: { schema } }).then(() => null, (e: { status: number; error: any }) => e);
    expect(bad?.status).toBe(502);
    expect(bad?.error.error.name).toBe('LLM_OUTPUT_PARSE_FAILED');
    llm.answerWith('provider-error');
    const { job_id } = await client.extract.runJob({ input: invoice, instructions: { schema } });
    let job: any;
    for (let i = 0; i < 600; i++) {
      job = await client.job.get(job_id);
      if (job.status === 'Completed' || job.status === 'Failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toBe('Failed');
    expect(job.error?.name).toBe('LLM_PROVIDER_ERROR');
    expect(job.reason).toMatch(/overloaded/);
  });
});
