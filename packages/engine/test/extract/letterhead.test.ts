import { describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.ts';
import type { ParsedDocument } from '../../src/model.ts';
import { receipt } from './receipt.ts';

const schema = {
  type: 'object',
  properties: {
    company: { type: 'string', description: 'Name of the company or store that issued the receipt' },
    address: { type: 'string', description: 'Address of the company' },
  },
};

async function read(doc: ParsedDocument): Promise<Record<string, unknown>> {
  return ((await extract(doc, { schema })).result as Array<Record<string, unknown>>)[0];
}

describe('the issuer in a receipt letterhead', () => {
  it('takes the name that heads the address, not a person\'s name printed above it', async () => {
    const doc = receipt([
      'JANE DOE',
      { text: 'PAPER & INK HOME DECO', gap: 3 }, '27 HIGH STREET,', 'SPRINGFIELD, IL 62704', 'TEL: 217 555 0100', 'RECEIPT',
      'TOTAL | 12.00',
    ]);
    expect(await read(doc)).toEqual({ company: 'PAPER & INK HOME DECO', address: '27 HIGH STREET, SPRINGFIELD, IL 62704' });
  });

  it('a registration number between the name and the address does not break the link', async () => {
    const doc = receipt(['JOHN SMITH', { text: 'YONGFATT HARDWARE', gap: 2 }, '(JM0517726)', 'NO 122 JALAN DEDAP 13', '81100 JOHOR BAHRU']);
    expect((await read(doc)).company).toBe('YONGFATT HARDWARE');
  });

  it('a legal-entity name (Ltd, Sdn Bhd, GmbH) outranks a mall name that heads the address', async () => {
    const doc = receipt([
      'RIVERSIDE MALL', 'UNIT 2, GROUND FLOOR, 12 RIVER ROAD', 'SPRINGFIELD 62704', 'CARELINE: 1800 88 1231',
      'NEWS KIOSK LTD (123456-X) FORMERLY KNOWN AS PAPER STAND LTD', 'TAX ID 000709361664', 'TOTAL | 7.70',
    ]);
    expect((await read(doc)).company).toBe('NEWS KIOSK LTD');
  });

  it('joins a logo stacked one word per line', async () => {
    const doc = receipt([
      { text: 'THE', size: 1.2 }, { text: 'BLUE', size: 2.5 }, { text: 'DOOR', size: 2 }, { text: 'BAKERY', size: 1.5 },
      '117, JALAN RADIN BAGUS, SRI PETALING', 'TEL: 03-9054 3785',
    ]);
    expect((await read(doc)).company).toBe('THE BLUE DOOR BAKERY');
  });

  it('joins the line above a short legal name set in the same type, but not above a complete one', async () => {
    const split = receipt(['WESTERN EASTERN', 'ST TIONERY SDN. BHD', 'CO REG NO : 210038-K', '42-46, JLN SULTAN AZLAN SHAH', '51200 KUALA LUMPUR']);
    expect((await read(split)).company).toBe('WESTERN EASTERN ST TIONERY SDN. BHD');
    // OCR read the widely spaced name as two pieces on one row.
    const pieces = receipt(['WESTERN EASTERN', 'ST+TIONERY | SDN. BHD', 'CO REG NO : 210038-K', '42-46, JLN SULTAN AZLAN SHAH', '51200 KUALA LUMPUR']);
    expect((await read(pieces)).company).toBe('WESTERN EASTERN ST+TIONERY SDN. BHD');
    // The legal suffix misread ("SON. BHD") still leaves a short name to be continued.
    const slipped = receipt(['NORTH STAR', 'PAPER MILL SON. BHD', 'CO REG NO : 123456-K', '12, JALAN MERANTI 2', '47301 PETALING JAYA']);
    expect((await read(slipped)).company).toBe('NORTH STAR PAPER MILL SDN. BHD');
    const whole = receipt(['TAN CHAY YEE', 'S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.', '(801580-T)', 'NO. 343, JALAN KURAU, SUNGAI RENGIT,', '81620 PENGERANG, JOHOR.']);
    expect((await read(whole)).company).toBe('S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.');
  });

  it('an outlet name in parentheses under the address belongs to it; the document title does not', async () => {
    const doc = receipt(['MR HARDWARE (M) SDN BHD', '(CO. REG : 860671-D)', 'LOT 1851-A, JALAN KPB 6,', '43300 SERI KEMBANGAN, SELANGOR', '(TESCO PUTRA NILAI)', '-INVOICE-', 'TOTAL | 30.90']);
    expect(await read(doc)).toEqual({ company: 'MR HARDWARE (M) SDN BHD', address: 'LOT 1851-A, JALAN KPB 6, 43300 SERI KEMBANGAN, SELANGOR (TESCO PUTRA NILAI)' });
  });

  it('reads an address row OCR cut into words, counting the row once', async () => {
    const doc = receipt(['PAPER STAND SDN BHD', 'CO | REG | NO | : | 210038-K', 'GST | ID | : | 000517085424', '12-14, | JLN | MERANTI | INDAH', '43000 KAJANG SELANGOR', 'TEL : 03-1234 5678']);
    expect(await read(doc)).toEqual({ company: 'PAPER STAND SDN BHD', address: '12-14, JLN MERANTI INDAH 43000 KAJANG SELANGOR' });
  });

  it('joins the name-like pieces of a name row OCR cut apart, and reads an address past a speck', async () => {
    const doc = receipt(['1800', 'Acme | NORTH PETRO | TRADING', 'Company No 002643278-A', 'LOT 2685 JLN GENTING KLANG', '’', 'TAMAN MELATI, 53300 KL', 'TEL 03-4021 2008']);
    expect(await read(doc)).toEqual({ company: 'Acme NORTH PETRO TRADING', address: 'LOT 2685 JLN GENTING KLANG TAMAN MELATI, 53300 KL' });
  });

  it('reads a postcode whose first digit OCR took for a symbol, and leaves other symbols alone', async () => {
    const doc = receipt(['GREEN LEAF TRADING', 'NO 12, JALAN MERANTI 3', '£1100 JOHOR BAHRU', 'TEL : 07-3523888']);
    expect((await read(doc)).address).toBe('NO 12, JALAN MERANTI 3 81100 JOHOR BAHRU');
    const other = receipt(['GREEN LEAF TRADING', 'LOT 5 & 6, JALAN MERANTI,&1200 KULAI', 'UNIT $1200 BLOCK B', 'TEL : 07-3523888']);
    expect((await read(other)).address).toBe('LOT 5 & 6, JALAN MERANTI,81200 KULAI UNIT $1200 BLOCK B');
    // A dollar sign starting the town line is the postcode's 5, read on the row OCR put it.
    const shifted = receipt(['GREEN LEAF TRADING', 'LOT 2685 JLN GENTING KLANG', '$3300 KL | SITE 1066', 'TEL 03-4021 2008']);
    expect((await read(shifted)).address).toBe('LOT 2685 JLN GENTING KLANG 53300 KL SITE 1066');
  });

  it('a street line is not the name, specks are no rows, and a speck after the legal suffix is dropped', async () => {
    const doc = receipt([
      '|', '|', 'THANK YOU FOR SHOPPING', 'PLAZA HALL', 'UPPER FLOOR, PLAZA HALL, NO 2 SHOP 5,', { text: 'JALAN MERANTI 2, THE SQUARE', size: 1.3 },
      '47301 PETALING JAYA', 'CARELINE : 1800 11 2233', 'CARELINE@KIOSK.MY', 'KIOSK RETAIL SB (306295-X)', 'TAX ID 000709361664',
    ]);
    expect((await read(doc)).company).toBe('KIOSK RETAIL SB');
    expect((await read(receipt(['GREEN LEAF TRADING SDN BHD  A', 'NO 12, JALAN MERANTI 3', '81100 JOHOR BAHRU']))).company).toBe('GREEN LEAF TRADING SDN BHD');
  });

  it('leaves a bare margin number on the address row out of the address, keeps a labelled piece', async () => {
    const doc = receipt(['GREEN LEAF TRADING', 'NO 12, JALAN MERANTI 3, | 32', '81100 JOHOR BAHRU | SITE 1066', 'TEL : 07-3523888']);
    expect((await read(doc)).address).toBe('NO 12, JALAN MERANTI 3, 81100 JOHOR BAHRU SITE 1066');
  });

  it('reads OCR slips in the legal suffix "SDN BHD" ("SDN 8HD", "SON BHD") as the suffix', async () => {
    expect((await read(receipt(['JANE DOE', { text: 'PAPER TREE (TAMAN DAYA) SDN 8HD', gap: 2 }, '55, JALAN SAGU 18,', '81100 JOHOR BAHRU']))).company).toBe('PAPER TREE (TAMAN DAYA) SDN BHD');
    expect((await read(receipt(['Paper Tree Son Bhd', '55, Jalan Sagu 18,', '81100 Johor Bahru']))).company).toBe('Paper Tree Sdn Bhd');
  });

  it('a line ending in a comma is an address part, not the name; the legal name may follow the address', async () => {
    const doc = receipt([
      'THANK YOU FOR SHOPPING', 'SHOP 5, | UPPER FLOOR,', 'JALAN MERANTI 2, THE SQUARE', '47301 PETALING JAYA', 'CARELINE : 1800 11 2233',
      'CARELINE@KIOSK.MY', 'KIOSK RETAIL SB{306295-X) FKA PAPER STAND SB', 'TAX ID 000709361664', 'TOTAL | 7.70',
    ]);
    expect((await read(doc)).company).toBe('KIOSK RETAIL SB');
  });

  it('the legal name OCR glued into one word still counts as the issuer when a registration number follows', async () => {
    const doc = receipt([
      'THANK YOU FOR SHOPPING', 'kioskPlus', 'RIVERSIDE MALL', 'UNIT 2, GROUND FLOOR, RIVERSIDE MALL,', 'JALAN MERANTI 2,', '47301 PETALING JAYA',
      'KIOSKPLUSRETAILSB(123456-K)FKAPAPERSTANDSB', 'TAX ID 000709361664', 'TOTAL | 7.70',
    ]);
    expect((await read(doc)).company).toBe('KIOSKPLUSRETAILSB');
  });

  it('drops a registration number but keeps a number that is part of the name', async () => {
    expect((await read(receipt(['KHIAM AIK CHAN SDN BHD (88842-H)', 'NO. 76, JALAN SS15/4B,', '47500 SUBANG JAYA']))).company).toBe('KHIAM AIK CHAN SDN BHD');
    // A five-digit registration number on the name's line is no postcode.
    expect((await read(receipt(['TAX INVOICE', 'THANK YOU', 'OASIS LOUNGE 2', 'GREEN LEAF STATIONERY SDN BHD (12345-K)', 'NO. 76, JALAN SS15/4B,', '47500 SUBANG JAYA']))).company).toBe('GREEN LEAF STATIONERY SDN BHD');
    expect((await read(receipt(['TRIPLE SIX POINT ENTERPRISE 666', 'NO 14 JALAN PERMAS 4/3', 'TEL : 016-7574666']))).company).toBe('TRIPLE SIX POINT ENTERPRISE 666');
  });

  it('reads the letterhead as printed, whatever order layout listed its blocks in', async () => {
    const doc = receipt(['ACME HANDEL SDN BHD', 'NO 2A JALAN MERANTI', 'TAMAN MALURI', '55100 KUALA LUMPUR', 'GST NO.: 000115154944', 'TOTAL | 22.00']);
    // Layout listed the postcode line after the tax number printed under it.
    const [name, street, town, postcode, tax, ...rest] = doc.blocks;
    doc.blocks = [name, street, town, tax, postcode, ...rest];
    expect(await read(doc)).toEqual({ company: 'ACME HANDEL SDN BHD', address: 'NO 2A JALAN MERANTI TAMAN MALURI 55100 KUALA LUMPUR' });
  });

  it('ends the address at white space: capitals printed well below it are not part of it', async () => {
    const doc = receipt(['BOOK CORNER SDN BHD', 'NO 53 JALAN SAGU 18,', 'TAMAN DAYA,', 'JOHOR', { text: 'WELCOME', gap: 2 }, 'TOTAL | 9.00']);
    expect((await read(doc)).address).toBe('NO 53 JALAN SAGU 18, TAMAN DAYA, JOHOR');
  });

  it('reads a dollar sign OCR put for the S of the legal suffix ("$B", "$/B") as S', async () => {
    const doc = receipt(['TQ FOR SHOPPING', 'UNIT 2, GROUND FLOOR, 12 RIVER ROAD', 'PAPER STAND RETAIL $B{123456-X} FKA KIOSK STORES SB', 'TAX REG ID 000709361664', 'TOTAL | 7.70']);
    expect((await read(doc)).company).toBe('PAPER STAND RETAIL SB');
    expect((await read(receipt(['ACME TRADING $/B', 'NO 5 JALAN MERANTI', '47301 PETALING JAYA']))).company).toBe('ACME TRADING S/B');
  });

  it('takes the address printed above the name when none follows it, with the building named over the street line', async () => {
    const doc = receipt([
      'TQ FOR SHOPPING WITH US', 'RIVERSIDE MALL', 'UNIT 2, GROUND FLOOR, 12 RIVER ROAD', 'SPRINGFIELD 62704', 'CARELINE: 1800 88 1231',
      'NEWS KIOSK LTD (123456-X)', 'TAX ID 000709361664', 'TOTAL | 7.70',
    ]);
    expect(await read(doc)).toEqual({ company: 'NEWS KIOSK LTD', address: 'RIVERSIDE MALL UNIT 2, GROUND FLOOR, 12 RIVER ROAD SPRINGFIELD 62704' });
  });
});
