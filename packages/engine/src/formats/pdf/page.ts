import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ImagePlacement, PageContent, Rect, Ruling, TextRun } from '../../model.ts';
import type { PdfJs } from './pdfjs.ts';

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** Strokes thinner than this (page units) and thin filled rectangles count as rulings. */
const MAX_RULING_THICKNESS = 3;
/** Images smaller than this (page units) are bullets, logos' slivers or spacers, not figures. */
const MIN_IMAGE_SIDE = 20;

interface FontInfo { name: string; bold: boolean; italic: boolean }

/** Font facts pdf.js gives about a text style (name and weight only with `includeGraphics`). */
interface TextStyle { fontFamily?: string; ascent?: number; descent?: number; name?: string; bold?: boolean; italic?: boolean; black?: boolean }

/**
 * A vector path or image placement that our pdf.js patch (patches/README.md) adds to the
 * text content when asked with `includeGraphics`: `ctm` is the matrix in force, `path` is in
 * user space in pdf.js's DrawOPS encoding (a Float32Array, as in its operator lists). With
 * `packPaths`, a path is instead `data[start, end)`, `data` shared by the paths of one chunk,
 * and paths drawn under the same matrix share their `ctm` array.
 */
interface GraphicsItem {
  type: 'graphics:path' | 'graphics:image'; ctm: Matrix; paint?: number; lineWidth?: number;
  path?: Float32Array; data?: Float32Array; start?: number; end?: number;
}

/**
 * One page of a PDF as positioned content, in viewport space (rotation and crop box
 * applied, origin top-left, y down): words with font facts, rulings from vector paths,
 * and image placements.
 */
export async function extractPage(
  pdfjs: PdfJs, page: PDFPageProxy, pageNumber: number,
  { operatorList = !readsGraphicsWithText(page) }: { operatorList?: boolean } = {},
): Promise<PageContent> {
  const viewport = page.getViewport({ scale: 1 });
  const vt = viewport.transform as Matrix;
  let graphics: Pick<PageContent, 'rulings' | 'images'>;
  let text: Awaited<ReturnType<PDFPageProxy['getTextContent']>>;
  if (!operatorList) {
    // One pass over the content stream gives text, paths and image placements, without the
    // operator list's glyph arrays and image decoding (≈ 30 % of a parse). pdf.js runs in this
    // thread: its chunks are handed over as they are instead of structured-cloned.
    text = await page.getTextContent({ includeGraphics: true, shareChunks: true, packPaths: true } as Parameters<PDFPageProxy['getTextContent']>[0]);
    graphics = readGraphicsItems(pdfjs, text.items as unknown[], vt);
  } else {
    // Unpatched pdf.js: the operator list, which also puts the page's fonts in commonObjs.
    graphics = readGraphics(pdfjs, await page.getOperatorList(), vt);
    text = await page.getTextContent();
  }
  const { rulings, images } = graphics;

  const fonts = new Map<string, FontInfo>();
  const fontOf = (id: string): FontInfo => {
    let info = fonts.get(id);
    if (!info) {
      let f = text.styles[id] as TextStyle | undefined;
      if (f?.name === undefined) {
        try { f = page.commonObjs.has(id) ? page.commonObjs.get(id) : undefined; } catch { f = undefined; }
      }
      const name = f?.name ?? text.styles[id]?.fontFamily ?? id;
      info = {
        name,
        bold: Boolean(f?.bold || f?.black) || /bold|black|heavy|semibold|demi/i.test(name),
        italic: Boolean(f?.italic) || /italic|oblique/i.test(name),
      };
      fonts.set(id, info);
    }
    return info;
  };

  const extents = new Map<string, [number, number]>();
  const runs: TextRun[] = [];
  // Each item's words are read to the end, which sets the expression back to the start.
  const word = /\S+/g;
  for (const item of text.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    const m = multiply(vt, item.transform as Matrix);
    const fontSize = textSize(Math.hypot(m[2], m[3]), item.str, item.width);
    if (fontSize < 1) continue;
    const rotation = Math.round((Math.atan2(m[1], m[0]) * 180) / Math.PI);
    const style = text.styles[item.fontName];
    let extent = extents.get(item.fontName);
    if (!extent) extents.set(item.fontName, extent = glyphExtent(style));
    const [ascent, descent] = extent;
    const font = fontOf(item.fontName);
    // item.width is in text-space units scaled to the page (before the viewport's scale, which is 1).
    const width = item.width;
    // pdf.js gives right-to-left runs in logical order: the first word sits at the right end.
    const rtl = item.dir === 'rtl';
    // Words with their offsets along the item's advance, apportioned by character count.
    const perChar = width / item.str.length;
    for (let w = word.exec(item.str); w; w = word.exec(item.str)) {
      const start = w.index * perChar, end = (w.index + w[0].length) * perChar;
      runs.push({
        text: w[0],
        rect: rtl ? runRect(m, width - end, width - start, fontSize, ascent, descent) : runRect(m, start, end, fontSize, ascent, descent),
        fontSize,
        fontName: font.name,
        bold: font.bold,
        italic: font.italic,
        confidence: 1,
        rotation: ((-rotation % 360) + 360) % 360,
      });
    }
  }

  return { pageNumber, width: viewport.width, height: viewport.height, runs, rulings, images, source: 'text' };
}

