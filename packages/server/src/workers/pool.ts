import { Worker } from 'node:worker_threads';
import type { JobType } from '../jobs/job.ts';
import type { OperationInput, OperationOutput } from '../operations/operation.ts';
import { RunControl, type FromThread, type ToThread } from './messages.ts';

/** A failure reported by an operation (or by the pool when a thread had to be stopped). */
export class RunError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Run {
  id: number;
  resolve: (o: OperationOutput) => void;
  reject: (e: RunError) => void;
  onProgress: (done: number, total: number) => void;
  abortTimer?: NodeJS.Timeout;
  /** The thread's peak memory during the run, as it reported at the end (none if it was stopped). */
  peakMemoryBytes: number | null;
}

interface Slot {
  worker: Worker;
  run: Run | null;
  /** Loaded and warmed up: only a ready thread takes a run. */
  ready: boolean;
}

/** A run under way: its outcome, a way to stop it, and the memory it took once it settled. */
export interface RunHandle {
  done: Promise<OperationOutput>;
  abort: (code: string, message: string) => void;
  /** Ask a `mayHandBack` reading to stop at its next page (it then ends with `handedBack`, or whole if it was done). */
  handBack: () => void;
  /** Peak bytes of the thread's heap and buffers during the run; null until it ends, or if its thread was stopped. */
  peakMemoryBytes: () => number | null;
}

/** Run from TypeScript source (development, tests) rather than the compiled dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const THREAD_URL = new URL(FROM_SOURCE ? './thread.ts' : './thread.js', import.meta.url);

/** How long an aborted operation may take to notice its signal before its thread is replaced. */
const ABORT_GRACE_MS = 400;

