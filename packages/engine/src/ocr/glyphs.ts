import type { GreyImage } from './rulings.ts';

/**
 * The size of the printed characters in a page image, measured before any recognition so
 * the page can be scaled once to the size tesseract reads best (instead of reading it,
 * finding the text small, and reading it again). Ink is found with Otsu's threshold, and
 * the connected blobs of ink that are shaped like characters are measured: their median
 * height (by area) is the height of a capital or lower-case letter, whichever the page has
 * more of.
 */

export interface GlyphStats {
  /** Median height of character-like blobs in pixels (0 when none were found). */
  height: number;
  /** How many character-like blobs were measured. */
  count: number;
  /**
   * Skew of the text lines in radians (positive: lines fall to the right, i.e. the page is
   * turned clockwise), from the direction of neighbouring letters of similar size; 0 when
   * too few pairs were found.
   */
  skew: number;
  /**
   * The box holding all ink but specks (blobs under half a letter's height): the part of the
   * page there is to read. Null when nothing was measured.
   */
  inkBox: { x0: number; y0: number; x1: number; y1: number } | null;
  /**
   * Share of letters whose nearest neighbour of like size sits above or below rather than
   * beside them: near 0 for upright or upside-down text, near 1 for a page turned sideways
   * (letters follow each other closer than lines do).
   */
  vertical: number;
}

export function measureGlyphs(image: GreyImage): GlyphStats {
  const { data, width, height } = image;
  const threshold = otsu(data);
  // Runs of ink per row, labelled with union-find across touching runs of the row above.
  const parent: number[] = [];
  const x0: number[] = [];
  const x1: number[] = [];
  const y0: number[] = [];
  const y1: number[] = [];
  const ink: number[] = [];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    parent[rb] = ra;
    x0[ra] = Math.min(x0[ra], x0[rb]);
    x1[ra] = Math.max(x1[ra], x1[rb]);
    y0[ra] = Math.min(y0[ra], y0[rb]);
    y1[ra] = Math.max(y1[ra], y1[rb]);
    ink[ra] += ink[rb];
  };
  let previous: Array<[number, number, number]> = [];
  for (let y = 0; y < height; y++) {
    const row: Array<[number, number, number]> = [];
    const base = y * width;
    let x = 0;
    while (x < width) {
      if (data[base + x] > threshold) { x++; continue; }
      const start = x;
      while (x < width && data[base + x] <= threshold) x++;
      const id = parent.length;
      parent.push(id);
      x0.push(start);
      x1.push(x - 1);
      y0.push(y);
      y1.push(y);
      ink.push(x - start);
      row.push([start, x - 1, id]);
    }
    // Eight-connected: runs touch when they overlap once widened by a pixel.
    let j = 0;
    for (const [s, e, id] of row) {
      while (j < previous.length && previous[j][1] < s - 1) j++;
      for (let k = j; k < previous.length && previous[k][0] <= e + 1; k++) union(previous[k][2], id);
    }
    previous = row;
    if (parent.length > 4_000_000) return { height: 0, count: 0, skew: 0, inkBox: null, vertical: 0 }; // pathological noise
  }
  const blobs: Array<Blob & { h: number; area: number; cy: number }> = [];
  for (let i = 0; i < parent.length; i++) {
    if (parent[i] !== i) continue;
    const h = y1[i] - y0[i] + 1;
    const w = x1[i] - x0[i] + 1;
    // Letters: a few pixels tall at least, not long rules or wide smears, not page-sized.
    if (h < 4 || h > height / 8 || w > h * 2.5 || h > w * 8) continue;
    // Nor solid patches (pieces of photos and shading): strokes leave a letter's box half empty.
    if (ink[i] > h * w * 0.8) continue;
    blobs.push({ h, area: h * w, x0: x0[i], x1: x1[i], y0: y0[i], y1: y1[i], cy: (y0[i] + y1[i]) / 2 });
  }
  if (blobs.length < 10) return { height: 0, count: blobs.length, skew: 0, inkBox: null, vertical: 0 };
  const skew = lineSkew(blobs);
  const vertical = verticalShare(blobs);
  // Weighted by box area, so that the dots of dot-matrix print and specks of noise count
  // for little against whole letters.
  blobs.sort((a, b) => a.h - b.h);
  const total = blobs.reduce((s, b) => s + b.area, 0);
  let acc = 0;
  let letter = blobs[blobs.length - 1].h;
  for (const b of blobs) {
    acc += b.area;
    if (acc >= total / 2) { letter = b.h; break; }
  }
  const speck = Math.max(4, letter / 2);
  const box = { x0: width, y0: height, x1: -1, y1: -1 };
  for (let i = 0; i < parent.length; i++) {
    if (parent[i] !== i || (y1[i] - y0[i] + 1 < speck && x1[i] - x0[i] + 1 < speck)) continue;
    box.x0 = Math.min(box.x0, x0[i]); box.y0 = Math.min(box.y0, y0[i]);
    box.x1 = Math.max(box.x1, x1[i] + 1); box.y1 = Math.max(box.y1, y1[i] + 1);
  }
  return { height: letter, count: blobs.length, skew, inkBox: box.x1 > box.x0 ? box : null, vertical };
}

