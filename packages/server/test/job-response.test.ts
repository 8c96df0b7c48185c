import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackends, type Backends } from '../src/backends/backends.ts';
import { configFromEnv, type ServerConfig } from '../src/config.ts';
import { buildJobResponse, deleteJobBlobs } from '../src/jobs/job-response.ts';

/** The result post-processing every job goes through: images → blobs, large results → URL. */
describe('job responses', () => {
  let dir: string;
  let config: ServerConfig;
  let backends: Backends;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'folio-response-'));
    config = configFromEnv({}, { dataDir: dir, port: 9999, urlResultBytes: 2000 });
    backends = await createBackends(config);
  });
  afterAll(async () => {
    await backends.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newJob(config: unknown = {}) {
    const { job } = await backends.jobs.create({
      id: crypto.randomUUID(), owner: 'o', type: 'Parse', rawConfig: '{}', config, input: { ref: 'reducto://x.pdf' },
      priority: 0, timeoutS: null, idempotencyKey: null, webhook: null, metadata: null, createdAt: Date.now(),
    });
    return job;
  }

  it('stores images as blobs and replaces their placeholders with signed URLs', async () => {
    const job = await newJob();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const response = await buildJobResponse(job, {
      response: { result: { type: 'full', chunks: [{ blocks: [{ image_url: 'folio-image:p1', extra: { page_image_url: 'folio-image:p1' } }] }] } },
      numPages: 1, totalPages: 1, images: new Map([['p1', { bytes: png, mime: 'image/png' }]]),
    }, 0.5, backends, config);
    const block = (response.result as { chunks: Array<{ blocks: Array<{ image_url: string; extra: { page_image_url: string } }> }> }).chunks[0].blocks[0];
    expect(block.image_url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:9999/blobs/images/${job.id}/p1\\.png\\?expires=\\d+&sig=`));
    expect(block.extra.page_image_url).toBe(block.image_url);
    const url = new URL(block.image_url);
    expect(backends.signer.verify('GET', url.pathname, url.searchParams.get('expires'), url.searchParams.get('sig'))).toBe(true);
    expect(await backends.blobs.get(`images/${job.id}/p1.png`)).toEqual(png);
    expect(response.job_id).toBe(job.id);
    expect(response.duration).toBe(0.5);
    await deleteJobBlobs({ ...job, result: response }, backends);
    expect(await backends.blobs.get(`images/${job.id}/p1.png`)).toBeNull();
  });

  it('moves a result above the size limit to a blob behind a URL, and keeps small ones inline', async () => {
    const big = await buildJobResponse(await newJob(), { response: { result: { type: 'full', text: 'x'.repeat(5000) } }, numPages: 1, totalPages: 1 }, 1, backends, config);
    const ref = big.result as { type: string; url: string; result_id: string };
    expect(ref.type).toBe('url');
    const stored = JSON.parse(Buffer.from((await backends.blobs.get(`results/${ref.result_id}.json`))!).toString());
    expect(stored.text).toHaveLength(5000);
    const small = await buildJobResponse(await newJob(), { response: { result: { type: 'full', text: 'short' } }, numPages: 1, totalPages: 1 }, 1, backends, config);
    expect((small.result as { type: string }).type).toBe('full');
  });

  it('takes a result sent as JSON by a worker thread: stored as it came when large, inline when small, images replaced', async () => {
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const sent = (result: unknown) => ({ response: { response_type: 'parse', result: null, usage: { num_pages: 1 } }, resultJson: json(result), numPages: 1, totalPages: 1 });
    const bigResult = { type: 'full', text: 'x'.repeat(5000) };
    const big = await buildJobResponse(await newJob(), sent(bigResult), 1, backends, config);
    const ref = big.result as { type: string; result_id: string };
    expect(ref.type).toBe('url');
    expect(await backends.blobs.get(`results/${ref.result_id}.json`)).toEqual(json(bigResult));
    expect(Object.keys(big)).toEqual(['job_id', 'duration', 'response_type', 'result', 'usage']);

    const small = await buildJobResponse(await newJob(), sent({ type: 'full', text: 'short' }), 1, backends, config);
    expect(small.result).toEqual({ type: 'full', text: 'short' });

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 4, 5, 6]);
    const job = await newJob();
    const withImage = await buildJobResponse(job, { ...sent({ type: 'full', image_url: 'folio-image:p1' }), images: new Map([['p1', { bytes: png, mime: 'image/png' }]]) }, 1, backends, config);
    expect((withImage.result as { image_url: string }).image_url).toMatch(new RegExp(`/blobs/images/${job.id}/p1\\.png\\?expires=`));
  });
});
