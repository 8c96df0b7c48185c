import type { Rect, TableCell, TextRun } from '../model.ts';
import { makeSegment, unionRect, type Row, type Segment } from '../layout/lines.ts';
import { isCaption } from '../layout/paragraphs.ts';
import { guessHeaderRows, mirrorIfRightToLeft } from './grid.ts';
import { joinWrappedLines, type UnruledTable } from './unruled.ts';

/**
 * Borderless tables on OCR pages, from whitespace rivers: a table's columns leave vertical
 * bands of white that run through most of its lines, where the gaps between words of prose
 * fall at random places and never line up down a paragraph. Recognised words only know their
 * own boxes (no font, no text-layer spacing), so the columns are found from where the ink is
 * not, over many lines at once, rather than from the gaps within each line.
 */

/** A river is at least this many line heights wide: wider than a space between words. */
const RIVER_EM = 0.7;
/** Lines further apart than this many line heights are not one table. */
const MAX_LINE_GAP_EM = 2.5;
/** A line of a table holds short pieces: a longer run of words is a sentence. */
const MAX_PIECE_WORDS = 10;
/** A line alone in its row (a section label, a wrapped cell) is short. */
const MAX_LONE_WORDS = 6;
const MAX_MEAN_WORDS_PER_CELL = 6;
const MIN_ROWS = 3;
/** Running text: at least this share of its words start in lower case. */
const MAX_LOWER_SHARE = 0.6;
/** A spanning cell may cross a river in at most this share of the lines (header rows, wide labels). */
const MAX_CROSSING_SHARE = 0.2;

interface Line {
  row: Row;
  words: TextRun[];
  /** The words grouped at gaps as wide as a river. */
  pieces: TextRun[][];
  rect: Rect;
}

const wordCount = (ws: TextRun[]) => ws.reduce((n, w) => n + w.text.split(/\s+/).filter(Boolean).length, 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/**
 * Tables without rulings on an OCR page: runs of consecutive lines made of short pieces
 * whose words leave shared vertical rivers. Each table takes whole lines; lines of prose
 * (long pieces), captions and lines far above or below stay outside.
 */
export function findRiverTables(rows: Row[]): UnruledTable[] {
  const horizontal = rows.filter((r) => r.segments.every((s) => s.runs.every((w) => !w.rotation || w.rotation % 360 === 0)));
  const words = horizontal.flatMap((r) => r.segments.flatMap((s) => s.runs));
  if (words.length < 6) return [];
  // OCR sizes are line heights: the page's typical one is the unit of every gap.
  const em = median(words.map((w) => w.fontSize));
  const minGap = RIVER_EM * em;
  const lines: Line[] = horizontal.map((row) => {
    const ws = row.segments.flatMap((s) => s.runs).sort((a, b) => a.rect.x0 - b.rect.x0);
    const pieces: TextRun[][] = [];
    let right = -Infinity;
    for (const w of ws) {
      if (pieces.length && w.rect.x0 - right < minGap) pieces[pieces.length - 1].push(w);
      else pieces.push([w]);
      right = Math.max(right, w.rect.x1);
    }
    return { row, words: ws, pieces, rect: row.rect };
  });
  const tabular = (l: Line) => l.pieces.length >= 2
    ? l.pieces.every((p) => wordCount(p) <= MAX_PIECE_WORDS)
    : wordCount(l.words) <= MAX_LONE_WORDS && !isCaption(makeSegment(l.words).text);

  const tables: UnruledTable[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!tabular(lines[i])) { i++; continue; }
    let j = i;
    const near = (k: number) => k < lines.length && lines[k].rect.y0 - lines[k - 1].rect.y1 <= MAX_LINE_GAP_EM * em;
    for (;;) {
      if (near(j + 1) && tabular(lines[j + 1])) { j++; continue; }
      // A longer label between rows (a group's name) stays in the table when it is short
      // beside the table and the rows go on below it.
      const width = Math.max(...lines.slice(i, j + 1).map((l) => l.rect.x1)) - Math.min(...lines.slice(i, j + 1).map((l) => l.rect.x0));
      const label = lines[j + 1];
      if (near(j + 1) && near(j + 2) && tabular(lines[j + 2]) && label.pieces.length === 1
        && wordCount(label.words) <= MAX_PIECE_WORDS && label.rect.x1 - label.rect.x0 <= 0.75 * width) { j += 2; continue; }
      break;
    }
    const run = lines.slice(i, j + 1);
    const table = run.filter((l) => l.pieces.length >= 2).length >= 2 ? tableFromLines(run, em, minGap) : null;
    if (table) tables.push(table);
    i = j + 1;
  }
  return tables;
}

