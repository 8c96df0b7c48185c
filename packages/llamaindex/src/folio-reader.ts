import { Document, type BaseReader } from '@llamaindex/core/schema';
import { chunkDocuments, Folio, type ChunkMetadata, type ParseRunJobParams } from '@folio/sdk';
import { documentInput } from '@folio/sdk/node';

export interface FolioReaderParams {
  /** The Folio server; default FOLIO_BASE_URL, else http://127.0.0.1:8080. */
  baseURL?: string;
  /** Its API key; default FOLIO_API_KEY. */
  apiKey?: string;
  /** Parse options (Reducto's): retrieval, formatting, settings, … Chunking defaults to `variable`. */
  options?: Omit<ParseRunJobParams, 'input'>;
  /** A client to use instead of one made from baseURL and apiKey. */
  client?: Folio;
}

/**
 * Kept out of the text LlamaIndex embeds and shows the model (and out of its splitters'
 * size budget): boxes and ids are for citing sources, not for reading.
 */
const HIDDEN_METADATA = ['pages', 'block_types', 'bboxes', 'job_id', 'chunk_index'];

/** Retrieval wants passages, not one document per file: Folio's own default is no chunking. */
const DEFAULT_CHUNKING = { chunking: { chunk_mode: 'variable' as const } };

/**
 * Reads documents with Folio: `loadData(input)` parses a local path (uploaded first), an
 * http(s) URL, `reducto://<upload>` or `jobid://<parse job>` and returns one `Document` per
 * chunk; its metadata names the `source`, the first `page`, every page (`pages`), each
 * block's type and box (`block_types`, `bboxes`) and the parse `job_id`.
 */
export class FolioReader implements BaseReader<Document<ChunkMetadata>> {
  readonly #client: Folio;
  readonly #options: FolioReaderParams['options'];

  constructor(params: FolioReaderParams = {}) {
    this.#client = params.client ?? new Folio({ baseURL: params.baseURL, apiKey: params.apiKey });
    this.#options = params.options;
  }

  async loadData(input: string): Promise<Document<ChunkMetadata>[]> {
    const parsed = await this.#client.parse.runAndWait({ retrieval: DEFAULT_CHUNKING, ...this.#options, input: await documentInput(this.#client, input) });
    return chunkDocuments(parsed, input).map((chunk) => new Document({
      id_: `${chunk.metadata.job_id}:${chunk.metadata.chunk_index}`,
      text: chunk.text,
      metadata: chunk.metadata,
      excludedEmbedMetadataKeys: HIDDEN_METADATA,
      excludedLlmMetadataKeys: HIDDEN_METADATA,
    }));
  }
}
