import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/workers/pool.ts';
import { makePdf } from './fixtures.ts';

/**
 * A thread takes work only once it has started and warmed up, so a job's timeout never
 * counts a fresh (or replacement) thread's start-up.
 */
describe('worker pool', () => {
  const pool = new WorkerPool(1);
  afterAll(() => pool.close());

  it('offers no thread until it is warm, then runs on it', async () => {
    expect(pool.idle).toBe(0);
    expect(() => pool.run('Parse', { bytes: new Uint8Array(1), filename: 'x.txt' }, {}, () => {})).toThrow(/No idle worker/);
    await new Promise<void>((resolve) => { pool.onReady = resolve; });
    expect(pool.idle).toBe(1);
    const run = pool.run('Parse', { bytes: await makePdf(1), filename: 'one.pdf' }, {}, () => {});
    expect(pool.idle).toBe(0);
    const output = await run.done;
    expect(output.numPages).toBe(1);
    expect(pool.idle).toBe(1);
  });
});
