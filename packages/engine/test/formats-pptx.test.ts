import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.ts';
import { toWireBlock } from '../src/render/wire.ts';
import { buildPptx, shape } from './formats-fixtures.ts';

const table = `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="9" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>
  <p:xfrm><a:off x="500000" y="4000000"/><a:ext cx="6000000" cy="1500000"/></p:xfrm>
  <a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1"/>
    <a:tr h="1"><a:tc gridSpan="2"><a:txBody><a:p><a:r><a:t>Revenue</a:t></a:r></a:p></a:txBody></a:tc><a:tc hMerge="1"><a:txBody><a:p/></a:txBody></a:tc></a:tr>
    <a:tr h="1"><a:tc rowSpan="2"><a:txBody><a:p><a:r><a:t>EMEA</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>10</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
    <a:tr h="1"><a:tc vMerge="1"><a:txBody><a:p/></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>12</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
  </a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;

const picture = `<p:pic><p:nvPicPr><p:cNvPr id="7" name="Picture" descr="Sales chart"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>
  <p:blipFill><a:blip r:embed="rIdImg"/></p:blipFill><p:spPr><a:xfrm><a:off x="5000000" y="1500000"/><a:ext cx="3000000" cy="2000000"/></a:xfrm></p:spPr></p:pic>`;

describe('PPTX reader', () => {
  it('reads one page per slide with the title first and frames in reading order by position', async () => {
    const bytes = await buildPptx([
      {
        // Written bottom-to-top on purpose: reading order must come from positions, not XML order.
        shapes: [
          shape(['Bottom note'], { x: 500000, y: 6000000, id: 4 }),
          shape(['Right column'], { x: 5000000, y: 1500000, id: 5 }),
          shape(['Left column'], { x: 500000, y: 1500000, id: 6 }),
          shape(['Quarterly Review'], { x: 500000, y: 300000, ph: 'title', id: 3 }),
        ].join(''),
        notes: 'Mention the new office.',
      },
      {
        shapes: shape(['Agenda'], { x: 0, y: 0, ph: 'title' }) +
          shape(['Results', '<a:p><a:pPr lvl="1"/><a:r><a:t>Revenue up</a:t></a:r></a:p>', 'Plans'], { x: 0, y: 1000000, ph: 'body', id: 8 }),
      },
    ]);
    const doc = await readDocument(bytes, {}, { filename: 'deck.pptx' });
    expect(doc.totalPages).toBe(2);
    expect(doc.pages.map((p) => p.name)).toEqual(['Quarterly Review', 'Agenda']);
    const slide1 = doc.blocks.filter((b) => b.box.page === 1).map((b) => [b.type, b.text]);
    expect(slide1).toEqual([
      ['Title', 'Quarterly Review'],
      ['Text', 'Left column'],
      ['Text', 'Right column'],
      ['Text', 'Bottom note'],
      ['Comment', 'Mention the new office.'],
    ]);
    const title = doc.blocks[0];
    expect(title.box.left).toBeCloseTo(500000 / 9144000, 3);
    expect(title.box.top).toBeCloseTo(300000 / 6858000, 3);
    const slide2 = doc.blocks.filter((b) => b.box.page === 2).map((b) => [b.type, b.listLevel, b.text]);
    expect(slide2).toEqual([['Title', undefined, 'Agenda'], ['List Item', 0, 'Results'], ['List Item', 1, 'Revenue up'], ['List Item', 0, 'Plans']]);
  });

  it('reads tables with merged cells and pictures as Figures', async () => {
    const bytes = await buildPptx([{ shapes: shape(['Numbers'], { x: 0, y: 0, ph: 'title' }) + picture + table, image: true }]);
    const doc = await readDocument(bytes, { settings: { return_images: ['figure'] } });
    const fig = doc.blocks.find((b) => b.type === 'Figure')!;
    expect(fig.text).toBe('Sales chart');
    expect(fig.image?.mime).toBe('image/png');
    const t = doc.blocks.find((b) => b.type === 'Table')!.table!;
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(t.cells.map((c) => [c.text, c.row, c.col, c.rowSpan, c.colSpan])).toEqual([
      ['Revenue', 0, 0, 1, 2],
      ['EMEA', 1, 0, 2, 1],
      ['10', 1, 1, 1, 1],
      ['12', 2, 1, 1, 1],
    ]);
    // Picture (y = 1.5M EMU) comes before the table (y = 4M EMU).
    expect(doc.blocks.map((b) => b.type)).toEqual(['Title', 'Figure', 'Table']);
  });

  it('reads a chart as a Figure with its series as a table and chart_data, in reading order with grouped shapes flattened', async () => {
    const C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
    const ser = (name: string, values: string[]) => `<c:ser><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>${name}</c:v></c:pt></c:strCache></c:strRef></c:tx>
      <c:cat><c:strRef><c:strCache>${['2023', '2024'].map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('')}</c:strCache></c:strRef></c:cat>
      <c:val><c:numRef><c:numCache>${values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('')}</c:numCache></c:numRef></c:val></c:ser>`;
    const chartXml = `<c:chartSpace ${C}><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Revenue</a:t></a:r></a:p></c:rich></c:tx></c:title>
      <c:plotArea><c:barChart>${ser('EMEA', ['10', '12'])}${ser('APAC', ['7', '9.5'])}</c:barChart></c:plotArea></c:chart></c:chartSpace>`;
    const chartFrame = `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="20" name="Chart"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>
      <p:xfrm><a:off x="500000" y="3000000"/><a:ext cx="6000000" cy="2500000"/></p:xfrm>
      <a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rIdChart"/></a:graphicData></a:graphic></p:graphicFrame>`;
    // A group whose child space is scaled: its shapes land at y = 1.2M and 2.0M on the slide, in that order.
    const group = `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="30" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>
      <p:grpSpPr><a:xfrm><a:off x="500000" y="1200000"/><a:ext cx="4000000" cy="1600000"/><a:chOff x="0" y="0"/><a:chExt cx="8000000" cy="3200000"/></a:xfrm></p:grpSpPr>
      ${shape(['Second in group'], { x: 0, y: 1600000, id: 32 })}${shape(['First in group'], { x: 0, y: 0, id: 31 })}</p:grpSp>`;
    const footer = shape(['Confidential'], { x: 500000, y: 200000, ph: 'ftr', id: 40 });
    const bytes = await buildPptx([{
      shapes: footer + chartFrame + shape(['Below the chart'], { x: 500000, y: 6000000, id: 41 }) + group + shape(['Results'], { x: 500000, y: 300000, ph: 'title', id: 42 }),
      notes: 'Say the numbers slowly.',
      charts: { rIdChart: chartXml },
    }]);
    const doc = await readDocument(bytes);
    expect(doc.blocks.map((b) => [b.type, b.text.split('\n')[0]])).toEqual([
      ['Title', 'Results'],
      ['Text', 'First in group'],
      ['Text', 'Second in group'],
      ['Figure', 'Bar chart: Revenue'],
      ['Table', '\tEMEA\tAPAC'],
      ['Text', 'Below the chart'],
      ['Footer', 'Confidential'],
      ['Comment', 'Say the numbers slowly.'],
    ]);
    const [fig, series] = [doc.blocks[3], doc.blocks[4]];
    expect(series.table!.cells.filter((c) => c.row === 2).map((c) => c.text)).toEqual(['2024', '12', '9.5']);
    expect(fig.chartData).toEqual([',EMEA,APAC', '2023,10,7', '2024,12,9.5']);
    const wire = toWireBlock(fig, 'html', { blockImage: () => null, pageImage: () => null });
    expect(wire.chart_data).toEqual(fig.chartData);
    expect(doc.blocks[2].box.top).toBeCloseTo(2000000 / 6858000, 3);
  });

  it('drops a picture description that is only the inserted file name', async () => {
    const named = picture.replace('descr="Sales chart"', 'descr="_good_picture.png"');
    const doc = await readDocument(await buildPptx([{ shapes: named, image: true }]));
    expect(doc.blocks.find((b) => b.type === 'Figure')!.text).toBe('');
  });
});
