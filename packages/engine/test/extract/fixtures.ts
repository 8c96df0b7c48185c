import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * Test documents built in code (US Letter, 612×792 pt): an invoice with key-value pairs and a
 * ruled line-item table; a multi-document PDF (invoice, contract, bank statements); and one
 * document for each of three classification categories.
 */

interface Fonts { regular: PDFFont; bold: PDFFont }

async function newDoc(): Promise<{ pdf: PDFDocument; fonts: Fonts }> {
  const pdf = await PDFDocument.create();
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  return { pdf, fonts };
}

/** Draw text with its top at `top` points from the top of the page. */
function text(page: PDFPage, s: string, x: number, top: number, font: PDFFont, size = 11): void {
  page.drawText(s, { x, y: 792 - top - size, size, font, color: rgb(0, 0, 0) });
}

function paragraph(page: PDFPage, lines: string[], top: number, fonts: Fonts): number {
  for (const l of lines) {
    text(page, l, 72, top, fonts.regular, 11);
    top += 16;
  }
  return top;
}

/** A ruled table: every cell boxed, header row bold. Returns the y below the table. */
function table(page: PDFPage, rows: string[][], widths: number[], top: number, fonts: Fonts): number {
  const rowH = 22;
  const x0 = 72;
  const total = widths.reduce((a, b) => a + b, 0);
  rows.forEach((row, r) => {
    let x = x0;
    row.forEach((cell, c) => {
      const font = r === 0 ? fonts.bold : fonts.regular;
      const w = font.widthOfTextAtSize(cell, 10);
      const right = c > 0 && r > 0;
      text(page, cell, right ? x + widths[c] - 6 - w : x + 6, top + r * rowH + 6, font, 10);
      x += widths[c];
    });
  });
  const line = (x1: number, y1: number, x2: number, y2: number) => page.drawLine({ start: { x: x1, y: 792 - y1 }, end: { x: x2, y: 792 - y2 }, thickness: 0.8, color: rgb(0, 0, 0) });
  for (let r = 0; r <= rows.length; r++) line(x0, top + r * rowH, x0 + total, top + r * rowH);
  let x = x0;
  for (let c = 0; c <= widths.length; c++) {
    line(x, top, x, top + rows.length * rowH);
    x += widths[c] ?? 0;
  }
  return top + rows.length * rowH + 20;
}

export const INVOICE = {
  vendor: 'Acme Supplies Ltd',
  number: 'INV-2024-001',
  date: '2024-03-05',
  due: '2024-04-04',
  customer: 'Globex Corporation',
  subtotal: 1500,
  tax: 75,
  total: 1575,
  items: [
    { description: 'Steel widgets', quantity: 10, unit_price: 50, amount: 500 },
    { description: 'Copper gadgets', quantity: 4, unit_price: 125, amount: 500 },
    { description: 'Installation service', quantity: 2, unit_price: 250, amount: 500 },
  ],
};

function drawInvoice(page: PDFPage, fonts: Fonts): void {
  text(page, INVOICE.vendor, 72, 60, fonts.bold, 20);
  paragraph(page, ['12 Industrial Way, Springfield, IL 62704'], 88, fonts);
  text(page, 'INVOICE', 420, 60, fonts.bold, 20);
  paragraph(page, [
    `Invoice Number: ${INVOICE.number}`,
    'Invoice Date: March 5, 2024',
    'Due Date: 04/04/2024',
    `Bill To: ${INVOICE.customer}`,
    '             742 Evergreen Terrace, Springfield, IL 62701',
    'Payment Terms: Net 30',
  ], 130, fonts);
  const fmt = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  const rows = [['Description', 'Qty', 'Unit Price', 'Amount'], ...INVOICE.items.map((i) => [i.description, String(i.quantity), fmt(i.unit_price), fmt(i.amount)])];
  const y = table(page, rows, [220, 60, 100, 100], 230, fonts);
  paragraph(page, [`Subtotal: ${fmt(INVOICE.subtotal)}`, `Tax (5%): ${fmt(INVOICE.tax)}`, `Total Due: ${fmt(INVOICE.total)}`], y, fonts);
  paragraph(page, ['Thank you for your business.'], y + 70, fonts);
}

export async function invoicePdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newDoc();
  drawInvoice(pdf.addPage([612, 792]), fonts);
  return pdf.save();
}

