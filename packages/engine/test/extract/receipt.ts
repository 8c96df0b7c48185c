import type { DocBlock, ParsedDocument } from '../../src/model.ts';

/**
 * A receipt as OCR reads it: one Text block per printed piece, on rows top to bottom.
 * A row is written "LABEL | VALUE": the label at the left, the value right-aligned on the
 * same row (a row without "|" is one centred or left piece; more "|" spread the pieces across). `gap` before a row (in rows)
 * leaves white space, as between a handwritten name and the printed letterhead.
 */
export interface ReceiptRow {
  text: string;
  gap?: number;
  /** Text height in rows (a logo line is taller). */
  size?: number;
}

const ROW = 0.025;

export function receipt(rows: Array<string | ReceiptRow>): ParsedDocument {
  const blocks: DocBlock[] = [];
  let top = 0.04;
  for (const r of rows) {
    const row = typeof r === 'string' ? { text: r } : r;
    top += (row.gap ?? 0) * ROW;
    const height = ROW * 0.8 * (row.size ?? 1);
    const parts = row.text.split('|').map((s) => s.trim());
    const [left, right] = parts;
    const piece = (text: string, x: number): void => {
      const width = Math.min(0.9 - x, 0.018 * text.length * (row.size ?? 1));
      blocks.push({ type: 'Text', text, confidence: 1, box: { left: x, top, width, height, page: 1, original_page: 1 } });
    };
    if (parts.length > 2) {
      // A widely spaced row OCR read as several pieces, spread across the width.
      parts.forEach((p, k) => { if (p) piece(p, 0.08 + (0.84 * k) / parts.length); });
    } else if (right !== undefined) {
      if (left) piece(left, 0.08);
      if (right) piece(right, 0.92 - 0.018 * right.length);
    } else {
      piece(left, Math.max(0.05, 0.5 - (0.009 * left.length * (row.size ?? 1))));
    }
    top += height + ROW * 0.2;
  }
  return { pages: [{ page: 1, originalPage: 1, width: 400, height: 1000 }], blocks, totalPages: 1 };
}
