import sharp from 'sharp';
import type { Ruling } from '../model.ts';

/**
 * Ruling lines (table borders) in a raster page, found with libvips (through sharp): the
 * page is binarised, then squeezed along one direction with box averaging, so each cell
 * of the squeezed image holds the share of ink over a short stretch of one pixel row
 * (column). A ruling is a long run of cells that are (nearly) all ink; text strokes are
 * far too short to make one. The runs are read back as segments for the table detector.
 */

/** A cell counts as "on the line" when at least this share of it is ink (tolerates gaps). */
const FULL = Math.round(255 * 0.8);
/** Pixels per cell along the squeezed direction. */
const CELL = 8;

/** An 8-bit, one-channel raster. */
export interface GreyImage {
  data: Buffer;
  width: number;
  height: number;
}

export async function findRulings(image: GreyImage, textHeight = 0): Promise<Ruling[]> {
  return (await findRulingBands(image, textHeight)).map((b) => b.ruling);
}

/** A ruling with the band of pixels its ink covers (its scanned thickness). */
export interface RulingBand {
  ruling: Ruling;
  /** Pixel rows (h) or columns (v) the rule's ink spans, inclusive. */
  from: number;
  to: number;
}

export async function findRulingBands(image: GreyImage, textHeight = 0): Promise<RulingBand[]> {
  const { width, height } = image;
  const ink = await sharp(image.data, { raw: { width, height, channels: 1 } })
    .threshold(170) // ink → 0, paper → 255
    .negate({ alpha: false }) // ink → 255
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  // Rulings must be longer than any letter stroke: a few text heights across, one and a half
  // down (a vertical rule spans at least a whole row, usually the whole table).
  const hLen = Math.max(25, Math.round(width / 40), Math.round(textHeight * 3));
  const vLen = Math.max(20, Math.round(textHeight * 1.5));
  const [h, v] = await Promise.all([squeeze(ink, width, height, 'h'), squeeze(ink, width, height, 'v')]);
  // A rule is thinner than a third of a text line: an enlarged image thickens its rules too.
  const thick = Math.round(textHeight / 3);
  return [...segments(h, 'h', hLen, thick), ...segments(v, 'v', vLen, thick)];
}

/**
 * The image with its rulings painted over in white. Tesseract reads table borders and
 * underlines as junk glyphs, and a page framed by rules can defeat its line finding
 * altogether; the text between them reads cleanly once they are gone.
 */
export function eraseRulings(image: GreyImage, bands: RulingBand[]): GreyImage {
  if (bands.length === 0) return image;
  const data = Buffer.from(image.data);
  const { width, height } = image;
  for (const { ruling: r, from, to } of bands) {
    // A pixel of margin either side takes the rule's anti-aliased edge too.
    const a0 = Math.max(0, Math.floor(r.orientation === 'h' ? r.x0 : r.y0));
    const a1 = Math.min((r.orientation === 'h' ? width : height) - 1, Math.ceil(r.orientation === 'h' ? r.x1 : r.y1));
    const c0 = Math.max(0, from - 1);
    const c1 = Math.min((r.orientation === 'h' ? height : width) - 1, to + 1);
    for (let c = c0; c <= c1; c++) {
      for (let a = a0; a <= a1; a++) data[r.orientation === 'h' ? c * width + a : a * width + c] = 255;
    }
  }
  return { data, width, height };
}

interface Squeezed { data: Buffer; cells: number; lines: number; pixelsPerCell: number; along: number; across: number }

async function squeeze(ink: Buffer, width: number, height: number, orientation: 'h' | 'v'): Promise<Squeezed> {
  const along = orientation === 'h' ? width : height;
  const cells = Math.max(1, Math.ceil(along / CELL));
  const data = await sharp(ink, { raw: { width, height, channels: 1 } })
    .resize(orientation === 'h' ? { width: cells, height, fit: 'fill', kernel: 'linear' } : { width, height: cells, fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { data, cells, lines: orientation === 'h' ? height : width, pixelsPerCell: along / cells, along, across: orientation === 'h' ? height : width };
}

/**
 * Runs of full cells at least `minLength` pixels long, merged across neighbouring pixel
 * rows (columns) so that a thick rule becomes one Ruling.
 */
function segments(s: Squeezed, orientation: 'h' | 'v', minLength: number, thick: number): RulingBand[] {
  const minCells = Math.max(2, Math.ceil(minLength / s.pixelsPerCell));
  // Row-major in both cases: for 'h' the image is cells × lines, for 'v' lines × cells.
  const at = orientation === 'h' ? (cell: number, line: number) => s.data[line * s.cells + cell] : (cell: number, line: number) => s.data[cell * s.lines + line];
  interface Open { start: number; end: number; c0: number; c1: number }
  let open: Open[] = [];
  const done: Open[] = [];
  for (let line = 0; line < s.lines; line++) {
    const next: Open[] = [];
    let cell = 0;
    while (cell < s.cells) {
      if (at(cell, line) < FULL) { cell++; continue; }
      const start = cell;
      while (cell < s.cells && at(cell, line) >= FULL) cell++;
      if (cell - start < minCells) continue;
      const end = cell - 1;
      const hit = open.find((o) => o.c1 === line - 1 && start <= o.end + 1 && end >= o.start - 1);
      if (hit) {
        hit.start = Math.min(hit.start, start);
        hit.end = Math.max(hit.end, end);
        hit.c1 = line;
        if (!next.includes(hit)) next.push(hit);
      } else next.push({ start, end, c0: line, c1: line });
    }
    for (const o of open) if (!next.includes(o)) done.push(o);
    open = next;
  }
  done.push(...open);
  const maxThickness = Math.max(4, Math.round(s.across / 150), thick);
  return done
    .filter((o) => o.c1 - o.c0 + 1 <= maxThickness) // solid blocks (photos, shading) are not rules
    .map((o) => {
      // The end cells are only partly ink, so the rule's true ends lie within half a cell.
      const a0 = Math.max(0, (o.start - 0.5) * s.pixelsPerCell);
      const a1 = Math.min(s.along, (o.end + 1.5) * s.pixelsPerCell);
      // Reported as a 1-px centre line, like a stroked PDF path: the detector compares rule
      // positions, and a scanned rule's thickness is ink spread, not geometry.
      const mid = (o.c0 + o.c1 + 1) / 2;
      const ruling: Ruling = orientation === 'h'
        ? { x0: a0, y0: mid - 0.5, x1: a1, y1: mid + 0.5, orientation }
        : { x0: mid - 0.5, y0: a0, x1: mid + 0.5, y1: a1, orientation };
      return { ruling, from: o.c0, to: o.c1 };
    });
}