/**
 * The rivers of a run of lines: x-ranges at least `minGap` wide that few lines' words cover
 * (a spanning header may cross), with words of most lines on both sides. Returns where each
 * one cuts: the middle of its emptiest stretch.
 */
function riverCuts(lines: Line[], minGap: number): number[] {
  // A line in one piece (a section label, a title row) may run across the columns.
  const run = lines.filter((l) => l.pieces.length >= 2);
  const n = run.length;
  const tol = n >= 5 ? Math.floor(MAX_CROSSING_SHARE * n) : 0;
  const events: Array<[number, number]> = [];
  for (const l of run) {
    // A line's covered stretches: its words, and the word spaces inside a piece.
    for (const p of l.pieces) events.push([p[0].rect.x0, 1], [Math.max(...p.map((w) => w.rect.x1)), -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const x0 = events[0][0], x1 = events[events.length - 1][0];
  // Piecewise-constant coverage; gather stretches at or below the tolerance.
  const cuts: number[] = [];
  let depth = 0, start: number | null = null, bestMid = 0, bestLen = -1, bestDepth = Infinity, segStart = 0;
  const close = (end: number) => {
    if (start !== null && end - start >= minGap && start > x0 && end < x1) {
      const supported = run.filter((l) => l.words.some((w) => w.rect.x1 <= start!) && l.words.some((w) => w.rect.x0 >= end)).length;
      if (supported >= Math.max(2, 0.5 * n)) cuts.push(bestMid);
    }
    start = null; bestLen = -1; bestDepth = Infinity;
  };
  for (let k = 0; k < events.length; k++) {
    const [x, d] = events[k];
    if (start !== null && x > segStart) {
      // The stretch [segStart, x) had `depth` lines over it: keep the emptiest, widest.
      const len = x - segStart;
      if (depth < bestDepth || (depth === bestDepth && len > bestLen)) { bestDepth = depth; bestLen = len; bestMid = (segStart + x) / 2; }
    }
    depth += d;
    segStart = x;
    if (depth <= tol && start === null) { start = x; }
    else if (depth > tol && start !== null) close(x);
  }
  return cuts;
}

function tableFromLines(run: Line[], em: number, minGap: number): UnruledTable | null {
  let cuts = riverCuts(run, minGap);
  if (cuts.length === 0) return null;
  const colOf = (x: number) => cuts.filter((c) => c < x).length;

  // Cells: consecutive words join unless a river lies between them; a cell whose words
  // cross a river spans the columns it reaches.
  const build = () => run.map((l) => {
    const cells: TextRun[][] = [];
    for (const w of l.words) {
      const last = cells[cells.length - 1];
      const prev = last?.[last.length - 1];
      const apart = prev && (w.rect.x0 - prev.rect.x1 >= minGap || cuts.some((c) => c > prev.rect.x1 && c < w.rect.x0) && w.rect.x0 - prev.rect.x1 >= 0.5 * minGap);
      if (!last || apart) cells.push([w]);
      else last.push(w);
    }
    return cells.map((ws) => {
      const rect = unionRect(ws.map((w) => w.rect));
      return { ws, rect, first: colOf(rect.x0 + 0.1 * em), last: colOf(rect.x1 - 0.1 * em) };
    });
  });
  let lineCells = build();
  // A column that barely any line starts a cell in is a gap inside one column's text.
  for (;;) {
    const starts = cuts.map((_, k) => lineCells.filter((cs) => cs.some((c) => c.first === k + 1)).length);
    const weak = starts.findIndex((s) => s < 2);
    if (weak < 0) break;
    cuts = cuts.filter((_, k) => k !== weak);
    if (cuts.length === 0) return null;
    lineCells = build();
  }
  const cols = cuts.length + 1;

  // Guards: several lines use several columns; cells are short; the columns are not prose.
  const multi = lineCells.filter((cs) => new Set(cs.map((c) => c.first)).size >= 2).length;
  // Two lines make a table only when both fill three columns or more (a header and its row).
  const short = run.length === 2 && lineCells.every((cs) => new Set(cs.map((c) => c.first)).size >= 3);
  if ((multi < MIN_ROWS && !short) || multi < 0.5 * run.length) return null;
  const all = lineCells.flat();
  if (all.reduce((n, c) => n + wordCount(c.ws), 0) / all.length > MAX_MEAN_WORDS_PER_CELL) return null;
  if (isProse(lineCells, cuts, run)) return null;
  // Sentences in cells: mostly lower-case words, several to a cell (running text that OCR
  // broke into pieces), where a table's cells hold labels and figures.
  const ws = all.flatMap((c) => c.ws);
  if (ws.filter((w) => /^\p{Ll}{2,}/u.test(w.text)).length >= MAX_LOWER_SHARE * ws.length && ws.length >= 1.8 * all.length) return null;

  // Header rows above the body: a label centred over several columns spans them (the
  // columns whose words it stands in the middle of), as far as its neighbours allow.
  const firstFull = lineCells.findIndex((cs) => cs.length >= Math.max(2, 0.6 * cols));
  const body = lineCells.slice(Math.max(0, firstFull)).flat().filter((c) => c.first === c.last);
  const inkOf = (k: number) => body.filter((c) => c.first === k).map((c) => c.rect);
  const left = Array.from({ length: cols }, (_, k) => Math.min(...inkOf(k).map((r) => r.x0)));
  const right = Array.from({ length: cols }, (_, k) => Math.max(...inkOf(k).map((r) => r.x1)));
  for (let r = 0; r < firstFull; r++) {
    const cs = lineCells[r];
    cs.forEach((c, k) => {
      const lo = k > 0 ? cs[k - 1].last + 1 : 0, hi = k + 1 < cs.length ? cs[k + 1].first - 1 : cols - 1;
      const mid = (c.rect.x0 + c.rect.x1) / 2;
      let best = { first: c.first, last: c.last, off: Infinity };
      for (let a = lo; a <= c.first; a++) {
        for (let b = c.last; b <= hi; b++) {
          if (!Number.isFinite(left[a]) || !Number.isFinite(right[b])) continue;
          const off = Math.abs((left[a] + right[b]) / 2 - mid) / (right[b] - left[a]);
          if (off < best.off) best = { first: a, last: b, off };
        }
      }
      // Only a label standing in the middle of what it spans: a left-aligned cell keeps its column.
      if (best.off < 0.1) { c.first = best.first; c.last = best.last; }
    });
  }

  const cells: TableCell[] = [];
  const cellRects: Rect[] = [];
  lineCells.forEach((cs, r) => {
    let covered = -1;
    for (const c of cs) {
      const text = makeSegment(c.ws).text;
      if (c.first <= covered) {
        // Shares a column with the cell to its left (text in a river's shoulder): one cell.
        const prev = cells[cells.length - 1];
        prev.text = `${prev.text} ${text}`;
        prev.colSpan = Math.max(prev.colSpan, c.last - prev.col + 1);
        cellRects[cellRects.length - 1] = unionRect([cellRects[cellRects.length - 1], c.rect]);
        covered = prev.col + prev.colSpan - 1;
        continue;
      }
      cells.push({ row: r, col: c.first, rowSpan: 1, colSpan: c.last - c.first + 1, text });
      cellRects.push(c.rect);
      covered = c.last;
    }
  });
  const rows = run.map((l) => l.row);
  const rowCount = joinWrappedLines(rows, cells, cellRects);
  const table = { rows: rowCount, cols, cells, headerRows: headerRows(cells, rowCount, cols) };
  mirrorIfRightToLeft(table, cellRects);
  return { rect: unionRect(run.map((l) => l.rect)), table, confidence: 0.6, cellRects, segments: rows.flatMap((r) => r.segments) };
}

/**
 * Header rows: when labels spanning several columns stand above the first row that fills
 * the columns, they and that row (the sub-columns' own labels); otherwise the first row as
 * for other tables.
 */
function headerRows(cells: TableCell[], rows: number, cols: number): number {
  const full = Array.from({ length: rows }, (_, r) => r).find((r) => cells.filter((c) => c.row === r).length >= Math.max(2, 0.6 * cols));
  const spanned = full !== undefined && cells.some((c) => c.row < full && c.colSpan > 1);
  return spanned && full! + 1 <= rows / 2 ? full! + 1 : guessHeaderRows(cells, rows);
}

/**
 * Prose in columns: every column wide, its cells long and mostly as wide as the column.
 */
function isProse(lineCells: Array<Array<{ ws: TextRun[]; rect: Rect; first: number; last: number }>>, cuts: number[], run: Line[]): boolean {
  const x0 = Math.min(...run.map((l) => l.rect.x0)), x1 = Math.max(...run.map((l) => l.rect.x1));
  const edges = [x0, ...cuts, x1];
  return edges.slice(1).every((right, k) => {
    const left = edges[k], w = right - left;
    if (w < 0.3 * (x1 - x0)) return false;
    const inCol = lineCells.flat().filter((c) => c.first === k && c.last === k);
    const filling = inCol.filter((c) => c.rect.x1 - c.rect.x0 >= 0.7 * w && wordCount(c.ws) >= 4).length;
    return inCol.length > 0 && filling >= 0.5 * inCol.length;
  });
}
