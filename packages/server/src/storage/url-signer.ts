import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs Folio's own expiring URLs (blob downloads, presigned upload PUTs) with HMAC-SHA256:
 * the signature covers method, path and expiry, so a URL cannot be reused for another object.
 */
export class UrlSigner {
  /** `publicUrl` is read at signing time: the port is known only once the server listens. */
  constructor(private readonly secret: string, private readonly publicUrl: () => string) {}

  /** An absolute URL for `path` valid for ttlS seconds. */
  sign(method: string, path: string, ttlS: number): string {
    const expires = Math.floor(Date.now() / 1000) + Math.max(1, Math.round(ttlS));
    const sig = this.#mac(method, path, expires);
    return `${this.publicUrl()}${path}?expires=${expires}&sig=${sig}`;
  }

  /** True when `sig` signs (method, path, expires) and the URL has not expired. */
  verify(method: string, path: string, expires: unknown, sig: unknown): boolean {
    const exp = Number(expires);
    if (!Number.isInteger(exp) || typeof sig !== 'string' || exp < Date.now() / 1000) return false;
    const want = Buffer.from(this.#mac(method, path, exp));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  #mac(method: string, path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method} ${path} ${expires}`).digest('base64url');
  }
}
