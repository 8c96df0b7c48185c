/**
 * @folio/llamaindex — a LlamaIndex.TS reader for Folio: a document parsed by a Folio server
 * becomes one LlamaIndex `Document` per chunk, carrying the pages and boxes it came from.
 */
export { FolioReader, type FolioReaderParams } from './folio-reader.ts';
export type { ChunkMetadata } from '@folio/sdk';
