import JSZip from 'jszip';

/** Minimal OOXML packages written in the tests, so fixtures are readable next to the assertions. */

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A 1×1 PNG. */
export const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

export interface DocxParts {
  body: string;
  styles?: string;
  numbering?: string;
  comments?: string;
  footnotes?: string;
  header?: string;
  footer?: string;
  hyperlinks?: Record<string, string>;
  image?: boolean;
  /** Extra parts under word/ with a relationship from the document: id → { type, target, xml }. */
  parts?: Record<string, { type: string; target: string; xml: string }>;
}

/** Paragraph shorthand: `p('text', { style: 'Heading1' })`. */
export function p(text: string, o: { style?: string; numId?: number; ilvl?: number; runs?: string } = {}): string {
  const pPr = [o.style ? `<w:pStyle w:val="${o.style}"/>` : '', o.numId !== undefined ? `<w:numPr><w:ilvl w:val="${o.ilvl ?? 0}"/><w:numId w:val="${o.numId}"/></w:numPr>` : ''].join('');
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${text ? `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>` : ''}${o.runs ?? ''}</w:p>`;
}

export const HEADING_STYLES = `<w:styles ${W}>
  <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Custom3"><w:name w:val="My Level Three"/><w:basedOn w:val="Heading2"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
</w:styles>`;

/** numId 1: bullets; numId 2: decimal with lower-letter second level. */
export const NUMBERING = `<w:numbering ${W}>
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>`;

export async function buildDocx(parts: DocxParts): Promise<Uint8Array> {
  const zip = new JSZip();
  const rels: string[] = [];
  const types: string[] = [];
  const add = (id: string, type: string, target: string, ct: string, xml: string): void => {
    rels.push(`<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`);
    types.push(`<Override PartName="/word/${target}" ContentType="${ct}"/>`);
    zip.file(`word/${target}`, xml);
  };
  const ct = (s: string): string => `application/vnd.openxmlformats-officedocument.wordprocessingml.${s}+xml`;
  if (parts.styles) add('rIdStyles', 'styles', 'styles.xml', ct('styles'), parts.styles);
  if (parts.numbering) add('rIdNum', 'numbering', 'numbering.xml', ct('numbering'), parts.numbering);
  if (parts.comments) add('rIdComments', 'comments', 'comments.xml', ct('comments'), `<w:comments ${W}>${parts.comments}</w:comments>`);
  if (parts.footnotes) add('rIdFoot', 'footnotes', 'footnotes.xml', ct('footnotes'), `<w:footnotes ${W}>${parts.footnotes}</w:footnotes>`);
  if (parts.header) add('rIdHdr', 'header', 'header1.xml', ct('header'), `<w:hdr ${W}>${parts.header}</w:hdr>`);
  if (parts.footer) add('rIdFtr', 'footer', 'footer1.xml', ct('footer'), `<w:ftr ${W}>${parts.footer}</w:ftr>`);
  for (const [id, url] of Object.entries(parts.hyperlinks ?? {})) {
    rels.push(`<Relationship Id="${id}" Type="${REL}/hyperlink" Target="${url}" TargetMode="External"/>`);
  }
  for (const [id, part] of Object.entries(parts.parts ?? {})) {
    rels.push(`<Relationship Id="${id}" Type="${REL}/${part.type}" Target="${part.target}"/>`);
    zip.file(`word/${part.target}`, part.xml);
  }
  if (parts.image) {
    rels.push(`<Relationship Id="rIdImg" Type="${REL}/image" Target="media/image1.png"/>`);
    zip.file('word/media/image1.png', PNG);
  }
  const sect = `<w:sectPr>${parts.header ? '<w:headerReference w:type="default" r:id="rIdHdr"/>' : ''}${parts.footer ? '<w:footerReference w:type="default" r:id="rIdFtr"/>' : ''}</w:sectPr>`;
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${parts.body}${sect}</w:body></w:document>`);
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}">${rels.join('')}</Relationships>`);
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`);
  zip.file('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="${ct('document.main')}"/>${types.join('')}</Types>`);
  return zip.generateAsync({ type: 'uint8array' });
}

const P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export interface Slide {
  shapes: string;
  notes?: string;
  image?: boolean;
  /** Chart parts by relationship id (c:chartSpace XML). */
  charts?: Record<string, string>;
}

/** A text shape at (x, y) in EMU; `ph` makes it a placeholder ("title", "body", …). */
export function shape(paragraphs: string[], o: { x: number; y: number; ph?: string; id?: number }): string {
  const ph = o.ph ? `<p:ph type="${o.ph}"/>` : '';
  return `<p:sp><p:nvSpPr><p:cNvPr id="${o.id ?? 2}" name="s"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr>
    <p:spPr><a:xfrm><a:off x="${o.x}" y="${o.y}"/><a:ext cx="4000000" cy="800000"/></a:xfrm></p:spPr>
    <p:txBody><a:bodyPr/>${paragraphs.map((t) => (t.startsWith('<a:p>') ? t : `<a:p><a:r><a:t>${t}</a:t></a:r></a:p>`)).join('')}</p:txBody></p:sp>`;
}

