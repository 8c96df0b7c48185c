import type { Box, DocBlock, ParsedDocument, TableCell } from '../model.ts';
import { mendAmounts, writesDayFirst, type ReadingContext } from './coerce.ts';

/**
 * What extraction can cite: a piece of a block (a line, a table cell, the value of a Key
 * Value pair) with its own box, and the block it belongs to.
 */
export interface Source {
  block: DocBlock;
  box: Box;
  content: string;
}

/** One line of text in reading order, with an estimated box (blocks may hold several lines). */
export interface Line {
  text: string;
  box: Box;
  block: DocBlock;
  /** Position in reading order across the document. */
  order: number;
}

/** A label and the value written next to it. */
export interface Pair {
  label: string;
  value: string;
  source: Source;
  /** How the pair was found; explicit pairs beat geometric guesses. */
  kind: 'key-value' | 'colon' | 'right' | 'below' | 'cell';
  order: number;
}

/** A table with its header row text per column and its data rows. */
export interface TableView {
  block: DocBlock;
  headers: string[];
  rows: Array<Array<TableCell | undefined>>;
  order: number;
}

const PAIR_IN_TEXT = /^\s*([^:：]{1,60}?)\s*[:：]\s*(.*)$/;

/** Everything extraction looks at, computed once per document. */
export class DocumentIndex {
  readonly lines: Line[] = [];
  readonly pairs: Pair[] = [];
  readonly tables: TableView[] = [];

  constructor(readonly doc: ParsedDocument) {
    let order = 0;
    for (const block of doc.blocks) {
      if (block.type === 'Table' && block.table) {
        this.tables.push(tableView(block, order));
        const rows = tableLines(block, order);
        this.lines.push(...rows);
        order += block.table.rows + 1;
        continue;
      }
      if (block.type === 'Key Value' && block.key !== undefined && block.value !== undefined) {
        this.pairs.push({ label: block.key, value: block.value, kind: 'key-value', order, source: { block, box: block.box, content: block.value } });
      }
      const texts = block.text.split(/\r?\n/).map((t) => t.trim());
      const n = Math.max(1, texts.length);
      texts.forEach((text, i) => {
        if (!text) return;
        const box = { ...block.box, top: block.box.top + (block.box.height * i) / n, height: block.box.height / n };
        this.lines.push({ text, box, block, order: order++ });
      });
    }
    for (const line of this.lines) this.pairs.push(...colonPairs(line));
    this.pairs.push(...neighbourPairs(this.lines));
    for (const t of this.tables) this.pairs.push(...cellPairs(t));
  }

  private reading?: ReadingContext;

  /** How this document writes values (dates day or month first), judged from all its text once. */
  get context(): ReadingContext {
    this.reading ??= { dayFirst: writesDayFirst(this.lines.map((l) => l.text)) };
    return this.reading;
  }

  /** Lines on a page, top to bottom. */
  pageLines(page: number): Line[] {
    return this.lines.filter((l) => l.box.page === page);
  }
}

/** "Invoice No: 42   Due Date: 2024-01-05" → two pairs. */
export function colonPairs(line: Line): Pair[] {
  const out: Pair[] = [];
  let cursor = 0;
  for (const segment of splitPairs(line.text)) {
    const start = line.text.indexOf(segment, cursor);
    cursor = start + segment.length;
    const m = PAIR_IN_TEXT.exec(segment);
    if (!m || !/[a-z]/i.test(m[1]) || /https?$/i.test(m[1])) continue;
    const value = m[2].trim();
    if (!value) continue;
    const offset = start + segment.lastIndexOf(value);
    out.push({ label: m[1], value, kind: line.block.type === 'Key Value' ? 'key-value' : 'colon', order: line.order, source: { block: line.block, box: sliceBox(line.box, offset, value.length, line.text.length), content: value } });
  }
  return out;
}

/** Words that commonly start a two-word label ("Due Date", "Invoice No"). */
const LABEL_LEADS = new Set(['invoice', 'due', 'issue', 'order', 'account', 'total', 'tax', 'customer', 'phone', 'email',
  'reference', 'ref', 'po', 'bill', 'ship', 'payment', 'sub', 'net', 'gross', 'unit', 'amount', 'balance', 'statement',
  'start', 'end', 'effective', 'receipt', 'company', 'vendor', 'contract', 'policy', 'routing', 'opening', 'closing']);

