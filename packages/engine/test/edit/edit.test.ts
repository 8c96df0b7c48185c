import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { formPdf } from '../extract/fixtures.ts';
import { editPdf } from '../../src/edit/index.ts';
import { readDocument } from '../../src/parse.ts';

describe('edit: filling a PDF form', () => {
  it('detects the fields by their labels and fills them from the instructions', async () => {
    const out = await editPdf(await formPdf(), {
      edit_instructions: 'Full name: Jane Doe\nDate of birth: 1990-02-01; email: jane@example.test\nCheck subscribe to newsletter. Set plan to premium',
    });
    expect(out.numPages).toBe(1);
    const descriptions = out.formSchema.map((w) => w.description);
    expect(descriptions).toEqual(['Full Name (f1)', 'Date of Birth (f2)', 'Email Address (f3)', 'Subscribe to newsletter (c1)', 'Plan']);
    expect(out.formSchema.map((w) => w.value)).toEqual(['Jane Doe', '1990-02-01', 'jane@example.test', 'yes', 'premium']);
    expect(out.formSchema[0].bbox).toMatchObject({ page: 1 });
    expect(out.formSchema[0].bbox.left).toBeCloseTo(200 / 612, 2);

    const filled = (await PDFDocument.load(out.bytes)).getForm();
    expect(filled.getTextField('f1').getText()).toBe('Jane Doe');
    expect(filled.getTextField('f3').getText()).toBe('jane@example.test');
    expect(filled.getCheckBox('c1').isChecked()).toBe(true);
    expect(filled.getDropdown('plan').getSelected()).toEqual(['Premium']);
  });

  it('uses form_schema values verbatim, draws into boxes without a field, and flattens', async () => {
    const first = await editPdf(await formPdf(), { edit_instructions: '' });
    const schema = first.formSchema.map((w) => ({ ...w, value: w.description.startsWith('Full') ? 'John Roe' : null }));
    schema.push({ bbox: { left: 0.12, top: 0.5, width: 0.5, height: 0.03, page: 1, original_page: 1 }, description: 'Signature', type: 'text', fill: true, value: 'Signed Jon Roe' });
    const out = await editPdf(await formPdf(), { edit_instructions: '', form_schema: schema, edit_options: { flatten: true, color: '#0000FF' } });
    expect((await PDFDocument.load(out.bytes)).getForm().getFields()).toHaveLength(0);
    const doc = await readDocument(out.bytes, {}, { filename: 'filled.pdf' });
    const text = doc.blocks.map((b) => b.text).join('\n');
    expect(text).toContain('John Roe');
    expect(text).toContain('Signed Jon Roe');
  });

  it('refuses documents it cannot fill with a clear error', async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    await expect(editPdf(await plain.save(), { edit_instructions: 'Name: x' })).rejects.toMatchObject({ code: 'FORM_FILL_FAILED' });
    await expect(editPdf(new TextEncoder().encode('hello world, not a pdf'), { edit_instructions: 'x' })).rejects.toMatchObject({ code: 'DOCUMENT_UNSUPPORTED' });
  });
});
