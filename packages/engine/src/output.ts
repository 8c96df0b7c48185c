import type { BlockType, DocBlock, OcrWord, ParsedDocument } from './model.ts';
import type { ParseOptions, TableFormat } from './options.ts';
import type { Chunk, ParseOutput, WireBlock } from './result.ts';
import { blockContent, blockEmbed, blockMarkdown } from './render/block.ts';
import { toWireBlock, type WireImages } from './render/wire.ts';
import { overlapTail, planChunks, type ChunkItem } from './chunking/index.ts';
import { mergeTables } from './tables/merge.ts';

const pageBegins = (n: number) => `[[PAGE ${n} BEGINS HERE]]`;
const pageEnds = (n: number) => `[[PAGE ${n} ENDS HERE]]`;

/**
 * The output stage: blocks → Markdown content, embed text, wire blocks and chunks, with
 * filtering, page markers, table merging and image placeholders. Pure: no I/O.
 */
export function buildOutput(doc: ParsedDocument, options: ParseOptions): ParseOutput {
  const tableFormat: TableFormat = options.formatting?.table_output_format ?? 'dynamic';
  const chunking = options.retrieval?.chunking ?? {};
  const filtered = new Set<BlockType>(options.retrieval?.filter_blocks ?? []);
  const optimized = options.retrieval?.embedding_optimized ?? false;
  const overlap = Math.max(0, chunking.chunk_overlap ?? 0);

  const merged = options.formatting?.merge_tables ? mergeTables(doc.blocks) : { blocks: doc.blocks, parts: new Map<DocBlock, DocBlock[]>() };
  const blocks = merged.blocks;
  const markdown = blocks.map((b) => (filtered.has(b.type) ? '' : blockMarkdown(b, tableFormat)));
  // Each visible block also costs its "\n\n" separator.
  const items: ChunkItem[] = blocks.map((block, i) => ({ block, length: markdown[i] ? markdown[i].length + 2 : 0 }));
  const plan = planChunks(items, { mode: chunking.chunk_mode ?? 'disabled', size: chunking.chunk_size });

  const markers = options.formatting?.add_page_markers ? pageMarkers(doc, items) : undefined;
  const { images, wireImages } = collectImages(doc);

  const chunks: Chunk[] = [];
  let previous = { content: '', embed: '' };
  for (const indices of plan) {
    const visible = indices.filter((i) => items[i].length > 0);
    const parts = visible.map((i) => withMarkers(markdown[i], i, markers));
    let content = parts.join('\n\n');
    let embed = visible.map((i) => blockEmbed(blocks[i], tableFormat, optimized)).join('\n\n');
    if (markers && indices.length === plan.flat().length && visible.length === 0) content = markers.empty;
    const next = { content, embed };
    if (overlap > 0 && chunks.length > 0) {
      content = joinNonEmpty(overlapTail(previous.content, overlap), content);
      embed = joinNonEmpty(overlapTail(previous.embed, overlap), embed);
    }
    previous = next;
    const wire: WireBlock[] = indices.map((i) => {
      const w = toWireBlock(blocks[i], tableFormat, wireImages);
      const originals = merged.parts.get(blocks[i]);
      if (originals) w.merged_tables = originals.map((p) => ({ content: blockContent(p, tableFormat), bbox: toWireBlock(p, tableFormat, noImages).bbox }));
      return w;
    });
    chunks.push({ content, embed, enriched: null, enrichment_success: false, blocks: wire });
  }

  return {
    result: { type: 'full', chunks, ocr: ocrResult(doc, options, chunks), custom: null },
    usage: { num_pages: doc.pages.length, credits: null },
    totalPages: doc.totalPages,
    document_properties: doc.properties ?? null,
    images,
  };
}

function joinNonEmpty(a: string, b: string): string {
  return a && b ? `${a}\n\n${b}` : a || b;
}

interface PageMarkers {
  before: Map<number, string>;
  after: Map<number, string>;
  /** Markers for a document with no visible block at all. */
  empty: string;
}

/**
 * `[[PAGE n BEGINS HERE]]` before the first visible block of each page and `ENDS HERE` after
 * its last; pages without any visible block still get their pair, so no page goes unmarked.
 */
function pageMarkers(doc: ParsedDocument, items: ChunkItem[]): PageMarkers {
  const pages = doc.pages.map((p) => p.page).sort((a, b) => a - b);
  const pair = (n: number) => `${pageBegins(n)}\n\n${pageEnds(n)}`;
  const before = new Map<number, string>();
  const after = new Map<number, string>();
  let open: number | undefined;
  let lastIndex = -1;
  for (let i = 0; i < items.length; i++) {
    if (items[i].length === 0) continue;
    const page = items[i].block.box.page;
    if (page !== open) {
      const prefix: string[] = [];
      if (open !== undefined) after.set(lastIndex, pageEnds(open));
      for (const p of pages) if (p > (open ?? 0) && p < page) prefix.push(pair(p));
      prefix.push(pageBegins(page));
      before.set(i, prefix.join('\n\n'));
      open = page;
    }
    lastIndex = i;
  }
  if (open !== undefined) {
    const suffix = [pageEnds(open), ...pages.filter((p) => p > open!).map(pair)];
    after.set(lastIndex, suffix.join('\n\n'));
  }
  return { before, after, empty: pages.map(pair).join('\n\n') };
}

function withMarkers(text: string, i: number, markers?: PageMarkers): string {
  if (!markers) return text;
  return [markers.before.get(i), text, markers.after.get(i)].filter(Boolean).join('\n\n');
}

const noImages: WireImages = { blockImage: () => null, pageImage: () => null };

/** Registers requested images under placeholder URLs the server later replaces with real ones. */
function collectImages(doc: ParsedDocument): { images: ParseOutput['images']; wireImages: WireImages } {
  const images: ParseOutput['images'] = new Map();
  const pageUrls = new Map<number, string>();
  for (const page of doc.pages) {
    if (!page.image) continue;
    const key = `page-${page.originalPage}`;
    images.set(key, page.image);
    pageUrls.set(page.originalPage, `folio-image:${key}`);
  }
  let n = 0;
  const blockKeys = new Map<DocBlock, string>();
  const wireImages: WireImages = {
    blockImage(block) {
      if (!block.image) return null;
      let key = blockKeys.get(block);
      if (!key) {
        key = `block-${++n}`;
        blockKeys.set(block, key);
        images.set(key, block.image);
      }
      return `folio-image:${key}`;
    },
    pageImage: (originalPage) => pageUrls.get(originalPage) ?? null,
  };
  return { images, wireImages };
}

/** `settings.return_ocr_data`: the reader's OCR words/lines, each tagged with its chunk. */
function ocrResult(doc: ParsedDocument, options: ParseOptions, chunks: Chunk[]): ParseOutput['result']['ocr'] {
  if (!options.settings?.return_ocr_data) return null;
  const chunkOfPage = new Map<number, number>();
  chunks.forEach((c, i) => c.blocks.forEach((b) => { if (!chunkOfPage.has(b.bbox.page)) chunkOfPage.set(b.bbox.page, i); }));
  const tag = (w: OcrWord): OcrWord => ({ ...w, chunk_index: w.chunk_index ?? chunkOfPage.get(w.bbox.page) ?? 0 });
  return { words: (doc.ocr?.words ?? []).map(tag), lines: (doc.ocr?.lines ?? []).map(tag) };
}
