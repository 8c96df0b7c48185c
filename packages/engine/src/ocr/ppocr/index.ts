import type { Rect } from '../../model.ts';
import type { GreyImage } from '../rulings.ts';
import type { OcrLineReading } from '../vote.ts';
import { detectText } from './detector.ts';
import { recognizeLines } from './recognizer.ts';
import { ppocrRuntime } from './runtime.ts';

export { missingPackages, ppocrAvailable, ppocrInstall, ppocrModels, ppocrRuntime } from './runtime.ts';

/**
 * One page read by PP-OCR: text lines detected, each recognised, and the pieces that lie on
 * one printed line (DB splits a line at wide gaps: "TOTAL      12.50") joined into one
 * reading line, as tesseract returns them, so both engines' lines can be voted one to one.
 */
export async function readPpocr(image: GreyImage): Promise<OcrLineReading[]> {
  const rt = await ppocrRuntime();
  const boxes = await detectText(rt, image);
  const lines = await recognizeLines(rt, image, boxes.map((b) => b.rect));
  return rows(lines.filter((l) => l.words.length > 0));
}

/** Pieces overlapping by this share of the lower one's height lie on the same printed line. */
const SAME_ROW = 0.5;

function rows(pieces: OcrLineReading[]): OcrLineReading[] {
  const sorted = [...pieces].sort((a, b) => centre(a.rect) - centre(b.rect));
  const out: OcrLineReading[] = [];
  for (const piece of sorted) {
    const row = out.find((r) => overlap(r.rect, piece.rect) >= SAME_ROW && !r.words.some((w) => crosses(w.rect, piece.rect)));
    if (row) {
      row.words.push(...piece.words);
      row.rect = union(row.rect, piece.rect);
    } else {
      out.push({ rect: piece.rect, words: [...piece.words] });
    }
  }
  for (const row of out) row.words.sort((a, b) => a.rect.x0 - b.rect.x0);
  return out.sort((a, b) => a.rect.y0 - b.rect.y0 || a.rect.x0 - b.rect.x0);
}

function centre(r: Rect): number {
  return (r.y0 + r.y1) / 2;
}

function overlap(a: Rect, b: Rect): number {
  const lower = Math.min(a.y1 - a.y0, b.y1 - b.y0);
  return lower > 0 ? (Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)) / lower : 0;
}

/** Horizontally overlapping boxes are different lines (stacked), not pieces of one. */
function crosses(a: Rect, b: Rect): boolean {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0;
}

function union(a: Rect, b: Rect): Rect {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
