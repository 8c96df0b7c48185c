import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../../src/storage/blob-store.ts';
import { S3BlobStore, s3ConfigFromEnv } from '../../src/backends/postgres/s3-blob-store.ts';
import { startS3Server, type S3TestServer } from './s3-server.ts';

describe('S3BlobStore against s3rver on 127.0.0.1', () => {
  let s3: S3TestServer;
  let store: S3BlobStore;

  beforeAll(async () => {
    s3 = await startS3Server();
    store = new S3BlobStore(s3ConfigFromEnv(s3.env.FOLIO_BLOB_STORE!, s3.env));
  });
  afterAll(async () => {
    store?.close();
    await s3?.close();
  });

  it('parses s3:// URLs and options', () => {
    const cfg = s3ConfigFromEnv('s3://bucket/some/prefix/', { FOLIO_S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(cfg).toMatchObject({ bucket: 'bucket', prefix: 'some/prefix', forcePathStyle: true, region: 'us-east-1' });
    expect(() => s3ConfigFromEnv('file:///tmp')).toThrow(/s3:\/\/bucket/);
  });

  it('round-trips bytes and streams, reports missing blobs as null, deletes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    expect(await store.put('uploads/a.pdf', bytes)).toEqual({ size: 5 });
    expect(await store.get('uploads/a.pdf')).toEqual(bytes);
    const streamed = await store.stream('uploads/a.pdf');
    expect(streamed?.size).toBe(5);
    const chunks: Buffer[] = [];
    for await (const c of streamed!.body) chunks.push(c as Buffer);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(bytes);
    expect(await store.get('uploads/missing')).toBeNull();
    expect(await store.stream('uploads/missing')).toBeNull();
    await store.delete('uploads/a.pdf');
    expect(await store.get('uploads/a.pdf')).toBeNull();
    await expect(store.put('../escape', bytes)).rejects.toThrow(/Invalid blob key/);
  });

  it('stores a stream and refuses one above maxBytes', async () => {
    const ok = await store.put('uploads/s.bin', Readable.from([Buffer.from('abc'), Buffer.from('def')]), { maxBytes: 10 });
    expect(ok.size).toBe(6);
    await expect(store.put('uploads/big.bin', Readable.from([Buffer.alloc(8), Buffer.alloc(8)]), { maxBytes: 10 })).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );
    expect(await store.get('uploads/big.bin')).toBeNull();
  });

  it('deletes by prefix', async () => {
    for (const k of ['jobs/j1/result.json', 'jobs/j1/img/1.png', 'jobs/j2/result.json']) {
      await store.put(k, new TextEncoder().encode(k));
    }
    await store.deletePrefix('jobs/j1/');
    expect(await store.get('jobs/j1/result.json')).toBeNull();
    expect(await store.get('jobs/j1/img/1.png')).toBeNull();
    expect(await store.get('jobs/j2/result.json')).not.toBeNull();
  });

  it('signed URLs serve the blob with its content type to a plain fetch; presigned PUT stores', async () => {
    const body = new TextEncoder().encode('{"ok":true}');
    await store.put('results/r1.json', body);
    const got = await fetch(await store.signedUrl('results/r1.json', 600));
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toContain('application/json');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(body);

    const put = await fetch(await store.presignPut('uploads/presigned.pdf', 600), { method: 'PUT', body: '%PDF-1.4 x' });
    expect(put.status).toBe(200);
    expect(new TextDecoder().decode((await store.get('uploads/presigned.pdf'))!)).toBe('%PDF-1.4 x');
  });
});
