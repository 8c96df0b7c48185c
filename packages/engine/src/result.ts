import type { Box, BlockType, OcrLine, OcrWord, DocumentProperties } from './model.ts';

/** Wire types of Reducto's parse result (docs.reducto.ai, Parse response). */
export interface WireBlock {
  type: BlockType;
  bbox: Box;
  content: string;
  image_url: string | null;
  chart_data: string[] | null;
  confidence: 'high' | 'low';
  granular_confidence: { extract_confidence: number | null; parse_confidence: number | null } | null;
  merged_tables?: Array<{ content: string; bbox: Box; image_url?: string | null }> | null;
  extra: Record<string, unknown> | null;
}

export interface Chunk {
  content: string;
  embed: string;
  enriched: string | null;
  enrichment_success: boolean;
  blocks: WireBlock[];
}

export interface FullResult {
  type: 'full';
  chunks: Chunk[];
  ocr: { words: OcrWord[]; lines: OcrLine[] } | null;
  custom: unknown;
}

export interface ParseUsage {
  num_pages: number;
  credits: number | null;
}

/** What `parse()` returns. The server wraps it into a ParseResponse (job_id, duration, …). */
export interface ParseOutput {
  result: FullResult;
  usage: ParseUsage;
  /** Pages in the source document (before page_range). */
  totalPages: number;
  document_properties: DocumentProperties | null;
  /**
   * Images the caller asked for (return_images), keyed by the placeholder written into
   * `image_url` / `extra.page_image_url` ("folio-image:<key>"). The server stores them as
   * blobs and substitutes real URLs; the engine never does I/O.
   */
  images: Map<string, { bytes: Uint8Array; mime: string }>;
}
