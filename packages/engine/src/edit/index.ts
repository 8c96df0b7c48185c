import { EncryptedPDFError, PDFCheckBox, PDFDocument, PDFDropdown, PDFOptionList, PDFRadioGroup, PDFTextField, StandardFonts, rgb } from 'pdf-lib';
import { EngineError, throwIfAborted } from '../errors.ts';
import { detectFormat } from '../format.ts';
import { damaged } from '../read-failure.ts';
import { readDocument } from '../parse.ts';
import { parseBoolean } from '../extract/coerce.ts';
import { DocumentIndex, type Line } from '../extract/evidence.ts';
import { fieldTerms, labelScore } from '../extract/field.ts';
import { stringSimilarity, words } from '../extract/terms.ts';
import { formSlots, overlap, type EditWidget, type FormSlot } from './form.ts';
import { readInstructions, type Instruction } from './instructions.ts';

export type { EditWidget } from './form.ts';

export interface EditOptions {
  color?: string;
  font_size?: number | null;
  flatten?: boolean;
  enable_overflow_pages?: boolean;
  llm_provider_preference?: string | null;
}

export interface EditRequest {
  edit_instructions: string;
  edit_options?: EditOptions;
  form_schema?: EditWidget[] | null;
}

export interface EditOutput {
  bytes: Uint8Array;
  formSchema: EditWidget[];
  numPages: number;
}

/**
 * Fill a PDF form. Widgets come from `form_schema` when given (values used verbatim), else
 * from the PDF's AcroForm fields, each described by its label on the page. Values not given
 * are read from the instructions ("Name: Jane Doe", "check Subscribe", "set Date to …") and
 * matched to widget descriptions. AcroForm fields are filled; a form_schema box with no
 * field behind it gets the text drawn in `color`.
 */
export async function editPdf(bytes: Uint8Array, request: EditRequest, signal?: AbortSignal): Promise<EditOutput> {
  if ((await detectFormat(bytes)) !== 'pdf') throw new EngineError('DOCUMENT_UNSUPPORTED', 'Edit fills PDF forms; this document is not a PDF');
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes);
  } catch (err) {
    if (err instanceof EncryptedPDFError) throw new EngineError('DOCUMENT_PASSWORD_PROTECTED', 'The PDF file is encrypted');
    throw damaged('pdf', 'its structure is invalid');
  }
  throwIfAborted(signal);
  const slots = formSlots(pdf);
  const options = request.edit_options ?? {};
  let widgets: Array<{ widget: EditWidget; slot: FormSlot | undefined }>;
  if (request.form_schema?.length) {
    widgets = request.form_schema.map((w) => ({ widget: { ...w }, slot: bestSlot(slots, w) }));
  } else {
    if (slots.length === 0) throw new EngineError('FORM_FILL_FAILED', 'The PDF has no fillable form fields; pass form_schema with the boxes to fill');
    const lines = new DocumentIndex(await readDocument(bytes, {}, { signal })).lines;
    widgets = slots.map((slot) => ({ slot, widget: { bbox: slot.bbox, description: describe(slot, lines), type: slot.type, fill: true, value: null } }));
  }

  const instructions = readInstructions(request.edit_instructions ?? '');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const color = hexColor(options.color ?? '#FF0000');
  for (const { widget, slot } of widgets) {
    if (widget.fill === false) continue;
    const value = widget.value ?? valueFor(widget, slot, instructions);
    if (value === null || value === undefined) continue;
    widget.value = value;
    const size = widget.font_size ?? options.font_size ?? undefined;
    if (slot) fillField(slot, value, size);
    else drawValue(pdf, widget, value, font, color, size);
  }
  if (options.flatten) pdf.getForm().flatten();
  const out = await pdf.save();
  return { bytes: out, formSchema: widgets.map((w) => w.widget), numPages: pdf.getPageCount() };
}

function bestSlot(slots: FormSlot[], w: EditWidget): FormSlot | undefined {
  let best: FormSlot | undefined;
  let score = 0.5;
  for (const s of slots) {
    const o = overlap(s.bbox, w.bbox);
    if (o > score) { score = o; best = s; }
  }
  return best;
}

