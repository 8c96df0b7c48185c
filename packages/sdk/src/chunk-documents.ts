import type { BoundingBox, ParseResponse } from './types.ts';

/** What a framework document (LangChain, LlamaIndex) carries about the chunk it came from. */
export interface ChunkMetadata {
  /** The input the document was parsed from (a path, URL, `reducto://` or `jobid://`). */
  source: string;
  /** First page of the chunk (1-based); null when its blocks have no page. */
  page: number | null;
  /** Every page the chunk touches, ascending. */
  pages: number[];
  /** The type of each block in the chunk, in order (parallel to `bboxes`). */
  block_types: string[];
  /** The box of each block in the chunk, in order: page-relative, 0–1, with its page. */
  bboxes: BoundingBox[];
  /** The parse job; `jobid://<job_id>` reuses its result without parsing again. */
  job_id: string;
  /** Position of the chunk in the parse result. */
  chunk_index: number;
}

export interface ChunkDocument {
  text: string;
  metadata: ChunkMetadata;
}

/**
 * One document per chunk of a full parse result (fetch a `{type: "url"}` result first:
 * `runAndWait` does), with the pages and boxes a retriever needs to cite its sources.
 */
export function chunkDocuments(response: ParseResponse, source: string): ChunkDocument[] {
  if (response.result.type !== 'full') throw new TypeError('chunkDocuments needs the full result: fetch a URL result first (client.fetchUrlResult)');
  return response.result.chunks.map((chunk, index) => {
    const bboxes = chunk.blocks.map((block) => block.bbox);
    const pages = [...new Set(bboxes.map((box) => box.page))].sort((a, b) => a - b);
    return {
      text: chunk.content,
      metadata: {
        source,
        page: pages[0] ?? null,
        pages,
        block_types: chunk.blocks.map((block) => block.type),
        bboxes,
        job_id: response.job_id,
        chunk_index: index,
      },
    };
  });
}
