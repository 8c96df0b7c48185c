/**
 * Inside a worker thread: runs one operation at a time, posts progress, and aborts the
 * operation's AbortSignal when the main thread says so (cancel, timeout, lost lease).
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { EngineError, PageCollector, fullCollection } from '@folio/engine';
import { OPERATIONS } from '../operations/registry.ts';
import { RunControl, type FromThread, type ToThread } from './messages.ts';
import { warmUpPdf } from './warm-up.ts';

const port = parentPort;
if (!port) throw new Error('workers/thread.ts must run in a worker thread');
const running = new Map<number, AbortController>();
const post = (m: FromThread): void => port.postMessage(m);

/**
 * A full collection after a job whose memory rose by this much. V8 returns heap lazily,
 * so the garbage of one large document (its bytes, decoded streams, the model) would stay
 * resident while the thread goes on to small files, and every thread's leftovers would add up
 * in the server's RSS. Smaller jobs leave their garbage to V8: a full collection throws
 * the optimized code away, and the next job would run cold (a stream of papers took 1.6-1.8x
 * the CPU with one after every job).
 */
const COLLECT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * That collection waits until the thread has had nothing to run for this long: a run that
 * follows at once (a fan-out's merge after its last part, the next part, a queue of jobs) would
 * otherwise wait behind it and then run on code it threw away.
 */
const IDLE_BEFORE_COLLECT_MS = 1000;

/**
 * A thread that is never idle that long (a queue of small jobs right after a large one) makes
 * the owed collection at the end of a job once it has been owed this long: the large job's
 * garbage would otherwise stay resident for as long as the queue lasts.
 */
const MAX_OWED_MS = 10_000;
/** When the owed collection became owed (null: none is). */
let owedSince: number | null = null;
let collection: NodeJS.Timeout | undefined;

const collectOwed = (): void => {
  clearTimeout(collection);
  owedSince = null;
  collect();
};

/**
 * Heap growth allowed between collections while this thread reads a long document: less than
 * the CLI's, as the server's threads read in one process, their garbage adding up in its RSS
 * (a 1,000-page document of real pages, two threads: peak 573-577 MB with 48 MB, up to 602 MB
 * with the CLI's 64 MB).
 */
const READING_GROWTH_BYTES = 48 * 1024 * 1024;
const collect = fullCollection();

/**
 * This thread's memory now: its V8 heap in use and the memory V8 accounts outside it
 * (ArrayBuffers: the document's bytes, decoded streams). Process RSS would mix in the other
 * threads' jobs.
 */
const memoryNow = (): number => {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
};
/** How often a running job's memory is sampled (also on each page's progress). */
const MEMORY_SAMPLE_MS = 25;

// Jobs wait for the warm-up (it only shortens their first run), and its failure is harmless.
const warm: Promise<unknown> = process.env.FOLIO_WARMUP === '0'
  ? Promise.resolve()
  : OPERATIONS.Parse!().then((parse) => parse({ bytes: warmUpPdf(), filename: 'warm-up.pdf' }, {}, { signal: new AbortController().signal, onProgress: () => {} })).catch(() => undefined);

// The pool hands this thread jobs only once it is warm, so no job's clock counts the warm-up.
void warm.then(() => post({ kind: 'ready' }));

port.on('message', async (msg: ToThread) => {
  if (msg.kind === 'abort') {
    running.get(msg.runId)?.abort();
    return;
  }
  clearTimeout(collection);
  const controller = new AbortController();
  running.set(msg.runId, controller);
  const startMemoryBytes = memoryNow();
  let peakMemoryBytes = startMemoryBytes;
  const sample = (): void => {
    peakMemoryBytes = Math.max(peakMemoryBytes, memoryNow());
  };
  const sampler = setInterval(sample, MEMORY_SAMPLE_MS);
  try {
    await warm;
    const load = OPERATIONS[msg.type];
    if (!load) throw new EngineError('INVALID_CONFIG', `Job type ${msg.type} is not available on this server`);
    const operation = await load();
    const collector = new PageCollector(READING_GROWTH_BYTES);
    const output = await operation(msg.input, msg.config, {
      signal: controller.signal,
      handBack: () => Atomics.load(msg.control, 0) === RunControl.handBack,
      onProgress: (done, total) => {
        if (Atomics.load(msg.control, 0) === RunControl.abort) controller.abort();
        sample();
        post({ kind: 'progress', runId: msg.runId, done, total });
        collector.page();
      },
    });
    sample();
    // The response (a parse result is a graph of millions of small objects) goes as JSON
    // buffers, and they and a fan-out part's pages move to the main thread rather than being
    // copied: structured cloning held the serialized copy and the rebuilt graph side by side.
    // The result goes apart, so that the main thread can store a large one as it is.
    // A fan-out part's pages are small beside a whole result's JSON, and its merge follows on
    // a thread that has just read pages: it ends without a collection of its own.
    if (!msg.input.pages && !output.handedBack) collector.finish();
    const { response: body, ...rest } = output;
    const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    const result = body.result === undefined ? undefined : json(body.result);
    const response = json(result ? { ...body, result: null } : body);
    const moved = [response, result, output.pagesRead].flatMap((b) => (b ? [b.buffer as ArrayBuffer] : []));
    port.postMessage({ kind: 'done', runId: msg.runId, output: rest, response, result, peakMemoryBytes } satisfies FromThread, moved);
  } catch (err) {
    const code = err instanceof EngineError ? err.code : controller.signal.aborted ? 'JOB_CANCELLED' : 'INTERNAL_ERROR';
    const message = err instanceof Error ? err.message : String(err);
    // Input failures are classified by the engine; what is left is a bug of ours: keep its stack.
    if (code === 'INTERNAL_ERROR') console.error(`Folio: ${msg.type} job failed with an internal error:`, err);
    sample();
    post({ kind: 'error', runId: msg.runId, code, message, peakMemoryBytes });
  } finally {
    clearInterval(sampler);
    running.delete(msg.runId);
    if (owedSince === null && peakMemoryBytes - startMemoryBytes > COLLECT_AFTER_BYTES) owedSince = Date.now();
    if (owedSince !== null && Date.now() - owedSince >= MAX_OWED_MS) collectOwed();
    else if (owedSince !== null) {
      collection = setTimeout(collectOwed, IDLE_BEFORE_COLLECT_MS);
      collection.unref();
    }
  }
});
