import type { PageContent, Rect, TextRun } from '../model.ts';
import { findRuledTables } from '../tables/ruled.ts';
import { findUnruledTables } from '../tables/unruled.ts';
import { findRiverTables } from '../tables/rivers.ts';
import { inside, type TableRegion } from '../tables/grid.ts';
import { buildRows, isRightToLeft, makeSegment, medianSize, splitAtGutters, unionRect, type Gutters, type Row, type Segment } from './lines.ts';
import { findGutters } from './columns.ts';
import { findEquations, isFormulaPart } from './equations.ts';
import { readingOrder } from './order.ts';
import { isCaption, listMarkerOf, paragraphs, splitRunInHeadings } from './paragraphs.ts';
import { withNamedStyles } from './fonts.ts';
import { pageTurn, type PageTurn } from './turn.ts';
import type { LayoutBlock, PageLayout } from './types.ts';

/** Images covering more of the page than this are backgrounds or scans, not figures. */
const MAX_FIGURE_AREA = 0.7;
/** Text inside an image region is the figure's own labels only when there is little of it. */
const MAX_FIGURE_WORDS = 40;

const area = (r: Rect) => Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);

/**
 * A piece of the page for reading order: a line of text or a whole block. Both kinds are built
 * with the same fields in the same order, so the ordering code sees objects of one shape.
 */
type OrderUnit = { rect: Rect; segment: Segment | undefined; block: LayoutBlock | undefined };

/**
 * Page-level layout: rows, tables, figures, reading order, paragraphs, captions, list items.
 * Each step is a function of its own: V8 optimizes them one by one, so new feedback in one
 * step (a page with a first table or figure) does not throw away and recompile the others.
 */
export function layoutPage(page: PageContent, outputPage: number): PageLayout {
  const turn = pageTurn(page);
  const upright = turn?.content ?? page;
  const content = { ...upright, runs: withNamedStyles(upright.runs) };
  const { fontChars, boldChars, bodySize } = fontStatistics(content.runs);

  // Tables first: ruled from vector lines, then unruled from the alignment of what is left.
  const ruled = findRuledTables(content, content.runs);
  // The column gutters are found from the rows' words; then the rows are split at them.
  const allRows = buildRows(content.runs);
  const gutters = pageGutters(content, allRows, bodySize);
  const rows = rowsOutsideRegions(splitAtGutters(allRows, gutters), ruled);
  const found = textTables(content, rows, gutters, ruled, bodySize);
  const tableBlocks: LayoutBlock[] = found.tables.map((t) => ({
    kind: 'table', type: 'Table', rect: t.rect, lines: [], text: '', fontSize: bodySize, bold: false,
    confidence: t.confidence, table: t.table, cellRects: t.cellRects,
  }));

  // Only what went into the cells: a line between two rows that joined neither (a stray
  // line beside a tall speck of OCR noise) stays text.
  const tabled = new Set(found.unruled.flatMap((t) => t.segments));
  const text = found.textRows.flatMap((r) => r.segments).filter((s) => !tabled.has(s));
  const equationBlocks: LayoutBlock[] = found.equations.map((e) => ({
    kind: 'text', type: 'Text', rect: e.rect, lines: e.lines, text: e.lines.map((l) => l.text.trim()).join('\n'),
    fontSize: bodySize, bold: false, confidence: 1, equation: true,
  }));
  const { figureBlocks, segments } = placeFigures(content, found.tables, text, bodySize);

  const ordered = orderUnits(content, segments, [...tableBlocks, ...figureBlocks], equationBlocks, gutters, bodySize);
  const blocks = paragraphBlocks(ordered);
  finishBlocks(blocks, turn);
  return { page: outputPage, originalPage: page.pageNumber, width: page.width, height: page.height, blocks, fontChars, boldChars, ocr: page.source === 'ocr' };
}

