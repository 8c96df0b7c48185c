import type { DocBlock } from '../model.ts';
import type { ChunkMode } from '../options.ts';

/** Documented bounds of `variable` chunks when no chunk_size is given. */
export const VARIABLE_MIN = 250;
export const VARIABLE_MAX = 1500;

export interface ChunkPlan {
  mode: ChunkMode;
  /** Target size in characters (variable mode: ±25 %). */
  size?: number | null;
}

/** What chunking needs to know about each block. */
export interface ChunkItem {
  block: DocBlock;
  /** Rendered length in characters (0 for filtered blocks, which ride along silently). */
  length: number;
}

const isHeading = (b: DocBlock) => b.type === 'Title' || b.type === 'Section Header';

/**
 * Group blocks (in reading order) into chunks; returns the block indices of each chunk.
 * Blocks are never split: a block larger than the target becomes a chunk of its own.
 */
export function planChunks(items: ChunkItem[], plan: ChunkPlan): number[][] {
  if (items.length === 0) return plan.mode === 'disabled' ? [[]] : [];
  switch (plan.mode) {
    case 'disabled': return [items.map((_, i) => i)];
    case 'block': return byBlock(items);
    case 'page': return splitWhere(items, (prev, cur) => cur.block.box.page !== prev.block.box.page);
    case 'section': return splitWhere(items, (_prev, cur) => isHeading(cur.block));
    case 'page_sections':
      return splitWhere(items, (prev, cur) => cur.block.box.page !== prev.block.box.page || isHeading(cur.block));
    case 'variable': return variable(items, plan.size);
  }
}

/** Start a new chunk before every item for which `boundary` holds (silent items never start one). */
function splitWhere(items: ChunkItem[], boundary: (prev: ChunkItem, cur: ChunkItem) => boolean): number[][] {
  const chunks: number[][] = [[0]];
  let lastVisible = items[0];
  for (let i = 1; i < items.length; i++) {
    const cur = items[i];
    if (cur.length > 0 && boundary(lastVisible, cur) && chunks[chunks.length - 1].some((j) => items[j].length > 0)) {
      chunks.push([]);
    }
    chunks[chunks.length - 1].push(i);
    if (cur.length > 0) lastVisible = cur;
  }
  return chunks;
}

/** One chunk per visible block; filtered blocks join the chunk before them (or the first one). */
function byBlock(items: ChunkItem[]): number[][] {
  const chunks: number[][] = [];
  const pending: number[] = [];
  items.forEach((item, i) => {
    if (item.length > 0) chunks.push([...pending.splice(0), i]);
    else if (chunks.length > 0) chunks[chunks.length - 1].push(i);
    else pending.push(i);
  });
  if (pending.length > 0) chunks.push(pending);
  return chunks;
}

/**
 * Reducto's `variable` mode: sections (a heading and what follows) are packed together up to
 * the maximum, split at block boundaries when they are too long, and small leftovers merged
 * into their neighbour. Headings never end a chunk; captions live inside their Figure/Table.
 */
function variable(items: ChunkItem[], size?: number | null): number[][] {
  const min = size ? Math.round(size * 0.75) : VARIABLE_MIN;
  const max = size ? Math.round(size * 1.25) : VARIABLE_MAX;
  const chunks: number[][] = [];
  let cur: number[] = [];
  let curLen = 0;
  let headingTail = 0; // how many trailing items of `cur` are headings (with silent blocks between)

  const flush = () => {
    if (cur.length > 0) chunks.push(cur);
    cur = [];
    curLen = 0;
    headingTail = 0;
  };

  for (let i = 0; i < items.length; i++) {
    const { block, length } = items[i];
    if (length === 0) { cur.push(i); continue; }
    const heading = isHeading(block);
    // A new section starts a new chunk once the current one is big enough to stand alone.
    const sectionBreak = heading && headingTail === 0 && curLen >= min;
    const overflow = curLen > 0 && curLen + length > max && headingTail === 0;
    if (sectionBreak || overflow) flush();
    else if (curLen > 0 && curLen + length > max && headingTail > 0) {
      // Keep the dangling headings with this content: move them to the next chunk.
      const moved = cur.splice(cur.length - headingTail);
      const movedLen = moved.reduce((s, j) => s + items[j].length, 0);
      curLen -= movedLen;
      flush();
      cur = moved;
      curLen = movedLen;
    }
    cur.push(i);
    curLen += length;
    headingTail = heading ? headingTail + 1 : 0;
  }
  flush();

  // Merge a too-small chunk into its predecessor when the result stays within bounds.
  const lengthOf = (c: number[]) => c.reduce((s, j) => s + items[j].length, 0);
  const merged: number[][] = [];
  for (const c of chunks) {
    const prev = merged[merged.length - 1];
    if (prev && (lengthOf(c) < min || lengthOf(prev) < min) && lengthOf(prev) + lengthOf(c) <= max) prev.push(...c);
    else merged.push(c);
  }
  return merged;
}

/** The last `overlap` characters of a text, starting at a word boundary when possible. */
export function overlapTail(text: string, overlap: number): string {
  if (overlap <= 0 || !text) return '';
  if (text.length <= overlap) return text;
  const tail = text.slice(text.length - overlap);
  const space = tail.search(/\s/);
  return space > 0 && space < tail.length - 1 ? tail.slice(space + 1) : tail;
}