/**
 * How deep below their baseline an extension font's glyphs are taken to reach at the least, in
 * em (see glyphExtent): about a text-size integral's or a first-size delimiter's depth, enough
 * for a display integral's box to cover the line it stands on.
 */
const HANGING_DEPTH = 1.2;

/**
 * How far a font's glyphs reach above and below their baseline, in em. Most fonts declare it
 * (sane values kept, others taken as 0.8 and 0.2). A font declaring almost nothing above the
 * baseline and much below it hangs its glyphs from the baseline: TeX's extension fonts (cmex:
 * integrals, large sums and delimiters, a text-size integral 1.1 em deep, a display one 2.2)
 * are placed by the top of the glyph, so they reach down over the line they belong to.
 */
function glyphExtent(style: TextStyle | undefined): [number, number] {
  const declaredAscent = style?.ascent ?? 0.8, declaredDescent = -(style?.descent ?? -0.2);
  if (declaredAscent >= 0 && declaredAscent < 0.2 && declaredDescent >= 0.5) return [declaredAscent, Math.max(declaredDescent, HANGING_DEPTH)];
  const ascent = style?.ascent && style.ascent > 0.5 && style.ascent < 1.2 ? style.ascent : 0.8;
  const descent = style?.descent && style.descent < 0 && style.descent > -0.5 ? -style.descent : 0.2;
  return [ascent, descent];
}

/**
 * The size a text item is set in. pdf.js leaves a Type 3 font's own matrix out of the item's
 * transform, so figure labels drawn with such fonts (common in plots) come out at sizes
 * below one point although they advance like ordinary text: then the advance tells the size,
 * taking a character to be half an em wide on average.
 */
function textSize(scale: number, str: string, width: number): number {
  if (scale >= 1) return scale;
  const chars = str.trim().length;
  return chars > 0 && width > 0 ? Math.max(scale, width / chars / 0.5) : scale;
}

/** The axis-aligned box of a stretch of a (possibly rotated) text run. */
function runRect(m: Matrix, start: number, end: number, fontSize: number, ascent: number, descent: number): Rect {
  const hyp = Math.hypot(m[0], m[1]);
  const ux = hyp > 0 ? m[0] / hyp : 1;
  const uy = hyp > 0 ? m[1] / hyp : 0;
  // Perpendicular "up" direction in viewport space (y down).
  const px = uy, py = -ux;
  // The four corners of the run's box: along [start, end] × up [-descent, ascent].
  const ax0 = ux * start, ax1 = ux * end, ay0 = uy * start, ay1 = uy * end;
  const upA = ascent * fontSize, upD = -descent * fontSize;
  const bx0 = px * upA, bx1 = px * upD, by0 = py * upA, by1 = py * upD;
  const x0 = m[4] + Math.min(ax0, ax1) + Math.min(bx0, bx1), x1 = m[4] + Math.max(ax0, ax1) + Math.max(bx0, bx1);
  const y0 = m[5] + Math.min(ay0, ay1) + Math.min(by0, by1), y1 = m[5] + Math.max(ay0, ay1) + Math.max(by0, by1);
  return { x0, y0, x1, y1 };
}

