import type { Reader } from '../parse.ts';
import { EngineError, throwIfAborted } from '../errors.ts';
import { OfficePackage, readCoreProperties, type Relationship } from './container.ts';
import { Flow, type FlowBlock } from './flow.ts';
import { checkPageCount } from '../limits.ts';
import { formatNumber } from './numbering.ts';
import { readChart } from './chart.ts';
import { altText } from './alt-text.ts';
import { TableBuilder, tableText } from './table.ts';
import { child, childElements, descendants, isElement, path, textContent, type XmlElement } from './xml.ts';

/** A shape's place on the slide in EMU. */
interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Maps a group's child coordinate space onto the slide. */
interface Transform {
  dx: number;
  dy: number;
  sx: number;
  sy: number;
}

const IDENTITY: Transform = { dx: 0, dy: 0, sx: 1, sy: 1 };

/** One piece of slide content before it is put in reading order. */
interface Item {
  frame?: Frame;
  order: number;
  blocks: FlowBlock[];
}

/**
 * PPTX reader: one page per slide; title placeholders become Title blocks, text frames,
 * tables and pictures follow in reading order (top to bottom, then left to right), and
 * speaker notes end the page as Comment blocks.
 */
export const readPptx: Reader = async (bytes, _format, options, ctx) => {
  const pkg = await OfficePackage.open(bytes, 'pptx');
  const presentation = child(await pkg.xml('ppt/presentation.xml'), 'p:presentation');
  if (!presentation) throw new EngineError('DOCUMENT_CORRUPT', 'The presentation has no readable ppt/presentation.xml');
  const size = path(presentation, 'p:sldSz');
  const slideW = Number(size?.attrs.cx ?? 9144000);
  const slideH = Number(size?.attrs.cy ?? 6858000);
  const rels = await pkg.relationships('ppt/presentation.xml');
  const wantImages = options.settings?.return_images?.includes('figure') ?? false;
  const flow = new Flow('PPTX file', 'slides');
  const slideIds = childElements(path(presentation, 'p:sldIdLst'), 'p:sldId');
  // Every slide is read when no page_range picks some: refuse too many before reading any.
  if (options.settings?.page_range == null) checkPageCount(slideIds.length, 'slides');
  for (const [i, sldId] of slideIds.entries()) {
    throwIfAborted(ctx.signal);
    const rel = rels.get(sldId.attrs['r:id']);
    if (!rel) continue;
    if (i > 0) flow.newPage();
    const slide = new SlideReader(pkg, rel.target, slideW, slideH, wantImages);
    await slide.read(flow);
    ctx.onProgress?.(i + 1, slideIds.length);
  }
  return flow.finish(options, await readCoreProperties(pkg));
};

class SlideReader {
  private rels = new Map<string, Relationship>();
  private readonly charts = new Map<string, FlowBlock[]>();
  /** Placeholder frames from the slide's layout and master, for placeholders that inherit their place. */
  private readonly inherited = new Map<string, XmlElement>();
  private order = 0;
  private title?: string;

  constructor(
    private readonly pkg: OfficePackage,
    private readonly part: string,
    private readonly slideW: number,
    private readonly slideH: number,
    private readonly wantImages: boolean,
  ) {}

  async read(flow: Flow): Promise<void> {
    this.rels = await this.pkg.relationships(this.part);
    for (const [id, rel] of this.rels) {
      if (rel.type.endsWith('/chart') && !rel.external) this.charts.set(id, await readChart(this.pkg, rel.target));
    }
    await this.loadInheritedFrames();
    const tree = path(await this.pkg.xml(this.part), 'p:sld', 'p:cSld', 'p:spTree');
    const items: Item[] = [];
    await this.shapes(tree, IDENTITY, items);
    // The title, then text, pictures, tables and charts as the slide shows them: top to
    // bottom, shapes on roughly the same line left to right (a table between two paragraphs
    // is read between them); the slide's furniture (footer, number) last.
    const bandH = this.slideH / 24;
    items.sort((a, b) => {
      const ra = rank(a), rb = rank(b);
      if (ra !== rb) return ra - rb;
      if (!a.frame || !b.frame) return a.order - b.order;
      if (Math.abs(a.frame.y - b.frame.y) > bandH) return a.frame.y - b.frame.y;
      return a.frame.x - b.frame.x || a.order - b.order;
    });
    for (const item of items) for (const block of item.blocks) flow.add(block);
    if (this.title) flow.nameCurrentPage(this.title);
    for (const note of await this.notes()) flow.add({ type: 'Comment', text: note, extra: { speaker_notes: true } });
  }

