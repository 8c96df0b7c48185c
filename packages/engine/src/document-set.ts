import type { Box, DocBlock, OcrWord, PageInfo, ParsedDocument } from './model.ts';

/** One document of a multi-document input, with the name its blocks are tagged with. */
export interface DocumentPart {
  doc: ParsedDocument;
  name?: string | null;
}

/**
 * Several documents read as one, in the order given: pages run on from one document to the
 * next (`page` over the output, `original_page` over the sources' pages), and every block
 * names the document it came from (`extra.source` on the wire), so citations stay traceable.
 */
export function concatDocuments(parts: DocumentPart[]): ParsedDocument {
  if (parts.length === 1) return parts[0].doc;
  const pages: PageInfo[] = [];
  const blocks: DocBlock[] = [];
  const words: OcrWord[] = [];
  const lines: OcrWord[] = [];
  let pageOffset = 0;
  let sourceOffset = 0;
  for (const { doc, name } of parts) {
    const shift = (box: Box): Box => ({ ...box, page: box.page + pageOffset, original_page: box.original_page + sourceOffset });
    for (const page of doc.pages) pages.push({ ...page, page: page.page + pageOffset, originalPage: page.originalPage + sourceOffset });
    for (const block of doc.blocks) blocks.push({ ...block, box: shift(block.box), source: block.source ?? name ?? undefined });
    for (const word of doc.ocr?.words ?? []) words.push({ ...word, bbox: shift(word.bbox) });
    for (const line of doc.ocr?.lines ?? []) lines.push({ ...line, bbox: shift(line.bbox) });
    pageOffset += doc.pages.length;
    sourceOffset += doc.totalPages;
  }
  const withOcr = parts.some((p) => p.doc.ocr);
  return { pages, blocks, totalPages: sourceOffset, ...(withOcr ? { ocr: { words, lines } } : {}), properties: parts[0].doc.properties };
}
