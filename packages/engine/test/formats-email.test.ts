import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parse, readDocument } from '../src/index.ts';
import { buildDocx, HEADING_STYLES, p } from './formats-fixtures.ts';

function eml(parts: Array<{ type: string; filename?: string; body: string | Uint8Array }>): Uint8Array {
  const lines = [
    'From: Alice Example <alice@example.com>', 'To: Bob <bob@example.com>', 'Cc: Carol <carol@example.com>',
    'Subject: Quarterly numbers', 'Date: Tue, 01 Apr 2025 10:00:00 +0000', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"', '',
  ];
  for (const part of parts) {
    lines.push('--b1', `Content-Type: ${part.type}`);
    if (part.filename) {
      lines.push(`Content-Disposition: attachment; filename="${part.filename}"`, 'Content-Transfer-Encoding: base64', '');
      lines.push(...Buffer.from(part.body).toString('base64').match(/.{1,76}/g)!);
    } else lines.push('', String(part.body));
  }
  lines.push('--b1--', '');
  return new TextEncoder().encode(lines.join('\r\n'));
}

describe('E-mail reader (EML)', () => {
  it('reads headers as Key Value blocks, the body, then attachments as further pages', async () => {
    const docx = await buildDocx({ styles: HEADING_STYLES, body: p('Summary', { style: 'Heading1' }) + p('Revenue grew.') });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Q1').addRows([['region', 'sales'], ['north', 10]]);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    const bytes = eml([
      { type: 'text/html; charset=utf-8', body: '<p>Hi Bob,</p><p>the numbers are attached.</p>' },
      { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', filename: 'summary.docx', body: docx },
      { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: 'sales.xlsx', body: xlsx },
      { type: 'application/octet-stream', filename: 'blob.bin', body: new Uint8Array([0, 1, 2, 3, 0, 0, 7, 8]) },
    ]);
    const doc = await readDocument(bytes, {}, { filename: 'mail.eml' });
    const kv = doc.blocks.filter((b) => b.type === 'Key Value').map((b) => [b.key, b.value]);
    expect(kv.map(([k]) => k)).toEqual(['From', 'To', 'Cc', 'Date', 'Subject']);
    expect(kv[0][1]).toContain('alice@example.com');
    expect(kv[4][1]).toBe('Quarterly numbers');
    expect(doc.blocks.filter((b) => b.box.page === 1 && b.type === 'Text').map((b) => b.text)).toEqual(['Hi Bob,', 'the numbers are attached.']);

    // Page 2: the DOCX; page 3: the sheet; page 4: a note about the unreadable attachment.
    expect(doc.totalPages).toBe(4);
    const page = (n: number) => doc.blocks.filter((b) => b.box.page === n);
    expect(page(2).map((b) => [b.type, b.text, b.source])).toEqual([
      ['Section Header', 'Summary', 'summary.docx'],
      ['Text', 'Revenue grew.', 'summary.docx'],
    ]);
    expect(page(3).find((b) => b.type === 'Table')).toMatchObject({ source: 'sales.xlsx' });
    expect(page(4)[0].text).toMatch(/^Attachment blob\.bin was not parsed: /);
    expect(doc.pages.map((p) => p.name)).toEqual([undefined, 'summary.docx', 'Q1', 'blob.bin']);

    const out = await parse(bytes, {}, { filename: 'mail.eml' });
    expect(out.result.chunks.map((c) => c.content).join('\n')).toContain('Revenue grew.');
  });

  it('falls back to the plain-text body', async () => {
    const doc = await readDocument(eml([{ type: 'text/plain; charset=utf-8', body: 'Line one.\r\n\r\nLine two.' }]), {}, { filename: 'x.eml' });
    expect(doc.blocks.filter((b) => b.type === 'Text').map((b) => b.text)).toEqual(['Line one.', 'Line two.']);
  });
});
