/**
 * Wire types of the Reducto-compatible API, named as in `reductoai` 0.16 so code ports by
 * changing the import. Responses stay open (`[key: string]: unknown`): the server may add
 * fields, and the SDK passes them through untouched.
 */

export type BlockType =
  | 'Header' | 'Footer' | 'Title' | 'Section Header' | 'Page Number' | 'List Item'
  | 'Figure' | 'Table' | 'Key Value' | 'Text' | 'Comment' | 'Signature';

export interface Upload {
  file_id: string;
  presigned_url?: string | null;
  [key: string]: unknown;
}

/** `input` of every v3 request: a URL, `reducto://…`, `jobid://…`, a list of them, or an Upload. */
export type Input = string | string[] | Upload;

export interface PageRange { start?: number | null; end?: number | null }

export interface DirectWebhookConfig { mode?: 'direct'; url?: string }
export interface SvixWebhookConfig { mode?: 'svix'; channels?: string[] }
export interface AsyncConfigV3 {
  metadata?: unknown;
  priority?: boolean;
  webhook?: SvixWebhookConfig | DirectWebhookConfig | null;
}

export interface ParseOptions {
  enhance?: {
    agentic?: Array<{ scope: 'table' | 'figure' | 'text'; prompt?: string | null; [key: string]: unknown }>;
    summarize_figures?: boolean;
    intelligent_ordering?: boolean;
  };
  retrieval?: {
    chunking?: {
      chunk_mode?: 'variable' | 'section' | 'page' | 'disabled' | 'block' | 'page_sections';
      chunk_size?: number | null;
      chunk_overlap?: number;
    };
    filter_blocks?: BlockType[];
    embedding_optimized?: boolean;
  };
  formatting?: {
    add_page_markers?: boolean;
    include?: Array<'change_tracking' | 'highlight' | 'comments' | 'hyperlinks' | 'signatures' | 'ignore_watermarks'>;
    merge_tables?: boolean;
    table_output_format?: 'html' | 'json' | 'md' | 'jsonbbox' | 'dynamic' | 'csv';
  };
  spreadsheet?: {
    clustering?: 'accurate' | 'fast' | 'disabled';
    exclude?: Array<'hidden_sheets' | 'hidden_rows' | 'hidden_cols' | 'styling' | 'spreadsheet_images'>;
    include?: Array<'cell_colors' | 'formula' | 'dropdowns'>;
    split_large_tables?: { enabled?: boolean; size?: number | { row?: number | null; column?: number | null } };
    max_cell_count?: number | null;
  };
  settings?: {
    document_password?: string | null;
    embed_pdf_metadata?: boolean;
    extraction_mode?: 'ocr' | 'hybrid';
    force_file_extension?: string | null;
    force_url_result?: boolean;
    ocr_system?: 'standard' | 'legacy';
    page_range?: PageRange | PageRange[] | number[] | string[] | null;
    persist_results?: boolean;
    return_images?: Array<'figure' | 'table' | 'page'>;
    return_ocr_data?: boolean;
    timeout?: number | null;
    [key: string]: unknown;
  };
}

export interface ParseRunParams extends ParseOptions {
  input: Input;
  async?: AsyncConfigV3;
  queue_priority?: 'auto' | 'standard' | 'batch';
}
export type ParseRunJobParams = ParseRunParams;

export interface BoundingBox {
  left: number;
  top: number;
  width: number;
  height: number;
  page: number;
  original_page?: number;
}

