/**
 * Words and how much two labels mean the same thing. Field names ("invoice_number"),
 * descriptions and document labels ("Invoice No.:") all go through `words()` so they meet
 * on common ground: lower case, split camelCase/snake_case, common abbreviations expanded,
 * plural "s" dropped.
 */

const ABBREVIATIONS: Record<string, string[]> = {
  no: ['number'], nr: ['number'], num: ['number'], '#': ['number'], amt: ['amount'],
  qty: ['quantity'], dt: ['date'], inv: ['invoice'], desc: ['description'], tel: ['telephone'],
  ph: ['phone'], acct: ['account'], acc: ['account'], addr: ['address'], ref: ['reference'],
  vat: ['tax'], gst: ['tax'], sst: ['tax'], incl: ['including'], excl: ['excluding'],
  dob: ['birth', 'date'], po: ['purchase', 'order'], sku: ['item', 'code'], pct: ['percent'],
  '%': ['percent'], co: ['company'], corp: ['corporation'], ltd: ['limited'], st: ['street'],
  rd: ['road'], reg: ['registration'], regn: ['registration'], ave: ['avenue'], bal: ['balance'], stmt: ['statement'], yr: ['year'],
};

const STOPWORDS = new Set([
  'the', 'a', 'an', 'of', 'for', 'to', 'in', 'on', 'at', 'by', 'and', 'or', 'is', 'are', 'be',
  'this', 'that', 'it', 'its', 'as', 'with', 'from', 'which', 'what', 'who', 'where', 'when',
  'if', 'any', 'all', 'each', 'per', 'value', 'field', 'document', 'given', 'listed', 'shown',
  'stated', 'written', 'printed', 'e', 'g', 'eg', 'ie', 'etc', 'should', 'must', 'will', 'was',
]);

const cache = new Map<string, string[]>();

/** Split into normalised words; keeps `#` and `%` as words because labels use them. */
export function words(text: string): string[] {
  // Labels are matched against every field and synonym: remember recent answers.
  let hit = cache.get(text);
  if (!hit) {
    if (cache.size > 20_000) cache.clear();
    hit = splitWords(text);
    cache.set(text, hit);
  }
  return hit;
}

function splitWords(text: string): string[] {
  const spaced = text
    .normalize('NFKC')
    // "InvoiceNumber" is two words; "CasH" (OCR's mixed case) is one.
    .replace(/([a-z])([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-./\\:;,()[\]{}"'`]+/g, ' ')
    .replace(/([#%])/g, ' $1 ')
    .toLowerCase();
  const out: string[] = [];
  for (const raw of spaced.split(/\s+/)) {
    if (!raw) continue;
    const expanded = ABBREVIATIONS[raw] ?? [raw];
    for (const w of expanded) out.push(stem(w));
  }
  return out;
}

/** Content words only (for descriptions and criteria). */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOPWORDS.has(w) && w.length > 1 && !/^\d+$/.test(w));
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

/** Edit distance, bounded use only (short words). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** 0–1 similarity of two strings by edit distance. */
export function stringSimilarity(a: string, b: string): number {
  const x = a.toLowerCase().trim();
  const y = b.toLowerCase().trim();
  if (!x && !y) return 1;
  return 1 - editDistance(x, y) / Math.max(x.length, y.length);
}

/** Words equal, or nearly equal for longer words (OCR slips such as "T0TAL", "CA5H"). */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const x = unconfuse(a);
  const y = unconfuse(b);
  if (x === y) return true;
  if (x.length >= 5 && y.length >= 5) return editDistance(x, y) <= 1;
  return false;
}

/** OCR reads letters as look-alike digits inside words: 0→o, 1→l, 5→s, 8→b (only in words that also have letters). */
function unconfuse(w: string): string {
  if (!/[a-z]/.test(w) || !/\d/.test(w)) return w;
  return w.replace(/0/g, 'o').replace(/1/g, 'l').replace(/5/g, 's').replace(/8/g, 'b');
}

/**
 * How well a label (from the document) names a phrase (from the schema): Dice overlap of
 * their words, with near-equal words counting. 1 means the same words.
 */
export function phraseMatch(phrase: string[], label: string[]): number {
  if (phrase.length === 0 || label.length === 0) return 0;
  let hits = 0;
  const used = new Set<number>();
  for (const p of phrase) {
    const i = label.findIndex((l, k) => !used.has(k) && sameWord(p, l));
    if (i >= 0) { used.add(i); hits++; }
  }
  return (2 * hits) / (phrase.length + label.length);
}
