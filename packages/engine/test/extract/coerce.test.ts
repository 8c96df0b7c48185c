import { describe, expect, it } from 'vitest';
import { coerce, findDateText, mendAmounts, mendDateSpacing, parseDate, parseNumber, writesDayFirst } from '../../src/extract/coerce.ts';
import { extract } from '../../src/extract/index.ts';
import { receipt } from './receipt.ts';
import { validateSchema } from '../../src/extract/schema.ts';
import { EngineError } from '../../src/errors.ts';

describe('coercion of document text to schema types', () => {
  it('mends OCR slips in amounts and dates, and only there', () => {
    expect(mendAmounts('CASH RM20. 40')).toBe('CASH RM20.40');
    expect(parseNumber('RM 170. 00')).toBe(170);
    expect(mendAmounts('Total Amount: 31 .00')).toBe('Total Amount: 31.00');
    // Look-alike letters in a figure right after a currency are digits; elsewhere words stay words.
    expect(mendAmounts('CASH RMS. OO')).toBe('CASH RM5.00');
    expect(parseNumber('RMO. 28')).toBe(0.28);
    expect(parseNumber('$1O.5O')).toBe(10.5);
    expect(mendAmounts('ROOMS 5.OO SOLD')).toBe('ROOMS 5.OO SOLD');
    expect(mendAmounts('RMSOLD.OK')).toBe('RMSOLD.OK');
    expect(mendAmounts('ITEMS 3, 45 AND 2. 125 AND 4 .125 AND 1 . 50')).toBe('ITEMS 3, 45 AND 2. 125 AND 4 .125 AND 1 . 50');
    expect(findDateText('Date: O9/01/2019 8:01 PM')).toBe('09/01/2019');
    expect(findDateText('25/l2/2018 20:13')).toBe('25/12/2018');
    expect(findDateText('2S-03-18')).toBe('25-03-18');
    const printed = { type: 'string', pattern: '\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}' };
    expect(coerce('O9/01/2019', printed)).toBe('09/01/2019');
    // Words and codes are left alone: "SOS/IO/LOL" has no real digits, "AB-1O-2" is not a date.
    expect(findDateText('SOS/IO/LOL')).toBeUndefined();
    expect(findDateText('REF AB-1O-2')).toBeUndefined();
  });

  it('reads amounts the way invoices write them', () => {
    expect(parseNumber('$1,575.00')).toBe(1575);
    expect(parseNumber('1.575,00 €')).toBe(1575);
    expect(parseNumber('(12.50)')).toBe(-12.5);
    expect(parseNumber('RM 86.00')).toBe(86);
    expect(parseNumber('Tax (5%) 75')).toBe(5);
    expect(parseNumber('INV-001')).toBeUndefined();
    // OCR misreads of a currency prefix ("RM" as "RH") before an amount with cents.
    expect(parseNumber('RH 33.90')).toBe(33.9);
    expect(parseNumber('A12')).toBeUndefined();
    expect(parseNumber('INV 2024')).toBeUndefined();
    expect(parseNumber('12 Main Street Springfield')).toBeUndefined();
  });

  it('reads numeric dates day or month first as the document writes them', async () => {
    // A part above 12 decides; otherwise the document's own habit.
    expect(parseDate('09/01/2019', true)).toBe('2019-01-09');
    expect(parseDate('09/01/2019', false)).toBe('2019-09-01');
    expect(parseDate('25/12/2018', false)).toBe('2018-12-25');
    expect(parseDate('12/25/2018', true)).toBe('2018-12-25');
    // Its unambiguous dates first, then where it is from.
    expect(writesDayFirst(['Date: 09/01/2019', 'Due: 23/01/2019'])).toBe(true);
    expect(writesDayFirst(['Date: 09/01/2019', 'Due: 01/23/2019', 'TOTAL RM 9.00'])).toBe(false);
    expect(writesDayFirst(['ACME TRADING SDN BHD', '09/01/2019', 'TOTAL RM 31.00'])).toBe(true);
    expect(writesDayFirst(['ACME INC', 'SPRINGFIELD, IL 62704', '09/01/2019', 'TOTAL $31.00'])).toBe(false);
    expect(writesDayFirst(['09/01/2019', 'TOTAL 31.00'])).toBeUndefined();
    const date = { type: 'object', properties: { date: { type: 'string', format: 'date' } } };
    const read = async (rows: string[]): Promise<unknown> => ((await extract(receipt(rows), { schema: date })).result as Array<Record<string, unknown>>)[0].date;
    expect(await read(['ABC HO TRADING', 'NO.2, JALAN HARMONI 3/2', '81100 JOHOR BAHRU', '09/01/2019 | 8:01 PM', 'TOTAL | RM 31.00'])).toBe('2019-01-09');
    expect(await read(['ACME HARDWARE INC', '12 MAIN ST', 'SPRINGFIELD, IL 62704', 'Date: 09/01/2019', 'TOTAL | $31.00'])).toBe('2019-09-01');
  });

  it('reads dates to ISO', () => {
    expect(parseDate('March 5, 2024')).toBe('2024-03-05');
    expect(parseDate('5 Mar 2024')).toBe('2024-03-05');
    expect(parseDate('25/03/2024')).toBe('2024-03-25');
    expect(parseDate('04/04/2024')).toBe('2024-04-04');
    expect(parseDate('2024-04-05')).toBe('2024-04-05');
    expect(parseDate('no date here')).toBeUndefined();
  });

  it('coerces booleans, enums, integers, formats', () => {
    expect(coerce('Yes', { type: 'boolean' })).toBe(true);
    expect(coerce('☐', { type: 'boolean' })).toBe(false);
    expect(coerce('maybe', { type: 'boolean' })).toBeUndefined();
    expect(coerce('PAID in full', { enum: ['paid', 'unpaid', 'overdue'] })).toBe('paid');
    expect(coerce('Overdue!', { enum: ['paid', 'unpaid', 'overdue'] })).toBe('overdue');
    expect(coerce('something else', { enum: ['paid', 'unpaid'] })).toBeUndefined();
    expect(coerce('4 units', { type: 'integer' })).toBe(4);
    expect(coerce('4.5', { type: 'integer' })).toBeUndefined();
    expect(coerce('mail: billing@acme.test today', { type: 'string', format: 'email' })).toBe('billing@acme.test');
    expect(coerce('Total RM 86.00', { type: 'string', pattern: '\\d+\\.\\d{2}' })).toBe('86.00');
  });
});

