/**
 * GET /job/{id} texts of finished jobs, kept in memory. A finished job never changes, so
 * its text can be served without a store read or re-rendering — polling clients and
 * dashboards hit the same few jobs over and over. Bounded by bytes (least recently used
 * out first) and by age: entries expire after `ttlMs`, so a job deleted through another
 * API process (or by retention) is gone here within that time too.
 */
export class JobViewCache {
  readonly #entries = new Map<string, { owner: string; text: string; at: number }>();
  #bytes = 0;

  constructor(private readonly maxBytes: number, private readonly ttlMs: number) {}

  /** The cached text of `id` if it is fresh and belongs to `owner`. */
  get(id: string, owner: string, now = Date.now()): string | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (now - entry.at > this.ttlMs) {
      this.delete(id);
      return undefined;
    }
    if (entry.owner !== owner) return undefined;
    // Re-insert to mark it most recently used.
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.text;
  }

  set(id: string, owner: string, text: string, now = Date.now()): void {
    if (text.length > this.maxBytes / 8) return; // a huge result would evict everything else
    this.delete(id);
    this.#entries.set(id, { owner, text, at: now });
    this.#bytes += text.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.text.length;
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.text.length;
  }

  get size(): number {
    return this.#entries.size;
  }
}
