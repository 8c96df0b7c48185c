import type { PageContent, Rect } from '../model.ts';

/** Most of a page's characters must run in one direction for the page to be read turned. */
const MIN_TURNED_SHARE = 0.6;

/**
 * A quarter or half turn of a page whose text runs up, down or upside down (a landscape table
 * set sideways on a portrait page, a scanner's rotated sheet): the layout reads the page turned
 * so its text runs left to right, and the boxes it finds are turned back.
 */
export interface PageTurn {
  /** The page as the layout reads it. */
  content: PageContent;
  /** A box found on the turned page, on the page as drawn. */
  back(r: Rect): Rect;
}

/** The turn that makes most of the page's text horizontal, or null when it already is. */
export function pageTurn(page: PageContent): PageTurn | null {
  const chars = new Map<number, number>();
  let total = 0;
  for (const r of page.runs) {
    const n = r.text.length;
    total += n;
    const rot = (((Math.round((r.rotation ?? 0) / 90) * 90) % 360) + 360) % 360;
    chars.set(rot, (chars.get(rot) ?? 0) + n);
  }
  const [dominant, count] = [...chars].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  if (dominant === 0 || count < MIN_TURNED_SHARE * total) return null;
  // The text direction (degrees, counter-clockwise) the turn makes horizontal.
  const rotation = dominant;
  const { width: W, height: H } = page;
  // Point maps in viewport space (y down). Text at 90° reads bottom to top: a clockwise
  // quarter turn lays it flat; at 270° it reads top to bottom: a counter-clockwise one.
  const forward = rotation === 90 ? (x: number, y: number) => [H - y, x]
    : rotation === 270 ? (x: number, y: number) => [y, W - x]
      : (x: number, y: number) => [W - x, H - y];
  const backward = rotation === 90 ? (x: number, y: number) => [y, H - x]
    : rotation === 270 ? (x: number, y: number) => [W - y, x]
      : (x: number, y: number) => [W - x, H - y];
  const map = (f: (x: number, y: number) => number[]) => (r: Rect): Rect => {
    const [ax, ay] = f(r.x0, r.y0);
    const [bx, by] = f(r.x1, r.y1);
    return { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) };
  };
  const turn = map(forward);
  const quarter = rotation !== 180;
  const content: PageContent = {
    ...page,
    width: quarter ? H : W,
    height: quarter ? W : H,
    runs: page.runs.map((r) => ({ ...r, rect: turn(r.rect), rotation: ((((r.rotation ?? 0) - rotation) % 360) + 360) % 360 })),
    rulings: page.rulings.map((l) => {
      const rect = turn(l);
      return { ...rect, orientation: quarter ? (l.orientation === 'h' ? 'v' : 'h') : l.orientation };
    }),
    images: page.images.map((img) => ({ ...img, rect: turn(img.rect) })),
  };
  return { content, back: map(backward) };
}
