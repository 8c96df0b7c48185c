import { BaseDocumentLoader } from '@langchain/core/document_loaders/base';
import { Document } from '@langchain/core/documents';
import { chunkDocuments, Folio, type ChunkMetadata, type ParseRunJobParams } from '@folio/sdk';
import { documentInput } from '@folio/sdk/node';

export interface FolioLoaderParams {
  /** A local path (uploaded first), an http(s) URL, `reducto://<upload>` or `jobid://<parse job>`. */
  input: string;
  /** The Folio server; default FOLIO_BASE_URL, else http://127.0.0.1:8080. */
  baseURL?: string;
  /** Its API key; default FOLIO_API_KEY. */
  apiKey?: string;
  /** Parse options (Reducto's): retrieval, formatting, settings, … Chunking defaults to `variable`. */
  options?: Omit<ParseRunJobParams, 'input'>;
  /** A client to use instead of one made from baseURL and apiKey. */
  client?: Folio;
}

/** Retrieval wants passages, not one document per file: Folio's own default is no chunking. */
const DEFAULT_CHUNKING = { chunking: { chunk_mode: 'variable' as const } };

/**
 * Parses `input` with Folio and yields one `Document` per chunk; its metadata names the
 * `source`, the first `page`, every page (`pages`), each block's type and box
 * (`block_types`, `bboxes`) and the parse `job_id`.
 */
export class FolioLoader extends BaseDocumentLoader {
  readonly #params: FolioLoaderParams;

  constructor(params: FolioLoaderParams) {
    super();
    this.#params = params;
  }

  async load(): Promise<Document<ChunkMetadata>[]> {
    const documents: Document<ChunkMetadata>[] = [];
    for await (const document of this.lazyLoad()) documents.push(document);
    return documents;
  }

  /** The documents one at a time, once the parse is done. */
  async *lazyLoad(): AsyncGenerator<Document<ChunkMetadata>> {
    const { input, baseURL, apiKey, options } = this.#params;
    const client = this.#params.client ?? new Folio({ baseURL, apiKey });
    const parsed = await client.parse.runAndWait({ retrieval: DEFAULT_CHUNKING, ...options, input: await documentInput(client, input) });
    for (const chunk of chunkDocuments(parsed, input)) {
      yield new Document({ pageContent: chunk.text, metadata: chunk.metadata, id: `${chunk.metadata.job_id}:${chunk.metadata.chunk_index}` });
    }
  }
}
