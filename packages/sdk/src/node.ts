/**
 * Node-only helpers (`@folio/sdk/node`). Kept out of the main entry so the SDK bundles for
 * browsers without `node:fs`.
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** A `File` backed by the file on disk: read when sent, so a retry can read it again. */
export async function fileFromPath(path: string, name = basename(path), type = ''): Promise<File> {
  const blob = await openAsBlob(path, { type });
  return new File([blob], name, { type });
}

export * from './index.ts';