export interface Block {
  type: BlockType;
  bbox: BoundingBox;
  content: string;
  confidence?: 'high' | 'low' | null;
  granular_confidence?: { extract_confidence?: number | null; parse_confidence?: number | null } | null;
  image_url?: string | null;
  chart_data?: string[] | null;
  extra?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface Chunk {
  content: string;
  embed: string;
  enriched?: string | null;
  enrichment_success?: boolean;
  blocks: Block[];
  [key: string]: unknown;
}

export interface OcrItem { text: string; bbox: BoundingBox; confidence?: number | null; chunk_index?: number; rotation?: number }

export interface FullResult {
  type: 'full';
  chunks: Chunk[];
  ocr?: { words: OcrItem[]; lines: OcrItem[] } | null;
  custom?: unknown;
  [key: string]: unknown;
}

/** Returned in place of the result when it is large or `force_url_result` is set. */
export interface URLResult {
  type: 'url';
  url: string;
  result_id?: string;
  [key: string]: unknown;
}

export interface ParseUsage {
  num_pages: number;
  credits?: number | null;
  [key: string]: unknown;
}

export interface ParseResponse {
  response_type?: 'parse';
  job_id: string;
  duration: number;
  usage: ParseUsage;
  result: FullResult | URLResult;
  pdf_url?: string | null;
  studio_link?: string | null;
  [key: string]: unknown;
}

export interface AsyncJobResponse { job_id: string; [key: string]: unknown }
export type AsyncParseResponse = AsyncJobResponse;
export type ParseRunResponse = ParseResponse | AsyncJobResponse;

export interface ExtractRunParams {
  input: Input;
  instructions?: { schema?: unknown; system_prompt?: string };
  parsing?: ParseOptions;
  settings?: {
    citations?: { enabled?: boolean; numerical_confidence?: boolean; parent_block?: 'full' | 'bbox_only' };
    include_images?: boolean;
    optimize_for_latency?: boolean;
    array_extract?: boolean;
    deep_extract?: boolean;
    force_url_result?: boolean;
    page_range?: PageRange | PageRange[] | number[] | null;
    [key: string]: unknown;
  };
  async?: AsyncConfigV3;
  queue_priority?: 'auto' | 'standard' | 'batch';
  [key: string]: unknown;
}
export type ExtractRunJobParams = ExtractRunParams;
export interface ExtractResponse {
  response_type?: 'extract' | 'v3_extract';
  job_id?: string;
  usage: { num_pages: number; num_fields: number; credits?: number | null; [key: string]: unknown };
  result: unknown;
  citations?: unknown;
  studio_link?: string | null;
  [key: string]: unknown;
}

export interface SplitRunParams {
  input: Input;
  split_description: Array<{ name: string; description: string; partition_key?: string | null }>;
  split_rules?: string;
  parsing?: ParseOptions;
  settings?: { table_cutoff?: 'truncate' | 'preserve'; allow_page_overlap?: boolean; [key: string]: unknown };
  async?: AsyncConfigV3;
  [key: string]: unknown;
}
export type SplitRunJobParams = SplitRunParams;
export interface SplitResponse {
  response_type?: 'split';
  job_id?: string;
  usage: ParseUsage;
  result: {
    section_mapping?: Record<string, number[]> | null;
    splits: Array<{ name: string; pages: number[]; conf?: 'high' | 'low'; partitions?: Array<{ name: string; pages: number[]; conf?: 'high' | 'low' }> | null }>;
  } | URLResult;
  [key: string]: unknown;
}

export interface ClassifyRunParams {
  input: Input;
  classification_schema?: Array<{ category: string; criteria: string[] }>;
  page_range?: PageRange | PageRange[] | number[] | null;
  document_metadata?: string | null;
  persist_results?: boolean;
  [key: string]: unknown;
}
export interface ClassifyResponse {
  response_type?: 'classify';
  job_id: string;
  result: { category: string } | URLResult;
  [key: string]: unknown;
}

export interface EditWidget {
  bbox: BoundingBox;
  description: string;
  type: 'text' | 'checkbox' | 'radio' | 'dropdown' | 'barcode';
  fill?: boolean;
  value?: string | null;
  font_size?: number | null;
}
export interface EditRunParams {
  document_url: string | Upload;
  edit_instructions: string;
  edit_options?: { color?: string; font_size?: number | null; enable_overflow_pages?: boolean; flatten?: boolean; [key: string]: unknown };
  form_schema?: EditWidget[] | null;
  priority?: boolean;
  [key: string]: unknown;
}
export interface EditRunJobParams extends EditRunParams {
  webhook?: { mode?: 'disabled' | 'svix' | 'direct'; url?: string; metadata?: unknown; channels?: string[] };
}
export interface EditResponse {
  response_type?: 'edit';
  job_id?: string;
  document_url: string;
  form_schema?: EditWidget[] | null;
  [key: string]: unknown;
}

export interface PipelineRunParams {
  input: Input;
  pipeline_id: string;
  settings?: { document_password?: string | null };
  [key: string]: unknown;
}
export interface PipelineRunJobParams extends PipelineRunParams { async?: AsyncConfigV3 }
export interface PipelineResponse { job_id: string; result: Record<string, unknown>; [key: string]: unknown }

export type JobStatus = 'Pending' | 'Idle' | 'InProgress' | 'Completing' | 'Completed' | 'Failed' | 'Cancelled';
export type JobType = 'Parse' | 'Extract' | 'Split' | 'Edit' | 'Pipeline' | 'Classify' | 'Chart';

/** GET /job/{id}. `result` is what the synchronous endpoint would have returned. */
export interface JobGetResponse {
  status: JobStatus;
  progress?: number | null;
  reason?: string | null;
  result?: ParseResponse | ExtractResponse | SplitResponse | EditResponse | PipelineResponse | ClassifyResponse | null;
  error?: { code?: number; name?: string; message?: string; job_id?: string | null } | null;
  type?: JobType | null;
  num_pages?: number | null;
  total_pages?: number | null;
  duration?: number | null;
  created_at?: string | null;
  raw_config?: string | null;
  [key: string]: unknown;
}

export interface JobListItem {
  job_id: string;
  status: JobStatus;
  type: JobType;
  raw_config: string;
  created_at: string;
  num_pages: number | null;
  total_pages: number | null;
  duration: number | null;
  [key: string]: unknown;
}

export interface JobGetAllParams {
  cursor?: string | null;
  exclude_configs?: boolean;
  limit?: number;
}

export interface JobGetAllResponse {
  jobs: JobListItem[];
  next_cursor?: string | null;
}

export interface JobDeleteParams { include_persisted?: boolean }

/** One Server-Sent Event from GET /job/{id}/events; `data` is parsed JSON when it is JSON. */
export interface JobEvent {
  event: string;
  id?: string;
  data: unknown;
}
