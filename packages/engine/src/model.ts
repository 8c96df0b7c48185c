/**
 * The document model that flows through every stage of the engine.
 *
 *   reader (per format) ──► PageContent[] ──► layout ──► DocBlock[] ──► render + chunk ──► ParseResult
 *   structural readers (DOCX, HTML, …) produce DocBlock[] directly.
 *
 * Two coordinate systems on purpose:
 *  - PageContent uses page units (PDF points or image pixels), origin top-left, y growing down,
 *    because layout analysis reasons about distances, font sizes and gaps.
 *  - DocBlock and everything after it use Reducto's box: fractions of the page (0–1), origin
 *    top-left, page 1-indexed, so results need no further conversion.
 */

/** Reducto's block types (the 12 of the wire enum). */
export type BlockType =
  | 'Title'
  | 'Section Header'
  | 'Header'
  | 'Footer'
  | 'Page Number'
  | 'List Item'
  | 'Text'
  | 'Table'
  | 'Figure'
  | 'Key Value'
  | 'Comment'
  | 'Signature';

export const BLOCK_TYPES: readonly BlockType[] = [
  'Title', 'Section Header', 'Header', 'Footer', 'Page Number', 'List Item',
  'Text', 'Table', 'Figure', 'Key Value', 'Comment', 'Signature',
];

/** A rectangle in page units, origin top-left. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One positioned piece of text: a pdf.js text item split into words, or an OCR word. */
export interface TextRun {
  text: string;
  rect: Rect;
  fontSize: number;
  fontName?: string;
  bold?: boolean;
  italic?: boolean;
  /** Set in a small-capitals font (TeX's CMCSC10 and the like): a heading style. */
  smallCaps?: boolean;
  /** 0–1; OCR confidence, 1 for a digital text layer. */
  confidence?: number;
  /** Text direction in degrees (0 = horizontal, left to right). */
  rotation?: number;
  /**
   * A whole word (OCR): set apart from its neighbours by a space however close they sit.
   * A PDF text run may be a piece of a word, glued to the next piece when they touch.
   */
  word?: boolean;
}

/** A straight line segment (ruling) or a thin filled rectangle drawn on the page. */
export interface Ruling extends Rect {
  orientation: 'h' | 'v';
}

/** Where an image is painted on the page. */
export interface ImagePlacement {
  rect: Rect;
}

/** A fillable form field found on the page (AcroForm widget). */
export interface FormWidget {
  rect: Rect;
  name: string;
  kind: 'text' | 'checkbox' | 'radio' | 'dropdown' | 'signature' | 'button';
  value?: string | boolean | null;
}

/** Everything layout analysis needs to know about one page of a positioned format. */
export interface PageContent {
  /** 1-based number in the source document. */
  pageNumber: number;
  width: number;
  height: number;
  runs: TextRun[];
  rulings: Ruling[];
  images: ImagePlacement[];
  widgets?: FormWidget[];
  /** Where the text came from: the PDF text layer, or OCR of a rendered page/image. */
  source: 'text' | 'ocr';
}

/** A table cell. `row`/`col` are grid positions; spans are ≥ 1. */
export interface TableCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  header?: boolean;
  /** Normalised box (like Box) when the format has geometry. */
  box?: Box;
}

export interface TableModel {
  rows: number;
  cols: number;
  /** Anchor cells only: a spanned area appears once, at its top-left position. */
  cells: TableCell[];
  /** Number of leading header rows. */
  headerRows: number;
}

/** Reducto's bounding box: fractions of the page, origin top-left, pages 1-indexed. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Page within the processed output (after page_range selection). */
  page: number;
  /** Page number in the source file. */
  original_page: number;
}

/** One block of the document, in reading order. */
export interface DocBlock {
  type: BlockType;
  box: Box;
  /** Plain text of the block (no Markdown markers); tables render from `table`. */
  text: string;
  /** Heading level 1–6 for Title / Section Header. */
  level?: number;
  /** List nesting (0 = top level) and marker for List Item. */
  listLevel?: number;
  listMarker?: string;
  /** Key Value blocks: the pair, when it is separable. */
  key?: string;
  value?: string;
  table?: TableModel;
  /** 0–1; shown as Reducto's "high"/"low" and granular parse_confidence. */
  confidence: number;
  /** Caption text attached to a Figure/Table. */
  caption?: string;
  /** The caption is also a block of its own beside this one (PDF tables), so it is not repeated here. */
  captionIsBlock?: boolean;
  /** A chart's data as CSV lines (header row first), for the wire block's `chart_data`. */
  chartData?: string[];
  /** Encoded image of the region, when the caller asked for it (return_images). */
  image?: { bytes: Uint8Array; mime: string };
  /** Free-form extras passed through to the wire block's `extra`. */
  extra?: Record<string, unknown>;
  /** Name of the attached document (e-mail attachments) this block belongs to. */
  source?: string;
}

export interface PageInfo {
  /** Page within the processed output (1-based). */
  page: number;
  /** Page in the source file. */
  originalPage: number;
  width: number;
  height: number;
  /** Sheet or slide name where the format has one. */
  name?: string;
  /** Encoded page image when requested (return_images includes "page"). */
  image?: { bytes: Uint8Array; mime: string };
  /** 'ocr' when the page text came from OCR. */
  source?: 'text' | 'ocr' | 'native';
}

/** OCR output in Reducto's shape (settings.return_ocr_data). */
export interface OcrWord {
  text: string;
  bbox: Box;
  confidence?: number;
  chunk_index?: number;
  rotation?: number;
}
export type OcrLine = OcrWord;

/** What every reader hands to the output stage. */
export interface ParsedDocument {
  pages: PageInfo[];
  blocks: DocBlock[];
  /** Total pages in the source (before page_range selection). */
  totalPages: number;
  ocr?: { words: OcrWord[]; lines: OcrLine[] };
  properties?: DocumentProperties;
}

export interface DocumentProperties {
  title?: string | null;
  author?: string | null;
  subject?: string | null;
  keywords?: string | null;
  creator?: string | null;
  producer?: string | null;
  created_at?: string | null;
  modified_at?: string | null;
}