/** Cut a line into "label: value" segments: at wide gaps, and before each later label. */
function splitPairs(text: string): string[] {
  const out: string[] = [];
  for (const seg of text.split(/\s{2,}|\t/)) {
    const words = seg.split(' ');
    let current: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const isLabelEnd = /[:：]$/.test(w) && current.some((c) => /[:：]$/.test(c));
      if (isLabelEnd) {
        // The label is this word, plus the previous one if it usually leads a label.
        const take = current.length >= 3 && LABEL_LEADS.has(current[current.length - 1].toLowerCase()) ? 1 : 0;
        out.push(current.slice(0, current.length - take).join(' '));
        current = current.slice(current.length - take);
      }
      current.push(w);
    }
    if (current.length) out.push(current.join(' '));
  }
  // "TOTAL :" followed by a wide gap and the amount is one pair.
  const joined: string[] = [];
  for (const seg of out) {
    const prev = joined[joined.length - 1];
    if (prev !== undefined && /[:：]\s*$/.test(prev) && !/[:：]\s*$/.test(seg)) joined[joined.length - 1] = `${prev} ${seg}`;
    else joined.push(seg);
  }
  return joined.filter((s) => s.trim());
}

/** The horizontal share of a line's box taken by a substring (a fair estimate for citations). */
function sliceBox(box: Box, start: number, length: number, total: number): Box {
  if (start < 0 || total === 0) return box;
  return { ...box, left: box.left + (box.width * start) / total, width: (box.width * length) / total };
}

/**
 * Label-near-value: a short line (or one ending in ":") with a value on the same row to its
 * right, or directly below it. Forms and receipts are laid out this way.
 */
function neighbourPairs(lines: Line[]): Pair[] {
  const out: Pair[] = [];
  for (const label of lines) {
    const text = label.text.replace(/[:：]\s*$/, '').trim();
    // "TOTAL SALES (INCLUSIVE OF GST):" is a four-word label; the parenthesis qualifies it.
    const words = text.replace(/\([^)]*\)/g, ' ').trim().split(/\s+/);
    if (words.length > 5 || !/[a-z]/i.test(text)) continue;
    const right = rightOf(lines, label);
    if (right.length) {
      const value = right.map((r) => r.text).join(' ');
      out.push({ label: text, value, kind: 'right', order: label.order, source: { block: right[0].block, box: union(right.map((r) => r.box)), content: value } });
    }
    const below = lines.find((l) => l.order > label.order && l.box.page === label.box.page
      && l.box.top >= label.box.top + label.box.height * 0.5 && l.box.top - (label.box.top + label.box.height) < label.box.height * 1.5
      && l.box.left < label.box.left + label.box.width && l.box.left + l.box.width > label.box.left);
    if (below && (label.text.trim().endsWith(':') || words.length <= 3)) {
      // "CASH" over "RM   170.00": a bare currency below the label, its amount right of it.
      const taken = CURRENCY_ONLY.test(below.text.trim()) ? [below, ...rightOf(lines, below)] : [below];
      const value = taken.map((l) => l.text).join(' ');
      out.push({ label: text, value, kind: 'below', order: label.order, source: { block: below.block, box: union(taken.map((l) => l.box)), content: value } });
    }
  }
  return out;
}

const CURRENCY_ONLY = /^(rm|myr|usd|sgd|eur|gbp|rs|inr|[$€£¥₹])$/i;

/** The lines on the same row as `line`, right of it, left to right. */
export function rightOf(lines: Line[], line: Line): Line[] {
  const cy = line.box.top + line.box.height / 2;
  return lines
    .filter((l) => l !== line && l.box.page === line.box.page && l.box.left >= line.box.left + line.box.width - 0.005
      && Math.abs(l.box.top + l.box.height / 2 - cy) < line.box.height * 0.6)
    .sort((a, b) => a.box.left - b.box.left);
}

export function union(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { ...boxes[0], left, top, width: right - left, height: bottom - top };
}

function tableView(block: DocBlock, order: number): TableView {
  const t = block.table!;
  const grid: Array<Array<TableCell | undefined>> = Array.from({ length: t.rows }, () => new Array(t.cols).fill(undefined));
  for (const c of t.cells) {
    for (let r = c.row; r < c.row + c.rowSpan && r < t.rows; r++) {
      for (let k = c.col; k < c.col + c.colSpan && k < t.cols; k++) grid[r][k] = c;
    }
  }
  const headerRows = Math.max(t.headerRows, t.headerRows === 0 && looksLikeHeader(grid[0]) ? 1 : 0);
  const headers = Array.from({ length: t.cols }, (_, k) => {
    const parts: string[] = [];
    for (let r = 0; r < headerRows; r++) {
      const text = grid[r][k]?.text.trim();
      if (text && parts[parts.length - 1] !== text) parts.push(text);
    }
    return parts.join(' ');
  });
  return { block, headers, rows: grid.slice(headerRows), order };
}

/** Without a marked header row, a first row of short non-numeric cells is taken as the header. */
function looksLikeHeader(row: Array<TableCell | undefined> | undefined): boolean {
  if (!row || row.length < 2) return false;
  return row.every((c) => !c || (c.text.length < 40 && !/\d[\d.,]*\s*$/.test(c.text.trim())));
}

