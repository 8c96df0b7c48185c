import type { Reader } from '../parse.ts';
import type { ParseOptions } from '../options.ts';
import { EngineError, throwIfAborted } from '../errors.ts';
import { OfficePackage, readCoreProperties, type Relationship } from './container.ts';
import { Flow, type FlowBlock } from './flow.ts';
import { Numbering } from './numbering.ts';
import { TableBuilder, tableText } from './table.ts';
import { ommlToLatex } from './omml.ts';
import { readChart } from './chart.ts';
import { altText } from './alt-text.ts';
import { child, childElements, descendants, isElement, path, textContent, type XmlElement } from './xml.ts';

/**
 * DOCX / DOTX / DOCM reader: walks WordprocessingML directly so heading levels, list
 * nesting, merged cells and page breaks survive (mammoth's HTML would drop most of them).
 */
export const readDocx: Reader = async (bytes, _format, options, ctx) => {
  const pkg = await OfficePackage.open(bytes, 'docx');
  const main = await mainPart(pkg);
  const doc = await pkg.xml(main);
  const body = path(doc, 'w:document', 'w:body');
  if (!body) throw new EngineError('DOCUMENT_CORRUPT', 'The Word document has no document body');
  const reader = new DocxReader(pkg, main, options);
  await reader.load();
  const flow = new Flow('DOCX file');
  await reader.emitHeadersFooters(body, flow, 'Header');
  reader.body(body, flow);
  throwIfAborted(ctx.signal);
  reader.emitNotes(flow);
  await reader.emitHeadersFooters(body, flow, 'Footer');
  return flow.finish(options, await readCoreProperties(pkg));
};

async function mainPart(pkg: OfficePackage): Promise<string> {
  const rels = await pkg.relationships('');
  for (const rel of rels.values()) if (rel.type.endsWith('/officeDocument') && pkg.has(rel.target)) return rel.target;
  return 'word/document.xml';
}

interface Style {
  name: string;
  basedOn?: string;
  outlineLevel?: number;
  numId?: string;
  ilvl?: number;
}

/** What a paragraph contributes: text split at page breaks, plus things that float beside it. */
interface ParagraphContent {
  segments: string[];
  figures: FlowBlock[];
  textBoxes: XmlElement[];
  comments: string[];
}

const IMAGE_MIME: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp',
  tif: 'image/tiff', tiff: 'image/tiff', emf: 'image/emf', wmf: 'image/wmf', svg: 'image/svg+xml', webp: 'image/webp',
};

class DocxReader {
  private styles = new Map<string, Style>();
  private numbering = new Numbering(undefined);
  private rels = new Map<string, Relationship>();
  private comments = new Map<string, { author: string; text: string }>();
  private footnotes = new Map<string, XmlElement>();
  private endnotes = new Map<string, XmlElement>();
  private readonly usedNotes: Array<{ kind: 'footnote' | 'endnote'; id: string }> = [];
  private readonly media = new Map<string, Uint8Array>();
  private readonly charts = new Map<string, FlowBlock[]>();
  private readonly include: Set<string>;
  private readonly wantImages: boolean;

  constructor(private readonly pkg: OfficePackage, private readonly main: string, options: ParseOptions) {
    this.include = new Set(options.formatting?.include ?? []);
    this.wantImages = options.settings?.return_images?.includes('figure') ?? false;
  }

