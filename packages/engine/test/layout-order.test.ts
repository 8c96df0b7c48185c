import { describe, expect, it } from 'vitest';
import { readingOrder } from '../src/layout/order.ts';

const unit = (name: string, x0: number, y0: number, x1: number, y1: number) => ({ name, rect: { x0, y0, x1, y1 } });
const names = (units: Array<{ name: string }>) => units.map((u) => u.name);

describe('reading order of touching pieces', () => {
  it('reads the pieces of one line along it where a tall sign makes their tops differ', () => {
    // Words, a radical sign reaching a line up and down, and the radicand set a little higher:
    // no white divides them either way; by their tops the radicand would come first.
    const units = [
      unit('words', 42, 350, 160, 361),
      unit('radical', 162, 341, 170, 376),
      unit('radicand', 171, 347, 243, 358),
    ];
    expect(names(readingOrder(units, 9))).toEqual(['words', 'radical', 'radicand']);
  });

  it('reads two lines of a column top to bottom where a raised index makes them touch', () => {
    // An indented first line and the next line, whose exponent reaches into the first's box.
    const units = [unit('second', 309, 527, 563, 539), unit('first', 324, 518, 564, 528)];
    expect(names(readingOrder(units, 9))).toEqual(['first', 'second']);
  });

  it('reads a formula line\'s raised and lowered pieces left to right', () => {
    const units = [unit('base', 100, 200, 160, 210), unit('index', 161, 196, 170, 203), unit('rest', 172, 200, 240, 210)];
    expect(names(readingOrder(units, 9))).toEqual(['base', 'index', 'rest']);
  });

  it('reads the label that starts a full-width caption before the caption, not after the band below', () => {
    // Two columns, cut by a caption whose label "Figure 6:" is set apart by a wide space.
    const column = (side: string, x0: number, x1: number, top: number) => [0, 1, 2, 3].map((k) => unit(`${side}${top + k}`, x0, top + k * 12, x1, top + k * 12 + 10));
    const units = [
      ...column('left', 92, 290, 100), ...column('right', 320, 520, 100),
      unit('label', 92, 160, 133, 170), unit('caption', 146, 160, 520, 170),
      ...column('left', 92, 290, 200), ...column('right', 320, 520, 200),
    ];
    const order = names(readingOrder(units, 9));
    expect(order.indexOf('label')).toBe(order.indexOf('caption') - 1);
    expect(order.indexOf('label')).toBe(8);
  });
});
