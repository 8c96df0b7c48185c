import type { DocBlock } from '../model.ts';
import type { TableFormat } from '../options.ts';
import type { WireBlock } from '../result.ts';
import { blockContent } from './block.ts';

/** Blocks at or above this confidence are reported as "high". */
export const HIGH_CONFIDENCE = 0.75;

export interface WireImages {
  /** Placeholder URL for a block's own image, registering the bytes. */
  blockImage(block: DocBlock): string | null;
  /** Placeholder URL for the image of a page (original page number), if one was rendered. */
  pageImage(originalPage: number): string | null;
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** A DocBlock in Reducto's wire shape. */
export function toWireBlock(block: DocBlock, tableFormat: TableFormat, images: WireImages): WireBlock {
  const extra: Record<string, unknown> = { ...(block.extra ?? {}) };
  if (block.caption && block.type === 'Table') extra.caption = block.caption;
  if (block.type === 'Key Value' && block.key !== undefined) { extra.key = block.key; extra.value = block.value ?? null; }
  if (block.type === 'List Item' && block.listLevel !== undefined) extra.list_level = block.listLevel;
  if (block.level !== undefined && (block.type === 'Title' || block.type === 'Section Header')) extra.level = block.level;
  if (block.source) extra.source = block.source;
  const pageUrl = images.pageImage(block.box.original_page);
  if (pageUrl) extra.page_image_url = pageUrl;
  const { box } = block;
  return {
    type: block.type,
    bbox: {
      left: round(box.left), top: round(box.top), width: round(box.width), height: round(box.height),
      page: box.page, original_page: box.original_page,
    },
    content: blockContent(block, tableFormat),
    image_url: images.blockImage(block),
    chart_data: block.chartData ?? null,
    confidence: block.confidence >= HIGH_CONFIDENCE ? 'high' : 'low',
    granular_confidence: { extract_confidence: null, parse_confidence: round(block.confidence) },
    extra: Object.keys(extra).length > 0 ? extra : null,
  };
}
