import type { BlockType } from './model.ts';

/**
 * Parse options in Reducto's v3 shape (see docs.reducto.ai, Parse API). Every field is
 * optional; `resolveParseOptions` fills the documented defaults. The server maps the legacy
 * body (`options`, `advanced_options`, …) onto this shape before calling the engine.
 */
export interface ParseOptions {
  enhance?: {
    agentic?: unknown[];
    summarize_figures?: boolean;
    intelligent_ordering?: boolean;
  };
  retrieval?: {
    chunking?: {
      chunk_mode?: ChunkMode;
      chunk_size?: number | null;
      chunk_overlap?: number;
    };
    filter_blocks?: BlockType[];
    embedding_optimized?: boolean;
  };
  formatting?: {
    add_page_markers?: boolean;
    table_output_format?: TableFormat;
    merge_tables?: boolean;
    /**
     * Join words the page breaks across a line end with a hyphen ("experimen-" + "tation" →
     * "experimentation"; a compound such as "background-free" keeps its hyphen). Off by
     * default: the text keeps the words as printed, so no word of the text layer is lost to a
     * wrong guess. Folio extension.
     */
    join_hyphenated_words?: boolean;
    include?: Array<'change_tracking' | 'highlight' | 'comments' | 'hyperlinks' | 'signatures' | 'ignore_watermarks'>;
  };
  spreadsheet?: {
    split_large_tables?: { enabled?: boolean; size?: number | { row?: number | null; column?: number | null } };
    include?: Array<'cell_colors' | 'formula' | 'dropdowns'>;
    clustering?: 'accurate' | 'fast' | 'disabled';
    exclude?: Array<'hidden_sheets' | 'hidden_rows' | 'hidden_cols' | 'styling' | 'spreadsheet_images'>;
    max_cell_count?: number | null;
  };
  settings?: {
    ocr_system?: 'standard' | 'legacy';
    extraction_mode?: 'ocr' | 'hybrid';
    force_url_result?: boolean;
    force_file_extension?: string | null;
    return_ocr_data?: boolean;
    return_images?: Array<'figure' | 'table' | 'page'>;
    persist_results?: boolean;
    timeout?: number | null;
    page_range?: PageRangeInput | null;
    document_password?: string | null;
    /** OCR languages (tesseract codes, e.g. ["eng", "deu"]); Folio extension. */
    ocr_languages?: string[];
    /**
     * `single`: one OCR reading per page; `vote`: two recognisers (tesseract and PP-OCR)
     * read every page and their readings are combined word by word (better text, about 4–5×
     * the OCR time). Default: the server's FOLIO_OCR_MODE, else `vote` where PP-OCR is
     * installed and reads the languages. Folio extension.
     */
    ocr_mode?: 'single' | 'vote';
  };
}

export type ChunkMode = 'disabled' | 'variable' | 'section' | 'page' | 'page_sections' | 'block';
export type TableFormat = 'dynamic' | 'md' | 'html' | 'json' | 'jsonbbox' | 'csv';

export interface PageRange {
  start?: number | null;
  end?: number | null;
}
export type PageRangeInput = PageRange | PageRange[] | number[] | string[];

/** Context the caller passes alongside the options. */
export interface RunContext {
  signal?: AbortSignal;
  /** Called after each page with pages done and pages total. */
  onProgress?: (done: number, total: number) => void;
  /** File name hint (extension used when magic bytes are ambiguous). */
  filename?: string;
  /** How many e-mails deep this document is attached (0 = the uploaded document itself). */
  attachmentDepth?: number;
  /**
   * The caller gives the bytes up: a reader may hand their buffer to pdf.js, which then takes
   * it without a copy and detaches it (the caller's array reads as empty afterwards). For
   * bytes nobody reads again, such as a file read for this parse alone; bytes that are a view
   * into a larger buffer are copied as before.
   */
  handOver?: boolean;
  /**
   * Asked before each page of a PDF read whole: true stops the reading there, and the pages read
   * so far come back (see `parseOrHandBack`) so that other workers can read the rest. For
   * splitting a document only once its reading has shown itself long.
   */
  handBack?: () => boolean;
}
