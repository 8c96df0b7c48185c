/**
 * Node-only helpers (`@folio/sdk/node`). Kept out of the main entry's API: a path means
 * nothing in a browser.
 */
export { fileFromPath } from './file-from-path.ts';
export { documentInput, isRemoteReference } from './document-input.ts';

export * from './index.ts';
