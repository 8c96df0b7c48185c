/**
 * @folio/langchain — a LangChain.js document loader for Folio: a document parsed by a Folio
 * server becomes one LangChain `Document` per chunk, carrying the pages and boxes it came from.
 */
export { FolioLoader, type FolioLoaderParams } from './folio-loader.ts';
export type { ChunkMetadata } from '@folio/sdk';
