import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { Readability, isProbablyReaderable } from '@mozilla/readability';
import type { Reader } from '../parse.ts';
import type { ParseOptions } from '../options.ts';
import { Flow } from './flow.ts';
import { documentLimits, overLimit } from '../limits.ts';
import { TableBuilder, tableText } from './table.ts';

/** Elements whose content is never document text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'svg', 'canvas', 'iframe', 'object', 'button', 'select', 'input', 'textarea']);
/** Page furniture dropped when the page is not an article Readability can extract. */
const FURNITURE = new Set(['nav', 'header', 'footer', 'aside']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul', 'html', 'caption', 'legend',
]);

/**
 * HTML reader: semantic structure (headings, lists, tables with spans, figures, definition
 * lists). Full web pages go through Readability first so navigation and boilerplate drop out;
 * fragments and simple documents are read whole.
 */
export const readHtml: Reader = async (bytes, _format, options) => {
  const html = decodeHtml(bytes);
  const flow = new Flow('HTML file');
  const title = htmlToFlow(html, flow, options, { mainContent: true });
  return flow.finish(options, { title: title ?? null });
};

/** Decode using the declared charset when there is one (default UTF-8). */
export function decodeHtml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head);
  try {
    return new TextDecoder(m?.[1] ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * Read HTML into the flow; returns the document title. With `mainContent`, pages that look
 * like articles are reduced to their main content (Readability); e-mail bodies pass false.
 */
export function htmlToFlow(html: string, flow: Flow, options: ParseOptions, opts: { mainContent: boolean }): string | undefined {
  // Readability and the walker recurse per element: refuse absurd nesting before either runs,
  // and before the DOM is built (building 50,000 nested elements alone takes seconds).
  assertNesting(html);
  const { document } = parseHTML(html.includes('<html') ? html : `<!doctype html><html><head></head><body>${html}</body></html>`);
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  // linkedom is not a spec parser: sloppy pages (script before <head>) can yield two bodies.
  const bodies = Array.from(document.querySelectorAll('body')) as Element[];
  let root: Element = bodies.sort((a, b) => (b.textContent?.length ?? 0) - (a.textContent?.length ?? 0))[0] ?? document.documentElement;
  let dropFurniture = false;
  if (opts.mainContent && root && isProbablyReaderable(document as unknown as Document)) {
    const article = new Readability(document.cloneNode(true) as unknown as Document, { keepClasses: false }).parse();
    if (article?.content && (article.textContent ?? '').trim().length > 0) {
      root = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body as unknown as Element;
      // The article title heads the content unless a heading there already says it.
      const same = (h: Element): boolean => collapse(h.textContent).trim().toLowerCase() === article.title!.trim().toLowerCase();
      const headings = Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6')) as Element[];
      if (article.title && !root.querySelector('h1') && !headings.some(same)) flow.add({ type: 'Title', level: 1, text: article.title.trim() });
    }
  } else dropFurniture = opts.mainContent;
  if (root) new HtmlWalker(flow, options, dropFurniture).block(root, 0);
  return title;
}

/**
 * Refuse elements nested deeper than the nesting budget. htmlparser2 is the tokenizer linkedom
 * builds its DOM with, so its open/close events (implied closes included) give the DOM's depth;
 * the scan stops at the first element too deep.
 */
function assertNesting(html: string): void {
  const { maxNesting } = documentLimits();
  // A fragment is read wrapped in <html> and <body>: two levels more.
  let depth = html.includes('<html') ? 0 : 2;
  const parser = new Parser({
    onopentag() {
      if (++depth > maxNesting) throw overLimit('maxNesting', 'The HTML file nests its elements too deeply', maxNesting);
    },
    onclosetag() {
      depth--;
    },
  });
  parser.end(html);
}

class HtmlWalker {
  private inline = '';
  private seenTitle = false;
  private readonly links: boolean;

  constructor(private readonly flow: Flow, options: ParseOptions, private readonly dropFurniture: boolean) {
    this.links = options.formatting?.include?.includes('hyperlinks') ?? false;
  }

  /** Walk block content; inline runs between blocks become Text blocks. */
  block(el: Element, listLevel: number): void {
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === 3) { this.inline += collapse(node.textContent); continue; }
      if (node.nodeType !== 1) continue;
      const child = node as Element;
      const tag = child.tagName.toLowerCase();
      if (SKIP.has(tag) || isHidden(child)) continue;
      if (this.dropFurniture && (FURNITURE.has(tag) || child.getAttribute('role') === 'navigation')) continue;
      if (!BLOCK.has(tag) && tag !== 'img' && tag !== 'br') {
        if (containsBlock(child)) this.block(child, listLevel);
        else this.inline += this.inlineText(child);
        continue;
      }
      if (tag === 'br') { this.inline += '\n'; continue; }
      this.flush();
      this.element(child, tag, listLevel);
    }
    this.flush();
  }

  private flush(): void {
    const text = tidy(this.inline);
    this.inline = '';
    if (text) this.flow.add({ type: 'Text', text });
  }

  private element(el: Element, tag: string, listLevel: number): void {
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = tidy(this.inlineText(el));
      const level = Number(heading[1]);
      if (!text) return;
      // The first h1 is the document's title; later ones are top-level sections.
      if (level === 1 && !this.seenTitle) { this.seenTitle = true; this.flow.add({ type: 'Title', level: 1, text }); }
      else this.flow.add({ type: 'Section Header', level, text });
      return;
    }
    switch (tag) {
      case 'ul': case 'ol': case 'menu': case 'dir': return this.list(el, tag === 'ol', listLevel);
      case 'table': return this.table(el);
      case 'img': return this.figure(el, undefined);
      case 'figure': {
        const caption = tidy(el.querySelector('figcaption')?.textContent ?? '');
        const table = el.querySelector('table');
        if (table) { this.table(table, caption); return; }
        return this.figure(el.querySelector('img') ?? el, caption);
      }
      case 'dl': return this.definitions(el);
      case 'pre': {
        const text = (el.textContent ?? '').replace(/^\n|\n\s*$/g, '');
        if (text.trim()) this.flow.add({ type: 'Text', text, extra: { code: true } });
        return;
      }
      case 'hr': return;
      case 'p': case 'caption': case 'legend': case 'summary': case 'figcaption': case 'dt': case 'dd':
        if (!containsBlock(el)) {
          const text = tidy(this.inlineText(el));
          if (text) this.flow.add({ type: 'Text', text });
          return;
        }
        return this.block(el, listLevel);
      default:
        return this.block(el, listLevel);
    }
  }

  private list(el: Element, ordered: boolean, level: number): void {
    let n = Number(el.getAttribute('start') ?? 1) || 1;
    for (const li of Array.from(el.children)) {
      if (li.tagName.toLowerCase() !== 'li') {
        if (/^(ul|ol)$/i.test(li.tagName)) this.list(li, li.tagName.toLowerCase() === 'ol', level + 1);
        continue;
      }
      // Items that hold whole sections (headings, tables, code) are read as blocks, not flattened.
      if (li.querySelector('h1, h2, h3, h4, h5, h6, table, pre')) {
        this.block(li, level + 1);
        n++;
        continue;
      }
      // The item's own text is everything but its nested lists, which follow one level deeper.
      let own = '';
      const nested: Element[] = [];
      for (const node of Array.from(li.childNodes)) {
        if (node.nodeType === 3) own += collapse(node.textContent);
        else if (node.nodeType === 1) {
          const c = node as Element;
          const t = c.tagName.toLowerCase();
          if (t === 'ul' || t === 'ol') nested.push(c);
          else if (t === 'table') nested.push(c);
          else if (!SKIP.has(t)) own += (BLOCK.has(t) ? '\n' : '') + this.inlineText(c);
        }
      }
      const text = tidy(own);
      const marker = ordered ? `${n}.` : '•';
      n++;
      if (text) this.flow.add({ type: 'List Item', text, listLevel: level, listMarker: marker });
      for (const c of nested) {
        if (c.tagName.toLowerCase() === 'table') this.table(c);
        else this.list(c, c.tagName.toLowerCase() === 'ol', level + 1);
      }
    }
  }

  private table(el: Element, caption?: string): void {
    const builder = new TableBuilder();
    let headerRows = 0;
    let headerRun = true;
    const rows: Element[] = [];
    const collect = (parent: Element): void => {
      for (const c of Array.from(parent.children)) {
        const t = c.tagName.toLowerCase();
        if (t === 'tr') rows.push(c);
        else if (t === 'thead' || t === 'tbody' || t === 'tfoot') collect(c);
      }
    };
    collect(el);
    if (isLayoutTable(el, rows)) {
      for (const tr of rows) for (const td of Array.from(tr.children)) this.block(td, 0);
      return;
    }
    for (const tr of rows) {
      const cells = Array.from(tr.children).filter((c) => /^(td|th)$/i.test(c.tagName));
      if (cells.length === 0) continue;
      builder.startRow();
      const isHeader = tr.parentElement?.tagName.toLowerCase() === 'thead' || cells.every((c) => c.tagName.toLowerCase() === 'th');
      if (isHeader && headerRun) headerRows++;
      else headerRun = false;
      for (const td of cells) {
        builder.add(tidy(this.inlineText(td, true)), {
          rowSpan: clampSpan(td.getAttribute('rowspan')),
          colSpan: clampSpan(td.getAttribute('colspan')),
          header: td.tagName.toLowerCase() === 'th',
        });
      }
    }
    const cap = caption ?? tidy(el.querySelector('caption')?.textContent ?? '');
    if (builder.rowCount === 0) return;
    const table = builder.build(headerRows);
    this.flow.add({ type: 'Table', text: tableText(table), table, caption: cap || undefined });
  }

  private figure(el: Element, caption: string | undefined): void {
    // Spacer and tracking images (a few pixels, no alt text) are not figures.
    const size = Math.min(Number(el.getAttribute('width') ?? Infinity), Number(el.getAttribute('height') ?? Infinity));
    if (!caption && !el.getAttribute('alt') && size < 16) return;
    const alt = tidy(el.getAttribute('alt') ?? el.getAttribute('title') ?? '');
    const src = el.getAttribute('src') ?? undefined;
    this.flow.add({ type: 'Figure', text: caption || alt, caption: caption || undefined, extra: src ? { src } : undefined });
  }

  /** Definition lists: each term with its description(s) as a Key Value block. */
  private definitions(el: Element): void {
    let key: string | undefined;
    const items = Array.from(el.children).flatMap((c) => (c.tagName.toLowerCase() === 'div' ? Array.from(c.children) : [c]));
    for (const c of items) {
      const tag = c.tagName.toLowerCase();
      if (tag === 'dt') { key = tidy(this.inlineText(c)); continue; }
      if (tag !== 'dd') continue;
      const nested = Array.from(c.children).filter((x) => x.tagName.toLowerCase() === 'dl');
      let own = '';
      for (const node of Array.from(c.childNodes)) {
        if (node.nodeType === 3) own += collapse(node.textContent);
        else if (node.nodeType === 1 && !nested.includes(node as Element)) own += this.inlineText(node as Element);
      }
      const text = tidy(own);
      if (text) this.flow.add({ type: 'Key Value', text: key ? `${key}: ${text}` : text, key, value: text });
      else if (key && nested.length) this.flow.add({ type: 'Text', text: key });
      for (const dl of nested) this.definitions(dl);
    }
  }

  /** Text of an element's inline content: whitespace collapsed, <br> as line breaks. */
  private inlineText(el: Element, blocksAsLines = false): string {
    let s = '';
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === 3) { s += collapse(node.textContent); continue; }
      if (node.nodeType !== 1) continue;
      const c = node as Element;
      const t = c.tagName.toLowerCase();
      if (SKIP.has(t) || isHidden(c)) continue;
      if (t === 'br') { s += '\n'; continue; }
      if (t === 'img') continue; // inline icons and images are not running text
      const inner = this.inlineText(c, blocksAsLines);
      if (t === 'a' && this.links && c.getAttribute('href') && inner.trim()) s += `[${inner.trim()}](${c.getAttribute('href')})`;
      else if (BLOCK.has(t) || t === 'td' || t === 'th' || t === 'tr') s += `${blocksAsLines ? '\n' : ' '}${inner}${blocksAsLines ? '\n' : ' '}`;
      else s += inner;
    }
    return s;
  }
}

