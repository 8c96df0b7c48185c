import { parentPort, workerData } from 'node:worker_threads';
import { readPpocrHere } from './index.ts';
import { ppocrRuntime } from './runtime.ts';

/**
 * One PP-OCR thread: onnxruntime-node runs an inference synchronously on the thread that asks
 * for it, so pages are read in parallel by several of these, each with its own sessions.
 */
const threads = (workerData as { threads: number }).threads;
parentPort!.on('message', async (job: { id: number; data: Uint8Array; width: number; height: number }) => {
  try {
    await ppocrRuntime(threads);
    const lines = await readPpocrHere({ data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height });
    parentPort!.postMessage({ id: job.id, lines });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message, code: (err as { code?: string }).code });
  }
});
