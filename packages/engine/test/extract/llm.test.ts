import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/parse.ts';
import { extract } from '../../src/extract/index.ts';
import { llmConfigFromEnv } from '../../src/llm/config.ts';
import type { ParsedDocument } from '../../src/model.ts';
import { CLASSIFICATION_SCHEMA, SPLIT_CATEGORIES, invoicePdf, multiDocumentPdf } from './fixtures.ts';
import { splitWithModel } from '../../src/llm/split.ts';
import { classifyWithModel } from '../../src/llm/classify.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm.ts';

const schema = {
  type: 'object',
  properties: {
    invoice_number: { type: 'string' },
    total: { type: 'number' },
    due_date: { type: 'string', format: 'date' },
    purchase_order: { type: 'string' },
    line_items: { type: 'array', items: { type: 'object', properties: { description: { type: 'string' }, amount: { type: 'number' } } } },
  },
};

describe('LLM extractor against an OpenAI-compatible endpoint on 127.0.0.1', () => {
  let llm: FakeLlm;
  let doc: ParsedDocument;
  const config = (model: string, fallback?: string) => llmConfigFromEnv({ FOLIO_LLM_BASE_URL: llm.baseURL, FOLIO_LLM_API_KEY: 'test', FOLIO_LLM_MODEL: model, FOLIO_LLM_FALLBACK: fallback });

  beforeAll(async () => {
    llm = await startFakeLlm();
    doc = await readDocument(await invoicePdf(), {}, { filename: 'invoice.pdf' });
  });
  afterAll(() => llm?.close());

  it('is off unless FOLIO_LLM_BASE_URL is set', () => {
    expect(llmConfigFromEnv({})).toBeNull();
  });

  it('asks with block ids and the schema as structured output, and cites the blocks the model names', async () => {
    const body = await extract(doc, { schema, system_prompt: 'Be precise.' }, { citations: { enabled: true } }, { llm: config('recorded-good') });
    const request = llm.requests.at(-1)!;
    expect(request.model).toBe('recorded-good');
    expect(request.messages[0].content).toContain('Be precise.');
    expect(request.messages[1].content).toMatch(/^\[0\] \(page 1, /);
    expect(request.messages[1].content).toContain('INV-2024-001');
    expect(request.response_format?.type).toBe('json_schema');
    const wrapped = request.response_format!.json_schema!.schema as { properties: Record<string, { properties: Record<string, unknown> }> };
    expect(Object.keys(wrapped.properties.total.properties)).toEqual(['value', 'block_ids']);

    const r = body.result as Record<string, { value: unknown; citations: Array<{ content: string; bbox: { page: number; top: number } }> }> & { line_items: Array<Record<string, { value: unknown; citations: unknown[] }>> };
    expect(r.invoice_number.value).toBe('INV-2024-001');
    expect(r.invoice_number.citations).toHaveLength(1);
    expect(r.invoice_number.citations[0].content).toContain('Invoice Number');
    expect(r.total.value).toBe(1575);
    expect(r.total.citations[0].content).toContain('Total Due');
    expect(r.total.citations[0].bbox.page).toBe(1);
    expect(r.purchase_order).toEqual({ value: null, citations: [] });
    // "$500.00" for a number is coerced; the nonexistent block id 9999 is dropped.
    expect(r.line_items[1].amount.value).toBe(500);
    expect(r.line_items[1].amount.citations).toHaveLength(1);
  });

  it('fails with LLM_OUTPUT_PARSE_FAILED on malformed JSON, never inventing values', async () => {
    await expect(extract(doc, { schema }, {}, { llm: config('recorded-malformed') })).rejects.toMatchObject({ code: 'LLM_OUTPUT_PARSE_FAILED' });
    await expect(extract(doc, { schema }, {}, { llm: config('recorded-wrong-shape') })).rejects.toMatchObject({ code: 'LLM_OUTPUT_PARSE_FAILED' });
  });

  it('fails with LLM_PROVIDER_ERROR when the endpoint errors', async () => {
    const err = await extract(doc, { schema }, {}, { llm: config('recorded-provider-error') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LLM_PROVIDER_ERROR' });
    expect((err as Error).message).toMatch(/overloaded/);
  });

  it('falls back to the deterministic extractor when configured', async () => {
    const body = await extract(doc, { schema }, {}, { llm: config('recorded-malformed', 'deterministic') });
    const r = (body.result as Array<Record<string, unknown>>)[0];
    expect(r.invoice_number).toBe('INV-2024-001');
    expect(r.total).toBe(1575);
  });

  it('splits by the categories the model names per page; unnamed pages continue the section; partitions still read the key', async () => {
    const bundle = await readDocument(await multiDocumentPdf(), {}, { filename: 'bundle.pdf' });
    const body = await splitWithModel(bundle, SPLIT_CATEGORIES, 'Sections never overlap.', {}, config('recorded-split-good')!);
    expect(llm.requests.at(-1)!.messages[0].content).toContain('Sections never overlap.');
    expect(llm.requests.at(-1)!.messages[1].content).toContain('=== Page 6 ===');
    expect(body.result.section_mapping).toEqual({ Invoice: [1], Contract: [2, 3], 'Bank Statement': [4, 5, 6] });
    expect(body.result.splits[2].partitions?.map((p) => p.name)).toEqual(['111-222', '333-444']);
    await expect(splitWithModel(bundle, SPLIT_CATEGORIES, undefined, {}, config('recorded-malformed')!)).rejects.toMatchObject({ code: 'LLM_OUTPUT_PARSE_FAILED' });
  });

  it('classifies with the model: category, confidences, criteria judged', async () => {
    const body = await classifyWithModel(doc, CLASSIFICATION_SCHEMA, null, config('recorded-classify-good')!);
    expect(body.result.category).toBe('invoice');
    expect(body.response_confidence.categories.map((c) => c.confidence)).toEqual([0.92, 0.03, 0.05]);
    expect(body.response_confidence.categories[0].criteria_confidence.every((c) => c.confidence === 'high')).toBe(true);
    await expect(classifyWithModel(doc, CLASSIFICATION_SCHEMA, null, config('recorded-provider-error')!)).rejects.toMatchObject({ code: 'LLM_PROVIDER_ERROR' });
  });
});
