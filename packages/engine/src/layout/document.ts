import type { Box, DocBlock, Rect } from '../model.ts';
import type { ParseOptions } from '../options.ts';
import type { LayoutBlock, PageLayout } from './types.ts';
import { FIELD_LABEL, isAllCaps, isCaption, isSectionNumber, LINE_BREAK_HYPHEN } from './paragraphs.ts';

/** Blocks whose middle lies in this top/bottom share of the page may be page furniture. */
const MARGIN_ZONE = 0.1;
const PAGE_NUMBER = /^(?:page\s*)?[-–(]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;
const NUMBERED_HEADING = /^\(?((?:\d{1,2}[.-])*\d{1,2}|[A-Z]|[IVX]{1,5})(?:\.|\)|-)?\s+\S/;

const furnitureKey = (text: string) => text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

function toBox(r: Rect, p: PageLayout): Box {
  const left = Math.max(0, r.x0 / p.width);
  const top = Math.max(0, r.y0 / p.height);
  return {
    left, top,
    width: Math.min(1 - left, Math.max(0, (r.x1 - r.x0) / p.width)),
    height: Math.min(1 - top, Math.max(0, (r.y1 - r.y0) / p.height)),
    page: p.page,
    original_page: p.originalPage,
  };
}

/** The font size carrying the most characters: the body text. */
function bodyFontSize(pages: PageLayout[]): { size: number; boldShare: number } {
  const chars = new Map<number, number>();
  const bold = new Map<number, number>();
  for (const p of pages) {
    for (const [k, n] of p.fontChars) chars.set(k, (chars.get(k) ?? 0) + n);
    for (const [k, n] of p.boldChars) bold.set(k, (bold.get(k) ?? 0) + n);
  }
  let size = 10, best = -1;
  for (const [k, n] of chars) if (n > best) { best = n; size = k; }
  return { size, boldShare: (bold.get(size) ?? 0) / (best || 1) };
}

/**
 * Document-level decisions: repeated page furniture, page numbers, title and heading levels
 * from font statistics and numbering, list nesting, key-value pairs; then normalised boxes.
 */
export function finalizeLayout(pages: PageLayout[], options: ParseOptions = {}): DocBlock[] {
  resolveLineBreakHyphens(pages, options.formatting?.join_hyphenated_words === true);
  markFurniture(pages);
  const body = bodyFontSize(pages);
  markHeadings(pages, body.size, body.boldShare > 0.5);
  for (const p of pages) nestLists(p.blocks);
  for (const p of pages) for (const b of p.blocks) markKeyValue(b);
  return pages.flatMap((p) => p.blocks.map((b) => toDocBlock(b, p)));
}

/**
 * A hyphen at a line end stays as printed unless the caller asks to join broken words. Then a
 * word hyphenated at a line end is one word ("experimen-" + "tation") unless both halves are
 * words the document uses on their own and it never writes them as one: then it is a compound
 * ("background-" + "free") and keeps its hyphen, instead of becoming "backgroundfree".
 */
function resolveLineBreakHyphens(pages: PageLayout[], join: boolean): void {
  const marked = new RegExp(`(\\p{L}+)${LINE_BREAK_HYPHEN}(\\p{L}+)`, 'gu');
  // Paragraphs carry their text in `text`; figures and tables carry their caption's.
  const fields: Array<{ block: LayoutBlock; key: 'text' | 'caption' }> = pages.flatMap((p) => p.blocks.map((block) => ({ block, key: block.kind === 'text' ? 'text' as const : 'caption' as const })));
  const read = (f: (typeof fields)[number]) => f.block[f.key] ?? '';
  if (!fields.some((f) => read(f).includes(LINE_BREAK_HYPHEN))) return;
  if (!join) {
    for (const f of fields) if (read(f).includes(LINE_BREAK_HYPHEN)) f.block[f.key] = read(f).replaceAll(LINE_BREAK_HYPHEN, '-');
    return;
  }
  const vocabulary = new Set<string>();
  for (const f of fields) {
    for (const w of read(f).replace(marked, ' ').toLowerCase().match(/\p{L}+/gu) ?? []) vocabulary.add(w);
  }
  for (const f of fields) {
    const text = read(f);
    if (!text.includes(LINE_BREAK_HYPHEN)) continue;
    f.block[f.key] = text
      .replace(marked, (_, head: string, tail: string) => {
        const [h, t] = [head.toLowerCase(), tail.toLowerCase()];
        const compound = !vocabulary.has(h + t) && vocabulary.has(h) && vocabulary.has(t) && h.length > 1 && t.length > 1;
        return compound ? `${head}-${tail}` : `${head}${tail}`;
      })
      .replaceAll(LINE_BREAK_HYPHEN, '-');
  }
}

function markFurniture(pages: PageLayout[]): void {
  const seen = new Map<string, Set<number>>();
  const zoneOf = (b: LayoutBlock, p: PageLayout) => {
    const mid = (b.rect.y0 + b.rect.y1) / 2 / p.height;
    return mid < MARGIN_ZONE ? 'top' : mid > 1 - MARGIN_ZONE ? 'bottom' : null;
  };
  for (const p of pages) {
    for (const b of p.blocks) {
      const zone = b.kind === 'text' ? zoneOf(b, p) : null;
      if (!zone) continue;
      const key = `${zone}:${furnitureKey(b.text)}`;
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(p.page);
    }
  }
  const minPages = Math.max(2, Math.ceil(pages.length * 0.3));
  for (const p of pages) {
    for (const b of p.blocks) {
      const zone = b.kind === 'text' ? zoneOf(b, p) : null;
      if (!zone) continue;
      const text = b.text.trim();
      if (PAGE_NUMBER.test(text) && text.length <= 16) { b.type = 'Page Number'; continue; }
      const repeated = (seen.get(`${zone}:${furnitureKey(text)}`)?.size ?? 0) >= minPages;
      if (repeated && pages.length > 1) b.type = zone === 'top' ? 'Header' : 'Footer';
    }
    // A short line in the margin, level with the page number: the running title beside it.
    for (const n of p.blocks.filter((b) => b.type === 'Page Number')) {
      for (const b of p.blocks) {
        if (b.type !== 'Text' && b.type !== 'List Item') continue;
        const zone = zoneOf(b, p);
        if (!zone || zone !== zoneOf(n, p) || b.lines.length > 1 || b.text.length > 80) continue;
        const overlap = Math.min(b.rect.y1, n.rect.y1) - Math.max(b.rect.y0, n.rect.y0);
        if (overlap > 0.5 * Math.min(b.rect.y1 - b.rect.y0, n.rect.y1 - n.rect.y0)) b.type = zone === 'top' ? 'Header' : 'Footer';
      }
    }
  }
}

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const DATE = new RegExp(`^(?:\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|${MONTH}\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})$`, 'i');

/**
 * A line of a table of contents: the entry's page number stands alone at the right end of
 * the same line ("1 Introduction ........ 1"), which no heading has.
 */
function isContentsEntry(b: LayoutBlock, page: PageLayout): boolean {
  return page.blocks.some((n) => n !== b && n.kind === 'text' && /^(?:\d{1,4}|[ivxlc]{1,6})$/i.test(n.text.trim())
    && n.rect.x0 > b.rect.x1 && n.rect.x0 > 0.6 * page.width
    && Math.min(n.rect.y1, b.rect.y1) - Math.max(n.rect.y0, b.rect.y0) > 0.5 * Math.min(n.rect.y1 - n.rect.y0, b.rect.y1 - b.rect.y0));
}

function headingCandidate(b: LayoutBlock, body: number, bodyBold: boolean, ocr = false): boolean {
  if (b.kind !== 'text' || b.equation || (b.type !== 'Text' && b.type !== 'List Item')) return false;
  const text = b.text.trim();
  const words = text.split(/\s+/).length;
  if (!text || words > 20 || b.lines.length > 3 || !/\p{L}/u.test(text)) return false;
  // A bold section number and its title on one line ("2.1.1 [X] ∼ δ"): a heading even when
  // the title is a formula, without a word in it.
  const [lead, ...rest] = b.lines;
  if (!bodyBold && !ocr && rest.length > 0 && isSectionNumber(lead) && words <= 12 && rest.every((l) => Math.abs(l.rect.y1 - lead.rect.y1) < 0.2 * lead.fontSize)) return true;
  // A heading has a word in it: a lone math variable set large ("u", "n k") is none.
  if (!/\p{L}{3}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text)) return false;
  // A heading starts with a capital (or a number): a line that starts in lower case goes on
  // from the line before it, however large OCR measured it.
  if (/^\p{Ll}/u.test(text) && b.type !== 'List Item') return false;
  if (b.runIn) return true;
  // An issue or reference number ("No. 1695", "제1695호") is not a heading.
  if (/\d/.test(text) && (text.match(/\p{L}/gu)?.length ?? 0) < 3) return false;
  if (/[.,;]$/.test(text) && !/^\S+\.$/.test(text)) return false;
  // A word broken at the line end continues on the next line: running text.
  if (/\p{L}-$/u.test(text)) return false;
  // A date under a title ("May 29, 2020") is set apart like a heading but heads nothing, nor
  // does a title page's field label ("Keywords:").
  if (DATE.test(text) || FIELD_LABEL.test(text)) return false;
  // OCR measures sizes from the ink, so a line of body text may come out a tenth larger.
  const larger = b.fontSize >= body * (ocr ? 1.3 : 1.12);
  // Small capitals set a heading apart as bold does.
  const bolder = ((b.bold && !bodyBold) || Boolean(b.smallCaps)) && words <= 14;
  const full = b.type === 'List Item' ? `${b.listMarker} ${text}` : text;
  const numbered = NUMBERED_HEADING.test(full);
  // Numbered, short, on a line of its own, set in capitals or italics: "IV. RESULTS", "A. Data sets".
  // Numbered and set a little larger than the body: "(1) Scope of the review".
  const styled = numbered && b.lines.length === 1 && words <= 8 && (isAllCaps(text) || Boolean(b.italic));
  const numberedLarger = numbered && b.lines.length <= 2 && b.fontSize >= body * (ocr ? 1.2 : 1.05);
  // A line of its own numbered like a subsection ("4.2. Electric field distribution"), even
  // when it is set in the body font: list items are numbered "1." or "a)", not "4.2.".
  const subsection = b.lines.length === 1 && words <= 12 && /^\d{1,2}(?:\.\d{1,2})+\.?\s+\p{Lu}/u.test(full) && !/[.:]$/.test(text);
  // OCR sizes wander by a line: an unnumbered line of running text may measure large. Headings
  // are short.
  if (ocr && !numbered && words > 8) return false;
  if (b.type === 'List Item') return ((larger || bolder) && numbered) || styled || numberedLarger || subsection;
  return larger || bolder || styled || numberedLarger || subsection;
}

