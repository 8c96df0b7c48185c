import type { Rect } from '../model.ts';

/**
 * Recognised pages set as rows of fields (a till receipt, a form, a price list): a label on
 * the left and its value on the right of one row, with white between them that runs down the
 * page like a column gutter. Read column by column, every label would come before every value;
 * such a page reads row by row. OCR boxes also span a line's full height (ascenders to
 * descenders), so single-spaced lines touch or overlap a little, with no white between them.
 */

interface Unit { rect: Rect }

/**
 * Two boxes on one row: the middle of each lies within the other's height. A box that OCR made
 * tall (a line with a speck or an underline) then takes no line it merely touches above or below.
 */
export function sameRow(a: Rect, b: Rect): boolean {
  return centredIn(a, b) && centredIn(b, a);
}

/** The middle of x's height lies within y's. */
export function centredIn(x: Rect, y: Rect): boolean {
  const middle = (x.y0 + x.y1) / 2;
  return middle >= y.y0 && middle <= y.y1;
}

/**
 * Fields of a row are short beside the row: a label, an amount. Two sides each this wide a
 * share of the region are columns (of prose, of a paper), however well their lines line up.
 */
const MAX_FIELD_SHARE = 0.35;

const extent = (side: Unit[]) => Math.max(...side.map((u) => u.rect.x1)) - Math.min(...side.map((u) => u.rect.x0));

/**
 * The two sides of a vertical gap are fields of rows, not columns: most pieces on the side with
 * fewer of them share a row with a piece on the other side, and one side is narrow (columns of
 * a page line up too when set at one leading, but each is wide).
 */
export function fieldsOnRows(left: Unit[], right: Unit[]): boolean {
  const [few, many] = left.length <= right.length ? [left, right] : [right, left];
  if (few.length === 0) return false;
  const paired = few.filter((u) => many.some((o) => sameRow(u.rect, o.rect))).length;
  if (paired < 0.5 * few.length) return false;
  const regionWidth = extent([...left, ...right]);
  return Math.min(extent(left), extent(right)) < MAX_FIELD_SHARE * regionWidth;
}

/**
 * Units grouped into rows, top to bottom: a unit joins the row of a unit it shares a row
 * with (sameRow), so lines whose boxes touch or overlap a little stay rows of their own.
 */
export function lineRows<U extends Unit>(units: U[]): U[][] {
  const sorted = [...units].sort((a, b) => a.rect.y0 + a.rect.y1 - b.rect.y0 - b.rect.y1);
  const rows: U[][] = [];
  for (const u of sorted) {
    // Only the last few rows can hold it: rows are taken in order of their middles.
    const row = rows.slice(-3).reverse().find((r) => r.some((o) => sameRow(o.rect, u.rect)));
    if (row) row.push(u);
    else rows.push([u]);
  }
  return rows;
}
