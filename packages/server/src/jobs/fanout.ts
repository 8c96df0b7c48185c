import { PDFDocument } from 'pdf-lib';
import type { Job } from './job.ts';

/**
 * Fan-out of large parses: a PDF parse above a page count is split into page-range parts,
 * each queued like a job that any worker can take; the parts' page layouts are merged by the
 * engine into the parent's result. This module holds the pure parts of that: planning the
 * ranges, naming the parts, cutting a range out of a PDF. The workers' FanoutCoordinator
 * drives it; stores only keep the rows (PartStore).
 */

export interface PageSpan {
  first: number;
  last: number;
}

/** A part's job id: `<parent id>.p<n>` (n from 1); events and logs of the part use it. */
export const partJobId = (parentId: string, part: number): string => `${parentId}.p${part}`;

export function parsePartJobId(id: string): { parentId: string; part: number } | null {
  const m = /^(.+)\.p(\d+)$/.exec(id);
  return m ? { parentId: m[1], part: Number(m[2]) } : null;
}

/** Split pages 1..total into contiguous ranges of at most `size` pages, as even as possible. */
export function planSpans(total: number, size: number): PageSpan[] {
  const count = Math.ceil(total / size);
  const spans: PageSpan[] = [];
  let first = 1;
  for (let i = 0; i < count; i++) {
    const len = Math.floor(total / count) + (i < total % count ? 1 : 0);
    spans.push({ first, last: first + len - 1 });
    first += len;
  }
  return spans;
}

/** Fewer pages than this in a part cost more in opening and merging than they save. */
export const MIN_PART_PAGES = 20;

/**
 * Reading left at which handing it out in parts pays (the default of FOLIO_FANOUT_MIN_REST_MS).
 * A split adds serial work: about half a second embedded (the parts' pages stored and merged),
 * 1.5-2 s for the rest of a 1,000-page PDF distributed (cut with pdf-lib, stored, queued). With
 * W workers to spare the rest R then takes about R / W plus that, which gains once R is a few
 * seconds.
 */
export const MIN_SPLIT_REST_MS = 3000;

/**
 * Without FOLIO_FANOUT_PAGES a document is read whole at first, and split only once its
 * reading has shown itself long: after a third of `minRestMs` of reading, at most a second
 * (a document read in less never pays for a split, nor for sizing one up), and only when the
 * `left` pages would take `minRestMs` more at `msPerPage`.
 */
export function restWorthSplitting(elapsedMs: number, msPerPage: number, left: number, minRestMs = MIN_SPLIT_REST_MS): boolean {
  if (elapsedMs < Math.min(1000, minRestMs / 3)) return false;
  return left >= 2 * MIN_PART_PAGES && msPerPage * left >= minRestMs;
}

/**
 * The pace of a reading under way, from its progress. Its first pages are slow (opening the
 * document, loading its fonts: 24 ms a page over the first second of a long report read at
 * 6 ms a page), so once a quarter of a second has passed the pace counts only the pages since.
 */
export class ReadingPace {
  readonly #started: number;
  #mark: { at: number; done: number } | null = null;

  constructor(started = Date.now()) {
    this.#started = started;
  }

  /** Milliseconds per page, `done` pages read by `now`. */
  msPerPage(done: number, now = Date.now()): number {
    if (!this.#mark && now - this.#started >= 250 && done > 0) this.#mark = { at: now, done };
    const mark = this.#mark;
    return mark && done > mark.done ? (now - mark.at) / (done - mark.done) : (now - this.#started) / Math.max(done, 1);
  }
}

/** Each part at least this much reading at the pace so far, so its fixed costs stay small beside its work. */
export const MIN_PART_READING_MS = 1000;

/** Pages per part where parts may run on any worker of a deployment, whose number is not known here. */
export const DISTRIBUTED_PART_PAGES = 50;

/**
 * Page ranges for the rest of a document, pages `read + 1`..`total`, read at `msPerPage`:
 * parts of `basePages` (distributed), else two per worker thread, never below MIN_PART_PAGES
 * nor below MIN_PART_READING_MS of reading.
 */
export function restSpans(read: number, total: number, msPerPage: number, workers: number, basePages: number | null): PageSpan[] {
  const left = total - read;
  const size = Math.max(MIN_PART_PAGES, basePages ?? Math.ceil(left / (workers * 2)), Math.ceil(MIN_PART_READING_MS / Math.max(msPerPage, 1e-3)));
  return planSpans(left, Math.min(size, left)).map((s) => ({ first: s.first + read, last: s.last + read }));
}

/** Where the coordinator keeps a part's pages once read. */
export const partResultKey = (parentId: string, part: number): string => `${partBlobPrefix(parentId)}p${part}.v8`;

/** The upload a part reads when its pages are cut into a document of their own. */
export const partUploadId = (parentId: string, part: number): string => `${parentId}.p${part}.pdf`;

/** Where the coordinator keeps a part's result (and cut input) until the parent is finished. */
export const partBlobPrefix = (parentId: string): string => `parts/${parentId}/`;

/** Whether a job may fan out at all: a Parse of one whole uploaded PDF, read as a PDF. */
export function mayFanOut(job: Pick<Job, 'type' | 'config' | 'input'>): boolean {
  const settings = (job.config as { settings?: { page_range?: unknown; force_file_extension?: unknown } } | null)?.settings;
  const forced = settings?.force_file_extension;
  return job.type === 'Parse' && !settings?.page_range && !job.input.more?.length && job.input.ref.startsWith('reducto://')
    && (forced === undefined || forced === null || String(forced).replace(/^\./, '').toLowerCase() === 'pdf');
}

/** The PDF, opened for counting and cutting (null when not a readable, unencrypted PDF). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocument | null> {
  if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') return null;
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    // A document without a readable page tree throws here rather than later.
    return doc.isEncrypted || doc.getPageCount() < 1 ? null : doc;
  } catch {
    return null;
  }
}

/** Page count of a PDF (null when the bytes are not a readable PDF: the parse will say why). */
export async function pdfPageCount(bytes: Uint8Array): Promise<number | null> {
  return (await openPdf(bytes))?.getPageCount() ?? null;
}

/**
 * The pages of one span as a PDF of their own, with the source's metadata. A worker of
 * another machine then fetches only its pages rather than the whole document.
 */
export async function cutPdf(source: PDFDocument, span: PageSpan): Promise<Uint8Array> {
  const part = await PDFDocument.create({ updateMetadata: false });
  const indices = Array.from({ length: span.last - span.first + 1 }, (_, i) => span.first - 1 + i);
  for (const page of await part.copyPages(source, indices)) part.addPage(page);
  const title = source.getTitle();
  const author = source.getAuthor();
  const subject = source.getSubject();
  const keywords = source.getKeywords();
  const creator = source.getCreator();
  const producer = source.getProducer();
  const created = source.getCreationDate();
  const modified = source.getModificationDate();
  if (title) part.setTitle(title);
  if (author) part.setAuthor(author);
  if (subject) part.setSubject(subject);
  if (keywords) part.setKeywords([keywords]);
  if (creator) part.setCreator(creator);
  if (producer) part.setProducer(producer);
  if (created) part.setCreationDate(created);
  if (modified) part.setModificationDate(modified);
  return part.save();
}
