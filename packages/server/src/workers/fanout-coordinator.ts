import { availableParallelism } from 'node:os';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { uploadRef } from '../input/input-ref.ts';
import { cutPdf, DISTRIBUTED_PART_PAGES, mayFanOut, openPdf, partBlobPrefix, partResultKey, partUploadId, planSpans, MIN_SPLIT_REST_MS, restSpans, restWorthSplitting } from '../jobs/fanout.ts';
import type { Job, JobPart } from '../jobs/job.ts';
import type { PartPlan } from '../jobs/part-store.ts';
import type { OperationInput } from '../operations/operation.ts';

/** Fan-out by default needs cores to spare beyond one parse's own use of about 1.3. */
const MIN_CORES_TO_SPLIT = 3;

/**
 * Fan-out of a large PDF parse, in the worker layer, the same for every store:
 *
 *   prepare (plan ranges, cut them when parts run elsewhere) → split (the store queues the
 *   parts) → each part read by any worker up to the document-level decisions, its
 *   pages stored as a blob → the worker of the last part merges every part's pages in the
 *   engine (headings, furniture, hyphens and chunks decided once, on the whole document) →
 *   the parent completes like any job.
 *
 * Ranges are planned one of two ways. With FOLIO_FANOUT_PAGES set, from the page count, before
 * any reading (`split`). By default, the worker holding the job starts reading it whole, and
 * only once the reading has shown itself long does it stop and hand the rest out, its own
 * pages becoming the first part, already done (`splitRest`): a page count says nothing of how
 * long pages take (plain text or dense reports, scans to OCR), and a short document then pays
 * nothing for fan-out.
 *
 * Stores keep the rows (PartStore); every document and result read or written here happens
 * outside their transactions.
 */
export class FanoutCoordinator {
  /**
   * `cutParts`: store each part's pages as a document of its own, so a worker of another
   * machine fetches only its pages (distributed); otherwise parts read the parent's document.
   */
  constructor(private readonly backends: Backends, private readonly config: ServerConfig, readonly cutParts: boolean, private readonly workers: number) {}

  /**
   * Whether `job` may be split at all (a parse of one whole uploaded PDF, fan-out not off).
   * By default (neither FOLIO_FANOUT_PAGES nor FOLIO_FANOUT_MIN_REST_MS set) only on a machine
   * of three cores or more: one parse already keeps about 1.3 cores busy (V8 collects garbage
   * and compiles on other threads), so on two cores parts run at half speed each, and split
   * jobs finished slower (embedded 0.73-1.08x; distributed, every process on the same two
   * cores, 0.82x for 1,000 pages read in 6 s). A deployment whose workers are machines of two
   * cores each turns it on with either setting. Embedded, only while another of this
   * process's threads reads nothing (`freeThreads`, besides the one the job holds; a thread
   * still warming up counts): parts are more work than the whole (each thread opens the
   * document and compiles its code again), so splitting pays only with a thread that would
   * otherwise wait, and would slow the jobs the others read.
   */
  considers(job: Job, freeThreads: number): boolean {
    if (!this.#on || !mayFanOut(job)) return false;
    return this.cutParts || freeThreads > 0; // distributed, parts may run on the workers of other machines
  }

  /** Whether fan-out is on in this process (see `considers`). */
  get #on(): boolean {
    if (this.config.fanoutPages === 0 || (!this.cutParts && this.workers < 2)) return false;
    return this.config.fanoutPages !== null || this.config.fanoutMinRestMs !== null || availableParallelism() >= MIN_CORES_TO_SPLIT;
  }

  /** Whether `job` is split up front, from its page count (FOLIO_FANOUT_PAGES set). */
  splitsUpFront(job: Job, freeThreads: number): boolean {
    return this.config.fanoutPages !== null && this.considers(job, freeThreads);
  }

  /** Whether `job` is read whole, watched, and possibly split once its reading proves long (the default). */
  watches(job: Job): boolean {
    return this.config.fanoutPages === null && this.#on && mayFanOut(job);
  }

  /** A watched reading, `left` pages left at `msPerPage` after `elapsedMs`: whether to stop it and hand out the rest. */
  handsBack(job: Job, elapsedMs: number, msPerPage: number, left: number, freeThreads: number): boolean {
    return this.considers(job, freeThreads) && restWorthSplitting(elapsedMs, msPerPage, left, this.config.fanoutMinRestMs ?? MIN_SPLIT_REST_MS);
  }

  /**
   * A job this worker holds, whose document has `pages` pages: split it into parts of
   * FOLIO_FANOUT_PAGES when it has more. True when the job is now a fan-out parent (the caller runs
   * nothing for it); false leaves it to be parsed in one piece.
   */
  async split(job: Job, workerId: string, input: OperationInput, pages: number): Promise<boolean> {
    const size = this.config.fanoutPages;
    if (!size || pages <= size) return false;
    const plans: PartPlan[] = planSpans(pages, size).map((span, i) => ({ part: i + 1, ...span, inputRef: null }));
    return this.#queue(job, workerId, input, plans, pages);
  }

