import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's full collection. Node offers gc() only behind --expose-gc, which this sets and exposes in a fresh context. */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Pages of a long document between full collections while it is read: V8 lets the heap grow
 * well past what a page-by-page read keeps alive before it collects. Each costs about 0.2 s on
 * a 1,000-page document (a tenth or so of its parse); documents under 50 pages never pay it.
 */
const PAGES_PER_COLLECTION = 50;

/**
 * Full collections for a caller that reads one long document at a time (the CLI, a server
 * worker thread): one every PAGES_PER_COLLECTION pages as progress comes in, and one when the
 * reading is over, before the result is serialized beside its garbage.
 */
export class PageCollector {
  #pages = 0;
  readonly #collect = fullCollection();

  /** A page (progress step) is read. */
  page(): void {
    if (++this.#pages % PAGES_PER_COLLECTION === 0) this.#collect();
  }

  /** The reading is over. */
  finish(): void {
    if (this.#pages >= PAGES_PER_COLLECTION) this.#collect();
  }
}
