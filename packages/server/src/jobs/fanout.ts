import { PDFDocument } from 'pdf-lib';
import type { Job } from './job.ts';

/**
 * Fan-out of large parses (distributed deployment): a PDF above FOLIO_FANOUT_PAGES pages is
 * split into page-range parts, each a queue item any worker can take; the parts' responses
 * are merged in page order into the parent's response. This module holds the pure parts of
 * that: planning the ranges, naming the parts, and merging their responses.
 */

export interface PageSpan {
  first: number;
  last: number;
}

/** A part's job id: `<parent id>.p<n>` (n from 1); blobs and events of the part use it. */
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

/** The upload a part reads: its pages cut out of the parent's document. */
export const partUploadId = (parentId: string, part: number): string => `${parentId}.p${part}.pdf`;

/** Whether a job may fan out at all: a Parse of one whole uploaded document. */
export function mayFanOut(job: Pick<Job, 'type' | 'config' | 'input'>): boolean {
  const settings = (job.config as { settings?: { page_range?: unknown } } | null)?.settings;
  return job.type === 'Parse' && !settings?.page_range && !job.input.more?.length && job.input.ref.startsWith('reducto://');
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
 * The pages of one span as a PDF of their own, with the source's metadata. A part parses
 * only its pages: reading a 50-page range of a 500-page file costs most of a full parse.
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

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON */
type Json = any;

/** A later part's Title block becomes a Section Header, in the block and in the chunk's Markdown. */
function demoteTitle(chunk: Json, block: Json): void {
  block.type = 'Section Header';
  const text = String(block.content ?? '').replace(/^#+\s*/, '');
  const line = new RegExp(`^# (${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`, 'm');
  for (const key of ['content', 'embed'] as const) {
    if (typeof chunk[key] === 'string') chunk[key] = chunk[key].replace(line, '## $1');
  }
}

/**
 * Merge the parts' parse responses (each the full form, in page order) into one response as
 * the whole document would have produced: blocks renumbered to the whole document's pages,
 * the single chunk of `disabled` chunking joined back into one, other chunk lists
 * concatenated (chunk boundaries at a part edge are the only difference from one run),
 * OCR data concatenated, usage summed.
 */
export function mergeParseResponses(partsInOrder: Array<{ response: Json; firstPage: number }>, config: unknown): Json {
  const chunkMode = (config as Json)?.retrieval?.chunking?.chunk_mode ?? 'disabled';
  const parts = partsInOrder.map((p) => p.response);
  let offset = 0;
  // A part's pages are numbered from 1 in its own PDF: shift them to the whole document's.
  const renumber = (box: Json): void => {
    if (box && typeof box.original_page === 'number') {
      box.original_page += offset;
      box.page = box.original_page;
    }
  };
  const fixBlock = (b: Json): void => {
    renumber(b?.bbox);
    for (const t of b?.merged_tables ?? []) renumber(t?.bbox);
  };
  let chunks: Json[] = [];
  const ocrParts: Json[] = [];
  for (const [i, { response: p, firstPage }] of partsInOrder.entries()) {
    offset = firstPage - 1;
    const ocr = p.result?.ocr;
    if (ocr) {
      for (const w of [...(ocr.words ?? []), ...(ocr.lines ?? [])]) renumber(w?.bbox);
      ocrParts.push(ocr);
    }
    for (const c of p.result?.chunks ?? []) {
      for (const b of c.blocks ?? []) {
        fixBlock(b);
        // Each part sees its first heading as the document's title; only the first part's is.
        if (i > 0 && b.type === 'Title') demoteTitle(c, b);
      }
      chunks.push(c);
    }
  }
  if (chunkMode === 'disabled' && chunks.length > 1) {
    const join = (key: 'content' | 'embed'): string => chunks.map((c) => c[key] ?? '').filter(Boolean).join('\n\n');
    chunks = [{ ...chunks[0], content: join('content'), embed: join('embed'), enriched: null, blocks: chunks.flatMap((c) => c.blocks ?? []) }];
  }
  const ocr = ocrParts.length
    ? { words: ocrParts.flatMap((o: Json) => o.words ?? []), lines: ocrParts.flatMap((o: Json) => o.lines ?? []) }
    : null;
  const credits = parts.every((p) => typeof p.usage?.credits === 'number') ? parts.reduce((s, p) => s + p.usage.credits, 0) : null;
  const first = parts[0] ?? {};
  return {
    ...first,
    usage: { ...first.usage, num_pages: parts.reduce((s, p) => s + (p.usage?.num_pages ?? 0), 0), credits },
    result: { ...first.result, type: 'full', chunks, ocr },
  };
}
