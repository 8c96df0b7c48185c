import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.ts';
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
});
