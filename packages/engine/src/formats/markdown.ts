import { Lexer, type Token, type Tokens } from 'marked';
import type { Reader } from '../parse.ts';
import type { ParseOptions } from '../options.ts';
import { Flow } from './flow.ts';
import { checkCharacterCount, documentLimits, overLimit } from '../limits.ts';
import { decodeText } from './text.ts';
import { htmlToFlow } from './html.ts';
import { TableBuilder, tableText } from './table.ts';

/** Markdown reader: marked's token stream mapped onto blocks (inline markup dropped from text). */
export const readMarkdown: Reader = async (bytes, _format, options) => {
  const { body: source, title: metaTitle } = splitFrontMatter(decodeText(bytes));
  // The file is its text: its length bounds the text it holds, so check before lexing.
  checkCharacterCount(source.length, 'Markdown file');
  assertNesting(source);
  const flow = new Flow('Markdown file');
  const reader = new MarkdownReader(flow, options);
  reader.blocks(new Lexer({ gfm: true }).lex(source), 0);
  return flow.finish(options, { title: metaTitle ?? reader.firstTitle ?? null });
};

/**
 * marked's work grows steeply with list and quote nesting (a 25 MB nested list exhausts
 * memory): estimate each line's depth (quote markers, then one level per two columns of
 * indentation) and refuse the document before lexing when it exceeds the nesting budget.
 */
function assertNesting(source: string): void {
  const { maxNesting } = documentLimits();
  const linePrefix = /^(?:[ \t]*>)*([ \t]*)/;
  let deepest = 0;
  for (const line of source.split('\n')) {
    const m = linePrefix.exec(line)!;
    const quotes = m[0].length - m[1].length === 0 ? 0 : (m[0].match(/>/g)?.length ?? 0);
    const indent = m[1].replace(/\t/g, '    ').length;
    deepest = Math.max(deepest, quotes + Math.floor(indent / 2));
  }
  if (deepest > maxNesting) throw overLimit('maxNesting', `The Markdown file nests lists or quotes about ${deepest} deep`, maxNesting);
}

class MarkdownReader {
  firstTitle?: string;
  private readonly links: boolean;

  constructor(private readonly flow: Flow, private readonly options: ParseOptions) {
    this.links = options.formatting?.include?.includes('hyperlinks') ?? false;
  }

  blocks(tokens: Token[], listLevel: number): void {
    for (const t of tokens) {
      switch (t.type) {
        case 'heading': {
          const h = t as Tokens.Heading;
          const text = this.inline(h.tokens).trim();
          if (h.depth === 1 && this.firstTitle === undefined) {
            this.firstTitle = text;
            this.flow.add({ type: 'Title', level: 1, text });
          } else this.flow.add({ type: 'Section Header', level: h.depth, text });
          break;
        }
        case 'paragraph': this.flow.add({ type: 'Text', text: this.inline((t as Tokens.Paragraph).tokens).trim() }); break;
        case 'text': this.flow.add({ type: 'Text', text: this.inline((t as Tokens.Text).tokens ?? [t]).trim() }); break;
        case 'code': this.flow.add({ type: 'Text', text: (t as Tokens.Code).text, extra: { code: true, lang: (t as Tokens.Code).lang || undefined } }); break;
        case 'blockquote': this.blocks((t as Tokens.Blockquote).tokens, listLevel); break;
        case 'list': this.list(t as Tokens.List, listLevel); break;
        case 'table': this.table(t as Tokens.Table); break;
        case 'html': htmlToFlow((t as Tokens.HTML).text, this.flow, this.options, { mainContent: false }); break;
        default: break; // space, hr, def
      }
    }
  }

  private list(list: Tokens.List, level: number): void {
    let n = typeof list.start === 'number' ? list.start : 1;
    for (const item of list.items) {
      const own = item.tokens.filter((x) => x.type !== 'list');
      const text = own.map((x) => ('tokens' in x && x.tokens ? this.inline(x.tokens) : ('text' in x ? String(x.text) : ''))).join('\n').trim();
      const marker = item.task ? (item.checked ? '☒' : '☐') : list.ordered ? `${n}.` : '•';
      n++;
      this.flow.add({ type: 'List Item', text, listLevel: level, listMarker: marker });
      for (const sub of item.tokens) if (sub.type === 'list') this.list(sub as Tokens.List, level + 1);
    }
  }

  private table(t: Tokens.Table): void {
    const b = new TableBuilder();
    b.startRow();
    for (const cell of t.header) b.add(this.inline(cell.tokens), { header: true });
    for (const row of t.rows) {
      b.startRow();
      for (const cell of row) b.add(this.inline(cell.tokens));
    }
    const table = b.build(1);
    this.flow.add({ type: 'Table', text: tableText(table), table });
  }

  /** Plain text of inline tokens: emphasis and code unwrapped, links as their text, images as alt. */
  private inline(tokens: Token[] | undefined): string {
    if (!tokens) return '';
    return tokens.map((t) => {
      switch (t.type) {
        case 'link': {
          const text = this.inline((t as Tokens.Link).tokens);
          return this.links ? `[${text}](${(t as Tokens.Link).href})` : text;
        }
        case 'image': return (t as Tokens.Image).text;
        case 'br': return '\n';
        case 'codespan': return (t as Tokens.Codespan).text;
        case 'html': return (t as Tokens.Tag).text.replace(/<[^>]*>/g, '');
        case 'escape': return (t as Tokens.Escape).text;
        default:
          if ('tokens' in t && Array.isArray(t.tokens)) return this.inline(t.tokens);
          return 'text' in t ? decodeEntities(String(t.text)) : '';
      }
    }).join('');
  }
}

/** YAML front matter (between leading `---` lines) is metadata, not text; its title is kept. */
function splitFrontMatter(text: string): { body: string; title?: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n/.exec(text);
  if (!m) return { body: text };
  const title = /^title:\s*["']?(.*?)["']?\s*$/m.exec(m[1])?.[1];
  return { body: text.slice(m[0].length), title: title || undefined };
}

/** marked leaves character references in text tokens escaped; turn the common ones back. */
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? m);
}
