import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's full collection (mark-compact), from a bare `gc()`, which Node offers only behind
 * --expose-gc: set here, exposed in a fresh context. (On Node 20, `gc({ type: 'major' })` runs
 * a scavenge, not a full collection, unless `execution: 'async'`: see `node --trace-gc`.)
 * Each one costs more than its pause: V8 holds optimized code weakly (from feedback vectors,
 * and code holds the maps and closures it embeds weakly), so the code of whatever is not alive
 * at that moment — a page's closures between pages — is dropped and compiled again: parsing
 * papers one after another with one after each took 1.6-1.8x the CPU.
 */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => gc();
}

/** This thread's memory as V8 accounts it: its heap in use and what ArrayBuffers hold outside it. */
function heapMemory(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

/**
 * Growth of the heap (garbage, mostly: a page-by-page read keeps little alive) allowed between
 * full collections while a long document is read. V8 on its own lets the heap of a 1,000-page
 * document of real pages grow past 500 MB before it collects. A budget in bytes rather than in
 * pages, because pages differ a hundredfold in what reading them allocates (embedded fonts,
 * images), and each collection costs recompilation (see fullCollection): on that document,
 * one every 50 pages made 20 collections; this budget, 12.
 */
const GROWTH_PER_COLLECTION = 64 * 1024 * 1024;

/** Pages below which a document's reading ends without a collection of its own. */
const SMALL_DOCUMENT_PAGES = 50;

/**
 * Full collections for a caller that reads one long document at a time (the CLI, a server
 * worker thread): one whenever the heap has grown by GROWTH_PER_COLLECTION since the last, as
 * progress comes in, and one when the reading of a document of SMALL_DOCUMENT_PAGES or more is
 * over, before the result is serialized beside its garbage.
 */
export class PageCollector {
  #pages = 0;
  #floor = heapMemory();
  readonly #collect = fullCollection();

  /** `growthBytes`: the heap growth allowed between collections (a process running several readers at once gives each a share). */
  constructor(private readonly growthBytes = GROWTH_PER_COLLECTION) {}

  /** A page (progress step) is read. */
  page(): void {
    this.#pages++;
    if (heapMemory() - this.#floor > this.growthBytes) this.#collectNow();
  }

  /** The reading is over. */
  finish(): void {
    if (this.#pages >= SMALL_DOCUMENT_PAGES) this.#collectNow();
  }

  #collectNow(): void {
    this.#collect();
    this.#floor = heapMemory();
  }
}