export async function buildPptx(slides: Slide[]): Promise<Uint8Array> {
  const zip = new JSZip();
  const presRels: string[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const pml = (s: string): string => `application/vnd.openxmlformats-officedocument.presentationml.${s}+xml`;
  slides.forEach((s, i) => {
    const n = i + 1;
    presRels.push(`<Relationship Id="rId${n}" Type="${REL}/slide" Target="slides/slide${n}.xml"/>`);
    ids.push(`<p:sldId id="${255 + n}" r:id="rId${n}"/>`);
    types.push(`<Override PartName="/ppt/slides/slide${n}.xml" ContentType="${pml('slide')}"/>`);
    const rels: string[] = [];
    if (s.notes !== undefined) {
      rels.push(`<Relationship Id="rIdN" Type="${REL}/notesSlide" Target="../notesSlides/notesSlide${n}.xml"/>`);
      types.push(`<Override PartName="/ppt/notesSlides/notesSlide${n}.xml" ContentType="${pml('notesSlide')}"/>`);
      zip.file(`ppt/notesSlides/notesSlide${n}.xml`, `<p:notes ${P}><p:cSld><p:spTree>${shape([s.notes], { x: 0, y: 0, ph: 'body' })}</p:spTree></p:cSld></p:notes>`);
    }
    if (s.image) {
      rels.push(`<Relationship Id="rIdImg" Type="${REL}/image" Target="../media/image${n}.png"/>`);
      zip.file(`ppt/media/image${n}.png`, PNG);
    }
    for (const [rId, xml] of Object.entries(s.charts ?? {})) {
      const name = `chart${n}-${rId}.xml`;
      rels.push(`<Relationship Id="${rId}" Type="${REL}/chart" Target="../charts/${name}"/>`);
      types.push(`<Override PartName="/ppt/charts/${name}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`);
      zip.file(`ppt/charts/${name}`, xml);
    }
    zip.file(`ppt/slides/_rels/slide${n}.xml.rels`, `<Relationships xmlns="${PKG_REL}">${rels.join('')}</Relationships>`);
    zip.file(`ppt/slides/slide${n}.xml`, `<p:sld ${P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${s.shapes}</p:spTree></p:cSld></p:sld>`);
  });
  zip.file('ppt/presentation.xml', `<p:presentation ${P}><p:sldIdLst>${ids.join('')}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>`);
  zip.file('ppt/_rels/presentation.xml.rels', `<Relationships xmlns="${PKG_REL}">${presRels.join('')}</Relationships>`);
  zip.file('_rels/.rels', `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="ppt/presentation.xml"/></Relationships>`);
  zip.file('[Content_Types].xml', `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/ppt/presentation.xml" ContentType="${pml('presentation.main')}"/>${types.join('')}</Types>`);
  return zip.generateAsync({ type: 'uint8array' });
}

/** A c:chartSpace with one bar chart: categories shared by all series. */
export function barChartXml(title: string, categories: string[], series: Record<string, string[]>): string {
  const C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
  const pts = (vs: string[]): string => vs.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  const ser = Object.entries(series).map(([name, values]) => `<c:ser><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>${name}</c:v></c:pt></c:strCache></c:strRef></c:tx>
    <c:cat><c:strRef><c:strCache>${pts(categories)}</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache>${pts(values)}</c:numCache></c:numRef></c:val></c:ser>`).join('');
  return `<c:chartSpace ${C}><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>${title}</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:barChart>${ser}</c:barChart></c:plotArea></c:chart></c:chartSpace>`;
}

/**
 * Adds a chart drawn over cells (0-based from/to, as a drawing anchor) to the first sheet of
 * an XLSX package: exceljs writes no charts, so the drawing and chart parts go in by hand.
 */
export async function addSheetChart(xlsx: Uint8Array, chartXml: string, from: { col: number; row: number }, to: { col: number; row: number }): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(xlsx);
  const sheet = 'xl/worksheets/sheet1.xml';
  zip.file(sheet, (await zip.file(sheet)!.async('string')).replace('</worksheet>', '<drawing r:id="rIdChartDrawing"/></worksheet>'));
  const relsName = 'xl/worksheets/_rels/sheet1.xml.rels';
  const rel = `<Relationship Id="rIdChartDrawing" Type="${REL}/drawing" Target="../drawings/chartDrawing1.xml"/>`;
  const existing = await zip.file(relsName)?.async('string');
  zip.file(relsName, existing ? existing.replace('</Relationships>', `${rel}</Relationships>`) : `<Relationships xmlns="${PKG_REL}">${rel}</Relationships>`);
  const X = 'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const cell = (tag: string, c: { col: number; row: number }) => `<xdr:${tag}><xdr:col>${c.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${c.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  zip.file('xl/drawings/chartDrawing1.xml', `<xdr:wsDr ${X}><xdr:twoCellAnchor>${cell('from', from)}${cell('to', to)}
    <xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>
    <a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rIdChart"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>`);
  zip.file('xl/drawings/_rels/chartDrawing1.xml.rels', `<Relationships xmlns="${PKG_REL}"><Relationship Id="rIdChart" Type="${REL}/chart" Target="../charts/chart1.xml"/></Relationships>`);
  zip.file('xl/charts/chart1.xml', chartXml);
  const types = '[Content_Types].xml';
  zip.file(types, (await zip.file(types)!.async('string')).replace('</Types>',
    '<Override PartName="/xl/drawings/chartDrawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/><Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>'));
  return zip.generateAsync({ type: 'uint8array' });
}

