import { describe, expect, it } from 'vitest';
import { finalizeLayout, layoutPage } from '../src/layout/index.ts';
import type { PageContent, TextRun } from '../src/model.ts';

/**
 * Layout of recognised pages set like a till receipt: narrow, single-spaced lines whose boxes
 * touch, labels on the left and amounts on the right, groups parted by blank lines. The words
 * are generated (OCR word boxes: a line's box is as tall as its line pitch).
 */

const LINE = 20;
const CHAR = 10;

/** Recognised words at x positions on the line at `top`: each `[text, x0]` one word or several. */
function line(top: number, ...pieces: Array<[string, number]>): TextRun[] {
  const runs: TextRun[] = [];
  for (const [text, x] of pieces) {
    let x0 = x;
    for (const word of text.split(' ')) {
      runs.push({ text: word, rect: { x0, y0: top, x1: x0 + word.length * CHAR, y1: top + LINE }, fontSize: LINE, word: true, confidence: 0.9 });
      x0 += (word.length + 1) * CHAR;
    }
  }
  return runs;
}

const page = (runs: TextRun[]): PageContent => ({ pageNumber: 1, width: 1000, height: 1200, runs, rulings: [], images: [], source: 'ocr' });

const text = (runs: TextRun[]) => finalizeLayout([layoutPage(page(runs), 1)]);

describe('receipts read from images', () => {
  it('keeps single-spaced item lines as rows of their own, not wrapped lines of one cell', () => {
    // Items and prices one to a line, pitch equal to the line height; blank lines between
    // groups. No line holds a figure with a bare decimal point ("RM4.90" starts with letters).
    const runs = [
      ...line(40, ['No', 40], ['MC 01', 160]),
      ...line(60, ['Date', 40], ['04-05-2018', 160]),
      ...line(80, ['Time', 40], ['16:07', 160]),
      ...line(100, ['REG', 40], ['C01', 160], ['456277', 460]),
      ...line(160, ['Bacon', 160], ['RM4.90 S', 440]),
      ...line(180, ['Walnut Raisin', 160], ['RM8.60 S', 440]),
      ...line(200, ['Dark Rye Bun', 160], ['RM6.90 S', 440]),
      ...line(260, ['TAX INVOICE NO', 160], ['223894', 460]),
      ...line(320, ['Paid', 40], ['CASH', 160], ['RM20.40', 440]),
    ];
    const blocks = text(runs);
    const content = blocks.map((b) => (b.table ? b.table.cells.map((c) => c.text).join(' ¦ ') : b.text)).join('\n');
    for (const item of ['Bacon', 'Walnut Raisin', 'Dark Rye Bun']) {
      // The item and its price read together, before the next item.
      expect(content).toMatch(new RegExp(`${item}[\\s¦]+RM\\d\\.\\d0 S`));
    }
  });

  it('reads labels and their amounts row by row, lines touching or not', () => {
    // Label … amount rows under a heading, the amounts far to the right; the line boxes touch
    // (pitch = box height), the amounts' boxes a pixel higher than their labels'.
    const runs = [
      ...line(60, ['THANK YOU FOR SHOPPING', 200]),
      ...line(100, ['TOTAL', 60]), ...line(99, ['28.30', 460]),
      ...line(120, ['CASH', 60]), ...line(119, ['50.00', 460]),
    ];
    const blocks = text(runs);
    const order = blocks.map((b) => (b.table ? b.table.cells.map((c) => c.text).join(' ') : b.text)).join(' ').split(/\s+/);
    expect(order).toEqual(['THANK', 'YOU', 'FOR', 'SHOPPING', 'TOTAL', '28.30', 'CASH', '50.00']);
  });

  it('still reads two columns of prose on a recognised page column by column', () => {
    const prose = (x: number, top: number) => line(top, ['the quick brown fox jumps over the lazy dog', x]);
    const runs = Array.from({ length: 8 }, (_, i) => [...prose(40, 100 + 20 * i), ...prose(520, 100 + 20 * i)]).flat()
      .map((r) => (r.rect.x0 >= 520 ? { ...r, text: r.text.toUpperCase() } : r));
    const order = text(runs).map((b) => b.text).join(' ').split(/\s+/);
    // Every left-column (lower-case) word comes before every right-column (upper-case) one.
    const firstUpper = order.findIndex((w) => w === w.toUpperCase());
    expect(order.slice(firstUpper).every((w) => w === w.toUpperCase())).toBe(true);
  });
});