interface Blob { x0: number; x1: number; y0: number; y1: number }

/**
 * Of the letters with a neighbour of like size close by, the share whose nearest such
 * neighbour is above or below. Sizes are compared across the direction of the pair (a
 * letter's height beside it, its width above it), so a turned page compares as an upright one.
 */
function verticalShare(blobs: Blob[]): number {
  const byX = [...blobs].sort((a, b) => a.x0 - b.x0);
  const byY = [...blobs].sort((a, b) => a.y0 - b.y0);
  const like = (p: number, q: number) => q >= p * 0.7 && q <= p / 0.7;
  /** Gap to the nearest like blob after `a` along the axis (in its own list, sorted by start), or Infinity. */
  const nearest = (list: Blob[], i: number, horizontal: boolean): number => {
    const a = list[i];
    const size = horizontal ? a.y1 - a.y0 : a.x1 - a.x0;
    const end = horizontal ? a.x1 : a.y1;
    let best = Infinity;
    for (let j = i + 1; j < list.length; j++) {
      const b = list[j];
      const gap = (horizontal ? b.x0 : b.y0) - end;
      if (gap > Math.min(best, 2 * size)) break;
      if (gap < 0) continue;
      // Side by side across the pair's direction, and of like size.
      const [a0, a1, b0, b1] = horizontal ? [a.y0, a.y1, b.y0, b.y1] : [a.x0, a.x1, b.x0, b.x1];
      if (Math.min(a1, b1) - Math.max(a0, b0) < 0.5 * Math.min(a1 - a0, b1 - b0)) continue;
      if (!like(size, horizontal ? b.y1 - b.y0 : b.x1 - b.x0)) continue;
      best = gap;
    }
    return best;
  };
  const across = new Map<Blob, number>();
  byX.forEach((b, i) => across.set(b, nearest(byX, i, true)));
  let vertical = 0, paired = 0;
  byY.forEach((b, i) => {
    const down = nearest(byY, i, false), side = across.get(b)!;
    if (down === Infinity && side === Infinity) return;
    paired++;
    if (down < side) vertical++;
  });
  return paired >= 20 ? vertical / paired : 0;
}

/**
 * The mean direction from each letter to the next one on its right (close, of similar
 * height, roughly level): along a text line these pairs all point the way the line runs.
 */
function lineSkew(blobs: Array<{ h: number; x0: number; x1: number; cy: number }>): number {
  const byX = [...blobs].sort((a, b) => a.x0 - b.x0);
  const angles: number[] = [];
  for (let i = 0; i < byX.length; i++) {
    const a = byX[i];
    let best: { dx: number; dy: number } | null = null;
    for (let j = i + 1; j < byX.length && byX[j].x0 <= a.x1 + 2 * a.h; j++) {
      const b = byX[j];
      if (b.x0 <= a.x1 || b.h < a.h * 0.8 || b.h > a.h * 1.25) continue;
      const dx = (b.x0 + b.x1) / 2 - (a.x0 + a.x1) / 2;
      const dy = b.cy - a.cy;
      if (Math.abs(dy) > dx * 0.15) continue;
      if (!best || dx < best.dx) best = { dx, dy };
    }
    if (best) angles.push(Math.atan2(best.dy, best.dx));
  }
  if (angles.length < 20) return 0;
  // The mean of the middle half: robust to pairs straddling two lines, and (unlike the
  // median) it resolves skews under a degree, where one pair's angle is a whole pixel
  // over a letter's width. Small skews come out somewhat low: they are only partly undone.
  angles.sort((x, y) => x - y);
  const middle = angles.slice(Math.floor(angles.length / 4), Math.ceil((angles.length * 3) / 4));
  return middle.reduce((s, a) => s + a, 0) / middle.length;
}

/** Otsu's threshold over the grey histogram: the level that best splits ink from paper. */
function otsu(data: Buffer): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < data.length; i++) hist[data[i]]++;
  const total = data.length;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * hist[v];
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 127;
  for (let v = 0; v < 256; v++) {
    wB += hist[v];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += v * hist[v];
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = v;
    }
  }
  return threshold;
}
