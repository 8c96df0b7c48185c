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

/** Whether a job may fan out at all: a Parse of a whole uploaded document. */
export function mayFanOut(job: Pick<Job, 'type' | 'config' | 'input'>): boolean {
  const settings = (job.config as { settings?: { page_range?: unknown } } | null)?.settings;
  return job.type === 'Parse' && !settings?.page_range && job.input.ref.startsWith('reducto://');
}

/** Page count of a PDF (null when the bytes are not a readable PDF: the parse will say why). */
export async function pdfPageCount(bytes: Uint8Array): Promise<number | null> {
  if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') return null;
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    return doc.getPageCount();
  } catch {
    return null;
  }
}

/** The parent's config restricted to one span: what the part's worker runs. */
export function partConfig(config: unknown, span: PageSpan): unknown {
  const c = (config ?? {}) as { settings?: Record<string, unknown> };
  return { ...c, settings: { ...c.settings, page_range: { start: span.first, end: span.last } } };
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
export function mergeParseResponses(parts: Json[], config: unknown): Json {
  const chunkMode = (config as Json)?.retrieval?.chunking?.chunk_mode ?? 'disabled';
  const renumber = (box: Json): void => {
    if (box && typeof box.original_page === 'number') box.page = box.original_page;
  };
  const fixBlock = (b: Json): void => {
    renumber(b?.bbox);
    for (const t of b?.merged_tables ?? []) renumber(t?.bbox);
  };
  let chunks: Json[] = [];
  for (const [i, p] of parts.entries()) {
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
  const ocrParts = parts.map((p) => p.result?.ocr).filter(Boolean);
  const ocr = ocrParts.length
    ? {
        words: ocrParts.flatMap((o: Json) => o.words ?? []).map((w: Json) => (renumber(w.bbox), w)),
        lines: ocrParts.flatMap((o: Json) => o.lines ?? []).map((l: Json) => (renumber(l.bbox), l)),
      }
    : null;
  const credits = parts.every((p) => typeof p.usage?.credits === 'number') ? parts.reduce((s, p) => s + p.usage.credits, 0) : null;
  const first = parts[0] ?? {};
  return {
    ...first,
    usage: { ...first.usage, num_pages: parts.reduce((s, p) => s + (p.usage?.num_pages ?? 0), 0), credits },
    result: { ...first.result, type: 'full', chunks, ocr },
  };
}
