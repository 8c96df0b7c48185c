import type { Segment } from './lines.ts';
import { makeSegment, unionRect } from './lines.ts';
import type { LayoutBlock } from './types.ts';

/** A bullet or enumerator at the start of a line, and the text after it. */
const LIST_MARKER = /^(?:([•●○◦▪▫■□►▸‣⁃∙·\-–—*✓✔➢➤☐☑☒❑❒\u0080-\u009F\uE000-\uF8FF])|(\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)]))\s+(?=\S)/u;

export function listMarkerOf(text: string): { marker: string; rest: string } | null {
  const m = LIST_MARKER.exec(text);
  if (!m) return null;
  const marker = (m[1] ?? m[2]).trim();
  // "A. Smith" or "e.g." are not lists: single letters need a closing bracket or a following capital.
  if (/^[a-zA-Z][.]$/.test(marker) && !/^\s*[A-Z]/.test(text.slice(m[0].length))) return null;
  return { marker, rest: text.slice(m[0].length) };
}

/** Marks a hyphen at a line end until the document's vocabulary says whether the word was broken or compound. */
export const LINE_BREAK_HYPHEN = '\u00AD';

/** Join a block's lines, repairing words hyphenated across line ends. */
export function joinLines(lines: Segment[]): string {
  let text = '';
  let prev: Segment | undefined;
  for (const line of lines) {
    const t = line.text.trim();
    // A hyphen ends the text so far and a lower-case letter starts the line (tested first:
    // the patterns below are tried at every position of the growing text).
    const broken = text.endsWith('-') && /^\p{Ll}/u.test(t);
    if (!text) text = t;
    else if (prev && sameLine(prev, line)) text += ` ${t}`;
    // "part-of-" + "speech": a compound already hyphenated keeps its hyphen.
    else if (broken && /\p{L}-\p{L}+-$/u.test(text)) text += t;
    // "experimen-" + "tation" or "background-" + "free": which one is decided for the whole
    // document once its vocabulary is known (see resolveLineBreakHyphens).
    else if (broken && /\p{L}-$/u.test(text)) text = text.slice(0, -1) + LINE_BREAK_HYPHEN + t;
    else text += `\n${t}`;
    prev = line;
  }
  return text;
}

/**
 * Upper-case letters only (at least three), as in small-caps or capitalised headings. In a
 * script without case (Korean, Chinese) a code such as "S80" does not make the line capitals.
 */
export function isAllCaps(text: string): boolean {
  // A lower-case letter settles it (most lines have one), before the letters are counted.
  if (/\p{Ll}/u.test(text)) return false;
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  return letters.length >= 3 && upper >= 0.5 * letters.length;
}

const isCaption = (text: string) => /^(fig(ure)?|table|tab|chart|exhibit|plate)\.?\s*[\dIVXivx]+[.:]?(\s|$)/i.test(text);

/**
 * Group segments (already in reading order) into paragraphs: a new block starts at a wider
 * vertical gap, a change of font size or weight, a shift of column, or a list marker.
 */
export function paragraphs(segments: Segment[]): LayoutBlock[] {
  const blocks: LayoutBlock[] = [];
  let cur: Segment[] = [];
  const flush = () => {
    if (cur.length === 0) return;
    const text = joinLines(cur);
    const chars = cur.reduce((s, l) => s + l.text.length, 0) || 1;
    blocks.push({
      kind: 'text', type: 'Text', rect: unionRect(cur.map((l) => l.rect)), lines: cur, text,
      fontSize: cur.reduce((s, l) => s + l.fontSize * l.text.length, 0) / chars,
      bold: cur.every((l) => l.bold),
      italic: cur.every((l) => l.italic),
      smallCaps: cur.every((l) => l.smallCaps),
      confidence: Math.min(...cur.map((l) => l.confidence)) * 0.95,
    });
    cur = [];
  };
  for (const seg of segments) {
    const prev = cur[cur.length - 1];
    if (prev && !continues(prev, seg, cur)) flush();
    cur.push(seg);
  }
  flush();
  return blocks;
}