  /** Layout first, then master: the nearest definition of a placeholder's frame wins. */
  private async loadInheritedFrames(): Promise<void> {
    const layout = [...this.rels.values()].find((r) => r.type.endsWith('/slideLayout'));
    if (!layout) return;
    const layoutRels = await this.pkg.relationships(layout.target);
    const master = [...layoutRels.values()].find((r) => r.type.endsWith('/slideMaster'));
    for (const [part, root] of [[layout.target, 'p:sldLayout'], [master?.target, 'p:sldMaster']] as const) {
      if (!part) continue;
      const tree = path(await this.pkg.xml(part), root, 'p:cSld', 'p:spTree');
      for (const sp of descendants(tree, 'p:sp')) {
        const ph = path(sp, 'p:nvSpPr', 'p:nvPr', 'p:ph');
        const xfrm = path(sp, 'p:spPr', 'a:xfrm');
        if (!ph || !xfrm) continue;
        for (const key of placeholderKeys(ph)) if (!this.inherited.has(key)) this.inherited.set(key, xfrm);
      }
    }
  }

  private placeholderFrame(ph: XmlElement | undefined): XmlElement | undefined {
    if (!ph) return undefined;
    for (const key of placeholderKeys(ph)) {
      const xfrm = this.inherited.get(key);
      if (xfrm) return xfrm;
    }
    return undefined;
  }

  private box(frame?: Frame): FlowBlock['box'] {
    if (!frame) return undefined;
    const clamp = (v: number): number => Math.min(1, Math.max(0, Math.round(v * 1e4) / 1e4));
    return { left: clamp(frame.x / this.slideW), top: clamp(frame.y / this.slideH), width: clamp(frame.w / this.slideW), height: clamp(frame.h / this.slideH) };
  }

  private frameOf(xfrm: XmlElement | undefined, t: Transform): Frame | undefined {
    const off = path(xfrm, 'a:off');
    const ext = path(xfrm, 'a:ext');
    if (!off) return undefined;
    return {
      x: t.dx + Number(off.attrs.x ?? 0) * t.sx,
      y: t.dy + Number(off.attrs.y ?? 0) * t.sy,
      w: Number(ext?.attrs.cx ?? 0) * t.sx,
      h: Number(ext?.attrs.cy ?? 0) * t.sy,
    };
  }

  private async shapes(tree: XmlElement | undefined, t: Transform, items: Item[]): Promise<void> {
    for (const el of childElements(tree)) {
      switch (el.name) {
        case 'p:sp': items.push(this.textShape(el, t)); break;
        case 'p:graphicFrame': items.push(this.graphicFrame(el, t)); break;
        case 'p:pic': items.push(await this.picture(el, t)); break;
        case 'p:grpSp': {
          const xfrm = path(el, 'p:grpSpPr', 'a:xfrm');
          const off = path(xfrm, 'a:off'), ext = path(xfrm, 'a:ext');
          const chOff = path(xfrm, 'a:chOff'), chExt = path(xfrm, 'a:chExt');
          const sx = chExt && Number(chExt.attrs.cx) ? Number(ext?.attrs.cx ?? 0) / Number(chExt.attrs.cx) : 1;
          const sy = chExt && Number(chExt.attrs.cy) ? Number(ext?.attrs.cy ?? 0) / Number(chExt.attrs.cy) : 1;
          const inner: Transform = {
            sx: t.sx * sx,
            sy: t.sy * sy,
            dx: t.dx + (Number(off?.attrs.x ?? 0) - Number(chOff?.attrs.x ?? 0) * sx) * t.sx,
            dy: t.dy + (Number(off?.attrs.y ?? 0) - Number(chOff?.attrs.y ?? 0) * sy) * t.sy,
          };
          await this.shapes(el, inner, items);
          break;
        }
        case 'mc:AlternateContent':
          await this.shapes(child(el, 'mc:Choice') ?? child(el, 'mc:Fallback'), t, items);
          break;
        default: break;
      }
    }
  }

