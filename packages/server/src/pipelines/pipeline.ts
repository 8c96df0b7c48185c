import type { ExtractInstructions, ExtractSettings, ParseOptions, SplitCategory, SplitSettings } from '@folio/engine';
import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.ts';

/**
 * A saved pipeline (Folio's stand-in for a Reducto Studio pipeline): parse options, an
 * optional split, and extraction — for the whole document, or per split name.
 */
export interface PipelineDefinition {
  id: string;
  name?: string;
  parsing?: ParseOptions;
  split?: { split_description: SplitCategory[]; split_rules?: string; settings?: SplitSettings } | null;
  /** Extraction for the whole document (no split), or the default for every split. */
  extract?: { instructions: ExtractInstructions; settings?: ExtractSettings } | null;
  /** Extraction per split name; a split without an entry uses `extract`, if any. */
  split_extract?: Record<string, { instructions: ExtractInstructions; settings?: ExtractSettings }>;
  created_at: string;
  updated_at: string;
}

/** Pipelines are small JSON documents kept in the blob store, per owner. */
export class PipelineStore {
  constructor(private readonly blobs: BlobStore) {}

  #key(owner: string, id: string): string {
    // Owners are API-key derived; hash them so keys never appear in blob paths.
    const o = createHash('sha256').update(owner).digest('hex').slice(0, 32);
    return `pipelines/${o}/${encodeURIComponent(id)}.json`;
  }

  async get(owner: string, id: string): Promise<PipelineDefinition | null> {
    const bytes = await this.blobs.get(this.#key(owner, id));
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as PipelineDefinition) : null;
  }

  async put(owner: string, def: PipelineDefinition): Promise<void> {
    await this.blobs.put(this.#key(owner, def.id), Buffer.from(JSON.stringify(def)));
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const existed = (await this.get(owner, id)) !== null;
    await this.blobs.delete(this.#key(owner, id));
    return existed;
  }
}
