/**
 * Conformance for extract, split, classify and pipelines: a running deployment driven by a
 * reductoai-shaped client (the official SDK in the embedded test). Sibling of conformance.ts;
 * documents are built in code (packages/engine/test/extract/fixtures.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { CLASSIFICATION_SCHEMA, INVOICE, SPLIT_CATEGORIES, classificationPdfs, formPdf, invoicePdf, multiDocumentPdf } from '../../engine/test/extract/fixtures.ts';
import { pollUntilDone, rejection } from './client-calls.ts';
import type { Deployment } from './harness.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the suite accepts any reductoai-shaped client */
type Body = any;

export interface ExtractLikeClient {
  upload(params: { file: any; extension?: string | null }): PromiseLike<{ file_id: string }>;
  parse: { run(body: Body): PromiseLike<any> };
  extract: { run(body: Body): PromiseLike<any>; runJob(body: Body): PromiseLike<{ job_id: string }> };
  split: { run(body: Body): PromiseLike<any>; runJob(body: Body): PromiseLike<{ job_id: string }> };
  classify: { run(body: Body): PromiseLike<any> };
  pipeline: { run(body: Body): PromiseLike<any>; runJob(body: Body): PromiseLike<{ job_id: string }> };
  edit: { run(body: Body): PromiseLike<any>; runJob(body: Body): PromiseLike<{ job_id: string }> };
  job: { get(jobId: string): PromiseLike<any> };
}

export interface ExtractConformanceOptions {
  start: () => Promise<Deployment>;
  makeClient: (baseURL: string, apiKey: string) => ExtractLikeClient;
  /** Turns bytes into what the client's upload takes (reductoai: `toFile`). */
  toUploadable: (bytes: Uint8Array, name: string) => Promise<unknown>;
}

const INVOICE_SCHEMA = {
  type: 'object',
  properties: {
    invoice_number: { type: 'string' },
    invoice_date: { type: 'string', format: 'date' },
    total: { type: 'number', description: 'Total amount due' },
    purchase_order: { type: 'string' },
    line_items: { type: 'array', items: { type: 'object', properties: { description: { type: 'string' }, quantity: { type: 'integer' }, amount: { type: 'number' } } } },
  },
};

