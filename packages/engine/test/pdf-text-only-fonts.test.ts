import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDFDict, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { READ_ONLY_FONTS, STANDARD_FONT_DATA_URL, loadPdfJs } from '../src/formats/pdf/pdfjs.ts';
import { eachPage, operatorList, textContent } from './pdfjs-pages.ts';
import { parse } from '../src/parse.ts';
import { type1Font, type1GlyphWidth } from './type1-font.ts';

/**
 * Our pdf.js patch (patches/README.md) can skip rebuilding embedded font programs for
 * drawing (`textOnlyFonts`, part of READ_ONLY_FONTS). Text extraction must not notice:
 * every page's text content — strings, positions, widths, styles, graphics — is the same.
 */

const standardFonts = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts');

/** PDF string bytes as a literal with octal escapes, for codes above ASCII. */
const literal = (codes: number[]) => `(${codes.map((c) => (c < 32 || c > 126 || c === 40 || c === 41 || c === 92 ? `\\${c.toString(8).padStart(3, '0')}` : String.fromCharCode(c))).join('')})`;
const winAnsi = (s: string) => literal([...s].map((ch) => ch.charCodeAt(0)));

/** One font per way pdf.js reads an embedded program, each on its own page and all on one. */
async function embeddedFontsPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const ctx = pdf.context;
  const descriptor = (fontName: string, file: Record<string, PDFRef>, flags = 32) => ctx.register(ctx.obj({
    Type: 'FontDescriptor', FontName: fontName, Flags: flags, FontBBox: [0, -200, 1000, 900], ItalicAngle: 0,
    Ascent: 800, Descent: -200, CapHeight: 680, StemV: 80, ...file,
  }));
  const type1 = (fontName: string, encoding?: Record<number, string>) => {
    const { program, length1, length2 } = type1Font(fontName, encoding);
    return ctx.register(ctx.flateStream(program, { Length1: length1, Length2: length2, Length3: 0 }));
  };
  const widths = (first: number, last: number, name: (code: number) => string) => Array.from({ length: last - first + 1 }, (_, i) => type1GlyphWidth(name(first + i)));
  const latin1Name = (c: number) => ({ 0xe1: 'aacute', 0xe9: 'eacute', 0xef: 'idieresis', 0xf6: 'odieresis', 0xfc: 'udieresis', 0x20: 'space' } as Record<number, string>)[c] ?? String.fromCharCode(c);

  const fonts: Record<string, PDFRef> = {
    // Type 1, WinAnsi: accented letters are seac composites.
    T1: ctx.register(ctx.obj({
      Type: 'Font', Subtype: 'Type1', BaseFont: 'ABCDEF+FolioBoxes', FirstChar: 32, LastChar: 255, Widths: widths(32, 255, latin1Name),
      Encoding: 'WinAnsiEncoding', FontDescriptor: descriptor('ABCDEF+FolioBoxes', { FontFile: type1('FolioBoxes') }),
    })),
    // Type 1, symbolic, the font's own encoding (codes 1–8) and no Widths: widths come from the program.
    T1B: ctx.register(ctx.obj({
      Type: 'Font', Subtype: 'Type1', BaseFont: 'GHIJKL+FolioCoded',
      FontDescriptor: descriptor('GHIJKL+FolioCoded', { FontFile: type1('FolioCoded', { 1: 'F', 2: 'o', 3: 'l', 4: 'i', 5: 'space', 6: 'eacute', 7: 'udieresis', 8: 'nine' }) }, 4),
    })),
    // Type 1 with Differences over StandardEncoding.
    T1D: ctx.register(ctx.obj({
      Type: 'Font', Subtype: 'Type1', BaseFont: 'MNOPQR+FolioDiff', FirstChar: 32, LastChar: 127, Widths: widths(32, 127, (c) => (c === 126 ? 'odieresis' : latin1Name(c))),
      Encoding: ctx.obj({ Type: 'Encoding', Differences: [126, 'odieresis'] }),
      FontDescriptor: descriptor('MNOPQR+FolioDiff', { FontFile: type1('FolioDiff') }),
    })),
    // Bare CFF (FontFile3/Type1C): one of pdf.js's own standard fonts, which are CFF programs.
    CFF: ctx.register(ctx.obj({
      Type: 'Font', Subtype: 'Type1', BaseFont: 'STUVWX+FoxitSerif', FirstChar: 32, LastChar: 255, Widths: widths(32, 255, () => 'm'), Encoding: 'WinAnsiEncoding',
      FontDescriptor: descriptor('STUVWX+FoxitSerif', { FontFile3: ctx.register(ctx.flateStream(readFileSync(path.join(standardFonts, 'FoxitSerif.pfb')), { Subtype: 'Type1C' })) }, 34),
    })),
    // TrueType (FontFile2).
    TT: ctx.register(ctx.obj({
      Type: 'Font', Subtype: 'TrueType', BaseFont: 'YZABCD+LiberationSans', FirstChar: 32, LastChar: 255, Widths: widths(32, 255, () => 'n'), Encoding: 'WinAnsiEncoding',
      FontDescriptor: descriptor('YZABCD+LiberationSans', { FontFile2: ctx.register(ctx.flateStream(readFileSync(path.join(standardFonts, 'LiberationSans-Regular.ttf')))) }),
    })),
  };
  const lines: Record<string, string> = {
    T1: winAnsi('Boxes caf\u00e9 na\u00efve \u00fcber 2024'),
    T1B: literal([1, 2, 3, 4, 2, 5, 6, 7, 8]),
    T1D: literal([...Buffer.from('Gr~n Kase 7', 'latin1')]),
    CFF: winAnsi('Serif r\u00e9sum\u00e9 \u00e1 99'),
    TT: winAnsi('Sans M\u00fcller 42'),
  };
  const addPage = (names: string[]) => {
    const page = pdf.addPage([612, 792]);
    page.node.set(PDFName.of('Resources'), ctx.obj({ Font: ctx.obj(Object.fromEntries(names.map((n) => [n, fonts[n]]))) }));
    const ops = names.map((n, i) => `BT /${n} ${11 + i} Tf ${72 + i * 3} ${720 - i * 40} Td ${lines[n]} Tj 0 -14 Td [${lines[n]} -250 ${lines[n]}] TJ ET`);
    ops.push('0.5 w 72 300 m 540 300 l S');
    page.node.set(PDFName.of('Contents'), ctx.register(ctx.stream(ops.join('\n'))));
    expect(page.node.get(PDFName.of('Resources'))).toBeInstanceOf(PDFDict);
  };
  for (const name of Object.keys(fonts)) addPage([name]);
  addPage(Object.keys(fonts));
  return pdf.save();
}

