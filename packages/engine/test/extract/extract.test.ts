import { beforeAll, describe, expect, it } from 'vitest';
import { parse, readDocument } from '../../src/parse.ts';
import { documentFromParse } from '../../src/extract/from-parse.ts';
import { extract } from '../../src/extract/index.ts';
import type { ParsedDocument } from '../../src/model.ts';
import { INVOICE, invoicePdf, unruledOrderPdf } from './fixtures.ts';

const schema = {
  type: 'object',
  properties: {
    invoice_number: { type: 'string', description: 'The invoice number' },
    invoice_date: { type: 'string', format: 'date' },
    due_date: { type: 'string', format: 'date' },
    vendor_name: { type: 'string', description: 'Name of the company issuing the invoice' },
    customer: { type: 'string', description: 'Who the invoice is billed to' },
    subtotal: { type: 'number' },
    tax: { type: 'number' },
    total: { type: 'number', description: 'Total amount due' },
    purchase_order: { type: 'string', description: 'PO number' },
    payment_terms: { type: 'string' },
    line_items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          description: { type: 'string' },
          quantity: { type: 'integer' },
          unit_price: { type: 'number' },
          amount: { type: 'number' },
        },
      },
    },
  },
};

interface Cited { value: unknown; citations: Array<{ type: string; content: string; bbox: { left: number; top: number; width: number; height: number; page: number }; confidence: string; parentBlock: { type: string } }> }

describe('deterministic extraction from a generated invoice PDF', () => {
  let doc: ParsedDocument;
  beforeAll(async () => {
    doc = await readDocument(await invoicePdf(), {}, { filename: 'invoice.pdf' });
  });

  it('returns typed values, null for absent fields, and line items from the table', async () => {
    const body = await extract(doc, { schema });
    expect(body.response_type).toBe('extract');
    if (body.response_type !== 'extract') return;
    expect(body.citations).toBeNull();
    expect(body.result).toHaveLength(1);
    const r = body.result[0] as Record<string, unknown>;
    expect(r.invoice_number).toBe(INVOICE.number);
    expect(r.invoice_date).toBe(INVOICE.date);
    expect(r.due_date).toBe(INVOICE.due);
    expect(r.vendor_name).toBe(INVOICE.vendor);
    expect(r.customer).toBe(INVOICE.customer);
    expect(r.subtotal).toBe(INVOICE.subtotal);
    expect(r.tax).toBe(INVOICE.tax);
    expect(r.total).toBe(INVOICE.total);
    expect(r.payment_terms).toBe('Net 30');
    expect(r.purchase_order).toBeNull();
    expect(r.line_items).toEqual(INVOICE.items);
    expect(body.usage.num_pages).toBe(1);
    expect(body.usage.num_fields).toBe(10 + INVOICE.items.length * 4);
  });

  it('cites the page and box each value was read from', async () => {
    const body = await extract(doc, { schema }, { citations: { enabled: true } });
    expect(body.response_type).toBe('v3_extract');
    const r = body.result as Record<string, Cited> & { line_items: Array<Record<string, Cited>> };
    const total = r.total;
    expect(total.value).toBe(1575);
    expect(total.citations).toHaveLength(1);
    const c = total.citations[0];
    expect(c.content).toContain('1,575.00');
    expect(c.bbox.page).toBe(1);
    // "Total Due" is the last line of the totals block, below the table (table ends near 0.43 of the page).
    expect(c.bbox.top).toBeGreaterThan(0.43);
    expect(c.bbox.top).toBeLessThan(0.6);
    expect(c.parentBlock.type).toBeTruthy();
    const number = r.invoice_number;
    // The invoice number line is the first key-value line, ~130pt from the top (0.164).
    expect(number.citations[0].bbox.top).toBeGreaterThan(0.14);
    expect(number.citations[0].bbox.top).toBeLessThan(0.2);
    // Line-item cells cite the table, row by row, top to bottom.
    const tops = r.line_items.map((item) => item.amount.citations[0].bbox.top);
    expect(r.line_items[0].amount.citations[0].type).toBe('Table');
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    expect(r.purchase_order).toEqual({ value: null, citations: [] });
  });

  it('omits numeric confidence and parent content when asked', async () => {
    const body = await extract(doc, { schema: { type: 'object', properties: { total: { type: 'number' } } } }, { citations: { enabled: true, numerical_confidence: false, parent_block: 'bbox_only' } });
    const c = (body.result as Record<string, Cited>).total.citations[0] as Record<string, unknown>;
    expect(c.granular_confidence).toBeUndefined();
    expect((c.parentBlock as { content: string }).content).toBe('');
  });

  it.each(['dynamic', 'html'] as const)('gives the same answer from a finished parse (jobid:// reuse, %s tables)', async (format) => {
    const bytes = await invoicePdf();
    const out = await parse(bytes, { formatting: { table_output_format: format } }, { filename: 'invoice.pdf' });
    const reused = documentFromParse({ result: out.result, usage: out.usage });
    const direct = await extract(doc, { schema });
    const again = await extract(reused, { schema });
    expect(again.result).toEqual(direct.result);
  });

  it('reads nested objects from labelled sections and the letterhead', async () => {
    const nested = {
      type: 'object',
      properties: {
        vendor: { type: 'object', properties: { name: { type: 'string' }, address: { type: 'string' } } },
        customer: { type: 'object', description: 'Who is billed', properties: { name: { type: 'string' }, address: { type: 'string' } } },
      },
    };
    const plainBody = await extract(doc, { schema: nested });
    expect((plainBody.result as unknown[])[0]).toEqual({
      vendor: { name: INVOICE.vendor, address: '12 Industrial Way, Springfield, IL 62704' },
      customer: { name: INVOICE.customer, address: '742 Evergreen Terrace, Springfield, IL 62701' },
    });
    const cited = (await extract(doc, { schema: nested }, { citations: { enabled: true } })).result as { customer: Record<string, Cited> };
    // The address line sits right under "Bill To: …" in the key-value block.
    const nameBox = cited.customer.name.citations[0].bbox;
    const addressBox = cited.customer.address.citations[0].bbox;
    expect(addressBox.top).toBeGreaterThan(nameBox.top);
    expect(addressBox.top - nameBox.top).toBeLessThan(0.04);
  });

  it('rejects a schema that is not an object with INVALID_SCHEMA', async () => {
    await expect(extract(doc, { schema: { type: 'array', items: {} } })).rejects.toMatchObject({ code: 'INVALID_SCHEMA' });
  });
});

