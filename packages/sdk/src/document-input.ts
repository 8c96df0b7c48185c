import type { Folio } from './client.ts';
import { fileFromPath } from './file-from-path.ts';

/** References the server reads itself: a URL, an upload or a finished parse. */
const REMOTE_REFERENCE = /^(https?|reducto|jobid):\/\//i;

export function isRemoteReference(input: string): boolean {
  return REMOTE_REFERENCE.test(input);
}

/**
 * The `input` of a request for a document named by `source`: URLs, `reducto://` and
 * `jobid://` references pass through; anything else is a local path, uploaded first.
 */
export async function documentInput(client: Folio, source: string): Promise<string> {
  if (isRemoteReference(source)) return source;
  const upload = await client.upload({ file: await fileFromPath(source) });
  return upload.file_id;
}
