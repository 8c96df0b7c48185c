import { createHash } from 'node:crypto';
import { ApiError } from '../http/api-error.ts';

/** The owner of everything created on an open server (FOLIO_API_KEYS unset). */
export const OPEN_OWNER = 'public';

/**
 * Maps a request's bearer token to the owner id its jobs and uploads are stored under.
 * Owners are hashes of keys, so the database never holds a key in clear.
 */
export class ApiKeys {
  readonly #owners: Map<string, string>;

  constructor(keys: string[]) {
    this.#owners = new Map(keys.map((k) => [k, `key_${createHash('sha256').update(k).digest('hex').slice(0, 24)}`]));
  }

  get open(): boolean {
    return this.#owners.size === 0;
  }

  /** The owner for an Authorization header, or a 401 AUTH_ERROR. */
  ownerOf(authorization: string | undefined): string {
    if (this.open) return OPEN_OWNER;
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match) throw new ApiError('AUTH_ERROR', 'Provide an access token: Authorization: Bearer <api key>');
    const owner = this.#owners.get(match[1].trim());
    if (!owner) throw new ApiError('AUTH_ERROR', 'Invalid access token');
    return owner;
  }
}
