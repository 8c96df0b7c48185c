import type { DocBlock } from '../model.ts';
import type { TableFormat } from '../options.ts';
import { renderTable, tableToSentences } from './table.ts';

/** A list marker as Markdown: numbered markers keep their number, everything else is a bullet. */
function markdownListMarker(marker: string | undefined): string {
  const numbered = marker?.match(/^\(?(\d+)[.)]?$/);
  return numbered ? `${numbered[1]}.` : '-';
}

/** The block's own `content` on the wire: its text without Markdown markers; tables rendered. */
export function blockContent(block: DocBlock, tableFormat: TableFormat): string {
  if (block.type === 'Table' && block.table) return renderTable(block.table, tableFormat);
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
      return `${indent}${markdownListMarker(block.listMarker)} ${content.replace(/\n/g, `\n${indent}  `)}`;
    }
    case 'Table':
      return block.caption ? `${block.caption}\n\n${content}` : content;
    case 'Figure':
      return block.caption && !content.includes(block.caption) ? [block.caption, content].filter(Boolean).join('\n\n') : content;
    default:
      return content;
  }
}

/** The block as text for embeddings: tables become sentences when embedding_optimized is on. */
export function blockEmbed(block: DocBlock, tableFormat: TableFormat, optimized: boolean): string {
  if (optimized && block.type === 'Table' && block.table) {
    return [block.caption, tableToSentences(block.table)].filter(Boolean).join('\n');
  }
  return blockMarkdown(block, tableFormat);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