/**
 * A fixed set of worker threads, one operation per thread at a time. An aborted run whose
 * thread does not stop within ABORT_GRACE_MS is terminated and the thread replaced, so a
 * cancelled job frees its slot within a second even if the engine is stuck inside a page.
 */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  #nextRun = 1;
  #closed = false;

  /** `memoryMb`: each thread's heap cap, so a runaway document fails alone, not the process. */
  constructor(readonly size: number, private readonly memoryMb = 2048) {
    for (let i = 0; i < size; i++) this.#slots.push({ worker: this.#spawn(), run: null, ready: false });
  }

  /** Threads free to take a run now (started and warm). */
  get idle(): number {
    return this.#slots.filter((s) => s.run === null && s.ready).length;
  }

  /** Threads reading nothing: the idle ones and those still warming up, which will be in a moment. */
  get unoccupied(): number {
    return this.#slots.filter((s) => s.run === null).length;
  }

  /** Called whenever a thread becomes ready (a fresh or replacement thread finished warming up). */
  onReady: () => void = () => {};

  #spawn(): Worker {
    const worker = FROM_SOURCE ? sourceWorker(this.memoryMb) : new Worker(THREAD_URL, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    worker.on('message', (m: FromThread) => this.#onMessage(worker, m));
    worker.on('error', (err: Error & { code?: string }) => this.#onExit(worker, err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new RunError('DOCUMENT_TOO_LARGE', `Reading the document needed more than the ${this.memoryMb} MB of memory a worker may use (FOLIO_WORKER_MEMORY_MB)`)
      : new RunError('INTERNAL_ERROR', `Worker thread crashed: ${err.message}`)));
    worker.on('exit', () => this.#onExit(worker, new RunError('INTERNAL_ERROR', 'Worker thread exited')));
    worker.unref();
    return worker;
  }

  #slotOf(worker: Worker): Slot | undefined {
    return this.#slots.find((s) => s.worker === worker);
  }

  #onMessage(worker: Worker, m: FromThread): void {
    const slot = this.#slotOf(worker);
    if (slot && m.kind === 'ready') {
      slot.ready = true;
      return this.onReady();
    }
    const run = slot?.run;
    if (!slot || !run || m.kind === 'ready' || run.id !== m.runId) return;
    if (m.kind === 'progress') return run.onProgress(m.done, m.total);
    clearTimeout(run.abortTimer);
    slot.run = null;
    run.peakMemoryBytes = m.peakMemoryBytes;
    if (m.kind === 'done') run.resolve({ ...m.output, response: JSON.parse(new TextDecoder().decode(m.response)), ...(m.result ? { resultJson: m.result } : {}) });
    else run.reject(new RunError(m.code, m.message));
  }

  #onExit(worker: Worker, failure: RunError): void {
    const slot = this.#slotOf(worker);
    if (!slot) return;
    const run = slot.run;
    slot.run = null;
    if (run) {
      clearTimeout(run.abortTimer);
      if (failure.code === 'INTERNAL_ERROR') console.error(`Folio: ${failure.message}`);
      run.reject(failure);
    }
    if (!this.#closed) {
      slot.worker = this.#spawn();
      slot.ready = false;
    }
  }

  /**
   * Run an operation on an idle thread; throws when none is idle (callers check `idle`).
   * `handOver`: the caller gives up the input's bytes, which then move to the thread without
   * a copy (their arrays here read as empty afterwards).
   */
  run(type: JobType, input: OperationInput, config: unknown, onProgress: Run['onProgress'], handOver = false): RunHandle {
    const slot = this.#slots.find((s) => s.run === null && s.ready);
    if (!slot) throw new Error('No idle worker thread');
    const id = this.#nextRun++;
    let run!: Run;
    const done = new Promise<OperationOutput>((resolve, reject) => {
      run = { id, resolve, reject, onProgress, peakMemoryBytes: null };
    });
    slot.run = run;
    const control = new Int32Array(new SharedArrayBuffer(4));
    slot.worker.postMessage({ kind: 'run', runId: id, type, input, config, control } satisfies ToThread, handOver ? movableBuffers(input) : []);
    const abort = (code: string, message: string): void => {
      if (slot.run !== run || run.abortTimer) return;
      Atomics.store(control, 0, RunControl.abort);
      slot.worker.postMessage({ kind: 'abort', runId: id } satisfies ToThread);
      // Whatever the thread answers now, the run ends with the abort's reason.
      const settle = run.reject;
      run.resolve = () => settle(new RunError(code, message));
      run.reject = () => settle(new RunError(code, message));
      run.abortTimer = setTimeout(() => {
        if (slot.run !== run) return;
        const stuck = slot.worker;
        slot.run = null;
        slot.worker = this.#spawn();
        slot.ready = false;
        settle(new RunError(code, message));
        void stuck.terminate();
      }, ABORT_GRACE_MS);
    };
    const handBack = (): void => {
      Atomics.compareExchange(control, 0, RunControl.none, RunControl.handBack);
    };
    return { done, abort, handBack, peakMemoryBytes: () => run.peakMemoryBytes };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

/**
 * The buffers of an input's documents (and parts' pages to merge) that can move to a thread: those a document's bytes
 * fill alone (a view into a shared buffer, such as Node's pool for small Buffers, is copied).
 */
function movableBuffers(input: OperationInput): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const bytes of [input.bytes, ...(input.parts ?? []).map((p) => p.bytes), ...(input.merge ?? []).map((p) => p.pagesRead)]) {
    if (bytes.buffer instanceof ArrayBuffer && bytes.byteLength > 0 && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) buffers.add(bytes.buffer);
  }
  return [...buffers];
}

/**
 * The thread from TypeScript source. On Node 20 a worker does not get tsx's loader from
 * `--import tsx` in time for its own entry file, so a tiny bootstrap registers tsx first and
 * then imports the thread module; the thread resolves the workspace packages to their source
 * too (the `@folio/source` export condition), as this process does.
 */
function sourceWorker(memoryMb: number): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_URL.href)}); })`;
  // Only the loader options: V8 flags (--max-semi-space-size …) hold for the whole process
  // already, and a Worker given one refuses to start.
  const loader = process.execArgv.filter((arg, i, all) => /^--(conditions|import)\b/.test(arg) || (/^--(conditions|import)$/.test(all[i - 1] ?? '') && !arg.startsWith('-')));
  const execArgv = loader.includes('--conditions=@folio/source') ? loader : [...loader, '--conditions=@folio/source'];
  return new Worker(bootstrap, { eval: true, execArgv, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
}
