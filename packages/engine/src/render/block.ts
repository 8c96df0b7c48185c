import type { DocBlock } from '../model.ts';
import type { TableFormat } from '../options.ts';
import { renderTable, tableToSentences } from './table.ts';

/** A list marker as Markdown: numbered markers keep their number, everything else is a bullet. */
function markdownListMarker(marker: string | undefined): string {
  const numbered = marker?.match(/^\(?(\d+)[.)]?$/);
  return numbered ? `${numbered[1]}.` : '-';
}

/** "1.", "(a)", "iv)": a marker that numbers the item, part of its text (bullets are not). */
const ENUMERATOR = /^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)]?$/;

/** The block's own `content` on the wire: its text without Markdown markers (an item keeps its number); tables rendered. */
export function blockContent(block: DocBlock, tableFormat: TableFormat): string {
  if (block.type === 'Table' && block.table) return renderTable(block.table, tableFormat);
  if (block.type === 'List Item' && block.listMarker && ENUMERATOR.test(block.listMarker)) return `${block.listMarker} ${block.text}`;
  if (block.type === 'Key Value' && block.key !== undefined && !block.text) return `${block.key}: ${block.value ?? ''}`;
  return block.text;
}

/** The block as Markdown inside a chunk's `content`. */
export function blockMarkdown(block: DocBlock, tableFormat: TableFormat): string {
  const content = blockContent(block, tableFormat);
  switch (block.type) {
    case 'Title':
      return `${'#'.repeat(clamp(block.level ?? 1, 1, 6))} ${oneLine(content)}`;
    case 'Section Header':
      return `${'#'.repeat(clamp(block.level ?? 2, 2, 6))} ${oneLine(content)}`;
    case 'List Item': {
      const indent = '  '.repeat(Math.max(0, block.listLevel ?? 0));
      // A numbered item is numbered by Markdown; other enumerators ("(b)") stay in the text.
      const numbered = markdownListMarker(block.listMarker) !== '-';
      const text = numbered ? block.text : content;
      return `${indent}${markdownListMarker(block.listMarker)} ${text.replace(/\n/g, `\n${indent}  `)}`;
    }
    case 'Table':
      return block.caption && !block.captionIsBlock ? `${block.caption}\n\n${content}` : content;
    case 'Figure':
      return block.caption && !content.includes(block.caption) ? [block.caption, content].filter(Boolean).join('\n\n') : content;
    default:
      return content;
  }
}

/** The block as text for embeddings: tables become sentences when embedding_optimized is on. */
export function blockEmbed(block: DocBlock, tableFormat: TableFormat, optimized: boolean): string {
  if (optimized && block.type === 'Table' && block.table) {
    return [block.captionIsBlock ? '' : block.caption, tableToSentences(block.table)].filter(Boolean).join('\n');
  }
  return blockMarkdown(block, tableFormat);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
