import { describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.ts';
import type { ParsedDocument } from '../../src/model.ts';
import { receipt } from './receipt.ts';

const amount = { type: 'object', properties: { total: { type: 'number', description: 'Total amount paid' } } };
const printed = { type: 'object', properties: { total: { type: 'string', pattern: '\\d[\\d,]*[.,]\\d{2}' } } };

async function first(doc: ParsedDocument, schema: object): Promise<Record<string, unknown>> {
  return ((await extract(doc, { schema })).result as Array<Record<string, unknown>>)[0];
}

/** The bottom of a receipt as OCR layout gives it: one table, label cell left, amount right. */
function receiptTable(rows: string[][]): ParsedDocument {
  const cells = rows.flatMap((r, i) => r.map((text, c) => ({
    row: i, col: c, rowSpan: 1, colSpan: 1, text,
    box: { left: c === 0 ? 0.08 : 0.6, top: 0.5 + i * 0.025, width: c === 0 && r.length === 1 ? 0.3 : 0.2, height: 0.02, page: 1, original_page: 1 },
  })));
  return {
    pages: [{ page: 1, originalPage: 1, width: 400, height: 1000 }], totalPages: 1,
    blocks: [{ type: 'Table', text: '', confidence: 1, table: { rows: rows.length, cols: 2, cells, headerRows: 0 }, box: { left: 0.08, top: 0.5, width: 0.72, height: rows.length * 0.025, page: 1, original_page: 1 } }],
  };
}

describe('the payable total on receipts and invoices', () => {
  it('takes the rounded amount printed after a rounding adjustment', async () => {
    const doc = receipt([
      'GIFT SHOP', 'LAMP | 55.90', 'DISC 10% | -5.59',
      'TOTAL AMT ........ | RM 60.31', 'ROUNDING ADJ ...... | -0.01', '| RM 60.30',
      'CASH ......... | RM 70.30', 'CHANGE ....... | RM 10.00',
    ]);
    expect((await first(doc, amount)).total).toBe(60.3);
    expect((await first(doc, printed)).total).toBe('60.30');
  });

  it('keeps the total when the rounding adjustment is zero or the rounded figure is not printed', async () => {
    expect((await first(receipt(['TOTAL | 9.00', 'ROUNDING ADJ | 0.00', 'ROUNDED TOTAL (RM): | 9.00', 'CASH | 10.00']), amount)).total).toBe(9);
    expect((await first(receipt(['TOTAL | 12.47', 'ROUNDING | 0.03', 'CASH | 20.00', 'CHANGE | 7.50']), amount)).total).toBe(12.47);
  });

  it('prefers the tax-inclusive total over the subtotal and over a tax summary printed after the payment', async () => {
    const doc = receipt([
      'ITEM | QTY | AMOUNT', 'SCHOOL BAG | 80.91',
      'TOTAL SALES (EXCLUDING GST) : | 80.91', 'DISCOUNT : | 0.00', 'TOTAL GST : | 0.00',
      'ROUNDING | -0.01', 'TOTAL SALES (INCLUSIVE OF GST) : | 80.90', 'CASH : | 100.00', 'CHANGE : | 19.10',
      'GST SUMMARY', 'TAX CODE | AMT (RM)', 'SR | 80.91', 'TOTAL : | 80.91',
    ]);
    expect((await first(doc, amount)).total).toBe(80.9);
  });

  it('reads a total labelled with its tax rate and an OCR slip ("T0TAL ... INCL. GST @6%"), not an item amount', async () => {
    const doc = receipt([
      'ITEM | AMOUNT', 'STAPLES 2 X 14.20 | 28.40',
      'T0TAL SALES INCL. GST @6% | 28.40', 'CASH | 50.00', 'CHANGE | 21.60',
      'GST SUMMARY', 'AMOUNT(RM) | TAX(RM)', 'SR @ 6% | 26.79',
    ]);
    expect((await first(doc, amount)).total).toBe(28.4);
  });

  it('does not read the tax total as the total, and reads an amount behind a misread currency', async () => {
    expect((await first(receipt(['TOTAL SALES (EXCLUDING GST) | 50 91', 'TOTAL GST | 0.00', 'TOTAL ROUNDED | RH 33.90', 'CASH | 50.00']), amount)).total).toBe(33.9);
    expect((await first(receipt(['ITEM | 3.00', 'TOTAL GST | 0.18']), amount)).total).toBeNull();
    const tax = { type: 'object', properties: { total_tax: { type: 'number' }, total: { type: 'number' } } };
    expect(await first(receipt(['TOTAL GST | 0.18', 'TOTAL INCL. GST | 3.18']), tax)).toEqual({ total_tax: 0.18, total: 3.18 });
  });

  it('does not read a subtotal as the total, and still answers a subtotal field', async () => {
    const doc = receipt(['SUB TOTAL | 100.00', 'SERVICE TAX 6% | 6.00', 'TOTAL | 106.00', 'VISA | 106.00']);
    const schema = { type: 'object', properties: { total: { type: 'number' }, subtotal: { type: 'number' } } };
    expect(await first(doc, schema)).toEqual({ total: 106, subtotal: 100 });
    expect((await first(receipt(['SUB TOTAL | 100.00', 'SERVICE TAX 6% | 6.00']), { type: 'object', properties: { total: { type: 'number' } } })).total).toBeNull();
  });

  it('with no total line, takes the amount paid less the change when that amount is printed', async () => {
    expect((await first(receipt(['DPT.05 | RM 149.00', 'DPT.04 | RM 21.00', 'CASH | RM 170.00']), amount)).total).toBe(170);
    const withChange = receipt(['BREAD | 12.00', 'MILK | 8.50', '| 20.50', 'CASH | 50.00', 'CHANGE | 29.50']);
    expect((await first(withChange, amount)).total).toBe(20.5);
    // OCR slips in the labels ("CASH.", "CA5H", "CHANG") are still payment and change.
    expect((await first(receipt(['DPT.05 | RM 149.00', 'DPT.04 | RM 21.00', 'CA5H | RM 170.00']), amount)).total).toBe(170);
    // OCR's mixed case ("CasH") is one word, not camel-cased "Cas H".
    expect((await first(receipt(['DPT.05 | RM 149.00', 'DPT.04 | RM 21.00', 'CasH | RM 170.00']), amount)).total).toBe(170);
    expect((await first(receipt(['BREAD | 12.00', 'MILK | 8.50', '| 20.50', 'CASH. | 50.00', 'CHANG | 29.50']), amount)).total).toBe(20.5);
    // Change given but unreadable, or no printed difference: nothing is invented.
    expect((await first(receipt(['TOTAL AMT', 'CASH | RM 70.30', 'CHANGE | RM']), amount)).total).toBeNull();
    expect((await first(receipt(['BREAD | 12.00', 'MILK | 8.50', 'CASH | 50.00', 'CHANGE | 29.50']), amount)).total).toBeNull();
  });

  it('reads amounts OCR split at the decimal point, a currency over its amount, and a payment read as one piece', async () => {
    expect((await first(receipt(['ITEM | 12.00', 'TOTAL | RM 170. 00', 'CASH | 200.00', 'CHANGE | 30.00']), amount)).total).toBe(170);
    expect((await first(receipt(['TOTAL | RM20. 40']), printed)).total).toBe('20.40');
    // "CASH" on its own row, "RM" and the amount on the next: the amount paid.
    expect((await first(receipt(['DPT.05 | RM 149.00', 'DPT.04 | RM 21.00', 'CASH |', 'RM | 170.00']), amount)).total).toBe(170);
    expect((await first(receipt(['BACON | RM4.90', 'RYE BUN | RM6.90', 'CASH RM11.80']), amount)).total).toBe(11.8);
    // A figure split elsewhere is not mended into an amount ("3, 45" may be a list).
    expect((await first(receipt(['TOTAL | 3, 45']), printed)).total).toBeNull();
  });

  it('does not take the item count line for the total, but a total naming its item count is one', async () => {
    expect((await first(receipt(['PORK RICE | 12.00', 'Total Qty | 51.42', 'Total Sales (Inclusive of GST) | 64.5']), printed)).total).toBeNull();
    expect((await first(receipt(['PORK RICE | 12.00', 'Total (3 items) | 36.00']), amount)).total).toBe(36);
  });

  it('reads OCR-slipped labels and lines: a rounding line read over the rounded total, "Inclcive GST", a smudged change label', async () => {
    // The whole line "ROUNDING  -0.01" sits above "RH 60.30": the adjustment is still -0.01.
    expect((await first(receiptTable([['TOTAL', 'RY 60.31'], ['ROUNDING', '-0.01'], ['RH 60.30 J'], ['CASH', '70.30']]), printed)).total).toBe('60.30');
    expect((await first(receipt(['2X 14.20 | 28.40', 'Total Seles Inclcive GST | 28.40', 'CASH | 50.00']), amount)).total).toBe(28.4);
    // Change given but its label smudged and its amount unreadable: the payment is not the total.
    expect((await first(receipt(['ITEM | 28.40', 'CASH | 50.00', 'fod. CHANGE | 2']), amount)).total).toBeNull();
  });

  it('cites the line the rounded total was read from', async () => {
    const doc = receipt(['TOTAL | 60.31', 'ROUNDING ADJ | -0.01', '| 60.30', 'CASH | 70.30']);
    const body = await extract(doc, { schema: amount }, { citations: { enabled: true } });
    const total = (body.result as Record<string, { value: unknown; citations: Array<{ content: string; bbox: { top: number } }> }>).total;
    expect(total.value).toBe(60.3);
    expect(total.citations[0].content).toBe('60.30');
    const rounding = doc.blocks.find((b) => b.text === '-0.01')!;
    expect(total.citations[0].bbox.top).toBeGreaterThan(rounding.box.top);
  });

  it('reads each printed line of a table cell that holds several ("SUBTOTAL" / "CASH" read into one cell)', async () => {
    const doc = receiptTable([['BACON\nRYE BUN', 'RM4.90\nRM6.90'], ['2 No\nSUBTOTAL RM11.80\nCASH RM11.80']]);
    expect((await first(doc, { type: 'object', properties: { total: { type: 'string', pattern: '(?:RM)?\\d+[.,]\\d{2}' } } })).total).toBe('RM11.80');
  });

  it('takes a rounded total printed after the total, whatever OCR made of the total or the labels', async () => {
    // The total misread ("91.00" for 9.00), the adjustment and the rounded-total label garbled.
    const doc = receiptTable([['CLAY KIDDY FISH', '9.00'], ['Total :', '91.00'], ['Rour ding Adjustment ;', '0.00'], ['Round: :d Total (RM);', '9.00'], ['Cash', '40.00']]);
    expect((await first(doc, amount)).total).toBe(9);
    // A rounded total without a rounding line is still the final figure.
    expect((await first(receipt(['TOTAL | 60.31', 'ROUNDED TOTAL | 60.30', 'CASH | 70.30']), amount)).total).toBe(60.3);
  });

  it('with the rounding adjustment unread, takes the amount within a rounding step after it', async () => {
    expect((await first(receiptTable([['TOTAL AN', 'RH 60.34'], ['ROUNDING ADJ.'], ['RH 60.30 J'], ['BM 70.30'], ['CHANGE', 'RA 10.00']]), printed)).total).toBe('60.30');
    // A figure further off, or not in whole 5 cents, is not a rounding of the total.
    expect((await first(receipt(['TOTAL | 60.34', 'ROUNDING ADJ.', '| 70.30', 'CHANGE | 10.00']), printed)).total).toBe('60.34');
    expect((await first(receipt(['TOTAL | 60.34', 'ROUNDING ADJ.', '| 60.32']), printed)).total).toBe('60.34');
  });

  it('mends a total whose figure OCR garbled from the one amount printed above it that differs by one digit', async () => {
    const doc = receiptTable([['2 X 14.20  -', '28.40'], ['Total Selec Inchicive GST @6%', '3840'], ['CASH', '50.0c']]);
    expect((await first(doc, printed)).total).toBe('28.40');
    // Two amounts as close (or none): nothing is guessed.
    expect((await first(receiptTable([['PEN', '28.40'], ['INK', '38.70'], ['TOTAL', '3840']]), printed)).total).toBeNull();
    expect((await first(receiptTable([['PEN', '12.40'], ['TOTAL', '3840']]), printed)).total).toBeNull();
  });

  it('checks the total against the payment: cash less change names the total among garbled labels', async () => {
    // The tax-inclusive label lost its first words; the subtotal label reads well but the payment says 45.50.
    const doc = receiptTable([
      ['NOTEBOOK', '45.51'], ['Total Sales (Excluding GST)', '45.51'], ['Rounding', '-001'],
      ['Total of GST) :', '45.50'], ['CASH :', '50.00'], ['Change :', '4.50'],
    ]);
    expect((await first(doc, printed)).total).toBe('45.50');
    // Change unread: the payment tells nothing, the best label stands.
    expect((await first(receipt(['Total Sales (Excluding GST) | 45.51', 'Total of GST) | 45.50', 'CASH | 50.00']), printed)).total).toBe('45.51');
  });

  it('reads a rounding adjustment OCR joined with its label into one cell', async () => {
    const doc = receiptTable([['TOTAL AMT.', 'RM 23.42'], ['ROUNDING ADJ. . -0.02'], ['RM 23.40'], ['VISA', 'RM 23.40']]);
    expect((await first(doc, printed)).total).toBe('23.40');
  });

  it('keeps the total when a rounded total is further from it than a rounding step and the items print the total', async () => {
    const doc = receiptTable([['COLOUR PENCILS 1 x 7.00', '7.00'], ['Total :', '7.00'], ['Rounding Adjustment', '0.00'], ['Rounded Total (RM):', '7.80'], ['Cash', '10.00']]);
    expect((await first(doc, printed)).total).toBe('7.00');
    // The total garbled instead ("71.00"): the rounded total the item agrees with is taken.
    const garbled = receiptTable([['COLOUR PENCILS 1 x 7.00', '7.00'], ['Total :', '71.00'], ['Rounding Adjustment', '0.00'], ['Rounded Total (RM):', '7.00'], ['Cash', '10.00']]);
    expect((await first(garbled, printed)).total).toBe('7.00');
  });

  it('reads a total whose label and figure fell into one table cell, not the subtotal beside a label', async () => {
    // "Total Sales (Inclusive of GST) 54.50" in one cell of its row: the label and the figure
    // set closer than the table's column gap.
    const doc = receiptTable([
      ['Total Qty: 7', '51.42'], ['Total Sales (Excluding GST) :', '51.42'], ['Total GST :', '3.08'],
      ['Rounding', '0.00'], ['Total Sales (Inclusive of GST) 54.50'],
    ]);
    expect((await first(doc, printed)).total).toBe('54.50');
    // A description with a figure in it is no label: "2 X 14.20 28.40" is an item row.
    const item = receiptTable([['ITEM', 'AMOUNT'], ['STAPLES 2 X 14.20 28.40'], ['Subtotal', '28.40']]);
    expect((await first(item, amount)).total).toBeNull();
  });
});
