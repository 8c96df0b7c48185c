import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/workers/pool.ts';
import { makePdf } from './fixtures.ts';

/**
 * A thread takes work only once it has started and warmed up, so a job's timeout never
 * counts a fresh (or replacement) thread's start-up.
 */
describe('worker pool', () => {
  let pool: WorkerPool;
  afterAll(() => pool?.close());

  it('offers no thread until it is warm, then runs on it', async () => {
    pool = new WorkerPool(1);
    expect(pool.idle).toBe(0);
    expect(() => pool.run('Parse', { bytes: new Uint8Array(1), filename: 'x.txt' }, {}, () => {})).toThrow(/No idle worker/);
    await new Promise<void>((resolve) => { pool.onReady = resolve; });
    expect(pool.idle).toBe(1);
    const run = pool.run('Parse', { bytes: await makePdf(1), filename: 'one.pdf' }, {}, () => {});
    expect(pool.idle).toBe(0);
    expect(run.peakMemoryBytes()).toBeNull();
    const output = await run.done;
    expect(output.numPages).toBe(1);
    expect(pool.idle).toBe(1);
    // The thread reports its peak memory with the outcome: at least the heap holding the parser.
    expect(run.peakMemoryBytes()).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('stops a reading at its next page when aborted, and keeps the thread', async () => {
    // A thread reading a PDF does not turn to its messages between pages: unheard, the abort
    // would end with the thread replaced (and warmed up again) after the grace period.
    let replaced = false;
    pool.onReady = () => { replaced = true; };
    let aborted = false;
    const run = pool.run('Parse', { bytes: await makePdf(300), filename: 'long.pdf' }, {}, () => {
      if (!aborted) run.abort('JOB_CANCELLED', 'Job cancelled');
      aborted = true;
    });
    await expect(run.done).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(replaced).toBe(false);
    expect(pool.idle).toBe(1);
    // The same thread reads the next document.
    expect((await pool.run('Parse', { bytes: await makePdf(2), filename: 'next.pdf' }, {}, () => {}).done).numPages).toBe(2);
    expect(replaced).toBe(false);
  });
});

describe('worker pool memory cap', () => {
  const budgets = ['FOLIO_MAX_NESTING', 'FOLIO_MAX_CHARACTERS'];
  const saved = budgets.map((name) => process.env[name]);
  // Lifts the nesting and character budgets so the document reaches the parser and exhausts the heap instead.
  for (const name of budgets) process.env[name] = '1000000000';
  const pool = new WorkerPool(1, 128);
  afterAll(async () => {
    await pool.close();
    budgets.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
  });

  it('fails a document that needs more memory than a thread may use with DOCUMENT_TOO_LARGE, and replaces the thread', async () => {
    if (pool.idle === 0) await new Promise<void>((resolve) => { pool.onReady = resolve; });
    const deep = Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const ready = new Promise<void>((resolve) => { pool.onReady = resolve; });
    const run = pool.run('Parse', { bytes: Buffer.from(deep), filename: 'deep.md' }, {}, () => {});
    await expect(run.done).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE', message: expect.stringMatching(/FOLIO_WORKER_MEMORY_MB/) });
    await ready;
    expect(pool.idle).toBe(1);
  }, 240_000); // a heap filling up near its cap slows down a lot (GC) on a loaded machine
});
