import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EngineError, readDocument } from '../src/index.ts';
import type { DocBlock } from '../src/index.ts';
import { addSheetChart, barChartXml, PNG } from './formats-fixtures.ts';

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const tables = (blocks: DocBlock[], page?: number) => blocks.filter((b) => b.type === 'Table' && (page === undefined || b.box.page === page));
const rowsOf = (b: DocBlock): string[][] => {
  const t = b.table!;
  return Array.from({ length: t.rows }, (_, r) => t.cells.filter((c) => c.row === r).sort((a, z) => a.col - z.col).map((c) => c.text));
};

describe('XLSX reader', () => {
  it('gives each sheet a page and splits table regions at empty rows and columns', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('Sales');
      s.addRows([['Region', 'Q1'], ['North', 10], ['South', 7]]);
      // A second table to the right, separated by an empty column C.
      s.getCell('D1').value = 'Rep'; s.getCell('E1').value = 'Deals';
      s.getCell('D2').value = 'Ann'; s.getCell('E2').value = 3;
      // A third table below, separated by an empty row 4.
      s.getCell('A5').value = 'Total'; s.getCell('B5').value = 17;
      s.getCell('A6').value = 'Target'; s.getCell('B6').value = 20;
      wb.addWorksheet('Notes').getCell('A1').value = 'Just a note';
    });
    const doc = await readDocument(bytes, {}, { filename: 'book.xlsx' });
    expect(doc.pages.map((p) => p.name)).toEqual(['Sales', 'Notes']);
    const t = tables(doc.blocks, 1);
    expect(t.map(rowsOf)).toEqual([
      [['Region', 'Q1'], ['North', '10'], ['South', '7']],
      [['Rep', 'Deals'], ['Ann', '3']],
      [['Total', '17'], ['Target', '20']],
    ]);
    // Boxes are cell coordinates, as Reducto returns for spreadsheets (A1 = left 1, top 1).
    expect(t[1].box).toMatchObject({ left: 4, top: 1, width: 2, height: 2, page: 1 });
    expect(t[2].box).toMatchObject({ left: 1, top: 5, width: 2, height: 2 });
    expect(doc.blocks.filter((b) => b.box.page === 2).map((b) => [b.type, b.text])).toEqual([['Section Header', 'Notes'], ['Text', 'Just a note']]);

    const whole = await readDocument(bytes, { spreadsheet: { clustering: 'disabled' } });
    expect(tables(whole.blocks, 1)).toHaveLength(1);
    expect(tables(whole.blocks, 1)[0].table).toMatchObject({ rows: 6, cols: 5 });
  });

  it('keeps a spacer row or column inside a table with accurate clustering, and cuts there with fast', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('S');
      // Header, an empty spacer row, then data; column C is an empty spacer between groups.
      s.addRows([['Zone', 'Sales', null, 'Profit'], [], ['North', 10, null, 2], ['South', 7, null, 1]]);
    });
    const accurate = tables((await readDocument(bytes)).blocks);
    expect(accurate).toHaveLength(1);
    expect(accurate[0].table).toMatchObject({ rows: 4, cols: 4 });
    const fast = tables((await readDocument(bytes, { spreadsheet: { clustering: 'fast' } })).blocks);
    expect(fast.length).toBeGreaterThan(1);
  });

  it('finds three tables on one sheet: a titled one with a merged header, one below a blank row, one beside a blank column', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('Three');
      // Table 1 (A1:C5): a title merged across it, then a two-row header whose "Scores" spans two columns.
      s.getCell('A1').value = 'Exam results 2024';
      s.mergeCells('A1:C1');
      s.getCell('A2').value = 'Name'; s.getCell('B2').value = 'Scores';
      s.mergeCells('A2:A3');
      s.mergeCells('B2:C2');
      s.getCell('B3').value = 'Math'; s.getCell('C3').value = 'Art';
      s.getCell('A4').value = 'Kim'; s.getCell('B4').value = 90; s.getCell('C4').value = 80;
      s.getCell('A5').value = 'Lee'; s.getCell('B5').value = 75; s.getCell('C5').value = 85;
      // Table 2 (A7:C10) below one blank row, with the same width: stacked, not a continuation.
      s.getCell('A7').value = 'Team'; s.getCell('B7').value = 'City'; s.getCell('C7').value = 'Cups';
      s.addRow([]);
      [['Blues', 'STL', 1], ['Flyers', 'PHI', 2], ['Kings', 'LA', 2]].forEach((r, i) => s.getRow(8 + i).values = r);
      // Table 3 (E1:F3) to the right of the blank column D.
      s.getCell('E1').value = 'Rep'; s.getCell('F1').value = 'Deals';
      s.getCell('E2').value = 'Ann'; s.getCell('F2').value = 3;
      s.getCell('E3').value = 'Bo'; s.getCell('F3').value = 5;
    });
    const doc = await readDocument(bytes);
    expect(doc.blocks.map((b) => b.type)).toEqual(['Section Header', 'Text', 'Table', 'Table', 'Table']);
    expect(doc.blocks[1].text).toBe('Exam results 2024');
    // Reading order: the band of rows 1-5 left to right, then the table below it.
    const [scores, deals, cups] = tables(doc.blocks);
    expect(scores.table!.rows).toBe(4);
    expect(scores.table!.cells.find((c) => c.text === 'Name')).toMatchObject({ row: 0, col: 0, rowSpan: 2, colSpan: 1 });
    expect(scores.table!.cells.find((c) => c.text === 'Scores')).toMatchObject({ row: 0, col: 1, rowSpan: 1, colSpan: 2 });
    expect(rowsOf(scores).slice(1)).toEqual([['Math', 'Art'], ['Kim', '90', '80'], ['Lee', '75', '85']]);
    expect(rowsOf(cups)).toEqual([['Team', 'City', 'Cups'], ['Blues', 'STL', '1'], ['Flyers', 'PHI', '2'], ['Kings', 'LA', '2']]);
    expect(rowsOf(deals)).toEqual([['Rep', 'Deals'], ['Ann', '3'], ['Bo', '5']]);
    expect(deals.box).toMatchObject({ left: 5, top: 1, width: 2, height: 3 });
  });

  it('reads notes merged across the sheet as text lines, not as a table', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('N');
      s.addRows([['Zone', 'Sales', 'Profit'], ['North', 10, 2], ['South', 7, 1], [], ['(a) Unaudited.'], ['(b) In millions.']]);
      s.mergeCells('A5:C5');
      s.mergeCells('A6:C6');
    });
    const doc = await readDocument(bytes);
    expect(doc.blocks.map((b) => [b.type, b.text.split('\n')[0]])).toEqual([['Section Header', 'N'], ['Table', 'Zone\tSales\tProfit'], ['Text', '(a) Unaudited.'], ['Text', '(b) In millions.']]);
  });

  it('reads a chart drawn on a sheet as a Figure and its series table, placed between the tables above and below it', async () => {
    const book = await workbook((wb) => {
      const s = wb.addWorksheet('Sales');
      s.addRows([['Year', 'North', 'South'], ['2023', 10, 7], ['2024', 12, 9]]);
      s.getRow(20).values = ['Note', 'Value'];
      s.getRow(21).values = ['Target', 25];
    });
    const bytes = await addSheetChart(book, barChartXml('Sales by year', ['2023', '2024'], { North: ['10', '12'], South: ['7', '9'] }), { col: 0, row: 4 }, { col: 5, row: 17 });
    const doc = await readDocument(bytes, {}, { filename: 'chart.xlsx' });
    expect(doc.blocks.map((b) => [b.type, b.text.split('\n')[0]])).toEqual([
      ['Section Header', 'Sales'],
      ['Table', 'Year\tNorth\tSouth'],
      ['Figure', 'Bar chart: Sales by year'],
      ['Table', '\tNorth\tSouth'],
      ['Table', 'Note\tValue'],
    ]);
    const fig = doc.blocks[2];
    expect(fig.box).toMatchObject({ left: 1, top: 5, width: 6, height: 14, page: 1 });
    expect(fig.chartData).toEqual([',North,South', '2023,10,7', '2024,12,9']);
    expect(rowsOf(doc.blocks[3])).toEqual([['', 'North', 'South'], ['2023', '10', '7'], ['2024', '12', '9']]);
  });

  it('reads only the used area of a sheet whose formatting runs out to its last row and column', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('Inflated');
      s.addRows([['k', 'v'], ['a', 1]]);
      // Styled but empty: a row near the sheet's end and a column far to the right.
      s.getRow(1_000_000).height = 30;
      s.getRow(1_000_000).getCell(16_000).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    });
    const doc = await readDocument(bytes);
    expect(tables(doc.blocks).map(rowsOf)).toEqual([[['k', 'v'], ['a', '1']]]);
    expect(doc.pages[0]).toMatchObject({ width: 2, height: 2 });
  });

  it('keeps merged cells as spans', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('M');
      s.addRows([['Name', 'Scores', null], [null, 'Math', 'Art'], ['Kim', 90, 80]]);
      s.mergeCells('A1:A2');
      s.mergeCells('B1:C1');
    });
    const t = tables((await readDocument(bytes)).blocks)[0].table!;
    expect(t.cells.find((c) => c.text === 'Name')).toMatchObject({ row: 0, col: 0, rowSpan: 2, colSpan: 1 });
    expect(t.cells.find((c) => c.text === 'Scores')).toMatchObject({ row: 0, col: 1, rowSpan: 1, colSpan: 2 });
    expect(t.cells).toHaveLength(7); // 9 grid positions, two merges each cover one extra
  });

  it('reads a title row above a table as text, not as a header cell', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('T');
      s.addRows([['Stanley Cups', null, null], ['Team', 'City', 'Cups'], ['Blues', 'STL', 1], ['Flyers', 'PHI', 2]]);
      s.mergeCells('A1:C1');
    });
    const doc = await readDocument(bytes);
    expect(doc.blocks.map((b) => [b.type, b.text.split('\n')[0]])).toEqual([['Section Header', 'T'], ['Text', 'Stanley Cups'], ['Table', 'Team\tCity\tCups']]);
    expect(doc.blocks[2].box).toMatchObject({ left: 1, top: 2, width: 3, height: 3 });
  });

  it('splits large tables, repeating the header row in each piece', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('Big');
      s.addRow(['id', 'value']);
      for (let i = 1; i <= 25; i++) s.addRow([i, i * i]);
    });
    const pieces = tables((await readDocument(bytes, { spreadsheet: { split_large_tables: { enabled: true, size: 10 } } })).blocks);
    expect(pieces.map((b) => b.table!.rows)).toEqual([10, 10, 8]); // 25 body rows: 9 + 9 + 7, each with the header
    expect(pieces.every((b) => rowsOf(b)[0].join() === 'id,value')).toBe(true);
    expect(rowsOf(pieces[1])[1]).toEqual(['10', '100']);
    expect(pieces[1].box).toMatchObject({ top: 11, height: 9 });
    const unsplit = tables((await readDocument(bytes, { spreadsheet: { split_large_tables: { enabled: false } } })).blocks);
    expect(unsplit.map((b) => b.table!.rows)).toEqual([26]);
  });

  it('excludes hidden sheets, rows and columns when asked, and selects sheets by name', async () => {
    const bytes = await workbook((wb) => {
      const a = wb.addWorksheet('Visible');
      a.addRows([['k', 'secret', 'v'], ['a', 'x', 1], ['b', 'y', 2]]);
      a.getColumn(2).hidden = true;
      a.getRow(3).hidden = true;
      const h = wb.addWorksheet('Hidden');
      h.state = 'hidden';
      h.getCell('A1').value = 'hidden sheet';
      wb.addWorksheet('Third').addRows([['x', 'y'], [1, 2]]);
    });
    const all = await readDocument(bytes);
    expect(all.pages.map((p) => p.name)).toEqual(['Visible', 'Hidden', 'Third']);
    expect(rowsOf(tables(all.blocks, 1)[0])).toEqual([['k', 'secret', 'v'], ['a', 'x', '1'], ['b', 'y', '2']]);

    const trimmed = await readDocument(bytes, { spreadsheet: { exclude: ['hidden_sheets', 'hidden_rows', 'hidden_cols'] } });
    expect(trimmed.pages.map((p) => p.name)).toEqual(['Visible', 'Third']);
    expect(rowsOf(tables(trimmed.blocks, 1)[0])).toEqual([['k', 'v'], ['a', '1']]);
    // Boxes still point at the real sheet cells: column C is the third column.
    expect(tables(trimmed.blocks, 1)[0].table!.cells.find((c) => c.text === 'v')!.box).toMatchObject({ left: 3, top: 1 });

    const third = await readDocument(bytes, { settings: { page_range: ['Third'] } });
    expect(third.pages).toMatchObject([{ page: 1, originalPage: 3, name: 'Third' }]);
  });

  it('adds formulas, fill colours and dropdown options when included', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('F');
      s.addRows([['a', 'b', 'sum'], [1, 2, null]]);
      s.getCell('C2').value = { formula: 'A2+B2', result: 3 };
      s.getCell('A2').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };
      s.getCell('B1').dataValidation = { type: 'list', allowBlank: true, formulae: ['"yes,no"'] };
    });
    const plain = rowsOf(tables((await readDocument(bytes)).blocks)[0]);
    expect(plain[1]).toEqual(['1', '2', '3']);
    const rich = rowsOf(tables((await readDocument(bytes, { spreadsheet: { include: ['formula', 'cell_colors', 'dropdowns'] } })).blocks)[0]);
    expect(rich[1][2]).toBe('3 [formula: =A2+B2]');
    expect(rich[1][0]).toBe('1 [color: #FF0000]');
    expect(rich[0][1]).toBe('b [options: yes,no]');
  });

  it('shows numbers and dates in their cell formats, and places sheet images as Figures', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('N');
      s.addRows([['rate', 'amount', 'raw', 'due'], [0.125, 1234567.891, 0.1 + 0.2, new Date(Date.UTC(2024, 2, 5))]]);
      s.getCell('A2').numFmt = '0.0%';
      s.getCell('B2').numFmt = '#,##0.00';
      s.getCell('D2').numFmt = 'dd/mm/yyyy';
      // Currency and accounting negatives as Excel shows them.
      s.getCell('E1').value = 'fee'; s.getCell('E2').value = 1234.5; s.getCell('E2').numFmt = '"$"#,##0.00';
      s.getCell('F1').value = 'net'; s.getCell('F2').value = -1234; s.getCell('F2').numFmt = '#,##0_);(#,##0)';
      const id = wb.addImage({ buffer: Buffer.from(PNG) as never, extension: 'png' });
      s.addImage(id, { tl: { col: 5, row: 1 }, ext: { width: 40, height: 40 } } as never);
    });
    const doc = await readDocument(bytes);
    expect(rowsOf(tables(doc.blocks)[0])[1]).toEqual(['12.5%', '1,234,567.89', '0.3', '05/03/2024', '$1,234.50', '(1,234)']);
    expect(doc.blocks.find((b) => b.type === 'Figure')?.box).toMatchObject({ left: 6, top: 2, page: 1 });
    const without = await readDocument(bytes, { spreadsheet: { exclude: ['spreadsheet_images'] } });
    expect(without.blocks.some((b) => b.type === 'Figure')).toBe(false);
  });

  it('refuses workbooks over the cell limit with CELL_COUNT_EXCEEDED', async () => {
    const bytes = await workbook((wb) => {
      const s = wb.addWorksheet('S');
      for (let i = 0; i < 20; i++) s.addRow([i, i, i]);
    });
    const err = await readDocument(bytes, { spreadsheet: { max_cell_count: 50 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'CELL_COUNT_EXCEEDED', status: 422 });
  });
});

