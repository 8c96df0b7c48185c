import { describe, expect, it } from 'vitest';
import { parse, readDocument } from '../src/index.ts';
import { buildDocx, HEADING_STYLES, NUMBERING, p } from './formats-fixtures.ts';

const cellXml = (text: string, tcPr = ''): string => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${p(text)}</w:tc>`;

describe('DOCX reader', () => {
  it('reads headings with levels from styles, inherited outline levels and direct outline levels', async () => {
    const bytes = await buildDocx({
      styles: HEADING_STYLES,
      body: [
        p('Annual Report', { style: 'Title' }),
        p('Introduction', { style: 'Heading1' }),
        p('Body text.'),
        p('Scope', { style: 'Heading2' }),
        p('Details', { style: 'Custom3' }),
        '<w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Direct level four</w:t></w:r></w:p>',
      ].join(''),
    });
    const doc = await readDocument(bytes, {}, { filename: 'report.docx' });
    const heads = doc.blocks.filter((b) => b.type === 'Title' || b.type === 'Section Header').map((b) => [b.type, b.level, b.text]);
    expect(heads).toEqual([
      ['Title', 1, 'Annual Report'],
      ['Section Header', 1, 'Introduction'],
      ['Section Header', 2, 'Scope'],
      ['Section Header', 3, 'Details'],
      ['Section Header', 4, 'Direct level four'],
    ]);
    expect(doc.blocks.find((b) => b.text === 'Body text.')?.type).toBe('Text');
  });

  it('nests bulleted and numbered lists with Word-style counters', async () => {
    const bytes = await buildDocx({
      numbering: NUMBERING,
      body: [
        p('Apples', { numId: 1 }), p('Green', { numId: 1, ilvl: 1 }), p('Pears', { numId: 1 }),
        p('First', { numId: 2 }), p('Sub a', { numId: 2, ilvl: 1 }), p('Sub b', { numId: 2, ilvl: 1 }), p('Second', { numId: 2 }),
        p('Sub again', { numId: 2, ilvl: 1 }),
      ].join(''),
    });
    const items = (await readDocument(bytes)).blocks.map((b) => [b.type, b.listLevel, b.listMarker, b.text]);
    expect(items).toEqual([
      ['List Item', 0, '•', 'Apples'], ['List Item', 1, '•', 'Green'], ['List Item', 0, '•', 'Pears'],
      ['List Item', 0, '1.', 'First'], ['List Item', 1, 'a)', 'Sub a'], ['List Item', 1, 'b)', 'Sub b'],
      ['List Item', 0, '2.', 'Second'], ['List Item', 1, 'a)', 'Sub again'],
    ]);
  });

  it('keeps the number of a numbered heading in extra.section_number', async () => {
    const bytes = await buildDocx({
      styles: HEADING_STYLES, numbering: NUMBERING,
      body: p('Definitions', { style: 'Heading1', numId: 2 }) + p('Terms', { style: 'Heading2', numId: 2, ilvl: 1 }) + p('Scope', { style: 'Heading1', numId: 2 }),
    });
    const heads = (await readDocument(bytes)).blocks.map((b) => [b.text, b.extra?.section_number]);
    expect(heads).toEqual([['Definitions', '1'], ['Terms', 'a'], ['Scope', '2']]);
  });

  it('turns gridSpan and vMerge into cell spans', async () => {
    const tbl = `<w:tbl>
      <w:tr><w:trPr><w:tblHeader/></w:trPr>${cellXml('Region')}${cellXml('Sales', '<w:gridSpan w:val="2"/>')}</w:tr>
      <w:tr>${cellXml('North', '<w:vMerge w:val="restart"/>')}${cellXml('Q1')}${cellXml('10')}</w:tr>
      <w:tr>${cellXml('', '<w:vMerge/>')}${cellXml('Q2')}${cellXml('12')}</w:tr>
    </w:tbl>`;
    const doc = await readDocument(await buildDocx({ body: tbl }));
    const table = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect(table.rows).toBe(3);
    expect(table.cols).toBe(3);
    expect(table.headerRows).toBe(1);
    const cell = (text: string) => table.cells.find((c) => c.text === text)!;
    expect(cell('Sales')).toMatchObject({ row: 0, col: 1, colSpan: 2, rowSpan: 1 });
    expect(cell('North')).toMatchObject({ row: 1, col: 0, rowSpan: 2, colSpan: 1 });
    expect(cell('Q2')).toMatchObject({ row: 2, col: 1 });
    expect(cell('12')).toMatchObject({ row: 2, col: 2 });
    expect(table.cells).toHaveLength(7);
  });

  it('puts blocks after an explicit page break on the next page', async () => {
    const body = p('Page one text.') + '<w:p><w:r><w:t>Before</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t>After</w:t></w:r></w:p>' + p('Still page two.');
    const doc = await readDocument(await buildDocx({ body }));
    expect(doc.totalPages).toBe(2);
    expect(doc.blocks.map((b) => [b.text, b.box.page])).toEqual([['Page one text.', 1], ['Before', 1], ['After', 2], ['Still page two.', 2]]);
    // Page range keeps only page 2, renumbered as output page 1.
    const only2 = await readDocument(await buildDocx({ body }), { settings: { page_range: { start: 2, end: 2 } } });
    expect(only2.blocks.map((b) => [b.text, b.box.page, b.box.original_page])).toEqual([['After', 1, 2], ['Still page two.', 1, 2]]);
  });

  it('shows comments only when asked, tracked changes as <u>/<s> and highlights as <mark>', async () => {
    const body = `<w:p><w:commentRangeStart w:id="7"/><w:r><w:t xml:space="preserve">The fee is </w:t></w:r>
      <w:del w:id="1" w:author="A"><w:r><w:delText>ten</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>twelve</w:t></w:r></w:ins>
      <w:r><w:t xml:space="preserve"> euros.</w:t></w:r><w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p>`;
    const comments = `<w:comment w:id="7" w:author="Reviewer">${p('Check the amount')}</w:comment>`;
    const bytes = await buildDocx({ body, comments });
    const plain = await readDocument(bytes);
    expect(plain.blocks.map((b) => b.text)).toEqual(['The fee is twelve euros.']);
    const marked = await readDocument(await buildDocx({ body: '<w:p><w:r><w:t xml:space="preserve">Pay </w:t></w:r><w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>now</w:t></w:r></w:p>' }), { formatting: { include: ['highlight'] } });
    expect(marked.blocks[0].text).toBe('Pay <mark>now</mark>');
    const tracked = await readDocument(bytes, { formatting: { include: ['change_tracking', 'comments'] } });
    expect(tracked.blocks.map((b) => [b.type, b.text])).toEqual([
      ['Text', 'The fee is <s>ten</s><u>twelve</u> euros.'],
      ['Comment', 'Check the amount'],
    ]);
    expect(tracked.blocks[1].extra).toMatchObject({ author: 'Reviewer' });
  });

  it('reads headers, footers, footnotes, text boxes, hyperlinks and images', async () => {
    const textBox = `<w:r><w:drawing><wp:anchor><wp:docPr id="3" name="Box"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>${p('Boxed note')}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`;
    const image = '<w:r><w:drawing><wp:inline><wp:docPr id="4" name="Picture 1" descr="Company logo"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>';
    const body = [
      p('See the site', { runs: '<w:r><w:t xml:space="preserve"> </w:t></w:r><w:hyperlink r:id="rIdLink"><w:r><w:t>example</w:t></w:r></w:hyperlink><w:r><w:footnoteReference w:id="2"/></w:r>' }),
      p('', { runs: textBox }),
      p('', { runs: image }),
    ].join('');
    const bytes = await buildDocx({
      body, image: true, hyperlinks: { rIdLink: 'https://example.com/' },
      header: p('ACME Confidential'), footer: p('Page 1'),
      footnotes: `<w:footnote w:type="separator" w:id="-1">${p('')}</w:footnote><w:footnote w:id="2">${p('A footnote.')}</w:footnote>`,
    });
    const doc = await readDocument(bytes, { formatting: { include: ['hyperlinks'] }, settings: { return_images: ['figure'] } });
    const byType = (t: string) => doc.blocks.filter((b) => b.type === t).map((b) => b.text);
    expect(byType('Header')).toEqual(['ACME Confidential']);
    expect(byType('Page Number')).toEqual(['Page 1']);
    expect(doc.blocks[1].text).toBe('See the site [example](https://example.com/)[1]');
    expect(byType('Text')).toContain('Boxed note');
    expect(byType('Text')).toContain('[1] A footnote.');
    const fig = doc.blocks.find((b) => b.type === 'Figure')!;
    expect(fig.text).toBe('Company logo');
    expect(fig.image?.mime).toBe('image/png');
    // Header first, footer last.
    expect(doc.blocks[0].type).toBe('Header');
    expect(doc.blocks[doc.blocks.length - 1].type).toBe('Page Number');
  });

  it('renders through parse(): heading, numbered item and a spanning table cell', async () => {
    const tbl = `<w:tbl><w:tr>${cellXml('A', '<w:gridSpan w:val="2"/>')}</w:tr><w:tr>${cellXml('1')}${cellXml('2')}</w:tr></w:tbl>`;
    const bytes = await buildDocx({ styles: HEADING_STYLES, numbering: NUMBERING, body: p('Intro', { style: 'Heading1' }) + p('One', { numId: 2 }) + tbl });
    const out = await parse(bytes, { formatting: { table_output_format: 'html' } }, { filename: 'x.docx' });
    const content = out.result.chunks.map((c) => c.content).join('\n');
    expect(content).toMatch(/^#+ Intro$/m);
    expect(out.result.chunks[0].blocks[0]).toMatchObject({ type: 'Section Header', content: 'Intro' });
    expect(content).toContain('One');
    expect(content).toMatch(/colspan="2"/);
    expect(out.usage.num_pages).toBe(1);
  });
  it('reads an embedded chart as a Figure followed by its data table', async () => {
    const C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
    const cache = (vals: string[]) => `<c:numCache>${vals.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('')}</c:numCache>`;
    const ser = (name: string, vals: string[]) => `<c:ser><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>${name}</c:v></c:pt></c:strCache></c:strRef></c:tx>
      <c:cat><c:strRef><c:strCache><c:pt idx="0"><c:v>2023</c:v></c:pt><c:pt idx="1"><c:v>2024</c:v></c:pt></c:strCache></c:strRef></c:cat>
      <c:val><c:numRef>${cache(vals)}</c:numRef></c:val></c:ser>`;
    const chartXml = `<c:chartSpace ${C}><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Sales</a:t></a:r></a:p></c:rich></c:tx></c:title>
      <c:plotArea><c:barChart>${ser('North', ['4.4000000000000004', '5'])}${ser('South', ['3', '2'])}</c:barChart></c:plotArea></c:chart></c:chartSpace>`;
    const drawing = '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Chart 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rIdChart"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>';
    const bytes = await buildDocx({ body: p('', { runs: drawing }), parts: { rIdChart: { type: 'chart', target: 'charts/chart1.xml', xml: chartXml } } });
    const doc = await readDocument(bytes);
    expect(doc.blocks.map((b) => [b.type, b.text])).toEqual([
      ['Figure', 'Bar chart: Sales'],
      ['Table', '\tNorth\tSouth\n2023\t4.4\t3\n2024\t5\t2'],
    ]);
  });
});
