import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A real S3-compatible server (s3rver) on 127.0.0.1 with one bucket, for the S3 blob store. */
export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** Environment for Folio processes that should use this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'folio'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'folio-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      FOLIO_BLOB_STORE: `s3://${bucket}/folio`,
      FOLIO_S3_ENDPOINT: endpoint,
      FOLIO_S3_REGION: 'us-east-1',
      FOLIO_S3_FORCE_PATH_STYLE: 'true',
      // s3rver's fixed development credentials.
      FOLIO_S3_ACCESS_KEY_ID: 'S3RVER',
      FOLIO_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
