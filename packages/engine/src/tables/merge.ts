import type { DocBlock, TableCell, TableModel } from '../model.ts';

/** Blocks that sit between a table and its continuation on the next page without breaking it. */
const FURNITURE = new Set(['Header', 'Footer', 'Page Number']);

export interface MergedTables {
  blocks: DocBlock[];
  /** For each merged table block, the original parts it was built from. */
  parts: Map<DocBlock, DocBlock[]>;
}

const rowText = (t: TableModel, row: number) =>
  t.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col).map((c) => c.text.trim().toLowerCase()).join('\u0001');

/**
 * `formatting.merge_tables`: a table that continues on the next page (next content block,
 * same column count) is appended to the one before it; a repeated header row is dropped.
 */
export function mergeTables(blocks: DocBlock[]): MergedTables {
  const out: DocBlock[] = [];
  const parts = new Map<DocBlock, DocBlock[]>();
  let lastTable = -1; // index in `out` of a table that only furniture has followed since
  for (const block of blocks) {
    const prev = lastTable >= 0 ? out[lastTable] : undefined;
    if (block.type === 'Table' && block.table && prev?.table
      && block.box.page === lastPage(prev, parts.get(prev)) + 1
      && prev.table.cols === block.table.cols) {
      const merged = appendTable(prev, block);
      parts.set(merged, [...(parts.get(prev) ?? [prev]), block]);
      parts.delete(prev);
      out[lastTable] = merged;
      continue;
    }
    out.push(block);
    if (block.type === 'Table' && block.table) lastTable = out.length - 1;
    else if (!FURNITURE.has(block.type)) lastTable = -1;
  }
  return { blocks: out, parts };
}

function lastPage(block: DocBlock, parts: DocBlock[] | undefined): number {
  return parts ? parts[parts.length - 1].box.page : block.box.page;
}

function appendTable(first: DocBlock, next: DocBlock): DocBlock {
  const a = first.table!;
  const b = next.table!;
  const skip = b.headerRows > 0 && a.headerRows > 0 && rowText(a, 0) === rowText(b, 0) ? b.headerRows : 0;
  const moved: TableCell[] = b.cells
    .filter((c) => c.row >= skip)
    .map((c) => ({ ...c, row: c.row - skip + a.rows, header: false }));
  const table: TableModel = { rows: a.rows + b.rows - skip, cols: a.cols, headerRows: a.headerRows, cells: [...a.cells, ...moved] };
  return { ...first, table, confidence: Math.min(first.confidence, next.confidence) };
}