/** Page 1 invoice; 2–3 a services contract; 4–5 bank statement of account 111-222; 6 of account 333-444. */
export async function multiDocumentPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newDoc();
  drawInvoice(pdf.addPage([612, 792]), fonts);

  let page = pdf.addPage([612, 792]);
  text(page, 'Master Services Agreement', 72, 60, fonts.bold, 18);
  paragraph(page, [
    'This Master Services Agreement (the "Agreement") is entered into by and between',
    'Acme Supplies Ltd ("Provider") and Globex Corporation ("Client").',
    '1. Services. Provider shall perform the services described in each statement of work.',
    '2. Term. This Agreement commences on the effective date and continues for two years.',
    '3. Termination. Either party may terminate this Agreement with thirty days notice.',
  ], 100, fonts);
  page = pdf.addPage([612, 792]);
  paragraph(page, [
    '4. Confidentiality. Each party shall keep the other party\'s information confidential.',
    '5. Governing Law. This Agreement is governed by the laws of the State of Illinois.',
    '6. Indemnification. Provider shall indemnify Client against third party claims.',
    'IN WITNESS WHEREOF, the parties have executed this Agreement.',
    'Signature: ____________________     Signature: ____________________',
  ], 72, fonts);

  const statement = (account: string, period: string, rows: string[][], continued: boolean) => {
    const p = pdf.addPage([612, 792]);
    text(p, continued ? 'Bank Statement (continued)' : 'First National Bank - Account Statement', 72, 60, fonts.bold, 16);
    paragraph(p, [`Account Number: ${account}`, `Statement Period: ${period}`], 92, fonts);
    table(p, [['Date', 'Transaction', 'Withdrawal', 'Deposit', 'Balance'], ...rows], [70, 170, 80, 80, 80], 140, fonts);
  };
  statement('111-222', '01/01/2024 - 01/31/2024', [['01/02', 'Opening balance', '', '', '$2,000.00'], ['01/05', 'ATM withdrawal', '$100.00', '', '$1,900.00']], false);
  statement('111-222', '01/01/2024 - 01/31/2024', [['01/20', 'Salary deposit', '', '$3,000.00', '$4,900.00'], ['01/31', 'Closing balance', '', '', '$4,900.00']], true);
  statement('333-444', '01/01/2024 - 01/31/2024', [['01/03', 'Opening balance', '', '', '$500.00'], ['01/15', 'Card payment', '$45.00', '', '$455.00']], false);
  return pdf.save();
}

export const SPLIT_CATEGORIES = [
  { name: 'Invoice', description: 'An invoice or bill listing items, quantities, prices, tax and the total amount due.' },
  { name: 'Contract', description: 'A legal agreement between parties with terms, termination, confidentiality, governing law and signatures.' },
  { name: 'Bank Statement', description: 'A bank account statement with account number, statement period, transactions, deposits, withdrawals and balances.', partition_key: 'account number' },
];

/** One short document per classification category. */
export async function classificationPdfs(): Promise<Record<'invoice' | 'resume' | 'lease', Uint8Array>> {
  const one = async (title: string, lines: string[]) => {
    const { pdf, fonts } = await newDoc();
    const page = pdf.addPage([612, 792]);
    text(page, title, 72, 60, fonts.bold, 18);
    paragraph(page, lines, 100, fonts);
    return pdf.save();
  };
  return {
    invoice: await invoicePdf(),
    resume: await one('Jane Doe - Curriculum Vitae', [
      'Professional Experience',
      'Senior Software Engineer, Initech (2019 - present): led a team of five engineers.',
      'Education: B.Sc. Computer Science, State University, 2015.',
      'Skills: TypeScript, distributed systems, PostgreSQL.',
      'References available upon request.',
    ]),
    lease: await one('Residential Lease Agreement', [
      'This lease is made between Landlord John Smith and Tenant Mary Jones.',
      'Premises: 45 Oak Street, Apartment 3, Springfield.',
      'Monthly rent: $1,200.00 payable on the first day of each month.',
      'Security deposit: $1,200.00. Lease term: twelve months.',
      'The tenant shall not sublet the premises without the landlord\'s written consent.',
    ]),
  };
}

export const CLASSIFICATION_SCHEMA = [
  { category: 'invoice', criteria: ['lists line items with quantities and prices', 'states a total amount due', 'has an invoice number'] },
  { category: 'resume', criteria: ['describes professional work experience', 'lists education and skills'] },
  { category: 'lease', criteria: ['names a landlord and a tenant', 'states the monthly rent and security deposit', 'describes the leased premises'] },
];

/** A one-page application form: labelled text fields, a checkbox and a dropdown. */
export async function formPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const form = pdf.getForm();
  page.drawText('Membership Application', { x: 72, y: 720, size: 18, font });
  const rows: Array<[string, string]> = [['Full Name:', 'f1'], ['Date of Birth:', 'f2'], ['Email Address:', 'f3']];
  rows.forEach(([label, name], i) => {
    const y = 660 - i * 40;
    page.drawText(label, { x: 72, y: y + 4, size: 11, font });
    form.createTextField(name).addToPage(page, { x: 200, y, width: 250, height: 20 });
  });
  page.drawText('Subscribe to newsletter:', { x: 72, y: 544, size: 11, font });
  form.createCheckBox('c1').addToPage(page, { x: 220, y: 540, width: 14, height: 14 });
  page.drawText('Plan:', { x: 72, y: 504, size: 11, font });
  const plan = form.createDropdown('plan');
  plan.addOptions(['Basic', 'Premium', 'Enterprise']);
  plan.addToPage(page, { x: 200, y: 500, width: 150, height: 20 });
  return pdf.save();
}


/** A purchase order whose item list is laid out in aligned columns with no ruling lines. */
export async function unruledOrderPdf(): Promise<Uint8Array> {
  const { pdf, fonts } = await newDoc();
  const page = pdf.addPage([612, 792]);
  text(page, 'Purchase Order PO-7731', 72, 60, fonts.bold, 18);
  paragraph(page, ['Order Date: 2024-06-12', 'Supplier: Initech Components'], 100, fonts);
  const cols = [72, 300, 380, 470];
  const rows = [['Item', 'Qty', 'Price', 'Total'], ['Hex bolts M8', '200', '0.15', '30.00'], ['Washers 8mm', '500', '0.02', '10.00'], ['Lock nuts M8', '200', '0.10', '20.00']];
  rows.forEach((r, i) => r.forEach((cell, c) => text(page, cell, cols[c], 160 + i * 18, i === 0 ? fonts.bold : fonts.regular, 10)));
  paragraph(page, ['Order Total: 60.00'], 250, fonts);
  return pdf.save();
}
