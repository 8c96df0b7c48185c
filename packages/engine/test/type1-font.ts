/**
 * A small Type 1 font program written from scratch (Adobe, "Adobe Type 1 Font Format", 1990):
 * each glyph is a box whose width depends on the letter, and accented letters are `seac`
 * composites of a base letter and an accent. For tests of how fonts embedded in PDFs are read;
 * returns the clear-text and eexec-encrypted parts (a PDF's FontFile Length1 and Length2).
 */

/** Charstring numbers (spec section 6.2). */
function num(v: number): number[] {
  if (v >= -107 && v <= 107) return [v + 139];
  if (v >= 108 && v <= 1131) return [((v - 108) >> 8) + 247, (v - 108) & 0xff];
  if (v >= -1131 && v <= -108) return [((-v - 108) >> 8) + 251, (-v - 108) & 0xff];
  return [255, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

const HSBW = 13, RMOVETO = 21, RLINETO = 5, CLOSEPATH = 9, ENDCHAR = 14, SEAC = [12, 6];

/** Type 1 encryption (section 7): eexec uses key 55665, charstrings 4330, after `lenIV` bytes. */
function encrypt(plain: number[], key: number, lenIV = 4): number[] {
  let r = key;
  const out: number[] = [];
  for (const p of [...new Array<number>(lenIV).fill(0), ...plain]) {
    const c = (p ^ (r >> 8)) & 0xff;
    r = ((c + r) * 52845 + 22719) & 0xffff;
    out.push(c);
  }
  return out;
}

function box(width: number, height: number): number[] {
  const w = width - 80;
  return [...num(0), ...num(width), HSBW, ...num(40), ...num(0), RMOVETO, ...num(w), ...num(0), RLINETO,
    ...num(0), ...num(height), RLINETO, ...num(-w), ...num(0), RLINETO, CLOSEPATH, ENDCHAR];
}

/** Standard Encoding codes (spec appendix) of the base letters and accents used by `seac`. */
const STANDARD_CODE: Record<string, number> = { a: 97, e: 101, i: 105, o: 111, u: 117, acute: 194, dieresis: 200 };
const ACCENTED: Record<string, [string, string]> = {
  aacute: ['a', 'acute'], eacute: ['e', 'acute'], idieresis: ['i', 'dieresis'], odieresis: ['o', 'dieresis'], udieresis: ['u', 'dieresis'],
};

/** Glyph widths in font units, one per glyph name. */
export function type1GlyphWidth(name: string): number {
  if (name === 'space') return 250;
  const base = ACCENTED[name]?.[0] ?? name;
  return 300 + (base.charCodeAt(0) % 13) * 40;
}

/**
 * A Type 1 font with glyphs for ASCII letters, digits, space, two accents and the accented
 * letters above. `encoding` maps codes to glyph names for the font's built-in encoding
 * (StandardEncoding when absent).
 */
export function type1Font(fontName: string, encoding?: Record<number, string>): { program: Uint8Array; length1: number; length2: number } {
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  const glyphs = new Map<string, number[]>([['.notdef', [...num(0), ...num(500), HSBW, ENDCHAR]], ['space', [...num(0), ...num(250), HSBW, ENDCHAR]]]);
  for (const name of [...letters, ...digits]) glyphs.set(name, box(type1GlyphWidth(name), /[a-z]/.test(name) ? 480 : 680));
  glyphs.set('acute', box(300, 120));
  glyphs.set('dieresis', box(300, 100));
  for (const [name, [base, accent]] of Object.entries(ACCENTED)) {
    // asb adx ady bchar achar seac, after the composite's own hsbw.
    glyphs.set(name, [...num(0), ...num(type1GlyphWidth(name)), HSBW, ...num(40), ...num(60), ...num(520), ...num(STANDARD_CODE[base]), ...num(STANDARD_CODE[accent]), ...SEAC]);
  }

  const encodingDef = encoding
    ? `/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n${Object.entries(encoding).map(([code, name]) => `dup ${code} /${name} put`).join('\n')}\nreadonly def\n`
    : '/Encoding StandardEncoding def\n';
  const clear = `%!PS-AdobeFont-1.0: ${fontName} 001.000
12 dict begin
/FontInfo 2 dict dup begin /FullName (${fontName}) readonly def /Weight (Medium) readonly def end readonly def
/FontName /${fontName} def
${encodingDef}/PaintType 0 def
/FontType 1 def
/FontMatrix [0.001 0 0 0.001 0 0] readonly def
/FontBBox {0 -200 1000 900} readonly def
currentdict end
currentfile eexec
`;
  const bytes = (s: string) => [...Buffer.from(s, 'latin1')];
  const priv: number[] = bytes(`dup /Private 8 dict dup begin
/RD {string currentfile exch readstring pop} executeonly def
/ND {noaccess def} executeonly def
/NP {noaccess put} executeonly def
/MinFeature {16 16} def
/password 5839 def
/lenIV 4 def
/Subrs 0 array
ND
2 index /CharStrings ${glyphs.size} dict dup begin
`);
  for (const [name, charstring] of glyphs) {
    const enc = encrypt(charstring, 4330);
    priv.push(...bytes(`/${name} ${enc.length} RD `), ...enc, ...bytes(' ND\n'));
  }
  priv.push(...bytes('end\nend\nreadonly put\nnoaccess put\ndup /FontName get exch definefont pop\nmark currentfile closefile\n'));
  const clearBytes = Buffer.from(clear, 'latin1');
  const encrypted = encrypt(priv, 55665);
  const program = new Uint8Array(clearBytes.length + encrypted.length);
  program.set(clearBytes);
  program.set(encrypted, clearBytes.length);
  return { program, length1: clearBytes.length, length2: encrypted.length };
}
