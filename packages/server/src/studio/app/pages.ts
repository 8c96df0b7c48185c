import type { Block, FullResult } from '@folio/sdk';

/** One colour per block type so the page view reads at a glance. */
const COLOURS: Record<string, string> = {
  Title: '#8e44ad', 'Section Header': '#2980b9', Text: '#27ae60', 'List Item': '#16a085', Table: '#e67e22',
  Figure: '#d35400', 'Key Value': '#c0392b', Header: '#7f8c8d', Footer: '#7f8c8d', 'Page Number': '#95a5a6',
  Comment: '#f39c12', Signature: '#2c3e50',
};

/** What the page view can draw under the boxes: the source PDF, an image, or nothing. */
export type PageSource = { kind: 'pdf'; bytes: Uint8Array } | { kind: 'image'; url: string } | { kind: 'none' };

type PageImage = HTMLCanvasElement | HTMLImageElement | HTMLDivElement;

/**
 * Draw every page with its blocks' boxes on top (bboxes are fractions of the page, origin
 * top-left, so they are placed in percent and need no scaling).
 */
export async function renderPages(container: HTMLElement, result: FullResult, source: PageSource, onSelect: (block: Block) => void): Promise<void> {
  container.replaceChildren();
  const blocks = result.chunks.flatMap((chunk) => chunk.blocks);
  const byPage = new Map<number, Block[]>();
  for (const block of blocks) {
    const page = block.bbox.page;
    byPage.set(page, [...(byPage.get(page) ?? []), block]);
  }
  const pageCount = Math.max(1, ...byPage.keys());
  const pdf = source.kind === 'pdf' ? await openPdf(source.bytes) : null;
  // PDF pages are drawn when scrolled near, so a 300-page document does not hold 300 canvases.
  const lazy = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      lazy.unobserve(entry.target);
      const slot = entry.target as HTMLDivElement;
      void renderPdfPage(pdf!, Number(slot.dataset.page)).then((canvas) => slot.replaceWith(canvas), () => undefined);
    }
  }, { rootMargin: '800px' });

  for (let page = 1; page <= pageCount; page++) {
    const pageBlocks = byPage.get(page) ?? [];
    const frame = document.createElement('div');
    frame.className = 'page';
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = `Page ${page} · ${pageBlocks.length} blocks`;
    frame.append(label);
    // With a page_range, `page` counts output pages and `original_page` the source's.
    const original = pageBlocks[0]?.bbox.original_page ?? page;
    const image = await pageImage(source, pdf, original, page, pageBlocks);
    frame.append(image);
    if (image.dataset.page) lazy.observe(image);
    // Without a picture of the page, the boxes show their own text so the layout still reads.
    const withText = image instanceof HTMLDivElement && !image.dataset.page;
    for (const block of pageBlocks) frame.append(boxFor(block, onSelect, withText));
    container.append(frame);
    frame.style.marginTop = '1.4rem';
  }
}

async function pageImage(source: PageSource, pdf: PdfDoc | null, original: number, page: number, blocks: Block[]): Promise<PageImage> {
  if (pdf && original <= pdf.numPages) {
    // A placeholder of the page's shape; the observer swaps in the rendered canvas.
    const viewport = (await pdf.getPage(original)).getViewport({ scale: 1 });
    const slot = document.createElement('div');
    slot.className = 'blank';
    slot.style.aspectRatio = `${viewport.width} / ${viewport.height}`;
    slot.dataset.page = String(original);
    return slot;
  }
  if (source.kind === 'image' && page === 1) {
    const img = document.createElement('img');
    img.src = source.url;
    return img;
  }
  const pageImageUrl = blocks.map((b) => b.extra?.page_image_url).find((u): u is string => typeof u === 'string');
  if (pageImageUrl) {
    const img = document.createElement('img');
    img.src = pageImageUrl;
    return img;
  }
  const blank = document.createElement('div');
  blank.className = 'blank';
  return blank;
}

function boxFor(block: Block, onSelect: (block: Block) => void, withText: boolean): HTMLElement {
  const box = document.createElement('div');
  box.className = 'box';
  const colour = COLOURS[block.type] ?? '#34495e';
  Object.assign(box.style, {
    left: `${block.bbox.left * 100}%`,
    top: `${block.bbox.top * 100}%`,
    width: `${block.bbox.width * 100}%`,
    height: `${block.bbox.height * 100}%`,
    borderColor: colour,
  });
  box.title = `${block.type}: ${block.content.slice(0, 200)}`;
  const tag = document.createElement('span');
  tag.className = 'tag';
  tag.style.background = colour;
  tag.textContent = block.type;
  box.append(tag);
  if (withText) {
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = block.content;
    box.append(text);
  }
  box.addEventListener('click', () => {
    document.querySelectorAll('.box.selected').forEach((el) => el.classList.remove('selected'));
    box.classList.add('selected');
    onSelect(block);
  });
  return box;
}

type PdfDoc = Awaited<ReturnType<typeof import('pdfjs-dist')['getDocument']>['promise']>;

/** pdf.js is loaded only when a PDF is shown. */
async function openPdf(bytes: Uint8Array): Promise<PdfDoc | null> {
  try {
    const pdfjs = await import('pdfjs-dist');
    pdfjs.GlobalWorkerOptions.workerSrc = '/studio/pdf.worker.mjs';
    return await pdfjs.getDocument({ data: bytes.slice() }).promise;
  } catch (err) {
    console.warn('Folio Studio: cannot render the PDF, drawing boxes on blank pages', err);
    return null;
  }
}

async function renderPdfPage(pdf: PdfDoc, pageNumber: number): Promise<HTMLCanvasElement> {
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale: 1.5 });
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  await page.render({ canvas, viewport }).promise;
  return canvas;
}