/** "Mourad Choulli and Laurent Kayser", "A. Smith, B. Jones": two or more people's names. */
function isByline(text: string): boolean {
  const names = text.replace(/\s+/g, ' ').trim().split(/\s*(?:,|\band\b|&)\s*/u).filter(Boolean);
  const name = /^(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}\p{Lu}[\p{L}'’-]+[\d*†‡]*$/u;
  return names.length >= 2 && names.every((n) => name.test(n));
}

function markHeadings(pages: PageLayout[], body: number, bodyBold: boolean): void {
  let candidates = pages.flatMap((p) => p.blocks.filter((b) => headingCandidate(b, body, bodyBold, p.ocr) && !isContentsEntry(b, p)).map((b) => ({ b, p })));
  if (candidates.length === 0) return;
  // Title: the largest heading on the first page when it clearly stands out.
  const first = candidates.filter((c) => c.p === pages[0] && c.b.rect.y0 < c.p.height * 0.5);
  const maxSize = Math.max(...candidates.map((c) => c.b.fontSize));
  // Some classes set it only a size up, in bold (REVTeX's \large bold title): then it must
  // also open the page's headings, unnumbered (a first section "1 Scope" is set so too).
  const title = first.find((c, i) => c.b.fontSize >= maxSize - 0.5
    && (c.b.fontSize >= body * 1.4
      || (i === 0 && c.b.bold && !c.b.runIn && !NUMBERED_HEADING.test(c.b.text) && c.b.fontSize >= body * 1.15)));
  // The authors' names under the title are set large too, but are no heading.
  if (title) {
    const next = title.p.blocks[title.p.blocks.indexOf(title.b) + 1];
    if (next && !next.bold && isByline(next.text)) candidates = candidates.filter((c) => c.b !== next);
  }
  // Section levels: distinct sizes (and bold at body size) ranked largest first.
  const rankKey = (b: LayoutBlock) => Math.round(b.fontSize * 2) / 2 + (b.bold ? 0.25 : 0);
  const ranks = [...new Set(candidates.filter((c) => c !== title).map((c) => rankKey(c.b)))].sort((a, b) => b - a);
  for (const c of candidates) {
    const b = c.b;
    if (b.type === 'List Item') { b.text = `${b.listMarker} ${b.text}`; b.listMarker = undefined; }
    if (c === title) { b.type = 'Title'; b.level = 1; continue; }
    b.type = 'Section Header';
    const numbering = /^((?:\d{1,2}[.-])*\d{1,2})[.-]?\s/.exec(b.text);
    b.level = numbering
      ? Math.min(6, 1 + numbering[1].split(/[.-]/).length)
      : Math.min(6, 2 + ranks.indexOf(rankKey(b)));
  }
}

/** List nesting from indentation: deeper x-offsets within a run of consecutive list items. */
function nestLists(blocks: LayoutBlock[]): void {
  let run: LayoutBlock[] = [];
  const flush = () => {
    const lefts: number[] = [];
    for (const b of run) {
      const x = b.rect.x0;
      if (!lefts.some((l) => Math.abs(l - x) < 4)) lefts.push(x);
    }
    lefts.sort((a, b) => a - b);
    for (const b of run) b.listLevel = Math.min(5, lefts.findIndex((l) => Math.abs(l - b.rect.x0) < 4));
    run = [];
  };
  for (const b of blocks) {
    if (b.type === 'List Item') run.push(b);
    else if (b.type !== 'Header' && b.type !== 'Footer' && b.type !== 'Page Number') flush();
  }
  flush();
}

/** "Invoice number: 12345" on a single line: a Key Value block. */
function markKeyValue(b: LayoutBlock): void {
  if (b.type !== 'Text' || b.lines.length !== 1 || isCaption(b.text)) return;
  const m = /^([^:]{1,40}):\s+(\S.*)$/.exec(b.text);
  if (!m || m[1].split(/\s+/).length > 5 || m[2].length > 80) return;
  b.type = 'Key Value';
  b.key = m[1].trim();
  b.value = m[2].trim();
}

function toDocBlock(b: LayoutBlock, p: PageLayout): DocBlock {
  const block: DocBlock = { type: b.type, box: toBox(b.rect, p), text: b.text, confidence: Math.max(0, Math.min(1, b.confidence)) };
  if (b.level !== undefined) block.level = b.level;
  if (b.listLevel !== undefined) block.listLevel = b.listLevel;
  if (b.listMarker !== undefined) block.listMarker = b.listMarker;
  if (b.key !== undefined) { block.key = b.key; block.value = b.value; }
  if (b.caption) block.caption = b.caption;
  if (b.captionIsBlock) block.captionIsBlock = true;
  // A figure reads as its own words (a chart's labels), then its caption.
  if (b.kind === 'figure') block.text = [b.lines.map((l) => l.text).join(' '), b.caption].filter(Boolean).join('\n');
  if (b.table) {
    block.table = {
      ...b.table,
      cells: b.table.cells.map((c, i) => (b.cellRects?.[i] ? { ...c, box: toBox(b.cellRects[i], p) } : c)),
    };
  }
  return block;
}
