import { parseHTML } from 'linkedom';
import type { Box, DocBlock, PageInfo, ParsedDocument, TableCell, TableModel } from '../model.ts';
import type { FullResult, WireBlock } from '../result.ts';

/**
 * A finished parse (`jobid://`) back into the document model, so extract/split/classify can
 * reuse it without parsing again. Blocks keep their type, box and text; tables are read
 * back from their rendered content (HTML or Markdown) into cells.
 */
export function documentFromParse(response: { result?: unknown; usage?: { num_pages?: number } }): ParsedDocument {
  const result = response.result as FullResult | undefined;
  const seen = new Set<string>();
  const blocks: DocBlock[] = [];
  for (const chunk of result?.chunks ?? []) {
    for (const b of chunk.blocks) {
      // Overlapping chunks repeat blocks.
      const key = `${b.bbox.page}:${b.bbox.left}:${b.bbox.top}:${b.type}:${b.content.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      blocks.push(toBlock(b));
    }
  }
  const pageNumbers = [...new Set(blocks.map((b) => b.box.page))];
  const numPages = Math.max(response.usage?.num_pages ?? 0, ...pageNumbers, 0);
  const pages: PageInfo[] = Array.from({ length: numPages }, (_, i) => {
    const first = blocks.find((b) => b.box.page === i + 1);
    return { page: i + 1, originalPage: first?.box.original_page ?? i + 1, width: 612, height: 792 };
  });
  return { pages, blocks, totalPages: numPages };
}

function toBlock(b: WireBlock): DocBlock {
  const box: Box = { ...b.bbox, original_page: b.bbox.original_page ?? b.bbox.page };
  const confidence = b.granular_confidence?.parse_confidence ?? (b.confidence === 'high' ? 0.9 : 0.5);
  const block: DocBlock = { type: b.type, box, text: b.content.replace(/^#+\s+/, ''), confidence };
  if (b.type === 'Table') {
    const table = readTable(b.content, box);
    if (table) {
      block.table = table;
      block.text = table.cells.map((c) => c.text).join(' ');
    }
  }
  if (b.type === 'Key Value') {
    const m = /^([^:]{1,80}):\s*(.+)$/s.exec(b.content);
    if (m) { block.key = m[1].trim(); block.value = m[2].trim(); }
  }
  return block;
}

function readTable(content: string, box: Box): TableModel | undefined {
  const rows = /<table/i.test(content) ? htmlRows(content) : markdownRows(content);
  if (!rows || rows.rows.length === 0) return undefined;
  const cols = Math.max(...rows.rows.map((r) => r.length));
  const rowH = box.height / rows.rows.length;
  const cells: TableCell[] = [];
  rows.rows.forEach((r, i) => r.forEach((text, j) => {
    // Rendered tables carry no cell geometry; an even grid is the honest estimate.
    cells.push({ row: i, col: j, rowSpan: 1, colSpan: 1, text, header: i < rows.header, box: { ...box, top: box.top + i * rowH, height: rowH, left: box.left + (j * box.width) / cols, width: box.width / cols } });
  }));
  return { rows: rows.rows.length, cols, cells, headerRows: rows.header };
}

function htmlRows(html: string): { rows: string[][]; header: number } {
  const { document } = parseHTML(`<html><body>${html}</body></html>`);
  const grid: string[][] = [];
  let header = 0;
  const trs = [...document.querySelectorAll('tr')];
  trs.forEach((tr, i) => {
    grid[i] ??= [];
    let col = 0;
    const cells = [...tr.querySelectorAll('th,td')];
    if (cells.length && cells.every((c) => c.tagName.toLowerCase() === 'th') && header === i) header = i + 1;
    for (const cell of cells) {
      while (grid[i][col] !== undefined) col++;
      const rs = Number(cell.getAttribute('rowspan') ?? 1) || 1;
      const cs = Number(cell.getAttribute('colspan') ?? 1) || 1;
      for (let r = 0; r < rs; r++) for (let c = 0; c < cs; c++) {
        grid[i + r] ??= [];
        grid[i + r][col + c] = r === 0 && c === 0 ? (cell.textContent ?? '').trim() : '';
      }
      col += cs;
    }
  });
  return { rows: grid.map((r) => Array.from(r, (c) => c ?? '')), header };
}

function markdownRows(md: string): { rows: string[][]; header: number } | undefined {
  const lines = md.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('|'));
  if (lines.length < 2) return undefined;
  const split = (l: string) => l.replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
  const isRule = (l: string) => /^\|?\s*:?-{3,}/.test(l);
  const header = isRule(lines[1]) ? 1 : 0;
  return { rows: lines.filter((l) => !isRule(l)).map(split), header };
}
