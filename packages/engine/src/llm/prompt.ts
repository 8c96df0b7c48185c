import type { DocBlock, ParsedDocument } from '../model.ts';

/**
 * The document as the model sees it: one block per line group, each tagged with its id so
 * the model can say where a value came from. Tables are written row by row.
 */
export function documentPrompt(doc: ParsedDocument): string {
  return doc.blocks.map((b, id) => `[${id}] (page ${b.box.page}, ${b.type})\n${blockText(b)}`).join('\n\n');
}

function blockText(b: DocBlock): string {
  if (!b.table) return b.text;
  const rows: string[][] = Array.from({ length: b.table.rows }, () => new Array<string>(b.table!.cols).fill(''));
  for (const c of b.table.cells) rows[c.row][c.col] = c.text.replace(/\|/g, '/');
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}
