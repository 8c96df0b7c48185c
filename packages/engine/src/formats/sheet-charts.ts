import type { OfficePackage } from './container.ts';
import { readChart } from './chart.ts';
import type { FlowBlock } from './flow.ts';
import { child, childElements, descendants, path, textContent, type XmlElement } from './xml.ts';

/** A chart drawn on a worksheet or chartsheet, placed by the cells its anchor covers (0-based). */
export interface SheetChart {
  row: number;
  col: number;
  rows: number;
  cols: number;
  blocks: FlowBlock[];
}

/**
 * The charts of every sheet by sheet name, read from the drawing parts exceljs does not
 * interpret: each anchored chart frame (also inside grouped shapes, and the one frame of a
 * chartsheet) becomes the chart's Figure and data Table (see readChart).
 */
export async function readSheetCharts(pkg: OfficePackage): Promise<Map<string, SheetChart[]>> {
  const out = new Map<string, SheetChart[]>();
  const wbPart = 'xl/workbook.xml';
  const sheets = childElements(path(await pkg.xml(wbPart), 'workbook', 'sheets'), 'sheet');
  if (sheets.length === 0) return out;
  const wbRels = await pkg.relationships(wbPart);
  for (const sheet of sheets) {
    const part = wbRels.get(sheet.attrs['r:id'] ?? '');
    if (!part || part.external) continue;
    const charts: SheetChart[] = [];
    for (const rel of (await pkg.relationships(part.target)).values()) {
      if (!rel.type.endsWith('/drawing') || rel.external) continue;
      charts.push(...await drawingCharts(pkg, rel.target));
    }
    if (charts.length) out.set(sheet.attrs.name ?? '', charts);
  }
  return out;
}

async function drawingCharts(pkg: OfficePackage, part: string): Promise<SheetChart[]> {
  const root = path(await pkg.xml(part), 'xdr:wsDr');
  const rels = await pkg.relationships(part);
  const out: SheetChart[] = [];
  for (const anchor of childElements(root)) {
    if (!/Anchor$/.test(anchor.name)) continue;
    const from = cellOf(child(anchor, 'xdr:from'));
    const to = child(anchor, 'xdr:to') ? cellOf(child(anchor, 'xdr:to')) : undefined;
    for (const ref of descendants(anchor, 'c:chart')) {
      const rel = rels.get(ref.attrs['r:id'] ?? '');
      if (!rel || rel.external) continue;
      out.push({
        row: from.row, col: from.col,
        rows: to ? Math.max(1, to.row - from.row + 1) : 1, cols: to ? Math.max(1, to.col - from.col + 1) : 1,
        blocks: await readChart(pkg, rel.target),
      });
    }
  }
  return out;
}

/** An anchor's xdr:from / xdr:to cell; absolute anchors (chartsheets) sit at the origin. */
function cellOf(el: XmlElement | undefined): { row: number; col: number } {
  const n = (name: string): number => Math.max(0, Number(textContent(child(el, name))) || 0);
  return { row: n('xdr:row'), col: n('xdr:col') };
}
