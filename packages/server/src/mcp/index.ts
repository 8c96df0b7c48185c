export { createFolioMcpServer, type FolioToolsOptions } from './tools.ts';
export { startEmbeddedFolio, type EmbeddedFolio } from './embedded.ts';
export { injectFetch } from './inject-fetch.ts';