  private textShape(sp: XmlElement, t: Transform): Item {
    const ph = path(sp, 'p:nvSpPr', 'p:nvPr', 'p:ph');
    const frame = this.frameOf(path(sp, 'p:spPr', 'a:xfrm') ?? this.placeholderFrame(ph), t);
    const phType = ph ? (ph.attrs.type ?? 'body') : undefined;
    const isTitle = phType === 'title' || phType === 'ctrTitle';
    const item: Item = { frame, order: this.order++, blocks: [] };
    if (phType && ['dt', 'sldNum', 'ftr', 'hdr'].includes(phType)) {
      const text = paragraphs(sp).map(runText).join(' ').trim();
      const type = phType === 'sldNum' ? 'Page Number' : phType === 'hdr' ? 'Header' : 'Footer';
      if (text) item.blocks.push({ type, text, box: this.box(frame) });
      return item;
    }
    const box = this.box(frame);
    if (isTitle) {
      const text = paragraphs(sp).map(runText).filter((s) => s.trim()).join(' ').replace(/\s+/g, ' ').trim();
      if (text) {
        this.title ??= text;
        item.blocks.push({ type: 'Title', level: 1, text, box });
      }
      return item;
    }
    // Body placeholders show bullets from the master unless a paragraph switches them off.
    const bulletsByDefault = phType === 'body' || (ph !== undefined && phType === 'obj');
    const counters: number[] = [];
    for (const p of paragraphs(sp)) {
      const text = runText(p).trim();
      if (!text) continue;
      const pPr = child(p, 'a:pPr');
      const level = Number(pPr?.attrs.lvl ?? 0);
      const auto = child(pPr, 'a:buAutoNum');
      const bullet = child(pPr, 'a:buChar');
      const isList = !child(pPr, 'a:buNone') && (auto !== undefined || bullet !== undefined || bulletsByDefault);
      if (!isList) {
        counters.length = 0;
        item.blocks.push({ type: 'Text', text, box });
        continue;
      }
      counters[level] = (counters[level] ?? Number(auto?.attrs.startAt ?? 1) - 1) + 1;
      counters.length = level + 1;
      const marker = auto ? autoNumber(counters[level], auto.attrs.type ?? 'arabicPeriod') : (bullet?.attrs.char ?? '•');
      item.blocks.push({ type: 'List Item', text, listLevel: level, listMarker: marker, box });
    }
    return item;
  }

  private graphicFrame(gf: XmlElement, t: Transform): Item {
    const frame = this.frameOf(path(gf, 'p:xfrm'), t);
    const item: Item = { frame, order: this.order++, blocks: [] };
    const data = path(gf, 'a:graphic', 'a:graphicData');
    const tbl = child(data, 'a:tbl');
    if (tbl) {
      const builder = new TableBuilder();
      const firstRowHeader = path(tbl, 'a:tblPr')?.attrs.firstRow === '1';
      for (const tr of childElements(tbl, 'a:tr')) {
        builder.startRow();
        for (const tc of childElements(tr, 'a:tc')) {
          // Cells covered by a span are written out with hMerge/vMerge; the anchor already covers them.
          if (tc.attrs.hMerge === '1' || tc.attrs.vMerge === '1') continue;
          const text = childElements(child(tc, 'a:txBody'), 'a:p').map(runText).join('\n');
          builder.add(text, { rowSpan: Number(tc.attrs.rowSpan ?? 1), colSpan: Number(tc.attrs.gridSpan ?? 1) });
        }
      }
      if (builder.rowCount > 0) {
        const table = builder.build(firstRowHeader ? 1 : 0);
        item.blocks.push({ type: 'Table', text: tableText(table), table, box: this.box(frame) });
      }
      return item;
    }
    const name = path(gf, 'p:nvGraphicFramePr', 'p:cNvPr');
    const isChart = (data?.attrs.uri ?? '').includes('chart');
    const chartBlocks = isChart ? this.charts.get(descendants(data, 'c:chart')[0]?.attrs['r:id'] ?? '') : undefined;
    if (chartBlocks) {
      item.blocks.push(...chartBlocks.map((b) => ({ ...b, box: this.box(frame) })));
      return item;
    }
    item.blocks.push({ type: 'Figure', text: altText(name?.attrs.descr), box: this.box(frame), extra: isChart ? { kind: 'chart' } : undefined });
    return item;
  }