/** Characters per rounded font size (all and bold), and the median size of the page's words. */
function fontStatistics(runs: TextRun[]): { fontChars: Map<number, number>; boldChars: Map<number, number>; bodySize: number } {
  const fontChars = new Map<number, number>();
  const boldChars = new Map<number, number>();
  for (const r of runs) {
    const k = Math.round(r.fontSize * 2) / 2;
    fontChars.set(k, (fontChars.get(k) ?? 0) + r.text.length);
    if (r.bold) boldChars.set(k, (boldChars.get(k) ?? 0) + r.text.length);
  }
  const bodySize = runs.length ? medianSize(runs) : 10;
  return { fontChars, boldChars, bodySize };
}

/**
 * The page's column gutters. A gutter that only the white bands between formula pieces and
 * their numbers support is none (a one-column page of display equations has such bands).
 */
function pageGutters(content: PageContent, allRows: Row[], bodySize: number): Gutters {
  let gutterAt = findGutters(allRows, content.width);
  if (content.source === 'text' && gutterAt.length > 0) {
    const prose = findGutters(withoutSegments(allRows, new Set(allRows.flatMap((r) => r.segments).filter(isFormulaPart))), content.width);
    gutterAt = gutterAt.filter((g) => prose.some((p) => Math.abs(p - g) < 0.04 * content.width));
  }
  return { at: gutterAt, minGap: 0.75 * bodySize, reach: 0.75 * bodySize };
}

/** Rows without the words that ruled tables took. */
function rowsOutsideRegions(rows: Row[], ruled: TableRegion[]): Row[] {
  if (ruled.length === 0) return rows;
  return rows
    .map((row) => ({ ...row, segments: row.segments.flatMap((s) => outsideRegions(s, ruled)) }))
    .filter((row) => row.segments.length > 0)
    .map((row) => ({ ...row, rect: unionRect(row.segments.map((s) => s.rect)) }));
}

/**
 * Display formulas, then tables without rulings, among the rows that ruled tables left; with
 * `textRows`, the rows without the formulas' pieces.
 */
function textTables(content: PageContent, rows: Row[], gutters: Gutters, ruled: TableRegion[], bodySize: number) {
  // Display formulas first: their aligned pieces would otherwise pass for an unruled table.
  // Fonts tell a formula from text, so only a text layer has them.
  const equations = content.source === 'text' ? findEquations(rows, gutters.at, bodySize) : [];
  const inEquation = new Set(equations.flatMap((e) => e.segments));
  const textRows = withoutSegments(rows, inEquation);
  const candidates = withoutColumnProse(textRows, gutters.at);
  // A recognised page has no text layer's spacing to split its lines at cells: where no
  // rulings framed a table, its columns are found from the white rivers between them.
  const rivers = content.source === 'ocr' && ruled.length === 0 ? findRiverTables(candidates) : [];
  const rest = withoutSegments(candidates, new Set(rivers.flatMap((t) => t.segments)));
  const unruled = [...rivers, ...findUnruledTables(rest, bodySize * 1.2)];
  const tables: TableRegion[] = [...ruled, ...unruled];
  return { equations, textRows, unruled, tables };
}

/**
 * Figures: image placements of reasonable size; their few inner labels belong to them.
 * Returns the figure blocks and the segments they left.
 */
function placeFigures(content: PageContent, tables: TableRegion[], text: Segment[], bodySize: number): { figureBlocks: LayoutBlock[]; segments: Segment[] } {
  let segments = text;
  const pageArea = content.width * content.height;
  const figureBlocks: LayoutBlock[] = [];
  for (const img of content.images) {
    const rect = clip(img.rect, content);
    if (area(rect) < 400 || area(rect) > MAX_FIGURE_AREA * pageArea) continue;
    if (tables.some((t) => inside(rect, t.rect, 1))) continue;
    if (figureBlocks.some((f) => overlapRatio(f.rect, rect) > 0.5)) continue;
    const inner = segments.filter((s) => inside(s.rect, rect));
    // A picture behind text (a shaded heading band, a letterhead) is a background, not a figure.
    const textArea = inner.reduce((a, s) => a + area(s.rect), 0);
    if (inner.length > 0 && (textArea > 0.25 * area(rect) || unionRect(inner.map((s) => s.rect)).y1 - unionRect(inner.map((s) => s.rect)).y0 > 0.6 * (rect.y1 - rect.y0))) continue;
    const innerWords = inner.reduce((n, s) => n + s.text.split(/\s+/).length, 0);
    const absorbed = innerWords <= MAX_FIGURE_WORDS ? inner : [];
    if (absorbed.length) segments = segments.filter((s) => !absorbed.includes(s));
    figureBlocks.push({
      kind: 'figure', type: 'Figure', rect, lines: absorbed, text: '', fontSize: bodySize, bold: false, confidence: 0.8,
    });
  }
  return { figureBlocks, segments };
}