describe('deterministic extraction: schema forms and unruled tables', () => {
  it('follows $ref and nullable anyOf, matches enums, and reads rows of an unruled item list', async () => {
    const doc = await readDocument(await unruledOrderPdf(), {}, { filename: 'po.pdf' });
    const schema = {
      type: 'object',
      $defs: { item: { type: 'object', properties: { item: { type: 'string' }, qty: { type: 'integer' }, price: { type: 'number' }, total: { type: 'number' } } } },
      properties: {
        po_number: { anyOf: [{ type: 'string', pattern: 'PO-\\d+' }, { type: 'null' }], description: 'Purchase order number' },
        order_date: { type: 'string', format: 'date' },
        supplier: { type: 'string' },
        currency: { type: ['string', 'null'], enum: ['USD', 'EUR', null] },
        items: { type: 'array', items: { $ref: '#/$defs/item' } },
        order_total: { type: 'number' },
      },
    };
    const body = await extract(doc, { schema });
    const r = (body.result as Array<Record<string, unknown>>)[0];
    expect(r.po_number).toBe('PO-7731');
    expect(r.order_date).toBe('2024-06-12');
    expect(r.supplier).toBe('Initech Components');
    expect(r.currency).toBeNull();
    expect(r.order_total).toBe(60);
    expect(r.items).toEqual([
      { item: 'Hex bolts M8', qty: 200, price: 0.15, total: 30 },
      { item: 'Washers 8mm', qty: 500, price: 0.02, total: 10 },
      { item: 'Lock nuts M8', qty: 200, price: 0.1, total: 20 },
    ]);
  });

  it('reads rows from aligned plain-text columns when the document has no table block', async () => {
    const txt = 'PACKING LIST\n\nShipment: SH-0042\n\nItem            Qty     Weight\nSteel rods      12      48.5\nCopper wire     3       7.25\n\nPacked by: R. Lee\n';
    const doc = await readDocument(new TextEncoder().encode(txt), {}, { filename: 'list.txt' });
    expect(doc.blocks.some((b) => b.type === 'Table')).toBe(false);
    const schema = { type: 'object', properties: { shipment: { type: 'string' }, packed_by: { type: 'string' }, items: { type: 'array', items: { type: 'object', properties: { item: { type: 'string' }, qty: { type: 'integer' }, weight: { type: 'number' } } } } } };
    const r = ((await extract(doc, { schema })).result as unknown[])[0];
    expect(r).toEqual({ shipment: 'SH-0042', packed_by: 'R. Lee', items: [{ item: 'Steel rods', qty: 12, weight: 48.5 }, { item: 'Copper wire', qty: 3, weight: 7.25 }] });
  });
});
