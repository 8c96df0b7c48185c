import { describe, expect, it } from 'vitest';
import { LEAN_READING, READ_ONLY_FONTS } from '../src/formats/pdf/pdfjs.ts';
import { eachPage, textContent } from './pdfjs-pages.ts';
import { figurePdf, rawPdf, reportPdf, rotatedPdf, ruledTablePdf } from './pdf-fixtures.ts';

/**
 * Our pdf.js patch (patches/README.md) can compute text content without pdf.js's throwaway
 * matrices (`leanTextContent`, part of LEAN_READING). Every number of the text content must come
 * out the same, bit for bit: positions under any text and graphics state, in forms, for Type 3
 * fonts (whose own matrix pdf.js folds into the item's), rotated and mirrored.
 */

const stream = (ops: string) => `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;

/**
 * Text under every state that moves it: matrices, spacing, scaling, rise, nesting, a form (whose
 * /F1 is another font than the page's), fonts switched back and forth, a Type 3 font.
 */
function statesPdf(): Uint8Array {
  const page = [
    'BT /F1 12 Tf 72 720 Td (Plain line of text) Tj 0 -14 Td 2 Tc 3 Tw (Spaced out words) Tj 0 Tc 0 Tw ET',
    'q 0.7 0 0 0.7 30 20 cm BT /F1 10 Tf 150 Tz 72 640 Td (Scaled and stretched) Tj 100 Tz 4 Ts (risen) Tj -3 Ts (sunk) Tj ET Q',
    'q 0 1 -1 0 500 300 cm BT /F1 11 Tf 0 0 Td (Rotated ninety) Tj ET Q',
    'q -1 0 0 -1 500 500 cm BT /F1 11 Tf 0 0 Td (Upside down) Tj ET Q',
    'q 0.866 0.5 -0.5 0.866 100 300 cm BT /F1 11 Tf 0 0 Td (Thirty degrees) Tj ET Q',
    'BT /F1 9 Tf 1 0 0.3 1 72 200 Tm (Skewed by the text matrix) Tj 14 TL T* [(Kerned) -120 (apart) 300 (back)] TJ ET',
    'q q q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 60 Td (Deep in saved states) Tj ET Q Q Q',
    'q 1 0 0 1 72 100 cm /Fm1 Do Q',
    'BT /T3 1 Tf 20 0 0 20 300 100 Tm (abab) Tj /T3 0.5 Tf (ba) Tj ET',
    'BT 72 160 Td /F1 10 Tf (Fonts) Tj /F2 10 Tf (switch) Tj /F1 10 Tf (back) Tj /F1 12 Tf (and) Tj /F2 9 Tf (forth) Tj ET',
    '-1 0 0 1 612 0 cm BT /F1 10 Tf 72 60 Td (Mirrored page) Tj ET',
  ].join('\n');
  const form = 'BT /F1 10 Tf 0 0 Td (Inside a form) Tj ET q 0.5 0 0 0.5 0 -20 cm BT /F1 10 Tf (Half size in the form) Tj ET Q';
  // Glyph space 1/100 of text space: not pdf.js's identity font matrix, so its Type 3 branch runs.
  const glyph = (w: number) => stream(`${w} 0 0 0 ${w} 80 d1 0 0 ${w} 80 re f`);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 11 0 R /T3 7 0 R >> /XObject << /Fm1 6 0 R >> >> >>',
    stream(page),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Type /XObject /Subtype /Form /BBox [0 -40 300 40] /Matrix [1 0 0 1 10 5] /Resources << /Font << /F1 11 0 R >> >> /Length ${form.length} >>\nstream\n${form}\nendstream`,
    '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 75 80] /FontMatrix [0.01 0 0 0.01 0 0] /CharProcs << /a 8 0 R /b 9 0 R >> '
      + '/Encoding << /Type /Encoding /Differences [97 /a /b] >> /FirstChar 97 /LastChar 98 /Widths [60 75] /ToUnicode 10 0 R >>',
    glyph(60),
    glyph(75),
    stream('/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange '
      + '2 beginbfchar <61> <0041> <62> <0042> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>',
  ]);
}

/**
 * Right-to-left and mixed text (a ToUnicode map onto Hebrew letters, Arabic letters and
 * Arabic-Indic digits) next to plain Latin text, which the option reads without pdf.js's bidi
 * pass, and vertical text: each item must get the same string and direction.
 */
function bidiPdf(): Uint8Array {
  const page = [
    'BT /F1 12 Tf 72 720 Td (\\200\\201\\202\\203) Tj 0 -20 Td (Latin \\200\\201 text) Tj 0 -20 Td (\\204\\205 gh) Tj 0 -20 Td (Plain text, 12.5% off) Tj ET',
    'BT /F1 12 Tf 72 600 Td (x) Tj 0 -20 Td (\\204\\204 \\205\\205) Tj 0 -20 Td (Latin then \\200) Tj 0 -20 Td (\\344\\366\\374 accents) Tj ET',
    'BT /F2 12 Tf 300 700 Td <0001000200030004> Tj ET',
  ].join('\n');
  const cmap = stream('/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange '
    + '10 beginbfchar <80> <05D0> <81> <05D1> <82> <0627> <83> <0644> <84> <0661> <85> <0662> <61> <0061> <65> <0065> <74> <0074> <78> <0078> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end');
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>',
    stream(page),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>',
    cmap,
    '<< /Type /Font /Subtype /Type0 /BaseFont /Vertical /Encoding /Identity-V /DescendantFonts [8 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Vertical /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 '
      + '/FontDescriptor << /Type /FontDescriptor /FontName /Vertical /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> >>',
  ]);
}

/** Every page's text content, comparable number for number. */
const textContents = (bytes: Uint8Array, options: Record<string, unknown>) => eachPage(bytes, options, textContent);

describe('text content computed lean', () => {
  it('is the same, number for number, with and without the option', async () => {
    const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    const docs = [statesPdf(), bidiPdf(), await reportPdf(), await ruledTablePdf(), await rotatedPdf(), await figurePdf(png)];
    for (const bytes of docs) {
      const stock = await textContents(bytes, READ_ONLY_FONTS);
      expect(await textContents(bytes, { ...READ_ONLY_FONTS, ...LEAN_READING })).toEqual(stock);
    }
    const text = (await textContents(statesPdf(), LEAN_READING)).join('');
    for (const expected of ['Plain line of text', 'Rotated ninety', 'Upside down', 'Inside a form', 'Deep in saved states', 'ABAB', 'BA', 'Mirrored page', 'switch', 'forth']) expect(text).toContain(expected);
    const [bidi] = await textContents(bidiPdf(), LEAN_READING);
    const dirs = (JSON.parse(bidi) as { items: Array<{ dir?: string; str?: string }> }).items.filter((i) => i.str?.trim()).map((i) => i.dir);
    expect(dirs).toEqual(expect.arrayContaining(['ltr', 'rtl', 'ttb']));
    // The form's text is in its own /F1, Courier, not the page's Helvetica.
    const [page] = await textContents(statesPdf(), LEAN_READING);
    const { items, styles } = JSON.parse(page) as { items: Array<{ str?: string; fontName?: string }>; styles: Record<string, { name?: string }> };
    const fontOf = (str: string) => styles[items.find((i) => i.str === str)?.fontName ?? '']?.name;
    expect(fontOf('Inside a form')).toMatch(/Courier/);
    expect(fontOf('Plain line of text')).toMatch(/Helvetica/);
  });
});
