import type { OfficePackage } from './container.ts';
import type { FlowBlock } from './flow.ts';
import { tableMatrix } from '../render/table.ts';
import { TableBuilder, tableText } from './table.ts';
import { child, childElements, descendants, path, textContent, type XmlElement } from './xml.ts';

/** Chart kinds as DrawingML names them (c:lineChart …) → words for the Figure text. */
const KINDS: Record<string, string> = {
  'c:lineChart': 'Line chart', 'c:line3DChart': 'Line chart', 'c:barChart': 'Bar chart', 'c:bar3DChart': 'Bar chart',
  'c:pieChart': 'Pie chart', 'c:pie3DChart': 'Pie chart', 'c:doughnutChart': 'Doughnut chart', 'c:areaChart': 'Area chart',
  'c:area3DChart': 'Area chart', 'c:scatterChart': 'Scatter chart', 'c:radarChart': 'Radar chart', 'c:bubbleChart': 'Bubble chart',
  'c:stockChart': 'Stock chart', 'c:surfaceChart': 'Surface chart',
};

/** Cached point values of a c:tx / c:cat / c:val reference, by index. */
function points(el: XmlElement | undefined): string[] {
  const out: string[] = [];
  for (const pt of descendants(el, 'c:pt')) out[Number(pt.attrs.idx ?? out.length)] = textContent(child(pt, 'c:v')).trim();
  if (out.length === 0) {
    const v = descendants(el, 'c:v')[0];
    if (v) out.push(textContent(v).trim());
  }
  return Array.from(out, (x) => tidyNumber(x ?? ''));
}

/** Caches hold binary floats ("4.4000000000000004"); show them as Office does. */
function tidyNumber(v: string): string {
  return /^-?\d+\.\d{12,}$/.test(v) ? String(Number(Number(v).toPrecision(15))) : v;
}

/**
 * An embedded Office chart (DrawingML chart part) as a Figure naming the chart, followed by
 * a Table of its cached data: categories down, one column per series. The cache is what
 * Office last drew, so no spreadsheet evaluation is needed.
 */
export async function readChart(pkg: OfficePackage, part: string): Promise<FlowBlock[]> {
  const chart = path(await pkg.xml(part), 'c:chartSpace', 'c:chart');
  if (!chart) return [{ type: 'Figure', text: '', extra: { kind: 'chart' } }];
  const title = descendants(child(chart, 'c:title'), 'a:t').map(textContent).join('').trim();
  const plot = child(chart, 'c:plotArea');
  const groups = childElements(plot).filter((e) => e.name in KINDS);
  const kind = groups.map((g) => KINDS[g.name]).filter((k, i, a) => a.indexOf(k) === i).join(', ') || 'Chart';
  const series = groups.flatMap((g) => childElements(g, 'c:ser')).map((ser) => ({
    name: points(child(ser, 'c:tx')).join(' '),
    categories: points(child(ser, 'c:cat') ?? child(ser, 'c:xVal')),
    values: points(child(ser, 'c:val') ?? child(ser, 'c:yVal')),
  }));
  const blocks: FlowBlock[] = [{ type: 'Figure', text: title ? `${kind}: ${title}` : kind, extra: { kind: 'chart' } }];
  const rows = Math.max(0, ...series.map((s) => Math.max(s.values.length, s.categories.length)));
  if (series.length === 0 || rows === 0) return blocks;
  const categories = series.find((s) => s.categories.length)?.categories ?? [];
  const b = new TableBuilder();
  b.startRow();
  b.add('', { header: true });
  for (const s of series) b.add(s.name, { header: true });
  for (let r = 0; r < rows; r++) {
    b.startRow();
    b.add(categories[r] ?? String(r + 1));
    for (const s of series) b.add(s.values[r] ?? '');
  }
  const table = b.build(1);
  // chart_data: one CSV line per category, after a header line naming the series.
  const quote = (t: string): string => (/[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  blocks[0].chartData = tableMatrix(table).map((row) => row.map(quote).join(','));
  blocks.push({ type: 'Table', text: tableText(table), table, extra: { chart_data: true } });
  return blocks;
}
