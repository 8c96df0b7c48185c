import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A document host on 127.0.0.1 whose first download of each document is held open until the
 * test releases it: the job stays InProgress (its worker is downloading) for exactly as long
 * as the test needs to crash something. Later downloads of the same document answer at once.
 */
export class HeldDocumentServer {
  readonly hits = new Map<string, number>();
  readonly #held = new Map<string, () => void>();
  readonly #waiters = new Map<string, () => void>();
  readonly #released = new Set<string>();
  #server!: http.Server;
  url = '';

  static async start(): Promise<HeldDocumentServer> {
    const s = new HeldDocumentServer();
    s.#server = http.createServer((req, res) => s.#handle(req, res));
    await new Promise<void>((r) => s.#server.listen(0, '127.0.0.1', r));
    s.url = `http://127.0.0.1:${(s.#server.address() as AddressInfo).port}`;
    return s;
  }

  /** The URL of a Markdown document named `name`. */
  doc(name: string): string {
    return `${this.url}/${name}.md`;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const name = (req.url ?? '/').slice(1).replace(/\.md$/, '');
    const n = (this.hits.get(name) ?? 0) + 1;
    this.hits.set(name, n);
    const send = (): void => {
      res.writeHead(200, { 'content-type': 'text/markdown' }).end(`# ${name}\n\nDocument ${name}, download ${n}.\n`);
    };
    this.#waiters.get(name)?.();
    if (n === 1 && !this.#released.has(name)) this.#held.set(name, send);
    else send();
  }

  /** Resolves when some worker has started downloading `name`. */
  downloading(name: string): Promise<void> {
    if (this.hits.has(name)) return Promise.resolve();
    return new Promise((r) => this.#waiters.set(name, r));
  }

  /** Let downloads of these documents complete, now and later (none given: every held one). */
  release(...names: string[]): void {
    for (const name of names) this.#released.add(name);
    for (const [key, send] of this.#held) {
      if (names.length === 0 || names.includes(key)) {
        this.#held.delete(key);
        send();
      }
    }
  }

  async close(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }
}