describe('schema validation', () => {
  it('accepts an object schema', () => {
    expect(validateSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBeTruthy();
  });
  it.each([
    [{ type: 'array', items: { type: 'string' } }, /top level/],
    [{ type: 'object', properties: { a: { type: 'strng' } } }, /Invalid JSON Schema/],
    ['not a schema', /must be a JSON Schema object/],
    [{}, /top level/],
  ])('rejects %j with INVALID_SCHEMA', (schema, message) => {
    try {
      validateSchema(schema);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe('INVALID_SCHEMA');
      expect((err as EngineError).status).toBe(422);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('dates whose spaces OCR dropped', () => {
  it('sets a month name apart from the digits it was glued to', () => {
    expect(mendDateSpacing('02 Jun2019 09:15')).toBe('02 Jun 2019 09:15');
    expect(mendDateSpacing('2Jun 2019')).toBe('2 Jun 2019');
    expect(mendDateSpacing('Sept7, 2021')).toBe('Sept 7, 2021');
    // Not a date: words and codes stay as they are.
    expect(mendDateSpacing('MARKET 12 2018')).toBe('MARKET 12 2018');
    expect(mendDateSpacing('ITEM 12Mar')).toBe('ITEM 12Mar');
  });

  it('lets a date pattern match a date printed without its spaces', () => {
    const schema = { type: 'string', pattern: '\\d{1,2} [A-Za-z]{3,9} \\d{2,4}' };
    expect(coerce('Date: 02 Jun2019 09:15', schema)).toBe('02 Jun 2019');
    expect(coerce('Date: 02/06/2019', schema)).toBeUndefined();
  });
});