  async load(): Promise<void> {
    this.rels = await this.pkg.relationships(this.main);
    const target = (suffix: string): string | undefined => [...this.rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    this.readStyles(await this.pkg.xml(target('/styles') ?? 'word/styles.xml'));
    this.numbering = new Numbering(await this.pkg.xml(target('/numbering') ?? 'word/numbering.xml'));
    for (const c of childElements(child(await this.pkg.xml(target('/comments') ?? 'word/comments.xml'), 'w:comments'), 'w:comment')) {
      const text = childElements(c, 'w:p').map((p) => this.paragraphContent(p, false).segments.join('')).join('\n');
      this.comments.set(c.attrs['w:id'], { author: c.attrs['w:author'] ?? '', text });
    }
    for (const [kind, map, suffix] of [['footnote', this.footnotes, '/footnotes'], ['endnote', this.endnotes, '/endnotes']] as const) {
      const root = child(await this.pkg.xml(target(suffix) ?? `word/${kind}s.xml`), `w:${kind}s`);
      for (const n of childElements(root, `w:${kind}`)) if (!n.attrs['w:type']) map.set(n.attrs['w:id'], n);
    }
    for (const [id, rel] of this.rels) {
      if (rel.type.endsWith('/chart') && !rel.external) this.charts.set(id, await readChart(this.pkg, rel.target));
    }
    if (this.wantImages) {
      for (const rel of this.rels.values()) {
        if (rel.type.endsWith('/image') && !rel.external) {
          const data = await this.pkg.bytes(rel.target);
          if (data) this.media.set(rel.target, data);
        }
      }
    }
  }

  private readStyles(doc: XmlElement | undefined): void {
    for (const s of childElements(child(doc, 'w:styles'), 'w:style')) {
      if (s.attrs['w:type'] !== 'paragraph') continue;
      const outline = path(s, 'w:pPr', 'w:outlineLvl')?.attrs['w:val'];
      const numPr = path(s, 'w:pPr', 'w:numPr');
      this.styles.set(s.attrs['w:styleId'], {
        name: path(s, 'w:name')?.attrs['w:val'] ?? s.attrs['w:styleId'],
        basedOn: path(s, 'w:basedOn')?.attrs['w:val'],
        outlineLevel: outline === undefined ? undefined : Number(outline),
        numId: path(numPr, 'w:numId')?.attrs['w:val'],
        ilvl: numPr ? Number(path(numPr, 'w:ilvl')?.attrs['w:val'] ?? 0) : undefined,
      });
    }
  }

  /** A style property, inherited along the basedOn chain. */
  private styleProp<K extends keyof Style>(styleId: string | undefined, key: K): Style[K] | undefined {
    const seen = new Set<string>();
    for (let id = styleId; id && !seen.has(id); id = this.styles.get(id)?.basedOn) {
      seen.add(id);
      const v = this.styles.get(id)?.[key];
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Title / Section Header (with level) from the style name or outline level. */
  private heading(p: XmlElement, styleId: string | undefined): { type: 'Title' | 'Section Header'; level: number } | undefined {
    const name = (styleId ? this.styles.get(styleId)?.name : undefined) ?? styleId ?? '';
    if (/^(title|titel|titre|titolo|título|titulo)$/i.test(name)) return { type: 'Title', level: 1 };
    const direct = path(p, 'w:pPr', 'w:outlineLvl')?.attrs['w:val'];
    const outline = direct !== undefined ? Number(direct) : this.styleProp(styleId, 'outlineLevel');
    if (outline !== undefined && outline >= 0 && outline < 9) return { type: 'Section Header', level: Math.min(6, outline + 1) };
    const m = /^(?:heading|berschrift|Überschrift|titre|titolo|encabezado|kop)\s*(\d)$/i.exec(name);
    if (m) return { type: 'Section Header', level: Math.min(6, Math.max(1, Number(m[1]))) };
    return undefined;
  }

  body(body: XmlElement | undefined, flow: Flow): void {
    for (const el of childElements(body)) this.blockLevel(el, flow);
  }

  private blockLevel(el: XmlElement, flow: Flow): void {
    switch (el.name) {
      case 'w:p': return this.paragraph(el, flow);
      case 'w:tbl': return this.table(el, flow);
      case 'w:sdt': return this.body(child(el, 'w:sdtContent'), flow);
      case 'w:customXml':
      case 'w:ins':
        return this.body(el, flow);
      case 'mc:AlternateContent': return this.body(child(el, 'mc:Choice') ?? child(el, 'mc:Fallback'), flow);
      default: return;
    }
  }

  /** A drop cap is its own framed paragraph holding the first letter(s) of the next one. */
  private dropCap = '';

  private paragraph(p: XmlElement, flow: Flow): void {
    const pPr = child(p, 'w:pPr');
    const frame = child(pPr, 'w:framePr')?.attrs['w:dropCap'];
    if (frame && frame !== 'none') {
      this.dropCap += this.paragraphContent(p, false).segments.join('').trim();
      return;
    }
    if (path(pPr, 'w:pageBreakBefore') && path(pPr, 'w:pageBreakBefore')?.attrs['w:val'] !== '0') flow.newPage();
    const styleId = path(pPr, 'w:pStyle')?.attrs['w:val'];
    const content = this.paragraphContent(p, true);
    if (this.dropCap) {
      content.segments[0] = this.dropCap + content.segments[0].replace(/^\s+/, '');
      this.dropCap = '';
    }
    const heading = this.heading(p, styleId);
    const numId = path(pPr, 'w:numPr', 'w:numId')?.attrs['w:val'] ?? this.styleProp(styleId, 'numId');
    const ilvlAttr = path(pPr, 'w:numPr', 'w:ilvl')?.attrs['w:val'];
    const ilvl = ilvlAttr !== undefined ? Number(ilvlAttr) : (this.styleProp(styleId, 'ilvl') ?? 0);

    content.segments.forEach((segment, i) => {
      if (i > 0) flow.newPage();
      const text = segment.replace(/[ \t]+/g, ' ').replace(/ \n/g, '\n').trim();
      if (!text) return;
      if (heading) {
        // A numbered heading's number ("1.2") goes to extra.section_number: it is how sections are
        // cited, while the heading text stays the author's words (as pandoc and docling read it).
        const marker = this.numbering.isList(numId) && i === 0 ? this.numbering.next(numId, ilvl).replace(/[.)]$/, '') : '';
        const extra = marker && marker !== '•' ? { section_number: marker } : undefined;
        flow.add({ type: heading.type, level: heading.level, text, extra });
      }
      else if (this.numbering.isList(numId) && i === 0) {
        flow.add({ type: 'List Item', text, listLevel: ilvl, listMarker: this.numbering.next(numId, ilvl) });
      } else flow.add({ type: 'Text', text });
    });
    for (const fig of content.figures) flow.add(fig);
    for (const box of content.textBoxes) this.body(box, flow);
    if (this.include.has('comments')) {
      for (const id of content.comments) {
        const c = this.comments.get(id);
        if (c) flow.add({ type: 'Comment', text: c.text, extra: { author: c.author } });
      }
    }
  }

  /** Text of a paragraph's runs, with page breaks, images, text boxes and note references collected. */
  private paragraphContent(p: XmlElement, inBody: boolean): ParagraphContent {
    const out: ParagraphContent = { segments: [''], figures: [], textBoxes: [], comments: [] };
    const append = (s: string): void => { out.segments[out.segments.length - 1] += s; };
    const pageBreak = (): void => {
      if (inBody) out.segments.push('');
    };
    const tracked = this.include.has('change_tracking');
    const links = this.include.has('hyperlinks');
    const highlights = this.include.has('highlight');

    const walk = (el: XmlElement, mode: 'normal' | 'ins' | 'del'): void => {
      for (const c of el.children) {
        if (!isElement(c)) continue;
        switch (c.name) {
          case 'w:pPr': case 'w:rPr': case 'w:instrText': case 'w:delInstrText': case 'w:fldChar':
          case 'w:proofErr': case 'w:bookmarkStart': case 'w:bookmarkEnd': case 'w:commentRangeEnd':
            break;
          case 'w:r': {
            if (path(c, 'w:rPr', 'w:vanish') && !tracked) break;
            const mark = highlights && isHighlighted(child(c, 'w:rPr'));
            if (mark) append('<mark>');
            walk(c, mode);
            if (mark) append('</mark>');
            break;
          }
          case 'w:t': append(textContent(c)); break;
          case 'w:delText': if (mode === 'del') append(textContent(c)); break;
          case 'w:tab': case 'w:ptab': append('\t'); break;
          case 'w:noBreakHyphen': append('-'); break;
          case 'w:sym': append(symbol(c.attrs['w:char'])); break;
          case 'w:cr': append('\n'); break;
          case 'w:br':
            if (c.attrs['w:type'] === 'page') pageBreak();
            else append('\n');
            break;
          case 'w:lastRenderedPageBreak':
            // Word's pagination at last save; a break at the paragraph start belongs before it.
            pageBreak();
            break;
          case 'w:ins': case 'w:moveTo':
            if (tracked) { append('<u>'); walk(c, 'ins'); append('</u>'); } else walk(c, 'ins');
            break;
          case 'w:del': case 'w:moveFrom':
            if (tracked) { append('<s>'); walk(c, 'del'); append('</s>'); }
            break;
          case 'w:hyperlink': {
            const start = out.segments[out.segments.length - 1].length;
            walk(c, mode);
            const rel = c.attrs['r:id'] ? this.rels.get(c.attrs['r:id']) : undefined;
            const href = rel?.target ?? (c.attrs['w:anchor'] ? `#${c.attrs['w:anchor']}` : undefined);
            if (links && href) {
              const seg = out.segments[out.segments.length - 1];
              const label = seg.slice(start);
              if (label.trim()) out.segments[out.segments.length - 1] = `${seg.slice(0, start)}[${label}](${href})`;
            }
            break;
          }
          case 'w:commentRangeStart': case 'w:commentReference':
            if (!out.comments.includes(c.attrs['w:id'])) out.comments.push(c.attrs['w:id']);
            break;
          case 'w:footnoteReference': case 'w:endnoteReference': {
            const kind = c.name === 'w:footnoteReference' ? 'footnote' : 'endnote';
            if (inBody) this.usedNotes.push({ kind, id: c.attrs['w:id'] });
            append(`[${this.usedNotes.length}]`);
            break;
          }
          case 'w:drawing': case 'w:pict': case 'w:object':
            this.drawing(c, out);
            break;
          case 'mc:AlternateContent':
            walk(child(c, 'mc:Choice') ?? child(c, 'mc:Fallback') ?? c, mode);
            break;
          case 'm:oMath':
            append(` $${ommlToLatex(c)}$ `);
            break;
          case 'm:oMathPara':
            for (const m of descendants(c, 'm:oMath')) append(` $$${ommlToLatex(m)}$$ `);
            break;
          case 'w:fldSimple': case 'w:smartTag': case 'w:customXml': case 'w:sdt': case 'w:sdtContent':
          case 'w:dir': case 'w:bdo':
            walk(c, mode);
            break;
          default:
            if (c.name === 'w:sdtPr') {
              const box = descendants(c, 'w14:checked')[0];
              if (box) append(box.attrs['w14:val'] === '1' || box.attrs['w14:val'] === 'true' ? '☒ ' : '☐ ');
            }
            break;
        }
      }
    };
    walk(p, 'normal');
    out.segments = out.segments.map((s) => s.replace(/\t+/g, ' '));
    return out;
  }

  /** Images become Figure blocks (alt text as their text); text boxes are read as body content. */
  private drawing(el: XmlElement, out: ParagraphContent): void {
    out.textBoxes.push(...descendants(el, 'w:txbxContent'));
    const docPr = descendants(el, 'wp:docPr')[0];
    const blip = descendants(el, 'a:blip')[0];
    const imagedata = descendants(el, 'v:imagedata')[0];
    const chart = descendants(el, 'c:chart')[0];
    const relId = blip?.attrs['r:embed'] ?? blip?.attrs['r:link'] ?? imagedata?.attrs['r:id'];
    if (!relId && !chart) return;
    const alt = altText(docPr?.attrs.descr || docPr?.attrs.title || imagedata?.attrs['o:title']);
    const chartBlocks = chart ? this.charts.get(chart.attrs['r:id']) : undefined;
    if (chartBlocks) {
      out.figures.push(...chartBlocks.map((b, i) => (i === 0 && alt ? { ...b, text: alt } : b)));
      return;
    }
    const fig: FlowBlock = { type: 'Figure', text: alt, extra: chart ? { kind: 'chart' } : undefined };
    const rel = relId ? this.rels.get(relId) : undefined;
    const data = rel ? this.media.get(rel.target) : undefined;
    if (data && rel) fig.image = { bytes: data, mime: IMAGE_MIME[rel.target.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream' };
    out.figures.push(fig);
  }

  private table(tbl: XmlElement, flow: Flow): void {
    // A single-cell table is a frame around content (a boxed note, a nested table): read it as body.
    const rows = rowsOf(tbl);
    if (rows.length === 1 && cellsOf(rows[0]).length === 1) return this.body(cellsOf(rows[0])[0], flow);
    const builder = new TableBuilder();
    let headerRows = 0;
    let headerRun = true;
    for (const tr of rows) {
      builder.startRow();
      const trPr = child(tr, 'w:trPr');
      const isHeader = !!path(trPr, 'w:tblHeader') && path(trPr, 'w:tblHeader')?.attrs['w:val'] !== '0';
      if (isHeader && headerRun) headerRows++;
      else headerRun = false;
      builder.skip(Number(path(trPr, 'w:gridBefore')?.attrs['w:val'] ?? 0));
      for (const tc of cellsOf(tr)) {
        const tcPr = child(tc, 'w:tcPr');
        const colSpan = Number(path(tcPr, 'w:gridSpan')?.attrs['w:val'] ?? 1);
        const vMerge = path(tcPr, 'w:vMerge');
        if (vMerge && vMerge.attrs['w:val'] !== 'restart') {
          builder.continueAbove(colSpan);
          continue;
        }
        builder.add(this.cellText(tc), { colSpan, header: isHeader });
      }
    }
    if (builder.rowCount === 0) return;
    const table = builder.build(headerRows || 1);
    flow.add({ type: 'Table', text: tableText(table), table });
  }

  /** Paragraphs of a cell (and any nested table) as text, one paragraph per line. */
  private cellText(tc: XmlElement): string {
    const lines: string[] = [];
    const walk = (el: XmlElement): void => {
      for (const c of childElements(el)) {
        if (c.name === 'w:p') lines.push(this.paragraphContent(c, false).segments.join(' ').trim());
        else if (c.name === 'w:tbl') for (const tr of rowsOf(c)) lines.push(cellsOf(tr).map((x) => this.cellText(x)).join(' '));
        else if (c.name === 'w:sdt') walk(child(c, 'w:sdtContent') ?? c);
        else if (c.name === 'w:customXml') walk(c);
      }
    };
    walk(tc);
    return lines.filter(Boolean).join('\n');
  }

  /** Footnotes and endnotes referenced in the body, in reference order, at the end. */
  emitNotes(flow: Flow): void {
    this.usedNotes.forEach((ref, i) => {
      const note = (ref.kind === 'footnote' ? this.footnotes : this.endnotes).get(ref.id);
      if (!note) return;
      const text = childElements(note, 'w:p').map((p) => this.paragraphContent(p, false).segments.join('').trim()).filter(Boolean).join('\n');
      flow.add({ type: 'Text', text: `[${i + 1}] ${text}`, extra: { [ref.kind]: i + 1 } });
    });
  }

  /** The document's default (else first-page) header or footer, once: at the top or the end. */
  async emitHeadersFooters(body: XmlElement | undefined, flow: Flow, type: 'Header' | 'Footer'): Promise<void> {
    const sectPr = child(body, 'w:sectPr') ?? descendants(body, 'w:sectPr')[0];
    const refs = childElements(sectPr, type === 'Header' ? 'w:headerReference' : 'w:footerReference');
    const ref = refs.find((r) => r.attrs['w:type'] === 'default') ?? refs[0];
    const rel = ref ? this.rels.get(ref.attrs['r:id']) : undefined;
    if (!rel) return;
    const part = await this.pkg.xml(rel.target);
    const root = child(part, type === 'Header' ? 'w:hdr' : 'w:ftr');
    for (const p of descendants(root, 'w:p')) {
      const text = this.paragraphContent(p, false).segments.join(' ').trim();
      if (!text) continue;
      flow.add({ type: /^(page\s*)?\d+(\s*(of|\/)\s*\d+)?$/i.test(text) ? 'Page Number' : type, text });
    }
  }
}

/** A run is highlighted with the highlighter (w:highlight) or a solid shading fill. */
function isHighlighted(rPr: XmlElement | undefined): boolean {
  const hl = child(rPr, 'w:highlight')?.attrs['w:val'];
  if (hl && hl !== 'none') return true;
  const fill = child(rPr, 'w:shd')?.attrs['w:fill'];
  return !!fill && !/^(auto|FFFFFF|000000)$/i.test(fill);
}

/** Children named `name`, looking through content controls (w:sdt) and custom XML wrappers. */
function unwrapped(parent: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const c of childElements(parent)) {
    if (c.name === name) found.push(c);
    else if (c.name === 'w:sdt' || c.name === 'w:customXml') found.push(...unwrapped(child(c, 'w:sdtContent') ?? c, name));
  }
  return found;
}

const rowsOf = (tbl: XmlElement): XmlElement[] => unwrapped(tbl, 'w:tr');
const cellsOf = (tr: XmlElement): XmlElement[] => unwrapped(tr, 'w:tc');

/** w:sym characters from symbol fonts live in the private-use area (F0xx); map the common ones. */
function symbol(hex: string | undefined): string {
  if (!hex) return '';
  const code = parseInt(hex, 16);
  const low = code >= 0xf000 ? code - 0xf000 : code;
  const known: Record<number, string> = { 0xa7: '•', 0xb7: '•', 0xfc: '✓', 0xfb: '✗', 0x6f: '☐', 0xfe: '☒' };
  return known[low] ?? String.fromCodePoint(low);
}
