/**
 * Node-only helpers (`@folio/sdk/node`). Kept out of the main entry so the SDK bundles for
 * browsers without `node:fs`.
 */
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

/** A `File` backed by the file on disk: read when sent, so a retry can read it again. */
export async function fileFromPath(path: string, name = basename(path), type = ''): Promise<File> {
  // openAsBlob's own error ("Unable to open file as blob") names neither the file nor the cause.
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const blob = await openAsBlob(path, { type });
  return new File([blob], name, { type });
}

export * from './index.ts';
