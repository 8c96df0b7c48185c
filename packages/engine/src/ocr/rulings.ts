import sharp from 'sharp';
import type { Ruling } from '../model.ts';

/**
 * Ruling lines (table borders) in a raster page, found with morphology done by libvips
 * (through sharp): binarise, then an "opening" with a long 1-pixel line — a box-filter
 * convolution followed by a threshold keeps only pixels whose whole neighbourhood along
 * the line is ink. Text strokes are far shorter than the element, so only rules survive.
 * The mask is then read back as segments for the shared table detector.
 */
const FULL = Math.round(255 * 0.92);

export async function findRulings(image: Buffer, textHeight = 0): Promise<Ruling[]> {
  const { data: ink, info } = await sharp(image)
    .greyscale()
    .threshold(170) // ink → 0, paper → 255
    .negate({ alpha: false }) // ink → 255
    .raw()
    .toBuffer({ resolveWithObject: true });
  const width = info.width;
  const height = info.height;
  // The element must be longer than any letter stroke: a few text heights across, one and
  // a half down (a vertical rule spans at least a whole row, usually the whole table).
  const hLen = Math.max(25, Math.round(width / 40), Math.round(textHeight * 3));
  const vLen = Math.max(20, Math.round(textHeight * 1.5));
  const [hMask, vMask] = await Promise.all([
    openAlong(ink, width, height, hLen, 'h'),
    openAlong(ink, width, height, vLen, 'v'),
  ]);
  return [
    ...segments(hMask, width, height, 'h', hLen),
    ...segments(vMask, width, height, 'v', vLen),
  ];
}

/**
 * Pixels where (nearly) the whole line element is ink: erosion by a horizontal (kw × 1) or
 * vertical (1 × kh) element. sharp wants kernels of at least 3×3, so the line sits in the
 * middle row/column of a 3-wide kernel padded with zeros.
 */
async function openAlong(ink: Buffer, width: number, height: number, length: number, orientation: 'h' | 'v'): Promise<Buffer> {
  const len = length | 1; // odd, so the element is centred
  const kw = orientation === 'h' ? len : 3;
  const kh = orientation === 'h' ? 3 : len;
  const kernel = new Array<number>(kw * kh).fill(0);
  for (let i = 0; i < len; i++) kernel[orientation === 'h' ? kw + i : i * 3 + 1] = 1;
  return sharp(ink, { raw: { width, height, channels: 1 } })
    .convolve({ width: kw, height: kh, kernel, scale: len })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
}

/**
 * Group the surviving pixels into segments: runs along the line direction, merged across
 * neighbouring rows (columns) so a thick rule becomes one Ruling. The erosion shortened
 * each rule by half the element at both ends; that is given back here.
 */
function segments(mask: Buffer, width: number, height: number, orientation: 'h' | 'v', elementLength: number): Ruling[] {
  const along = orientation === 'h' ? width : height;
  const across = orientation === 'h' ? height : width;
  // The mask holds the share of ink under the element; tolerate ~8% gaps (broken scanned
  // rules, anti-aliasing).
  const at = (a: number, c: number) => (orientation === 'h' ? mask[c * width + a] : mask[a * width + c]) >= FULL;
  const grow = Math.floor(elementLength * (0.5 - (1 - FULL / 255)));
  interface Open { start: number; end: number; c0: number; c1: number }
  let open: Open[] = [];
  const done: Open[] = [];
  for (let c = 0; c < across; c++) {
    const runs: Array<[number, number]> = [];
    let a = 0;
    while (a < along) {
      if (at(a, c)) {
        const s = a;
        while (a < along && at(a, c)) a++;
        runs.push([s, a - 1]);
      } else a++;
    }
    const next: Open[] = [];
    for (const [s, e] of runs) {
      const hit = open.find((o) => o.c1 === c - 1 && s <= o.end + 2 && e >= o.start - 2);
      if (hit) {
        hit.start = Math.min(hit.start, s);
        hit.end = Math.max(hit.end, e);
        hit.c1 = c;
        if (!next.includes(hit)) next.push(hit);
      } else next.push({ start: s, end: e, c0: c, c1: c });
    }
    for (const o of open) if (!next.includes(o)) done.push(o);
    open = next;
  }
  done.push(...open);
  const maxThickness = Math.max(4, Math.round(across / 150));
  return done
    .filter((o) => o.c1 - o.c0 + 1 <= maxThickness) // solid blocks (photos, shading) are not rules
    .map((o) => {
      const a0 = Math.max(0, o.start - grow);
      const a1 = Math.min(along - 1, o.end + grow);
      // Reported as a 1-px centre line, like a stroked PDF path: the detector compares rule
      // positions, and a scanned rule's thickness is ink spread, not geometry.
      const mid = (o.c0 + o.c1 + 1) / 2;
      return orientation === 'h'
        ? { x0: a0, y0: mid - 0.5, x1: a1 + 1, y1: mid + 0.5, orientation }
        : { x0: mid - 0.5, y0: a0, x1: mid + 0.5, y1: a1 + 1, orientation };
    });
}