/** The page's lines and blocks in reading order. */
function orderUnits(content: PageContent, segments: Segment[], blocks: LayoutBlock[], equationBlocks: LayoutBlock[], gutters: Gutters, bodySize: number): OrderUnit[] {
  // For ordering, a line that only reaches into a gutter (an equation number, a long formula)
  // belongs to its own column; only what spans the gutter is full width.
  const ownColumn = (r: Rect): Rect => {
    for (const g of gutters.at) {
      if (r.x0 >= g || r.x1 <= g || (r.x0 < g - gutters.reach && r.x1 > g + gutters.reach)) continue;
      return (r.x0 + r.x1) / 2 < g ? { ...r, x1: g - 1 } : { ...r, x0: g + 1 };
    }
    return r;
  };
  const units: OrderUnit[] = [
    ...segments.map((segment) => ({ rect: ownColumn(segment.rect), segment, block: undefined })),
    ...blocks.map((block) => ({ rect: block.rect, segment: undefined, block })),
    ...equationBlocks.map((block) => ({ rect: ownColumn(block.rect), segment: undefined, block })),
  ];
  // Right-to-left pages read their columns, and the pieces of a line, from the right:
  // order the mirror image.
  const minGap = Math.max(4, bodySize * 0.9);
  const recognised = content.source === 'ocr';
  if (!isRightToLeft(content.runs)) return readingOrder(units, minGap, gutters, 0, recognised);
  const mirror = (r: Rect): Rect => ({ x0: content.width - r.x1, y0: r.y0, x1: content.width - r.x0, y1: r.y1 });
  return readingOrder(units.map((u) => ({ rect: mirror(u.rect), unit: u })), minGap, { at: gutters.at.map((g) => content.width - g), reach: gutters.reach }, 0, recognised).map((m) => m.unit);
}

/** Consecutive lines become paragraphs; blocks stay as they are. */
function paragraphBlocks(ordered: OrderUnit[]): LayoutBlock[] {
  const blocks: LayoutBlock[] = [];
  let pending: Segment[] = [];
  const flush = () => { blocks.push(...splitRunInHeadings(paragraphs(pending))); pending = []; };
  for (const u of ordered) {
    if (u.segment) pending.push(u.segment);
    else { flush(); blocks.push(u.block!); }
  }
  flush();
  return blocks;
}

/** Captions and list items; the words dropped; on a turned page, the boxes turned back. */
function finishBlocks(blocks: LayoutBlock[], turn: PageTurn | null): void {
  attachCaptions(blocks);
  for (const b of blocks) {
    if (b.kind !== 'text' || b.equation) continue;
    const list = listMarkerOf(b.text);
    if (list) { b.type = 'List Item'; b.listMarker = list.marker; b.text = list.rest; }
  }
  // Only the lines' text and geometry matter from here on: drop the words, so a long document
  // keeps compact page layouts in memory until the document-level pass.
  for (const b of blocks) b.lines = b.lines.map((l) => ({ ...l, runs: [] }));
  if (turn) {
    for (const b of blocks) {
      b.rect = turn.back(b.rect);
      b.lines = b.lines.map((l) => ({ ...l, rect: turn.back(l.rect) }));
      if (b.cellRects) b.cellRects = b.cellRects.map(turn.back);
    }
  }
}

/**
 * What of a segment a ruled table has not taken: the table's cells take the words whose middle
 * lies inside its frame, so a line that runs out of the frame keeps its words outside it.
 */
