import { Worker } from 'node:worker_threads';
import { EngineError } from '../../errors.ts';
import type { GreyImage } from '../rulings.ts';
import type { OcrLineReading } from '../vote.ts';

/**
 * PP-OCR's threads: one per OCR worker, started on the first page and kept while the process
 * reads (unref'd, so they never hold it open). Each page goes to a free thread, or waits.
 */

/** Run from TypeScript source (development, tests) rather than the compiled dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const THREAD_URL = new URL(FROM_SOURCE ? './thread.ts' : './thread.js', import.meta.url);

interface Job {
  id: number;
  image: GreyImage;
  resolve: (lines: OcrLineReading[]) => void;
  reject: (err: Error) => void;
}

interface Slot { worker: Worker; job: Job | null }

let slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 0;

export function readInThread(image: GreyImage, threads: number): Promise<OcrLineReading[]> {
  return new Promise((resolve, reject) => {
    queue.push({ id: ++nextId, image, resolve, reject });
    if (slots.length === 0) slots = Array.from({ length: threads }, () => start());
    dispatch();
  });
}

function start(): Slot {
  const worker = FROM_SOURCE ? sourceWorker() : new Worker(THREAD_URL, { workerData: { threads: 1 } });
  worker.unref();
  const slot: Slot = { worker, job: null };
  worker.on('message', (m: { id: number; lines?: OcrLineReading[]; error?: string; code?: string }) => {
    const job = slot.job;
    slot.job = null;
    if (job) {
      if (m.lines) job.resolve(m.lines);
      else job.reject(m.code ? new EngineError(m.code as never, m.error ?? 'PP-OCR failed') : new Error(m.error));
    }
    dispatch();
  });
  worker.on('error', (err) => {
    slot.job?.reject(err);
    slot.job = null;
    slots = slots.filter((s) => s !== slot);
    if (slots.length === 0) for (const job of queue.splice(0)) job.reject(err);
  });
  return slot;
}

function dispatch(): void {
  for (const slot of slots) {
    if (slot.job || queue.length === 0) continue;
    const job = queue.shift()!;
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, data: job.image.data, width: job.image.width, height: job.image.height });
  }
  for (const slot of slots) if (!slot.job) slot.worker.unref();
}

/** Stop the threads (shutdown); a later page starts new ones. */
export async function closePpocrThreads(): Promise<void> {
  const old = slots;
  slots = [];
  await Promise.all(old.map((s) => s.worker.terminate()));
}

/**
 * The thread from TypeScript source: on Node 20 a worker does not get tsx's loader from
 * `--import tsx` in time for its own entry file, so a tiny bootstrap registers tsx first.
 */
function sourceWorker(): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_URL.href)}); })`;
  const execArgv = process.execArgv.includes('--conditions=@folio/source') ? process.execArgv : [...process.execArgv, '--conditions=@folio/source'];
  return new Worker(bootstrap, { eval: true, execArgv, workerData: { threads: 1 } });
}
