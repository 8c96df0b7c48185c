import { stringSimilarity } from './terms.ts';

/** The parts of a JSON Schema leaf that decide how text becomes a value. */
export interface LeafSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
}

/** What the document says about how to read its values. */
export interface ReadingContext {
  /** Numeric dates are written day first ("09/01/2019" is 9 January), as the document implies. */
  dayFirst?: boolean;
}

/** Text → typed value, or `undefined` when the text cannot be that type (never a guess). */
export function coerce(text: string, schema: LeafSchema, context: ReadingContext = {}): unknown {
  const raw = text.replace(/\s+/g, ' ').trim();
  if (!raw) return undefined;
  if (schema.enum) return coerceEnum(raw, schema.enum);
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type ?? 'string'];
  for (const t of types) {
    const v = coerceTo(raw, t, schema, context);
    if (v !== undefined) return v;
  }
  return undefined;
}

function coerceTo(raw: string, type: string, schema: LeafSchema, context: ReadingContext): unknown {
  switch (type) {
    case 'number': return parseNumber(raw);
    case 'integer': {
      const n = parseNumber(raw);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    case 'boolean': return parseBoolean(raw);
    case 'string': return coerceString(raw, schema, context);
    default: return undefined;
  }
}

function coerceString(raw: string, schema: LeafSchema, context: ReadingContext): string | undefined {
  switch (schema.format) {
    case 'date': return parseDate(raw, context.dayFirst);
    case 'date-time': {
      const d = parseDate(raw, context.dayFirst);
      if (!d) return undefined;
      const t = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/i.exec(raw);
      if (!t) return `${d}T00:00:00Z`;
      let h = Number(t[1]);
      if (t[4] && /p/i.test(t[4]) && h < 12) h += 12;
      if (t[4] && /a/i.test(t[4]) && h === 12) h = 0;
      return `${d}T${pad(h)}:${t[2]}:${t[3] ?? '00'}Z`;
    }
    case 'email': return /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(raw)?.[0];
    case 'uri': return /https?:\/\/\S+/.exec(raw)?.[0];
    default:
      if (schema.pattern) {
        try {
          const re = new RegExp(schema.pattern.replace(/^\^|\$$/g, ''));
          const m = re.exec(raw) ?? re.exec(mendAmounts(raw));
          // "O9/01/2019" matches as "9/01/2019": the mended reading wins when it covers more.
          const mended = re.exec(mendDateDigits(raw)) ?? re.exec(mendDateSpacing(raw));
          const wider = mended && (!m || (mended.index <= m.index && mended.index + mended[0].length >= m.index + m[0].length && mended[0].length > m[0].length));
          return (wider ? mended : m)?.[0];
        } catch {
          return raw;
        }
      }
      return raw;
  }
}

/**
 * OCR splits an amount at its decimal point ("RM20. 40", "170. 00", "31 .00"): a point with
 * one space on either side and exactly two digits ending the number are one amount. Only a
 * point: "3, 45" may be a list.
 */
export function mendAmounts(text: string): string {
  return mendAmountDigits(text).replace(/(\d)(?:\. | \.)(\d{2})(?![\d.,])/g, '$1.$2');
}

/**
 * OCR reads digits as look-alike letters in an amount ("RMS.OO" for RM5.00, "RMO. 28",
 * "RM1O.5O"): right after a currency, a figure with its two decimals whose characters are
 * all digits or look-alikes (O o → 0, S → 5, I l | → 1) is read as digits.
 */
function mendAmountDigits(text: string): string {
  return text.replace(/(?<![\p{L}\d])(RM|MYR|SGD|S\$|US\$|[$€£¥₹])(\s?)([\dOoSIl|]{1,6})([.,])(\s?)([\dOo]{2})(?![\p{L}\d])/gu,
    (_, cur: string, sp: string, whole: string, point: string, sp2: string, dec: string) =>
      `${cur}${sp}${whole.replace(/[Oo]/g, '0').replace(/S/g, '5').replace(/[Il|]/g, '1')}${point}${sp2}${dec.replace(/[Oo]/g, '0')}`);
}

/**
 * OCR reads digits as look-alike letters ("O9/01/2019", "25/l2/2018", "2S-03-18"): inside a
 * token shaped like a numeric date (three groups, at least three real digits) they are digits.
 */
export function mendDateDigits(text: string): string {
  return text.replace(/(?<![\p{L}\d])[\dOoIl|S]{1,4}(?:[-/.][\dOoIl|S]{1,4}){2}(?![\p{L}\d])/gu, (t) =>
    (t.match(/\d/g) ?? []).length >= 3 ? t.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1').replace(/S/g, '5') : t);
}

/**
 * OCR drops the space between a month name and its neighbours ("14 Mar2018", "14Mar 2018",
 * "Mar14, 2018"): a month name glued to digits is set apart from them.
 */
export function mendDateSpacing(text: string): string {
  const month = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?';
  return text
    .replace(new RegExp(`(?<![\\p{L}\\d])(\\d{1,2})(${month})(?=[\\s,-]*\\d{2,4}(?![\\p{L}\\d]))`, 'giu'), '$1 $2')
    .replace(new RegExp(`(?<![\\p{L}\\d])(\\d{1,2}\\s+${month})(\\d{2,4})(?![\\p{L}\\d])`, 'giu'), '$1 $2')
    .replace(new RegExp(`(?<![\\p{L}\\d])(${month})(\\d{1,2},?\\s+\\d{4})(?![\\p{L}\\d])`, 'giu'), '$1 $2');
}

/**
 * "$1,575.00" → 1575, "1.575,00 €" → 1575, "(12.50)" → -12.5, "RM 86.00" → 86, "12%" → 12.
 * A decimal comma is recognised when the last separator is a comma followed by 1–2 digits.
 */
export function parseNumber(text: string): number | undefined {
  const raw = mendAmounts(text);
  // Reject text that is mostly not a number (an address with a house number, a sentence).
  const letters = raw.replace(/\b(usd|eur|gbp|rm|myr|sgd|inr|rs|total|amount|only|cr|dr|pcs|units?|ea|each|hrs|hours?|kg|lbs?|qty)\b/gi, '').replace(/[^a-z]/gi, '');
  if (letters.length > 3) return undefined;
  const m = /(\(\s*)?(-\s*)?[$€£¥₹]?\s*(\d(?:[\d.,']*\d)?)/.exec(raw);
  if (!m) return undefined;
  // "INV-001", "A12": a code, not an amount (currency letters such as "RM86.00" are fine).
  const before = raw.slice(0, m.index + (m[1]?.length ?? 0));
  // An amount with cents after a short unknown prefix is still an amount: OCR reads "RM" as "RH".
  const cents = /^\d[\d,]*[.,]\d{2}$/.test(m[3]) && /(^|\s)[a-z]{1,3}\s*$/i.test(before);
  if (/[a-z]\s*$/i.test(before) && !/\b(usd|eur|gbp|rm|myr|sgd|inr|rs)\s*$/i.test(before) && !cents) return undefined;
  const negative = Boolean(m[2]) || (Boolean(m[1]) && /^\s*\)/.test(raw.slice(m.index + m[0].length)));
  let s = m[3].replace(/'/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma > lastDot && /,\d{1,2}$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  if ((s.match(/\./g) ?? []).length > 1) s = s.replace(/\.(?=.*\.)/g, '');
  const n = Number(s);
  if (!Number.isFinite(n)) return undefined;
  return negative ? -n : n;
}

export function parseBoolean(raw: string): boolean | undefined {
  const s = raw.toLowerCase().replace(/[.!]/g, '').trim();
  if (/^(yes|y|true|x|✓|✔|☑|☒|■|checked|selected|on|1|approved|paid)$/.test(s)) return true;
  if (/^(no|n|false|☐|□|unchecked|off|0|none|not paid|unpaid)$/.test(s)) return false;
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function monthOf(name: string): number | undefined {
  return MONTHS[name.slice(0, 4)] ?? MONTHS[name.slice(0, 3)];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function year4(y: number): number {
  return y < 100 ? (y < 70 ? 2000 + y : 1900 + y) : y;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${year4(y)}-${pad(m)}-${pad(d)}`;
}

/**
 * A date anywhere in the text → "YYYY-MM-DD". A part above 12 decides which is the day; else
 * numeric dates are read day first when the document implies it (`dayFirst`), month first
 * otherwise.
 */
export function parseDate(raw: string, dayFirst = false): string | undefined {
  const t = raw.toLowerCase();
  let m = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = /\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b/.exec(t);
  if (m) {
    const a = +m[1], b = +m[2];
    if (a > 12 || b > 12) return a > 12 ? iso(+m[3], b, a) : iso(+m[3], a, b);
    return dayFirst ? iso(+m[3], b, a) : iso(+m[3], a, b);
  }
  m = /\b(\d{1,2})(?:st|nd|rd|th)?[\s-]*([a-z]{3,9})\.?[\s,-]*(\d{2,4})\b/.exec(t);
  if (m && monthOf(m[2])) return iso(+m[3], monthOf(m[2])!, +m[1]);
  m = /\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(t);
  if (m && monthOf(m[1])) return iso(+m[3], monthOf(m[1])!, +m[2]);
  return undefined;
}

/** Does the text contain something date-shaped? (for finding unlabelled dates) */
export function findDateText(text: string): string | undefined {
  return dateIn(text) ?? dateIn(mendDateDigits(text));
}

function dateIn(raw: string): string | undefined {
  const m = /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b|\b\d{1,2}(?:st|nd|rd|th)?[\s-]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s,-]*\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/i.exec(raw);
  return m && parseDate(m[0]) ? m[0] : undefined;
}

/**
 * Does the document write numeric dates day first? Its own unambiguous dates decide
 * ("25/12/2018" is day first, "12/25/2018" month first); without one, where it is from:
 * most of the world writes the day first (ringgit, pounds, euros, rupees, "Sdn Bhd", GST/VAT
 * numbers), the United States the month (dollars with a state and ZIP code). Undefined when
 * nothing tells.
 */
export function writesDayFirst(texts: string[]): boolean | undefined {
  let day = 0;
  let month = 0;
  for (const text of texts) {
    for (const m of mendDateDigits(text).matchAll(/(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?![\d/.-])/g)) {
      const a = +m[1], b = +m[2];
      if (a > 12 && a <= 31 && b >= 1 && b <= 12) day++;
      else if (b > 12 && b <= 31 && a >= 1 && a <= 12) month++;
    }
  }
  if (day !== month) return day > month;
  const all = texts.join('\n');
  const dayCues = /\b(rm|myr|sgd|gbp|eur|inr|rs|aud|nzd|sdn\.?\s*bhd|berhad|gst\s*(reg|no|id)|vat\s*(reg|no)|gmbh|ltd)\b|[£€₹]/i.test(all);
  const monthCues = /\busd\b|\b(AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\s+\d{5}(-\d{4})?\b/.test(all);
  return dayCues === monthCues ? undefined : dayCues;
}

function coerceEnum(raw: string, values: unknown[]): unknown {
  let best: unknown;
  let bestScore = 0;
  const text = raw.toLowerCase();
  for (const v of values) {
    const s = String(v).toLowerCase();
    let score = stringSimilarity(s, text);
    if (s && (text === s || new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text))) score = Math.max(score, 0.9);
    if (score > bestScore) { bestScore = score; best = v; }
  }
  return bestScore >= 0.6 ? best : undefined;
}