function outsideRegions(s: Segment, regions: Array<{ rect: Rect }>): Segment[] {
  if (!regions.some((t) => overlapRatio(s.rect, t.rect) > 0)) return [s];
  const left = s.runs.filter((r) => !regions.some((t) => inside(r.rect, t.rect)));
  if (left.length === s.runs.length) return [s];
  return left.length ? [makeSegment(left)] : [];
}

/**
 * Rows as table detection should see them on a page with columns: a line of prose that fills
 * its column (five words or more across most of its width) is never a table cell, so a table
 * above two columns of body text, or a formula beside a column's line, cannot take them in.
 */
function withoutColumnProse(rows: Row[], gutters: number[]): Row[] {
  if (gutters.length === 0) return rows;
  const all = rows.flatMap((r) => r.segments);
  const edges = [Math.min(...all.map((s) => s.rect.x0)), ...gutters, Math.max(...all.map((s) => s.rect.x1))];
  const columnOf = (s: Segment) => {
    const k = edges.findIndex((e, i) => i > 0 && s.rect.x1 <= e);
    if (k <= 0 || s.rect.x0 < edges[k - 1] - 1) return -1;
    return s.text.split(/\s+/).length >= 5 && s.rect.x1 - s.rect.x0 >= 0.7 * (edges[k] - edges[k - 1]) ? k : -1;
  };
  // Columns of prose, not a wide table whose column gap looked like a gutter: every column
  // holds several such lines.
  const lines = new Map<number, number>();
  for (const s of all) { const k = columnOf(s); if (k > 0) lines.set(k, (lines.get(k) ?? 0) + 1); }
  if (edges.slice(1).some((_, i) => (lines.get(i + 1) ?? 0) < 8)) return rows;
  const fillsColumn = (s: Segment) => columnOf(s) > 0;
  return rows
    .map((row) => ({ ...row, segments: row.segments.filter((s) => !fillsColumn(s)) }))
    .filter((row) => row.segments.length > 0)
    .map((row) => ({ ...row, rect: unionRect(row.segments.map((s) => s.rect)) }));
}

function withoutSegments(rows: Row[], taken: Set<Segment>): Row[] {
  if (taken.size === 0) return rows;
  return rows
    .map((row) => ({ ...row, segments: row.segments.filter((s) => !taken.has(s)) }))
    .filter((row) => row.segments.length > 0)
    .map((row) => ({ ...row, rect: unionRect(row.segments.map((s) => s.rect)) }));
}

function clip(r: Rect, page: PageContent): Rect {
  return { x0: Math.max(0, r.x0), y0: Math.max(0, r.y0), x1: Math.min(page.width, r.x1), y1: Math.min(page.height, r.y1) };
}

function overlapRatio(a: Rect, b: Rect): number {
  const i = area({ x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) });
  return i / Math.min(area(a), area(b) || 1);
}

/**
 * A "Figure 3: …" / "Table 2 …" paragraph next to a figure or table becomes its caption. A
 * figure takes its caption in; a table's content is the table alone, so its caption stays a
 * block of its own (its words must not leave the text) and is only named on the table.
 */
function attachCaptions(blocks: LayoutBlock[]): void {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.kind !== 'text' || !isCaption(b.text)) continue;
    const kind = /^tab/i.test(b.text) ? 'table' : 'figure';
    const near = (o: LayoutBlock | undefined) => o && o.kind === kind && !o.caption
      && Math.min(Math.abs(o.rect.y0 - b.rect.y1), Math.abs(b.rect.y0 - o.rect.y1)) < 4 * b.fontSize;
    // Table captions usually sit above the table, figure captions below the figure.
    const order = kind === 'table' ? [blocks[i + 1], blocks[i - 1]] : [blocks[i - 1], blocks[i + 1]];
    const target = order.find(near);
    if (!target) continue;
    target.caption = b.text.replace(/\n/g, ' ');
    if (kind === 'table') { target.captionIsBlock = true; continue; }
    target.rect = unionRect([target.rect, b.rect]);
    blocks.splice(i, 1);
    i--;
  }
}
