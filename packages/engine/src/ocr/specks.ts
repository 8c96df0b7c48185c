/**
 * Marks on a scan that OCR reads as words but that are no print: the scan's dark border and
 * dotted or dashed rules. Tesseract returns them with low confidence, often with letters.
 */

interface Word { text: string; rect: { x0: number; y0: number; x1: number; y1: number }; confidence: number }

/** Within this share of a side from the image's border, a word is on the edge of the scan. */
const EDGE_SHARE = 0.01;
/** Below this confidence, a word on the edge is the scan's own border, not print. */
const EDGE_CONFIDENCE = 0.5;

/**
 * The dark edge of a scan, paper torn off or a shadow along the border, read as a "word": on
 * the image's edge and a mark with no letter or digit, or hardly believed. Print runs to the
 * very edge only where the picture was cropped through the text, and then reads confidently.
 */
export function isEdgeSpeck(w: Word, image: { width: number; height: number }): boolean {
  const mx = EDGE_SHARE * image.width, my = EDGE_SHARE * image.height;
  const onEdge = w.rect.x0 <= mx || w.rect.y0 <= my || w.rect.x1 >= image.width - mx || w.rect.y1 >= image.height - my;
  return onEdge && (!/[\p{L}\p{N}]/u.test(w.text) || w.confidence < EDGE_CONFIDENCE);
}

/** A letter or digit is about half as tall as a typical word box or more (its x-height): under a quarter, none is. */
const MIN_LETTER_HEIGHT = 0.25;

/**
 * A dotted or dashed rule read as letters: a "word" with letters or digits far flatter than
 * any letter of the page's print could be.
 */
export function isFlatSpeck(w: Word, wordHeight: number): boolean {
  return w.rect.y1 - w.rect.y0 < MIN_LETTER_HEIGHT * wordHeight && /[\p{L}\p{N}]/u.test(w.text);
}
