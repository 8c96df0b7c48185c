import { describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.ts';
import { pageSegments } from '../../src/extract/array-extract.ts';
import type { DocBlock, ParsedDocument } from '../../src/model.ts';

/** A table block on a page: header row then data rows, each cell with its own box. */
function table(page: number, rows: string[][], top = 0.2): DocBlock {
  const h = 0.03;
  const cols = rows[0].length;
  const cells = rows.flatMap((r, i) => r.map((text, c) => ({
    row: i, col: c, rowSpan: 1, colSpan: 1, text, header: i === 0,
    box: { left: 0.1 + c * 0.4, top: top + i * h, width: 0.35, height: h, page, original_page: page },
  })));
  return {
    type: 'Table', text: '', confidence: 1, table: { rows: rows.length, cols, cells, headerRows: 1 },
    box: { left: 0.1, top, width: 0.8, height: rows.length * h, page, original_page: page },
  };
}

function text(page: number, t: string, top = 0.05): DocBlock {
  return { type: 'Text', text: t, confidence: 1, box: { left: 0.1, top, width: 0.5, height: 0.03, page, original_page: page } };
}

/** A 14-page statement: items under "Description | Amount" on pages 1 and 10, under "Product | Amount" on page 13. */
function statement(): ParsedDocument {
  const pages = Array.from({ length: 14 }, (_, i) => ({ page: i + 1, originalPage: i + 1, width: 612, height: 792 }));
  const blocks: DocBlock[] = [text(1, 'Statement No: ST-7')];
  blocks.push(table(1, [['Description', 'Amount'], ['Paper', '10.00'], ['Ink', '25.50']]));
  for (let p = 2; p <= 14; p++) blocks.push(text(p, `Notes for page ${p}`));
  blocks.push(table(10, [['Description', 'Amount'], ['Stapler', '7.25']]));
  blocks.push(table(13, [['Product', 'Amount'], ['Toner', '80.00'], ['Ink', '25.50']]));
  return { pages, blocks, totalPages: 14 };
}

const schema = {
  type: 'object',
  properties: {
    statement_number: { type: 'string' },
    items: { type: 'array', items: { type: 'object', properties: { description: { type: 'string' }, amount: { type: 'number' } } } },
  },
};

async function first(doc: ParsedDocument, s: object, settings = {}): Promise<Record<string, unknown>> {
  return ((await extract(doc, { schema: s }, settings)).result as Array<Record<string, unknown>>)[0];
}

describe('array_extract (deterministic)', () => {
  it('cuts pages into segments of ten sharing one page', () => {
    expect(pageSegments([1, 2, 3])).toEqual([[1, 2, 3]]);
    const pages = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(pageSegments(pages).map((s) => [s[0], s[s.length - 1]])).toEqual([[1, 10], [10, 19], [19, 25]]);
  });

  it('concatenates the items of every segment, the shared page once, and reads scalars from the whole document', async () => {
    const plain = await first(statement(), schema);
    // Without it: the best table and its continuations (same header) only.
    expect(plain.items).toEqual([{ description: 'Paper', amount: 10 }, { description: 'Ink', amount: 25.5 }, { description: 'Stapler', amount: 7.25 }]);
    expect(await first(statement(), schema, { array_extract: true })).toEqual({
      statement_number: 'ST-7',
      items: [
        { description: 'Paper', amount: 10 }, { description: 'Ink', amount: 25.5 }, { description: 'Stapler', amount: 7.25 },
        // The same values printed again elsewhere are another item.
        { description: 'Toner', amount: 80 }, { description: 'Ink', amount: 25.5 },
      ],
    });
  });

  it('leaves a schema without arrays as it was', async () => {
    const flat = { type: 'object', properties: { statement_number: { type: 'string' } } };
    expect(await first(statement(), flat, { array_extract: true })).toEqual({ statement_number: 'ST-7' });
  });
});