export function extractConformanceSuite(label: string, options: ExtractConformanceOptions): void {
  describe(`Reducto conformance (extract/split/classify/pipeline): ${label}`, () => {
    let deployment: Deployment;
    let a: ExtractLikeClient;
    let invoice: string;
    let bundle: string;
    const api = (method: string, path: string, body?: unknown, key = deployment.apiKeys[0]) => fetch(`${deployment.baseURL}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

    beforeAll(async () => {
      deployment = await options.start();
      a = options.makeClient(deployment.baseURL, deployment.apiKeys[0]);
      invoice = (await a.upload({ file: await options.toUploadable(await invoicePdf(), 'invoice.pdf') })).file_id;
      bundle = (await a.upload({ file: await options.toUploadable(await multiDocumentPdf(), 'bundle.pdf') })).file_id;
    });
    afterAll(async () => {
      await deployment?.stop();
    });

    it('extract.run without citations: result is a list with one object, citations null', async () => {
      const res = await a.extract.run({ input: invoice, instructions: { schema: INVOICE_SCHEMA } });
      expect(res.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.citations).toBeNull();
      expect(res.result).toHaveLength(1);
      expect(res.result[0]).toEqual({
        invoice_number: INVOICE.number,
        invoice_date: INVOICE.date,
        total: INVOICE.total,
        purchase_order: null,
        line_items: INVOICE.items.map(({ description, quantity, amount }) => ({ description, quantity, amount })),
      });
      expect(res.usage).toMatchObject({ num_pages: 1, num_fields: 4 + 3 * 3 });
    });

    it('extract.run with citations: {value, citations} leaves with page and box', async () => {
      const res = await a.extract.run({ input: invoice, instructions: { schema: INVOICE_SCHEMA }, settings: { citations: { enabled: true } } });
      expect(res.result.total.value).toBe(INVOICE.total);
      const c = res.result.total.citations[0];
      expect(c).toMatchObject({ bbox: { page: 1, original_page: 1 }, confidence: 'high' });
      expect(c.content).toContain('1,575.00');
      expect(c.parentBlock.bbox.page).toBe(1);
      expect(typeof c.granular_confidence.extract_confidence).toBe('number');
      expect(res.result.line_items[2].amount.citations[0].type).toBe('Table');
    });

    it('extract reuses a finished parse with jobid:// and runs as an async job', async () => {
      const parsed = await a.parse.run({ input: invoice });
      const { job_id } = await a.extract.runJob({ input: `jobid://${parsed.job_id}`, instructions: { schema: INVOICE_SCHEMA } });
      const job = await pollUntilDone(a, job_id);
      expect(job.status).toBe('Completed');
      expect(job.type).toBe('Extract');
      expect(job.result.job_id).toBe(job_id);
      expect(job.result.result[0].total).toBe(INVOICE.total);
      expect(job.result.result[0].invoice_number).toBe(INVOICE.number);
    });

    it('extract honours settings.page_range and force_url_result', async () => {
      const schema = { type: 'object', properties: { account_number: { type: 'string' } } };
      const last = await a.extract.run({ input: bundle, instructions: { schema }, settings: { page_range: { start: 6, end: 6 } } });
      expect(last.result[0].account_number).toBe('333-444');
      expect(last.usage.num_pages).toBe(1);
      const first = await a.extract.run({ input: bundle, instructions: { schema }, settings: { page_range: { start: 4, end: 5 }, force_url_result: true } });
      expect(first.result.type).toBe('url');
      const stored = await (await fetch(first.result.url)).json();
      expect(stored[0].account_number).toBe('111-222');
    });

    it('answers 422 INVALID_SCHEMA for a bad schema, sync and async', async () => {
      const bad = await rejection(a.extract.run({ input: invoice, instructions: { schema: { type: 'array', items: { type: 'string' } } } }));
      expect(bad.status).toBe(422);
      expect(bad.name).toBe('UnprocessableEntityError');
      expect(bad.error.error.name).toBe('INVALID_SCHEMA');
      const invalid = await rejection(a.extract.runJob({ input: invoice, instructions: { schema: { type: 'object', properties: { a: { type: 'text' } } } } }));
      expect(invalid.status).toBe(422);
    });

    it('split.run: page sets per category and partitions by account', async () => {
      const res = await a.split.run({ input: bundle, split_description: SPLIT_CATEGORIES, settings: { allow_page_overlap: false } });
      expect(res.result.section_mapping).toEqual({ Invoice: [1], Contract: [2, 3], 'Bank Statement': [4, 5, 6] });
      const bank = res.result.splits.find((s: { name: string }) => s.name === 'Bank Statement');
      expect(bank.partitions.map((p: { name: string; pages: number[] }) => [p.name, p.pages])).toEqual([['111-222', [4, 5]], ['333-444', [6]]]);
      expect(res.usage.num_pages).toBe(6);
      const { job_id } = await a.split.runJob({ input: bundle, split_description: SPLIT_CATEGORIES });
      const job = await pollUntilDone(a, job_id);
      expect(job.type).toBe('Split');
      expect(job.result.result.section_mapping.Contract).toEqual([2, 3]);
    });

    it('split.run rejects a missing split_description with 422', async () => {
      const err = await rejection(a.split.run({ input: bundle }));
      expect(err.status).toBe(422);
    });

    it('classify.run: category and confidences for three kinds of document', async () => {
      const docs = await classificationPdfs();
      for (const [expected, bytes] of Object.entries(docs)) {
        const upload = await a.upload({ file: await options.toUploadable(bytes, `${expected}.pdf`) });
        const res = await a.classify.run({ input: upload.file_id, classification_schema: CLASSIFICATION_SCHEMA });
        expect(res.result.category).toBe(expected);
        const cats = res.response_confidence.categories;
        expect(cats).toHaveLength(3);
        const top = cats.reduce((x: { confidence: number }, y: { confidence: number }) => (y.confidence > x.confidence ? y : x));
        expect(top.category).toBe(expected);
        expect(top.criteria_confidence[0]).toHaveProperty('criterion');
      }
    });

    it('saves a pipeline and runs it: parse, split, extract per split and partition', async () => {
      const definition = {
        name: 'bundle',
        split: { split_description: SPLIT_CATEGORIES },
        split_extract: {
          Invoice: { instructions: { schema: { type: 'object', properties: { total: { type: 'number' }, invoice_number: { type: 'string' } } } } },
          'Bank Statement': { instructions: { schema: { type: 'object', properties: { account_number: { type: 'string' }, statement_period: { type: 'string' } } } } },
        },
      };
      const put = await api('PUT', '/pipelines/bundle-v1', definition);
      expect(put.status).toBe(200);
      expect((await (await api('GET', '/pipelines/bundle-v1')).json()).name).toBe('bundle');
      // Pipelines are per key.
      expect((await api('GET', '/pipelines/bundle-v1', undefined, deployment.apiKeys[1])).status).toBe(404);

      const res = await a.pipeline.run({ input: bundle, pipeline_id: 'bundle-v1' });
      expect(res.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.result.parse.result.type).toBe('full');
      expect(res.result.parse.usage.num_pages).toBe(6);
      expect(res.result.split.result.section_mapping.Invoice).toEqual([1]);
      const extracts = res.result.extract as Array<{ split_name: string; page_range: number[]; partition: string | null; result: any }>;
      expect(extracts.map((e) => [e.split_name, e.page_range, e.partition])).toEqual([
        ['Invoice', [1], null],
        ['Bank Statement', [4, 5], '111-222'],
        ['Bank Statement', [6], '333-444'],
      ]);
      expect(extracts[0].result.result[0]).toEqual({ total: INVOICE.total, invoice_number: INVOICE.number });
      expect(extracts[2].result.result[0].account_number).toBe('333-444');

      const { job_id } = await a.pipeline.runJob({ input: bundle, pipeline_id: 'bundle-v1' });
      const job = await pollUntilDone(a, job_id);
      expect(job.type).toBe('Pipeline');
      expect(job.result.result.extract).toHaveLength(3);

      expect((await api('DELETE', '/pipelines/bundle-v1')).status).toBe(200);
      const gone = await rejection(a.pipeline.run({ input: bundle, pipeline_id: 'bundle-v1' }));
      expect(gone.status).toBe(404);
    });

    it('edit.run fills a PDF form and serves the filled PDF by URL; edit.runJob too', async () => {
      const form = await a.upload({ file: await options.toUploadable(await formPdf(), 'form.pdf') });
      const res = await a.edit.run({ document_url: form.file_id, edit_instructions: 'Full name: Jane Doe\nCheck subscribe to newsletter' });
      expect(res.form_schema.map((w: { value: string | null }) => w.value)).toEqual(['Jane Doe', null, null, 'yes', null]);
      const pdf = await fetch(res.document_url);
      expect(pdf.status).toBe(200);
      const filled = (await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()))).getForm();
      expect(filled.getTextField('f1').getText()).toBe('Jane Doe');
      expect(filled.getCheckBox('c1').isChecked()).toBe(true);
      const { job_id } = await a.edit.runJob({ document_url: form, edit_instructions: 'Plan: Enterprise', form_schema: res.form_schema });
      const job = await pollUntilDone(a, job_id);
      expect(job.type).toBe('Edit');
      const again = (await PDFDocument.load(new Uint8Array(await (await fetch(job.result.document_url)).arrayBuffer()))).getForm();
      expect(again.getDropdown('plan').getSelected()).toEqual(['Enterprise']);
      expect(again.getTextField('f1').getText()).toBe('Jane Doe');
      const plain = await a.upload({ file: await options.toUploadable(await invoicePdf(), 'invoice.pdf') });
      const err = await rejection(a.edit.run({ document_url: plain.file_id, edit_instructions: 'Name: x' }));
      expect(err.status).toBe(422);
      expect(err.error.error.name).toBe('FORM_FILL_FAILED');
    });

    it('refuses a pipeline with a bad schema or unknown split names', async () => {
      const bad = await api('PUT', '/pipelines/bad', { extract: { instructions: { schema: { type: 'string' } } } });
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.name).toBe('INVALID_SCHEMA');
      const unknown = await api('PUT', '/pipelines/bad', { split: { split_description: SPLIT_CATEGORIES }, split_extract: { Receipt: { instructions: { schema: { type: 'object', properties: {} } } } } });
      expect(unknown.status).toBe(400);
    });
  });
}
