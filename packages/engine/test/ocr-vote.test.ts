import { describe, expect, it } from 'vitest';
import type { OcrToken } from '../src/ocr/page.ts';
import { shaped, voteReadings, type OcrLineReading } from '../src/ocr/vote.ts';

/** A line of words laid left to right at row `y`, each `[text, confidence]`, 10 px per letter. */
function line(y: number, words: Array<[string, number]>, x = 0): OcrLineReading {
  const tokens: OcrToken[] = [];
  for (const [text, confidence] of words) {
    tokens.push({ text, confidence, rect: { x0: x, y0: y, x1: x + text.length * 10, y1: y + 20 } });
    x += text.length * 10 + 10;
  }
  return { rect: { x0: tokens[0].rect.x0, y0: y, x1: x - 10, y1: y + 20 }, words: tokens };
}

const textOf = (lines: OcrLineReading[]) => lines.map((l) => l.words.map((w) => w.text).join(' '));

describe('combining two readings', () => {
  it('keeps what both read, and takes each disputed word from the surer reading', () => {
    const a = [
      line(0, [['INDAH', 0.95], ['GIFT', 0.93], ['&', 0.9], ['HOME', 0.92], ['BECO', 0.41]]),
      line(40, [['JALAN', 0.9], ['DEDAP', 0.88], ['13', 0.9]]),
    ];
    const b = [
      line(1, [['INDAH', 0.9], ['GIFT', 0.9], ['&', 0.8], ['HOME', 0.9], ['DECO', 0.87]]),
      line(41, [['JALAN', 0.92], ['DEDAF', 0.52], ['13', 0.95]]),
    ];
    const voted = voteReadings(a, b);
    expect(textOf(voted)).toEqual(['INDAH GIFT & HOME DECO', 'JALAN DEDAP 13']);
    // Agreement makes a word surer than either reading alone.
    expect(voted[0].words[0].confidence).toBeGreaterThan(0.95);
  });

  it('prefers an amount or a date over a near-miss that is neither, at equal confidence', () => {
    const a = [line(0, [['TOTAL', 0.9], ['60.3O', 0.7]]), line(40, [['Date:', 0.9], ['12-01-2O19', 0.7]])];
    const b = [line(0, [['TOTAL', 0.9], ['60.30', 0.66]]), line(40, [['Date:', 0.9], ['12-01-2019', 0.66]])];
    expect(textOf(voteReadings(a, b))).toEqual(['TOTAL 60.30', 'Date: 12-01-2019']);
    expect(shaped('RM1,234.50')).toBe(true);
    expect(shaped('-0.01')).toBe(true);
    expect(shaped('25/09/2017')).toBe(true);
    expect(shaped('60.3O')).toBe(false);
    expect(shaped('40212008')).toBe(false);
  });

  it('aligns a word one reading split in two with the other\'s single word', () => {
    // "RM20. 40" against "RM20.40" over the same ink.
    const a = [line(0, [['CASH', 0.9], ['RM20.', 0.6], ['40', 0.6]])];
    const b = [line(0, [['CASH', 0.9], ['RM20.40', 0.62]])];
    expect(textOf(voteReadings(a, b))).toEqual(['CASH RM20.40']);
  });

  it('adds a line or word only the other reading found when it was sure of it, and drops unsure junk', () => {
    const a = [line(0, [['SUBTOTAL', 0.9], ['12.00', 0.9]])];
    const b = [
      line(0, [['SUBTOTAL', 0.9], ['12.00', 0.9], ['MYR', 0.85]]),
      line(40, [['Thank', 0.92], ['you', 0.9]]),
      line(80, [['~~;:', 0.2]]),
    ];
    expect(textOf(voteReadings(a, b))).toEqual(['SUBTOTAL 12.00 MYR', 'Thank you']);
  });

  it('keeps the first reading where the second has nothing there', () => {
    const a = [line(0, [['Receipt', 0.4]]), line(40, [['No.', 0.9], ['0042', 0.9]])];
    expect(textOf(voteReadings(a, []))).toEqual(['Receipt', 'No. 0042']);
  });

  it('weighs every line the other reading cut a row into, and keeps no row twice', () => {
    // One model reads the name and a stray mark as two lines of one row, the other the row
    // whole; the surer reading of the name must win, not only the first line matched.
    const a = [line(0, [['RESTAURANT', 0.95], ['SIN', 0.91], ['ti', 0.1]]), line(40, [['TEL', 0.9], ['0123', 0.9]])];
    const b = [
      line(0, [['iee', 0.3]], 165),
      line(3, [['RESTAURANT', 0.99], ['SIN', 1], ['DU', 0.88]]),
      line(41, [['TEL', 0.95], ['0123', 0.95]]),
    ];
    expect(textOf(voteReadings(a, b))).toEqual(['RESTAURANT SIN DU', 'TEL 0123']);
    // The other way round: the first reading split a row the second read whole.
    const split = [line(0, [['MOTOR', 0.6], ['SUNGAL', 0.5]]), line(1, [['CHINA', 0.4]], 60)];
    const whole = [line(0, [['MOTOR', 0.99], ['SUNGAI', 0.99]])];
    expect(textOf(voteReadings(split, whole))).toEqual(['MOTOR SUNGAI']);
  });

  it('gives a word taken from the second reading the height of the first reading\'s box over it', () => {
    // PP-OCR pads its boxes, tesseract fits the letters: a row mixing both would look set in
    // larger type than its neighbours.
    const a = [line(0, [['JALAN', 0.9], ['DEDAF', 0.3]])];
    const padded = line(0, [['JALAN', 0.95], ['DEDAP', 0.97]]);
    padded.words = padded.words.map((w) => ({ ...w, rect: { ...w.rect, y0: -4, y1: 26 } }));
    const voted = voteReadings(a, [padded]);
    expect(textOf(voted)).toEqual(['JALAN DEDAP']);
    for (const w of voted[0].words) expect([w.rect.y0, w.rect.y1]).toEqual([0, 20]);
    expect([voted[0].rect.y0, voted[0].rect.y1]).toEqual([0, 20]);
  });

  it('decides a disagreement met twice on the page once, on both prints\' evidence', () => {
    // The street and the district share a name: the first reading is a little surer of its
    // misreading on one print, much less sure on the other.
    const a = [line(0, [['JALAN', 0.9], ['HARMONT', 0.91]]), line(40, [['TAMAN', 0.9], ['HARMONT.', 0.37]])];
    const b = [line(0, [['JALAN', 0.95], ['HARMONI', 0.9]]), line(40, [['TAMAN', 0.95], ['HARMONI.', 0.97]])];
    expect(textOf(voteReadings(a, b))).toEqual(['JALAN HARMONI', 'TAMAN HARMONI.']);
    // Printed once, the surer reading of that print decides.
    expect(textOf(voteReadings(a.slice(0, 1), b.slice(0, 1)))).toEqual(['JALAN HARMONT']);
  });

  it('keeps the first reading\'s lines as cut where the second read a row of two columns as one line', () => {
    const a = [line(0, [['Abstract', 0.9]]), line(2, [['Figure', 0.9], ['1', 0.9]], 300)];
    const across = line(0, [['Abstract', 0.95]]);
    across.words.push({ text: 'Figure', confidence: 0.95, rect: { x0: 300, y0: 0, x1: 360, y1: 20 } }, { text: '1', confidence: 0.95, rect: { x0: 370, y0: 0, x1: 380, y1: 20 } });
    across.rect = { x0: 0, y0: 0, x1: 380, y1: 20 };
    const voted = voteReadings(a, [across]);
    expect(textOf(voted)).toEqual(['Abstract', 'Figure 1']);
    expect(voted[1].rect.x0).toBe(300);
  });

  it('does not chain lines of print into one row through a second-reading line that spans two', () => {
    // Tight leading: the second reading cut two rows as one tall line with padded boxes.
    const a = [line(0, [['alpha', 0.9], ['beta', 0.9]]), line(22, [['garnma', 0.3], ['delta', 0.9]])];
    const tall: OcrLineReading = {
      rect: { x0: 0, y0: -4, x1: 110, y1: 46 },
      words: [
        { text: 'alpha', confidence: 0.95, rect: { x0: 0, y0: -4, x1: 50, y1: 24 } },
        { text: 'beta', confidence: 0.95, rect: { x0: 60, y0: -4, x1: 100, y1: 24 } },
        { text: 'gamma', confidence: 0.95, rect: { x0: 0, y0: 18, x1: 60, y1: 46 } },
        { text: 'delta', confidence: 0.95, rect: { x0: 70, y0: 18, x1: 120, y1: 46 } },
      ],
    };
    expect(textOf(voteReadings(a, [tall]))).toEqual(['alpha beta', 'gamma delta']);
  });

  it('places a line on its row by most of its words, not by one misread word reaching into the next row', () => {
    // The first reading read "Telephone" as two doubtful words, one with a box down into the
    // next row; the second read both rows right.
    const phone = line(0, [['de', 0.42], ['tephone', 0.25], ['03-', 0.84], ['40212008', 0.95]]);
    phone.words[1].rect.y1 = 44;
    phone.rect.y1 = 44;
    const a = [phone, line(25, [['GST', 0.9], ['No:', 0.9], ['0010', 0.9]])];
    const b = [line(0, [['Telephone', 0.95]]), line(0, [['03-', 0.9], ['40212008', 0.95]], 150), line(24, [['CST', 0.6], ['No:', 0.9], ['0010', 0.9]])];
    expect(textOf(voteReadings(a, b))).toEqual(['Telephone 03- 40212008', 'GST No: 0010']);
  });
});