/** Does this pdf.js carry our patch (patches/README.md) that reads paths and images with the text? */
export function readsGraphicsWithText(page: PDFPageProxy): boolean {
  patched ??= page.streamTextContent.toString().includes('includeGraphics');
  return patched;
}
let patched: boolean | undefined;

/** Collects rulings (axis-aligned strokes and thin fills) and image placements in viewport space. */
function graphicsSink(pdfjs: PdfJs) {
  const { OPS } = pdfjs;
  const rulings: Ruling[] = [];
  const images: ImagePlacement[] = [];
  const addSegment = (x0: number, y0: number, x1: number, y1: number, thickness: number) => {
    const dx = Math.abs(x1 - x0), dy = Math.abs(y1 - y0);
    if (thickness > MAX_RULING_THICKNESS) return;
    if (dy <= Math.max(thickness, 1) && dx > 2) {
      const y = (y0 + y1) / 2;
      rulings.push({ orientation: 'h', x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: y, y1: y });
    } else if (dx <= Math.max(thickness, 1) && dy > 2) {
      const x = (x0 + x1) / 2;
      rulings.push({ orientation: 'v', x0: x, x1: x, y0: Math.min(y0, y1), y1: Math.max(y0, y1) });
    }
  };
  return {
    rulings,
    images,
    /** Images are painted into the unit square of the current matrix. */
    image(ctm: Matrix) {
      const rect = boundsOf([apply(ctm, 0, 0), apply(ctm, 1, 0), apply(ctm, 0, 1), apply(ctm, 1, 1)]);
      if (rect.x1 - rect.x0 >= MIN_IMAGE_SIDE && rect.y1 - rect.y0 >= MIN_IMAGE_SIDE) images.push({ rect });
    },
    /** The path is `path[start, end)`: the whole array unless it packs several paths. */
    path(path: Float32Array | number[], paintOp: number, ctm: Matrix, lineWidth: number, start = 0, end = path.length) {
      if (paintOp === OPS.endPath) return;
      const stroked = paintOp === OPS.stroke || paintOp === OPS.closeStroke || paintOp === OPS.fillStroke
        || paintOp === OPS.eoFillStroke || paintOp === OPS.closeFillStroke || paintOp === OPS.closeEOFillStroke;
      const scale = Math.sqrt(Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])) || 1;
      readPath(path, start, end, ctm, stroked ? lineWidth * scale : 0, stroked, addSegment);
    },
  };
}

/** Rulings and images from the graphics items of a patched pdf.js's text content. */
function readGraphicsItems(pdfjs: PdfJs, items: unknown[], viewport: Matrix) {
  const sink = graphicsSink(pdfjs);
  // Packed paths share their matrix while it does not change: multiply once per matrix.
  let lastCtm: Matrix | undefined, lastM: Matrix = viewport;
  const toViewport = (ctm: Matrix) => {
    if (ctm !== lastCtm) { lastCtm = ctm; lastM = multiply(viewport, ctm); }
    return lastM;
  };
  for (const item of items as GraphicsItem[]) {
    if (item.type === 'graphics:image') sink.image(toViewport(item.ctm));
    else if (item.type === 'graphics:path') {
      const path = item.path ?? item.data;
      if (path) sink.path(path, item.paint!, toViewport(item.ctm), item.lineWidth ?? 1, item.path ? 0 : item.start, item.path ? path.length : item.end);
    }
  }
  return { rulings: sink.rulings, images: sink.images };
}

