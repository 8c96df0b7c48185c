import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('HTML reader', () => {
  it('maps headings, nested lists, tables with spans, figures and definition lists', async () => {
    const html = `<!doctype html><html><head><title>Guide</title></head><body>
      <h1>User Guide</h1><p>Welcome to the <b>guide</b>.</p>
      <h2>Setup</h2>
      <ol><li>Install<ul><li>on Linux</li><li>on Mac</li></ul></li><li>Configure</li></ol>
      <table><thead><tr><th rowspan="2">Plan</th><th colspan="2">Price</th></tr><tr><th>Monthly</th><th>Yearly</th></tr></thead>
        <tbody><tr><td>Basic</td><td>5</td><td>50</td></tr></tbody></table>
      <figure><img src="chart.png" alt="A chart"><figcaption>Figure 1: Usage</figcaption></figure>
      <dl><dt>API</dt><dd>Application programming interface</dd></dl>
      <h3>Notes</h3><script>ignored()</script><p style="display:none">hidden</p>
    </body></html>`;
    const doc = await readDocument(enc(html), {}, { filename: 'guide.html' });
    expect(doc.properties?.title).toBe('Guide');
    expect(doc.blocks.map((b) => [b.type, b.level ?? b.listLevel, b.text.split('\n')[0]])).toEqual([
      ['Title', 1, 'User Guide'],
      ['Text', undefined, 'Welcome to the guide.'],
      ['Section Header', 2, 'Setup'],
      ['List Item', 0, 'Install'],
      ['List Item', 1, 'on Linux'],
      ['List Item', 1, 'on Mac'],
      ['List Item', 0, 'Configure'],
      ['Table', undefined, 'Plan\tPrice'],
      ['Figure', undefined, 'Figure 1: Usage'],
      ['Key Value', undefined, 'API: Application programming interface'],
      ['Section Header', 3, 'Notes'],
    ]);
    expect(doc.blocks.filter((b) => b.type === 'List Item').map((b) => b.listMarker)).toEqual(['1.', '•', '•', '2.']);
    const t = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect(t).toMatchObject({ rows: 3, cols: 3, headerRows: 2 });
    expect(t.cells.find((c) => c.text === 'Plan')).toMatchObject({ rowSpan: 2, colSpan: 1 });
    expect(t.cells.find((c) => c.text === 'Price')).toMatchObject({ row: 0, col: 1, colSpan: 2 });
    expect(t.cells.find((c) => c.text === 'Monthly')).toMatchObject({ row: 1, col: 1 });
    expect(t.cells.find((c) => c.text === 'Basic')).toMatchObject({ row: 2, col: 0 });
  });

  it('extracts the main content of an article page, dropping navigation and boilerplate', async () => {
    const para = (n: number) => `<p>Paragraph ${n} of the article explains how river deltas form when sediment carried by water settles at the mouth, building wide fans of fertile land over many centuries of slow deposition.</p>`;
    const html = `<!doctype html><html><head><title>River deltas | Geo Weekly</title></head><body>
      <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About us</a></li></ul></nav>
      <div class="sidebar"><h3>Subscribe to our newsletter</h3><a href="/s">Sign up</a></div>
      <article><h1>How river deltas form</h1>${[1, 2, 3, 4, 5, 6].map(para).join('')}</article>
      <footer><p>Copyright Geo Weekly. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
    </body></html>`;
    const doc = await readDocument(enc(html), {}, { filename: 'article.html' });
    const text = doc.blocks.map((b) => b.text).join('\n');
    expect(text).toContain('Paragraph 1 of the article');
    expect(text).toContain('Paragraph 6 of the article');
    expect(text).not.toContain('About us');
    expect(text).not.toContain('Copyright Geo Weekly');
    expect(text).not.toContain('newsletter');
    expect(doc.blocks.some((b) => b.type === 'Title' && /river deltas/i.test(b.text))).toBe(true);
  });
});

describe('Markdown and plain text readers', () => {
  it('reads Markdown structure with inline markup removed', async () => {
    const md = '# Handbook\n\nSome **bold** and [a link](https://x.test).\n\n## Lists\n\n- one\n  - one.a\n- two\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const doc = await readDocument(enc(md), {}, { filename: 'h.md' });
    expect(doc.blocks.map((b) => [b.type, b.level ?? b.listLevel, b.listMarker, b.text])).toEqual([
      ['Title', 1, undefined, 'Handbook'],
      ['Text', undefined, undefined, 'Some bold and a link.'],
      ['Section Header', 2, undefined, 'Lists'],
      ['List Item', 0, '•', 'one'],
      ['List Item', 1, '•', 'one.a'],
      ['List Item', 0, '•', 'two'],
      ['List Item', 0, '1.', 'first'],
      ['List Item', 0, '2.', 'second'],
      ['Table', undefined, undefined, 'a\tb\n1\t2'],
    ]);
  });

  it('keeps YAML front matter out of the text and takes its title', async () => {
    const doc = await readDocument(enc('---\ntitle: "Release notes"\nauthor: x\n---\nBody text.\n'), {}, { filename: 'n.md' });
    expect(doc.blocks.map((b) => b.text)).toEqual(['Body text.']);
    expect(doc.properties?.title).toBe('Release notes');
  });

  it('splits plain text into paragraphs and pages at form feeds', async () => {
    const doc = await readDocument(enc('First para\nline two\n\nSecond para\n\fPage two'), {}, { filename: 'a.txt' });
    expect(doc.blocks.map((b) => [b.box.page, b.text])).toEqual([[1, 'First para\nline two'], [1, 'Second para'], [2, 'Page two']]);
  });
});