describe('CSV / TSV reader', () => {
  it('reads quoted CSV and TSV as one sheet', async () => {
    const csv = 'name,city,note\n"Smith, Jo",Oslo,"said ""hi"""\nLee,Rome,\n';
    const doc = await readDocument(new TextEncoder().encode(csv), {}, { filename: 'people.csv' });
    expect(rowsOf(tables(doc.blocks)[0])).toEqual([['name', 'city', 'note'], ['Smith, Jo', 'Oslo', 'said "hi"'], ['Lee', 'Rome', '']]);
    const tsv = await readDocument(new TextEncoder().encode('a\tb\n1\t2\n'), {}, { filename: 'x.tsv' });
    expect(rowsOf(tables(tsv.blocks)[0])).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('splits a CSV holding two tables apart at the blank line, with the title line kept as text', async () => {
    const csv = 'Sales by region,,\nRegion,Q1,Q2\nNorth,10,12\nSouth,7,9\n,,\nCosts,Q1,Q2\nRent,3,3\nStaff,5,6\n';
    const doc = await readDocument(new TextEncoder().encode(csv), {}, { filename: 'report.csv' });
    expect(doc.blocks.map((b) => b.type)).toEqual(['Section Header', 'Text', 'Table', 'Table']);
    expect(doc.blocks[1].text).toBe('Sales by region');
    expect(tables(doc.blocks).map(rowsOf)).toEqual([
      [['Region', 'Q1', 'Q2'], ['North', '10', '12'], ['South', '7', '9']],
      [['Costs', 'Q1', 'Q2'], ['Rent', '3', '3'], ['Staff', '5', '6']],
    ]);
  });
});