function continues(prev: Segment, seg: Segment, block: Segment[]): boolean {
  const size = Math.max(prev.fontSize, seg.fontSize);
  // The next piece of the same line, after a wide space (justified or right-to-left text).
  if (sameLine(prev, seg) && Math.abs(prev.fontSize - seg.fontSize) <= 0.07 * size && prev.bold === seg.bold) return true;
  // A section number set in bold keeps the title after it, whatever the title's font (a formula).
  if (block.length === 1 && sameLine(prev, seg) && isSectionNumber(prev)) return true;
  const gap = seg.rect.y0 - prev.rect.y1;
  if (gap < -0.3 * size || gap > 0.75 * size) return false;
  // OCR measures each line's size from its ink (capitals, descenders): it wanders more.
  const ocr = prev.runs[0]?.word && seg.runs[0]?.word;
  if (Math.abs(prev.fontSize - seg.fontSize) > (ocr ? 0.2 : 0.07) * size) return false;
  // A change of weight, or of slant, ends a paragraph (a heading's lines may mix weights).
  const reweighted = Math.abs(prev.boldShare - seg.boldShare) > 0.5;
  if ((reweighted || prev.italic !== seg.italic || prev.smallCaps !== seg.smallCaps) && (block.length > 1 || prev.text.length < 80)) return false;
  // A short all-capitals first line ("IV. RESULTS") is a heading of its own.
  if (block.length === 1 && isAllCaps(prev.text) && !isAllCaps(seg.text) && prev.text.length < 60) return false;
  // Same column: horizontal overlap.
  const overlap = Math.min(prev.rect.x1, seg.rect.x1) - Math.max(prev.rect.x0, seg.rect.x0);
  if (overlap < 0.3 * Math.min(prev.rect.x1 - prev.rect.x0, seg.rect.x1 - seg.rect.x0)) return false;
  if (listMarkerOf(seg.text) || isCaption(seg.text)) return false;
  // A short previous line that ends a sentence ends the paragraph.
  let blockRight = -Infinity, left = Infinity;
  for (const l of block) { blockRight = Math.max(blockRight, l.rect.x1); left = Math.min(left, l.rect.x0); }
  if (/[.:!?]$/.test(prev.text) && prev.rect.x1 < blockRight - 3 * size && block.length > 1) return false;
  // An indented first line after a full line starts a new paragraph.
  if (block.length > 1 && seg.rect.x0 > left + 1.2 * size && seg.rect.x0 - left < 6 * size && /[.:!?]$/.test(prev.text)) return false;
  return true;
}

/** A bold section number alone ("2.1", "2.1.1"): multi-level, so not a list's "1.". */
export function isSectionNumber(seg: Segment): boolean {
  return seg.bold && /^\d{1,2}(?:\.\d{1,2}){1,3}\.?$/.test(seg.text.trim());
}

/** `seg` follows `prev` on the same baseline, in either reading direction, a few spaces away. */
function sameLine(prev: Segment, seg: Segment): boolean {
  const size = Math.max(prev.fontSize, seg.fontSize);
  if (Math.abs(prev.rect.y1 - seg.rect.y1) > 0.2 * size) return false;
  const after = seg.rect.x0 - prev.rect.x1, before = prev.rect.x0 - seg.rect.x1;
  const gap = Math.max(after, before);
  return gap > -0.2 * size && gap < 4 * size;
}


/**
 * A paragraph that opens with a few bold words set off by a period, a colon or a wide space
 * ("**Banach's claim.** The question …", LaTeX's \\paragraph) opens with a heading of its
 * own: split it off. One bold word ("Note:") or a numbered label ("Theorem 2.") is a lead-in,
 * not a section.
 */
/**
 * Front-matter labels set in bold before their value ("Key words:", "Mathematics Subject
 * Classification.", "PACS numbers:"): a field of the title page, not the head of a section.
 */
export const FIELD_LABEL = /^(?:key\s*words?|index terms|(?:\d{4}\s+)?(?:mathematics|ams|msc)\b.*\bclassifications?|msc(?:\s*\d{4})?|pacs(?:\s+numbers?)?|jel(?:\s+(?:codes?|classifications?))?)\s*[.:]?$/i;

export function splitRunInHeadings(blocks: LayoutBlock[]): LayoutBlock[] {
  return blocks.flatMap((b) => {
    if (b.kind !== 'text' || b.bold || b.lines.length === 0) return [b];
    const runs = b.lines[0].runs;
    let k = 0;
    while (k < runs.length && runs[k].bold) k++;
    if (k === 0 || k === runs.length || runs.slice(k).some((r) => r.bold)) return [b];
    const lead = makeSegment(runs.slice(0, k));
    const rest = makeSegment(runs.slice(k));
    const text = lead.text.trim();
    const words = text.split(/\s+/).length;
    const setOff = /[.:]$/.test(text) || runs[k].rect.x0 - runs[k - 1].rect.x1 >= 0.6 * lead.fontSize;
    if (words < 2 || words > 10 || !setOff || !/\p{L}{3}/u.test(text) || /\d[.:)]?$/.test(text) || !b.text.startsWith(lead.text)) return [b];
    if (FIELD_LABEL.test(text)) return [b];
    const heading: LayoutBlock = { ...b, rect: lead.rect, lines: [lead], text, fontSize: lead.fontSize, bold: true, italic: lead.italic, runIn: true };
    const lines = [rest, ...b.lines.slice(1)];
    const body: LayoutBlock = { ...b, rect: unionRect(lines.map((l) => l.rect)), lines, text: b.text.slice(lead.text.length).trimStart() };
    return [heading, body];
  });
}

export { isCaption };
