import { describe, expect, it } from 'vitest';
import { isEdgeSpeck, isFlatSpeck } from '../src/ocr/specks.ts';

const word = (text: string, x0: number, y0: number, x1: number, y1: number, confidence: number) => ({ text, rect: { x0, y0, x1, y1 }, confidence });
const image = { width: 1000, height: 2000 };

describe('specks read as words', () => {
  it('drops the scan border on the edge of the image, keeps confident print there', () => {
    expect(isEdgeSpeck(word('|', 0, 500, 2, 540, 0.9), image)).toBe(true);
    expect(isEdgeSpeck(word('te', 850, 0, 890, 30, 0.4), image)).toBe(true);
    expect(isEdgeSpeck(word('PLEASE', 250, 1960, 390, 2000, 0.91), image)).toBe(false);
    // Away from the edge, even a doubtful mark is left to the other checks.
    expect(isEdgeSpeck(word('|', 100, 500, 104, 540, 0.3), image)).toBe(false);
  });

  it('drops letters far flatter than the page\'s words (a dashed rule), keeps small print and punctuation', () => {
    expect(isFlatSpeck(word('eae', 300, 540, 500, 542, 0.2), 30)).toBe(true);
    expect(isFlatSpeck(word('ace', 300, 540, 340, 555, 0.9), 30)).toBe(false);
    expect(isFlatSpeck(word('—', 300, 540, 340, 542, 0.9), 30)).toBe(false);
  });
});