  private async picture(pic: XmlElement, t: Transform): Promise<Item> {
    const frame = this.frameOf(path(pic, 'p:spPr', 'a:xfrm'), t);
    const cNvPr = path(pic, 'p:nvPicPr', 'p:cNvPr');
    const block: FlowBlock = { type: 'Figure', text: altText(cNvPr?.attrs.descr), box: this.box(frame) };
    const embed = descendants(pic, 'a:blip')[0]?.attrs['r:embed'];
    const rel = embed ? this.rels.get(embed) : undefined;
    if (this.wantImages && rel && !rel.external) {
      const data = await this.pkg.bytes(rel.target);
      const ext = rel.target.split('.').pop()?.toLowerCase() ?? '';
      if (data) block.image = { bytes: data, mime: ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : `image/${ext}` };
    }
    return { frame, order: this.order++, blocks: [block] };
  }

  /** Speaker notes: the body placeholder of the slide's notes part. */
  private async notes(): Promise<string[]> {
    const rel = [...this.rels.values()].find((r) => r.type.endsWith('/notesSlide'));
    if (!rel) return [];
    const tree = path(await this.pkg.xml(rel.target), 'p:notes', 'p:cSld', 'p:spTree');
    const out: string[] = [];
    for (const sp of descendants(tree, 'p:sp')) {
      const type = path(sp, 'p:nvSpPr', 'p:nvPr', 'p:ph')?.attrs.type;
      if (type !== 'body') continue;
      const text = paragraphs(sp).map(runText).join('\n').trim();
      if (text) out.push(text);
    }
    return out;
  }
}

/** Reading-order class of a slide item: title, content, furniture. */
function rank(item: Item): number {
  const types = item.blocks.map((b) => b.type);
  if (types.includes('Title')) return 0;
  if (types.length > 0 && types.every((t) => t === 'Footer' || t === 'Header' || t === 'Page Number')) return 2;
  return 1;
}

/** How a slide placeholder finds its layout counterpart: by index, else by type. */
function placeholderKeys(ph: XmlElement): string[] {
  const type = ph.attrs.type ?? 'body';
  const keys = ph.attrs.idx !== undefined ? [`idx:${ph.attrs.idx}`] : [];
  // Title kinds share one slot; a typed placeholder may also match by its type alone.
  keys.push(`type:${type === 'ctrTitle' ? 'title' : type}`);
  return keys;
}

function paragraphs(sp: XmlElement): XmlElement[] {
  return childElements(child(sp, 'p:txBody'), 'a:p');
}

/** The text of a DrawingML paragraph: runs, fields and line breaks. */
function runText(p: XmlElement): string {
  let s = '';
  for (const c of p.children) {
    if (!isElement(c)) continue;
    if (c.name === 'a:r' || c.name === 'a:fld') s += textContent(child(c, 'a:t'));
    else if (c.name === 'a:br') s += '\n';
    else if (c.name === 'mc:AlternateContent') s += runText(child(c, 'mc:Fallback') ?? c);
    else if (c.name === 'a14:m' || c.name === 'm:oMathPara' || c.name === 'm:oMath') s += descendants(c, 'm:t').map(textContent).join('');
  }
  return s.replace(/\u000b/g, '\n');
}

/** DrawingML auto-number schemes ("arabicPeriod", "alphaLcParenR", "romanUcPeriod", …). */
function autoNumber(n: number, scheme: string): string {
  const fmt = scheme.startsWith('alphaLc') ? 'lowerLetter' : scheme.startsWith('alphaUc') ? 'upperLetter'
    : scheme.startsWith('romanLc') ? 'lowerRoman' : scheme.startsWith('romanUc') ? 'upperRoman' : 'decimal';
  const v = formatNumber(n, fmt);
  if (scheme.endsWith('ParenBoth')) return `(${v})`;
  if (scheme.endsWith('ParenR')) return `${v})`;
  if (scheme.endsWith('Plain')) return v;
  return `${v}.`;
}