  /**
   * A watched reading handed back its first `read.pages` pages (`read.pagesRead`, read at
   * `msPerPage`): they become part 1, done, and the rest is split into parts for any worker.
   * `input`: the document, still whole here when parts are cut. True when the job is now a
   * fan-out parent; false when it could not be split (the caller reads it whole after all).
   */
  async splitRest(job: Job, workerId: string, input: OperationInput, read: { pagesRead: Uint8Array; pages: number; totalPages: number }, msPerPage: number): Promise<boolean> {
    const plans: PartPlan[] = [];
    if (read.pages > 0) plans.push({ part: 1, first: 1, last: read.pages, inputRef: null, resultKey: partResultKey(job.id, 1) });
    for (const span of restSpans(read.pages, read.totalPages, msPerPage, this.workers, this.cutParts ? DISTRIBUTED_PART_PAGES : null)) {
      plans.push({ part: plans.length + 1, ...span, inputRef: null });
    }
    try {
      if (read.pages > 0) await this.backends.blobs.put(partResultKey(job.id, 1), read.pagesRead);
    } catch (err) {
      console.error(`Folio: storing the pages read of job ${job.id} failed, parsing it whole`, err);
      return false;
    }
    return this.#queue(job, workerId, input, plans, read.totalPages);
  }

  /** Cut the parts' pages when parts run elsewhere, then have the store queue them. */
  async #queue(job: Job, workerId: string, input: OperationInput, plans: PartPlan[], pages: number): Promise<boolean> {
    if (this.cutParts) {
      try {
        const pdf = await openPdf(input.bytes);
        if (!pdf || pdf.getPageCount() !== pages) throw new Error('pdf-lib reads the PDF otherwise than pdf.js');
        for (const plan of plans) if (!plan.resultKey) plan.inputRef = await this.#storeCut(job, plan.part, await cutPdf(pdf, plan));
      } catch (err) {
        // Not cuttable after all (or storage failed): parse it in one piece.
        await this.#dropCuts(job, plans);
        console.error(`Folio: fan-out of job ${job.id} failed, parsing it whole`, err);
        return false;
      }
    }
    const split = await this.backends.parts.splitIntoParts(job.id, workerId, plans, pages);
    if (!split) await this.#dropCuts(job, plans);
    return split;
  }

  async #dropCuts(job: Job, plans: PartPlan[]): Promise<void> {
    for (const p of plans) if (p.inputRef) await this.backends.uploads.delete(partUploadId(job.id, p.part), job.owner).catch(() => null);
    await this.backends.blobs.deletePrefix(partBlobPrefix(job.id)).catch(() => undefined);
  }

  async #storeCut(job: Job, part: number, bytes: Uint8Array): Promise<string> {
    const id = partUploadId(job.id, part);
    const blobKey = `${partBlobPrefix(job.id)}${id}`;
    await this.backends.blobs.put(blobKey, bytes);
    const now = Date.now();
    await this.backends.uploads.delete(id, job.owner); // left by an attempt whose worker died
    await this.backends.uploads.create({ id, owner: job.owner, filename: id, size: bytes.length, blobKey, createdAt: now, expiresAt: now + 7 * 24 * 3600 * 1000 });
    return uploadRef(id);
  }

  /** What a part's worker reads: which document, which of its pages, and how they shift into the parent's. */
  reading(job: Job, part: JobPart): { ref: string; span: { first: number; last: number }; pageOffset: number } {
    return part.inputRef
      ? { ref: part.inputRef, span: { first: 1, last: part.last - part.first + 1 }, pageOffset: part.first - 1 }
      : { ref: job.input.ref, span: { first: part.first, last: part.last }, pageOffset: 0 };
  }

  /**
   * A part's pages are read (v8-serialized PagesRead): store them, then record the part done. `allDone`: it was the
   * last part and the parent is now leased to this worker, which merges it (`mergeInput`).
   */
  async partDone(part: JobPart, partJobId: string, workerId: string, pagesRead: Uint8Array, leaseMs: number): Promise<{ applied: boolean; allDone: boolean }> {
    const key = partResultKey(part.parentId, part.part);
    await this.backends.blobs.put(key, pagesRead);
    const outcome = await this.backends.parts.completePart(partJobId, workerId, key, leaseMs);
    // Cancelled, failed or taken over meanwhile: nobody will merge these pages.
    if (!outcome.applied) await this.backends.blobs.delete(key).catch(() => undefined);
    return outcome;
  }

  /**
   * Every part of `parent` is done: what merging them takes, their stored pages in page order,
   * as the input of a Parse run (`mergeParts`, in a worker thread or here).
   */
  async mergeInput(parent: Job): Promise<OperationInput> {
    const parts = await this.backends.parts.parts(parent.id);
    const merge = await Promise.all(parts.map(async (p) => {
      const bytes = p.resultKey ? await this.backends.blobs.get(p.resultKey) : null;
      if (!bytes) throw new Error(`The result of part ${p.part} of job ${parent.id} is missing`);
      return { pagesRead: bytes, pageOffset: this.reading(parent, p).pageOffset };
    }));
    return { bytes: new Uint8Array(0), filename: null, merge };
  }

  /** Remove what the parts left (results, cut documents) once the parent is finished. */
  async cleanup(parent: Pick<Job, 'id' | 'owner'>): Promise<void> {
    try {
      const parts = await this.backends.parts.parts(parent.id);
      for (const p of parts) if (p.inputRef) await this.backends.uploads.delete(partUploadId(parent.id, p.part), parent.owner);
      await this.backends.blobs.deletePrefix(partBlobPrefix(parent.id));
    } catch (err) {
      console.error(`Folio: removing the fan-out parts of job ${parent.id} failed`, err);
    }
  }
}
