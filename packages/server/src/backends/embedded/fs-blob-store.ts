import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { BlobTooLargeError, type BlobStore } from '../../storage/blob-store.ts';
import type { UrlSigner } from '../../storage/url-signer.ts';

/**
 * Blobs as files under one directory. Writes go to a temporary file renamed into place, so
 * a crash never leaves a half-written object under its real key. Signed URLs point at
 * Folio's own `GET /blobs/<key>` route.
 */
export class FsBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string, private readonly signer: UrlSigner) {
    this.#root = resolve(root);
  }

  #path(key: string): string {
    const path = resolve(this.#root, key);
    if (!path.startsWith(this.#root + sep)) throw new Error(`Invalid blob key: ${key}`);
    return path;
  }

  async put(key: string, data: Uint8Array | Readable, options: { maxBytes?: number } = {}): Promise<{ size: number }> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    let size = 0;
    const max = options.maxBytes ?? Infinity;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > max ? new BlobTooLargeError(max) : null, chunk);
      },
    });
    const source = data instanceof Uint8Array ? Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]) : data;
    try {
      await pipeline(source, counter, createWriteStream(tmp));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { size };
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const data = await readFile(this.#path(key));
      // The file's own memory as a plain array, not a second copy of it.
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async stream(key: string): Promise<{ body: Readable; size: number } | null> {
    const path = this.#path(key);
    try {
      const { size } = await stat(path);
      return { body: createReadStream(path), size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(join(this.#root, prefix), { recursive: true, force: true });
  }

  async signedUrl(key: string, ttlS: number): Promise<string> {
    return this.signer.sign('GET', `/blobs/${key}`, ttlS);
  }
}
