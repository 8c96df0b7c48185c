import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { BlobTooLargeError, contentTypeOf, type BlobStore } from '../../storage/blob-store.ts';

/**
 * Blobs (uploads, results, images, fan-out parts) in any S3-compatible bucket.
 * Keys are relative to `prefix`; every process sharing the bucket sees the same blobs,
 * which is what lets any API process serve what any worker wrote.
 */
export interface S3BlobStoreConfig {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** `FOLIO_BLOB_STORE=s3://bucket/prefix` plus FOLIO_S3_* options; credentials default to the AWS chain. */
export function s3ConfigFromEnv(url: string, env: NodeJS.ProcessEnv = process.env): S3BlobStoreConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== 's3:' || !parsed.hostname) {
    throw new Error(`FOLIO_BLOB_STORE must look like s3://bucket/prefix, got ${url}`);
  }
  const key = env.FOLIO_S3_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secret = env.FOLIO_S3_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  return {
    bucket: parsed.hostname,
    prefix: parsed.pathname.replace(/^\/+|\/+$/g, ''),
    endpoint: env.FOLIO_S3_ENDPOINT || undefined,
    region: env.FOLIO_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: /^(1|true|yes)$/i.test(env.FOLIO_S3_FORCE_PATH_STYLE ?? (env.FOLIO_S3_ENDPOINT ? 'true' : 'false')),
    credentials: key && secret ? { accessKeyId: key, secretAccessKey: secret } : undefined,
  };
}

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly #prefix: string;

  constructor(config: S3BlobStoreConfig) {
    const clientConfig: S3ClientConfig = {
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
    };
    this.client = new S3Client(clientConfig);
    this.bucket = config.bucket;
    this.#prefix = config.prefix ? `${config.prefix}/` : '';
  }

  #objectKey(key: string): string {
    if (!key || key.split('/').includes('..') || key.startsWith('/')) throw new Error(`Invalid blob key: ${key}`);
    return this.#prefix + key;
  }

  /**
   * S3 writes are atomic per object, so a failed upload never leaves a partial blob. Streams
   * are collected first (bounded by maxBytes) because PutObject needs a known length.
   */
  async put(key: string, data: Uint8Array | Readable, options: { maxBytes?: number } = {}): Promise<{ size: number }> {
    const objectKey = this.#objectKey(key);
    const body = data instanceof Uint8Array ? data : await collect(data, options.maxBytes ?? Infinity);
    if (body.byteLength > (options.maxBytes ?? Infinity)) throw new BlobTooLargeError(options.maxBytes!);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: body, ContentType: contentTypeOf(key) }),
    );
    return { size: body.byteLength };
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stream(key: string): Promise<{ body: Readable; size: number } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }));
      const body = out.Body instanceof Readable ? out.Body : Readable.from([]);
      return { body, size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }));
  }

  async deletePrefix(keyPrefix: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#objectKey(keyPrefix), ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length) {
        await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A presigned GET: clients fetch results and images straight from the bucket. */
  async signedUrl(key: string, ttlS: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key), ResponseContentType: contentTypeOf(key) });
    return getSignedUrl(this.client, command, { expiresIn: Math.max(1, Math.min(Math.round(ttlS), 7 * 24 * 3600)) });
  }

  /** A URL the client can PUT the bytes to directly (Reducto's presigned upload flow). */
  async presignPut(key: string, expiresInSeconds = 3600): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }), {
      expiresIn: expiresInSeconds,
    });
  }

  close(): void {
    this.client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

async function collect(stream: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new BlobTooLargeError(maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
