import type { BlockType, Rect, TableModel } from '../model.ts';
import type { Segment } from './lines.ts';

/** A block during layout analysis, in page units; becomes a DocBlock at the end. */
export interface LayoutBlock {
  kind: 'text' | 'table' | 'figure';
  type: BlockType;
  rect: Rect;
  lines: Segment[];
  text: string;
  fontSize: number;
  bold: boolean;
  italic?: boolean;
  smallCaps?: boolean;
  confidence: number;
  level?: number;
  listLevel?: number;
  listMarker?: string;
  key?: string;
  value?: string;
  caption?: string;
  captionIsBlock?: boolean;
  /** A bold lead-in split off the start of a paragraph ("Banach's claim." …): a heading. */
  runIn?: boolean;
  /** A display formula gathered from its pieces: neither a heading nor a list item. */
  equation?: boolean;
  table?: TableModel;
  cellRects?: Rect[];
}

/** One page after page-level layout, waiting for document-level decisions (furniture, headings). */
export interface PageLayout {
  page: number;
  originalPage: number;
  width: number;
  height: number;
  blocks: LayoutBlock[];
  /** Characters per rounded font size, for the document's body-size statistics. */
  fontChars: Map<number, number>;
  /** Characters per rounded font size that are bold. */
  boldChars: Map<number, number>;
  /** Read by OCR: sizes are measured from the ink, so they wander by a tenth or more. */
  ocr?: boolean;
}