/** Every page's text content, or with `draw` its operator list (which draws glyph outlines in Node). */
const pagesRead = (bytes: Uint8Array, options: Record<string, unknown>, draw = false) => eachPage(bytes, options, draw ? operatorList : textContent);

describe('text extraction with text-only fonts', () => {
  it('the embedded fonts are real programs pdf.js loads (no fallback to a system font)', async () => {
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument({ data: await embeddedFontsPdf(), standardFontDataUrl: STANDARD_FONT_DATA_URL, verbosity: 0 }).promise;
    try {
      const page = await doc.getPage(doc.numPages);
      await page.getOperatorList();
      const names = Object.keys((await page.getTextContent()).styles);
      expect(names).toHaveLength(5);
      for (const name of names) expect((page.commonObjs.get(name) as { missingFile: boolean }).missingFile).toBe(false);
    } finally {
      await doc.destroy();
    }
  });

  it('every page reads the same with and without the option', async () => {
    const bytes = await embeddedFontsPdf();
    const [full, textOnly] = [await pagesRead(bytes, {}), await pagesRead(bytes, READ_ONLY_FONTS)];
    expect(textOnly).toHaveLength(6);
    expect(textOnly).toEqual(full);
    const text = textOnly.map((page) => (JSON.parse(page) as { items: { str?: string }[] }).items.map((i) => i.str ?? '').join(''));
    expect(text[0]).toContain('Boxes café naïve über 2024');
    expect(text[1]).toContain('Folio éü9');
    expect(text[2]).toContain('Grön Kase 7');
    expect(text[3]).toContain('Serif résumé á 99');
    expect(text[4]).toContain('Sans Müller 42');
  });

  it('a page of such a document still draws the same: font programs are built on first use', async () => {
    const bytes = await embeddedFontsPdf();
    // In Node pdf.js draws each glyph from an outline it reads out of the rebuilt program: a
    // program left unbuilt would fail the text operators and cut the operator list short.
    expect(await pagesRead(bytes, { textOnlyFonts: true }, true)).toEqual(await pagesRead(bytes, {}, true));
  });

  it('the reader, which opens PDFs with the option, reads the embedded fonts', async () => {
    const out = await parse(await embeddedFontsPdf(), {}, { filename: 'fonts.pdf' });
    const text = out.result.type === 'full' ? out.result.chunks.map((c) => c.content).join('\n') : '';
    for (const expected of ['Boxes café naïve über 2024', 'Folio éü9', 'Serif résumé á 99', 'Sans Müller 42']) expect(text).toContain(expected);
  });
});