/**
 * One line per table row; a row whose cells hold several printed lines ("3 No" / "SUBTOTAL
 * RM20.40" / "CASH RM20.40" read into one cell) gives one line per printed line, the k-th
 * line of each cell side by side, with boxes estimated by splitting the row's height.
 */
function tableLines(block: DocBlock, order: number): Line[] {
  const t = block.table!;
  const byRow = new Map<number, TableCell[]>();
  for (const c of t.cells) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  return [...byRow.entries()].sort((a, b) => a[0] - b[0]).flatMap(([row, cells]) => {
    const sorted = cells.sort((a, b) => a.col - b.col);
    const boxes = sorted.map((c) => c.box).filter((b): b is Box => Boolean(b));
    const box = boxes.length ? union(boxes) : block.box;
    const texts = sorted.map((c) => c.text.split(/\r?\n/).map((l) => l.trim()));
    const n = Math.max(...texts.map((l) => l.length));
    if (n <= 1) return [{ text: sorted.map((c) => c.text).join('  '), box, block, order: order + row }];
    const out: Line[] = [];
    for (let k = 0; k < n; k++) {
      const text = texts.map((l) => l[k] ?? '').filter(Boolean).join('  ');
      // Sub-lines keep the row's place in reading order, in order among themselves.
      if (text) out.push({ text, box: { ...box, top: box.top + (box.height * k) / n, height: box.height / n }, block, order: order + row + k / n });
    }
    return out;
  });
}

/** Row label → cell pairs, and header → cell pairs for single-row tables. */
function cellPairs(t: TableView): Pair[] {
  const out: Pair[] = [];
  const cite = (c: TableCell): Source => ({ block: t.block, box: c.box ?? t.block.box, content: c.text });
  const headerRows = t.block.table!.rows - t.rows.length;
  for (const [r, row] of t.rows.entries()) {
    // The row label is the first filled cell (receipts indent "GRAND TOTAL :" into a middle column).
    const cells = row.filter((c, k): c is TableCell => Boolean(c && c.text.trim() && row.indexOf(c) === k));
    const first = cells[0];
    const value = cells[cells.length - 1];
    if (first && cells.length === 1) {
      out.push(...labelledAmountCell(first, t.order + headerRows + r, cite(first)));
      continue;
    }
    if (!first || cells.length < 2) continue;
    out.push({ label: first.text, value: value.text, kind: 'cell', order: t.order + headerRows + r, source: cite(value) });
  }
  if (t.rows.length === 1) {
    t.headers.forEach((h, k) => {
      const c = t.rows[0][k];
      if (h && c?.text.trim()) out.push({ label: h, value: c.text, kind: 'cell', order: t.order, source: cite(c) });
    });
  }
  return out;
}

/**
 * A row whose one cell reads "Total Sales (Inclusive of GST) 54.50": the label and its figure
 * read as one piece (set closer than the table's column gap, or misjoined by OCR). Only a
 * label of words (no figures, no colon) ending in a money amount is split off.
 */
function labelledAmountCell(cell: TableCell, order: number, source: Source): Pair[] {
  const m = /^([^\d:：]*\p{L}[^\d:：]*?)\s+((?:[A-Z]{2,3}\s?|[$€£¥₹]\s?)?\d[\d,]*[.,]\d{2})$/u.exec(mendAmounts(cell.text.trim()));
  if (!m) return [];
  return [{ label: m[1], value: m[2], kind: 'cell', order, source: { ...source, content: m[2] } }];
}

/**
 * The part of a block that shows a value: the table cell or text line containing it (box
 * estimated for lines), else the whole block. Used to cite values a model read from a block.
 */
export function locate(block: DocBlock, value: unknown): Source {
  const needle = normaliseForSearch(String(value));
  if (!needle) return { block, box: block.box, content: block.text };
  if (block.table) {
    const cell = block.table.cells.find((c) => normaliseForSearch(c.text).includes(needle));
    if (cell) return { block, box: cell.box ?? block.box, content: cell.text };
  }
  const lines = block.text.split(/\r?\n/);
  const i = lines.findIndex((l) => normaliseForSearch(l).includes(needle));
  if (i < 0 || lines.length === 1) return { block, box: block.box, content: i < 0 ? block.text : lines[i] };
  const n = lines.length;
  return { block, box: { ...block.box, top: block.box.top + (block.box.height * i) / n, height: block.box.height / n }, content: lines[i] };
}

/** Lower case, no separators: "1,575.00" and "1575" meet as "157500"/"1575" prefixes. */
function normaliseForSearch(s: string): string {
  return s.toLowerCase().replace(/[\s,$€£]/g, '').replace(/\.0+$/, '');
}
