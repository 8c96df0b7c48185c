import { describe, expect, it } from 'vitest';
import { readDocument } from '../../src/parse.ts';
import { split } from '../../src/split/index.ts';
import { classify } from '../../src/classify/index.ts';
import { CLASSIFICATION_SCHEMA, SPLIT_CATEGORIES, classificationPdfs, multiDocumentPdf } from './fixtures.ts';

describe('split', () => {
  it('splits invoice, contract and bank statements into page sets, partitioned by account', async () => {
    const doc = await readDocument(await multiDocumentPdf(), {}, { filename: 'bundle.pdf' });
    expect(doc.pages).toHaveLength(6);
    const body = split(doc, SPLIT_CATEGORIES, { allow_page_overlap: false });
    const byName = Object.fromEntries(body.result.splits.map((s) => [s.name, s]));
    expect(byName.Invoice.pages).toEqual([1]);
    expect(byName.Contract.pages).toEqual([2, 3]);
    expect(byName['Bank Statement'].pages).toEqual([4, 5, 6]);
    expect(body.result.section_mapping).toEqual({ Invoice: [1], Contract: [2, 3], 'Bank Statement': [4, 5, 6] });
    expect(byName['Bank Statement'].partitions).toEqual([
      { name: '111-222', pages: [4, 5], conf: 'high' },
      { name: '333-444', pages: [6], conf: 'high' },
    ]);
    expect(byName.Invoice.partitions).toBeNull();
    expect(byName.Invoice.conf).toBe('high');
    expect(body.usage.num_pages).toBe(6);
  });
});

describe('classify', () => {
  it('picks the category whose criteria the document meets, with confidences', async () => {
    const docs = await classificationPdfs();
    for (const [expected, bytes] of Object.entries(docs)) {
      const doc = await readDocument(bytes, {}, { filename: `${expected}.pdf` });
      const body = classify(doc, CLASSIFICATION_SCHEMA);
      expect(body.result.category).toBe(expected);
      const cats = body.response_confidence.categories;
      expect(cats.map((c) => c.category)).toEqual(['invoice', 'resume', 'lease']);
      const sum = cats.reduce((s, c) => s + c.confidence, 0);
      expect(sum).toBeCloseTo(1, 2);
      const winner = cats.find((c) => c.category === expected)!;
      expect(winner.confidence).toBeGreaterThan(0.6);
      expect(winner.criteria_confidence.filter((c) => c.confidence === 'high').length).toBeGreaterThanOrEqual(1);
      for (const other of cats.filter((c) => c !== winner)) expect(other.confidence).toBeLessThan(winner.confidence);
    }
  });
});
