import type { Box, DocBlock, DocumentProperties, PageInfo, ParsedDocument } from '../model.ts';
import { selectPages } from './pages.ts';
import type { ParseOptions } from '../options.ts';
import { checkCharacterCount } from '../limits.ts';

/** A block before layout: everything but the box, which the flow assigns per page. */
export type FlowBlock = Omit<DocBlock, 'box' | 'confidence'> & {
  confidence?: number;
  /** Where the format knows the block's place (slides, sheets); else the flow assigns a band. */
  box?: Pick<Box, 'left' | 'top' | 'width' | 'height'>;
};

/** Nominal page size (US Letter in points) for formats that have no page geometry of their own. */
const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;

/**
 * Collects the blocks of a flow document (DOCX, HTML, Markdown, e-mail …) page by page.
 * Flow formats have no coordinates, so each block gets a full-width band whose height is
 * its share of the page's text: citations still point at the right page and roughly the
 * right place.
 */
export class Flow {
  private pages: Array<{ name?: string; blocks: FlowBlock[] }> = [{ blocks: [] }];
  /** Characters added so far, against the character budget: checked as the reader goes. */
  private characters = 0;

  /** `kind` names the document in budget refusals ("DOCX file"); `unit` what its pages are. */
  constructor(private readonly kind = 'document', private readonly unit = 'pages') {}

  /** 1-based number of the page blocks are currently added to. */
  get pageNumber(): number {
    return this.pages.length;
  }

  add(block: FlowBlock): void {
    if (block.type !== 'Table' && block.type !== 'Figure' && !block.text.trim()) return;
    this.characters += block.text.length;
    checkCharacterCount(this.characters, this.kind);
    this.pages[this.pages.length - 1].blocks.push(block);
  }

  /** Start a new page (explicit page break, next slide, next sheet, next attachment). */
  newPage(name?: string): void {
    const cur = this.pages[this.pages.length - 1];
    if (cur.blocks.length === 0 && cur.name === undefined) cur.name = name;
    else this.pages.push({ name, blocks: [] });
  }

  /** Name the current page (slide title, sheet name). */
  nameCurrentPage(name: string): void {
    this.pages[this.pages.length - 1].name = name;
  }

  /** Append another document's pages after this one's (e-mail attachments). */
  appendDocument(doc: ParsedDocument, source: string): void {
    this.characters += doc.blocks.reduce((n, b) => n + b.text.length, 0);
    checkCharacterCount(this.characters, this.kind);
    for (const page of doc.pages) {
      this.pages.push({
        name: page.name ?? source,
        blocks: doc.blocks
          .filter((b) => b.box.original_page === page.originalPage)
          .map((b) => ({ ...b, source: b.source ?? source })),
      });
    }
  }

  finish(options: ParseOptions, properties?: DocumentProperties): ParsedDocument {
    // A trailing empty page (from a final page break) is not a page of the document.
    while (this.pages.length > 1 && this.pages[this.pages.length - 1].blocks.length === 0) this.pages.pop();
    const totalPages = this.pages.length;
    const keep = selectPages(options, totalPages, this.pages.map((p) => p.name), this.unit);
    const pages: PageInfo[] = [];
    const blocks: DocBlock[] = [];
    keep.forEach((originalPage, i) => {
      const page = this.pages[originalPage - 1];
      pages.push({ page: i + 1, originalPage, width: PAGE_WIDTH, height: PAGE_HEIGHT, name: page.name, source: 'native' });
      blocks.push(...layoutPage(page.blocks, i + 1, originalPage));
    });
    return { pages, blocks, totalPages, properties };
  }
}

/** Stack blocks top to bottom, each taking a band proportional to its text length. */
function layoutPage(items: FlowBlock[], page: number, originalPage: number): DocBlock[] {
  const weight = (b: FlowBlock): number => 1 + Math.sqrt(b.table ? b.table.rows * b.table.cols * 8 : b.text.length);
  const total = items.reduce((s, b) => s + weight(b), 0);
  let top = 0;
  return items.map((b) => {
    const height = weight(b) / total;
    const place = b.box ?? { left: 0, top: round(top), width: 1, height: round(height) };
    top += height;
    return { ...b, box: { ...place, page, original_page: originalPage }, confidence: b.confidence ?? 1 };
  });
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
