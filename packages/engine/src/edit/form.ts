import { PDFCheckBox, PDFDocument, PDFDropdown, PDFOptionList, PDFRadioGroup, PDFTextField, type PDFField, type PDFPage } from 'pdf-lib';
import type { Box } from '../model.ts';

/** Reducto's EditWidget: a fillable region of the document and, once decided, its value. */
export interface EditWidget {
  bbox: Box;
  description: string;
  type: 'text' | 'checkbox' | 'radio' | 'dropdown' | 'barcode';
  fill?: boolean;
  value?: string | null;
  font_size?: number | null;
}

/** An AcroForm widget found in the PDF, with the field it belongs to. */
export interface FormSlot {
  field: PDFField;
  pageIndex: number;
  bbox: Box;
  type: EditWidget['type'];
  /** Choices of a dropdown or radio group. */
  options: string[];
}

function typeOf(field: PDFField): EditWidget['type'] | null {
  if (field instanceof PDFTextField) return 'text';
  if (field instanceof PDFCheckBox) return 'checkbox';
  if (field instanceof PDFRadioGroup) return 'radio';
  if (field instanceof PDFDropdown || field instanceof PDFOptionList) return 'dropdown';
  return null;
}

/** Every widget of every fillable field, with its box as a fraction of its page. */
export function formSlots(pdf: PDFDocument): FormSlot[] {
  const pages = pdf.getPages();
  const pageOf = (ref: unknown): number => pages.findIndex((p) => p.ref === ref);
  const slots: FormSlot[] = [];
  for (const field of pdf.getForm().getFields()) {
    const type = typeOf(field);
    if (!type) continue;
    const options = field instanceof PDFDropdown || field instanceof PDFOptionList || field instanceof PDFRadioGroup ? field.getOptions() : [];
    for (const widget of field.acroField.getWidgets()) {
      let pageIndex = pageOf(widget.P());
      if (pageIndex < 0) pageIndex = pages.findIndex((p) => annotsInclude(p, widget.dict));
      if (pageIndex < 0) pageIndex = 0;
      const page = pages[pageIndex];
      const { width, height } = page.getSize();
      const r = widget.getRectangle();
      const bbox: Box = {
        left: r.x / width, top: (height - r.y - r.height) / height, width: r.width / width, height: r.height / height,
        page: pageIndex + 1, original_page: pageIndex + 1,
      };
      slots.push({ field, pageIndex, bbox, type, options });
    }
  }
  return slots;
}

function annotsInclude(page: PDFPage, dict: unknown): boolean {
  const annots = page.node.Annots();
  if (!annots) return false;
  return annots.asArray().some((ref) => page.doc.context.lookup(ref) === dict);
}

/** Overlap of two boxes on the same page, as a share of the smaller one. */
export function overlap(a: Box, b: Box): number {
  if (a.page !== b.page) return 0;
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.max(1e-9, Math.min(a.width * a.height, b.width * b.height));
}