/** The label printed left of (or just above) a widget, else its field name in words. */
function describe(slot: FormSlot, lines: Line[]): string {
  const b = slot.bbox;
  const cy = b.top + b.height / 2;
  const left = lines
    .filter((l) => l.box.page === b.page && l.box.left + l.box.width <= b.left + 0.01 && Math.abs(l.box.top + l.box.height / 2 - cy) < Math.max(b.height, l.box.height) * 0.75)
    .sort((x, y) => (y.box.left + y.box.width) - (x.box.left + x.box.width))[0];
  const above = lines
    .filter((l) => l.box.page === b.page && l.box.top + l.box.height <= b.top + 0.005 && b.top - (l.box.top + l.box.height) < 0.03 && l.box.left < b.left + b.width && l.box.left + l.box.width > b.left)
    .sort((x, y) => y.box.top - x.box.top)[0];
  const label = (left ?? above)?.text.replace(/[:：_\s]+$/, '').trim();
  const name = slot.field.getName().split('.').pop() ?? '';
  const pretty = words(name).join(' ');
  if (label && label.length <= 80) return label.toLowerCase() === pretty ? label : `${label} (${name})`;
  return pretty || name;
}

function valueFor(widget: EditWidget, slot: FormSlot | undefined, instructions: Instruction[]): string | null {
  const terms = fieldTerms(widget.description.replace(/\(([^)]*)\)$/, ''), {});
  const byName = slot ? fieldTerms(slot.field.getName().split('.').pop() ?? '', {}) : null;
  let best: Instruction | undefined;
  let score = 0.5;
  for (const ins of instructions) {
    const s = Math.max(labelScore(terms, ins.label), byName ? labelScore(byName, ins.label) : 0);
    if (s > score) { score = s; best = ins; }
  }
  return best?.value ?? null;
}

function fillField(slot: FormSlot, value: string, size: number | undefined): void {
  const f = slot.field;
  try {
    if (f instanceof PDFTextField) {
      const max = f.getMaxLength();
      f.setText(max !== undefined ? value.slice(0, max) : value);
      if (size) f.setFontSize(size);
    } else if (f instanceof PDFCheckBox) {
      if (parseBoolean(value) ?? false) f.check(); else f.uncheck();
    } else if (f instanceof PDFRadioGroup || f instanceof PDFDropdown || f instanceof PDFOptionList) {
      const choice = closest(slot.options, value);
      if (choice) f.select(choice);
      else if (f instanceof PDFDropdown && f.isEditable()) f.select(value);
    }
  } catch (err) {
    throw new EngineError('FORM_FILL_FAILED', `Could not fill "${f.getName()}": ${(err as Error).message}`);
  }
}

function closest(options: string[], value: string): string | undefined {
  let best: string | undefined;
  let score = 0.6;
  for (const o of options) {
    const s = o.toLowerCase() === value.toLowerCase() ? 1 : stringSimilarity(o, value);
    if (s > score) { score = s; best = o; }
  }
  return best;
}

function drawValue(pdf: PDFDocument, w: EditWidget, value: string, font: Awaited<ReturnType<PDFDocument['embedFont']>>, color: ReturnType<typeof rgb>, size: number | undefined): void {
  const page = pdf.getPages()[w.bbox.page - 1];
  if (!page) throw new EngineError('FORM_FILL_FAILED', `form_schema names page ${w.bbox.page}, which the document does not have`);
  const { width, height } = page.getSize();
  const boxH = w.bbox.height * height;
  const text = w.type === 'checkbox' || w.type === 'radio' ? (parseBoolean(value) ? 'X' : '') : value;
  if (!text) return;
  const fontSize = size ?? Math.max(6, Math.min(12, boxH * 0.7));
  page.drawText(text, { x: w.bbox.left * width + 2, y: height - (w.bbox.top + w.bbox.height) * height + (boxH - fontSize) / 2 + 1, size: fontSize, font, color, maxWidth: w.bbox.width * width - 4 });
}

function hexColor(hex: string): ReturnType<typeof rgb> {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) throw new EngineError('INVALID_CONFIG', `edit_options.color must be #RRGGBB, got ${hex}`);
  return rgb(parseInt(m[1], 16) / 255, parseInt(m[2], 16) / 255, parseInt(m[3], 16) / 255);
}