/**
 * Old pages lay out whole pages with tables. A table is read as blocks, not as data, when it
 * says so (role="presentation"), has a single row or column, has essay-length cells, or nests
 * tables while carrying the presentational attributes layout tables were written with.
 */
function isLayoutTable(table: Element, rows: Element[]): boolean {
  if (table.getAttribute('role') === 'presentation') return true;
  const cells = rows.flatMap((tr) => Array.from(tr.children).filter((c) => /^(td|th)$/i.test(c.tagName)));
  if (cells.length === 0) return false;
  const cols = Math.max(...rows.map((tr) => tr.children.length));
  if (rows.length === 1 || cols === 1) return true;
  if (cells.some((c) => collapse(c.textContent).length > 1000)) return true;
  const presentational = ['cellpadding', 'cellspacing', 'width', 'bgcolor'].some((a) => table.hasAttribute(a)) || table.getAttribute('border') === '0';
  return presentational && cells.some((c) => c.querySelector('table') !== null);
}

function containsBlock(el: Element): boolean {
  for (const c of Array.from(el.children)) {
    const t = c.tagName.toLowerCase();
    if (BLOCK.has(t) || (!SKIP.has(t) && containsBlock(c))) return true;
  }
  return false;
}

function isHidden(el: Element): boolean {
  return el.hasAttribute('hidden') || /display\s*:\s*none/i.test(el.getAttribute('style') ?? '') || el.getAttribute('aria-hidden') === 'true';
}

function clampSpan(v: string | null): number {
  const n = parseInt(v ?? '1', 10);
  return Number.isFinite(n) ? Math.min(1000, Math.max(1, n)) : 1;
}

/** Source line breaks in HTML text are just spaces. */
function collapse(s: string | null): string {
  return (s ?? '').replace(/[ \t\n\r\f]+/g, ' ');
}

/** Collapse HTML whitespace, keeping explicit line breaks. */
function tidy(s: string): string {
  return s.replace(/[ \t\r\f\u00a0]*\n[ \t\r\f\u00a0]*/g, '\n').replace(/[ \t\r\f]+/g, ' ').replace(/\u00a0/g, ' ').replace(/\n{2,}/g, '\n').trim();
}