/** Walk the operator list for rulings and image placements (pdf.js without our patch). */
function readGraphics(pdfjs: PdfJs, opList: { fnArray: number[]; argsArray: unknown[] }, viewport: Matrix) {
  const { OPS } = pdfjs;
  const sink = graphicsSink(pdfjs);
  let ctm: Matrix = viewport;
  let lineWidth = 1;
  const stack: Array<{ ctm: Matrix; lineWidth: number }> = [];

  for (let i = 0; i < opList.fnArray.length; i++) {
    const fn = opList.fnArray[i];
    const args = opList.argsArray[i] as unknown[];
    switch (fn) {
      case OPS.save: stack.push({ ctm, lineWidth }); break;
      case OPS.restore: { const s = stack.pop(); if (s) ({ ctm, lineWidth } = s); break; }
      case OPS.transform: ctm = multiply(ctm, args as Matrix); break;
      case OPS.setLineWidth: lineWidth = args[0] as number; break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ctm, lineWidth });
        const matrix = args[0] as Matrix | null;
        if (matrix) ctm = multiply(ctm, matrix);
        break;
      }
      case OPS.paintFormXObjectEnd: { const s = stack.pop(); if (s) ({ ctm, lineWidth } = s); break; }
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageXObjectRepeat:
      case OPS.paintImageMaskXObject:
        sink.image(ctm);
        break;
      case OPS.constructPath: {
        const [paintOp, data] = args as [number, Array<Float32Array | number[] | null>];
        const path = data?.[0];
        if (path) sink.path(path, paintOp, ctm, lineWidth);
        break;
      }
    }
  }
  return { rulings: sink.rulings, images: sink.images };
}

/**
 * Turn one path (pdf.js DrawOPS encoding) into ruling segments: straight axis-aligned strokes,
 * and filled rectangles thin enough to be drawn lines (a common way to draw table borders).
 */
function readPath(
  path: Float32Array | number[], start: number, end: number, ctm: Matrix, strokeWidth: number, stroked: boolean,
  addSegment: (x0: number, y0: number, x1: number, y1: number, thickness: number) => void,
) {
  // The current subpath's points, in viewport space; each subpath ends at the next move, curve or close.
  const points = subpath;
  points.n = 0;
  let i = start;
  while (i < end) {
    const op = path[i++];
    if (op === 0) { subpathSegments(points, false, strokeWidth, stroked, addSegment); addPoint(points, ctm, path[i], path[i + 1]); i += 2; }
    else if (op === 1) { addPoint(points, ctm, path[i], path[i + 1]); i += 2; }
    else if (op === 2) { subpathSegments(points, false, strokeWidth, stroked, addSegment); i += 6; } // curves are not rulings
    else if (op === 3) { subpathSegments(points, false, strokeWidth, stroked, addSegment); i += 4; }
    else if (op === 4) subpathSegments(points, true, strokeWidth, stroked, addSegment);
    else break;
  }
  subpathSegments(points, false, strokeWidth, stroked, addSegment);
}

/**
 * A subpath's points as coordinate lists, reused from path to path: a page of plots has hundreds
 * of thousands of points, and a pair array for each was most of the cost of reading its paths.
 */
interface Subpath { xs: number[]; ys: number[]; n: number }
const subpath: Subpath = { xs: [], ys: [], n: 0 };

/** Adds the point (x, y) of the path, taken through `m` (the same sums as `apply`). */
function addPoint(points: Subpath, m: Matrix, x: number, y: number) {
  points.xs[points.n] = m[0] * x + m[2] * y + m[4];
  points.ys[points.n] = m[1] * x + m[3] * y + m[5];
  points.n++;
}

/** The ruling segments of one straight subpath, which is then emptied for the next. */
function subpathSegments(
  points: Subpath, closed: boolean, strokeWidth: number, stroked: boolean,
  addSegment: (x0: number, y0: number, x1: number, y1: number, thickness: number) => void,
) {
  const { xs, ys, n } = points;
  if (n >= 2) {
    if (stroked) {
      for (let k = 1; k < n; k++) addSegment(xs[k - 1], ys[k - 1], xs[k], ys[k], strokeWidth);
      if (closed) addSegment(xs[n - 1], ys[n - 1], xs[0], ys[0], strokeWidth);
    } else {
      // A filled shape: a thin rectangle becomes a ruling along its long side.
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let k = 0; k < n; k++) {
        x0 = Math.min(x0, xs[k]); y0 = Math.min(y0, ys[k]); x1 = Math.max(x1, xs[k]); y1 = Math.max(y1, ys[k]);
      }
      const w = x1 - x0, h = y1 - y0;
      if (h <= MAX_RULING_THICKNESS && w > h) addSegment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2, h);
      else if (w <= MAX_RULING_THICKNESS && h > w) addSegment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, w);
    }
  }
  points.n = 0;
}

function boundsOf(pts: Array<[number, number]>): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}
