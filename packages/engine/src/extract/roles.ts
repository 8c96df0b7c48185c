import type { LeafAnswer } from './answer.ts';
import { rightOf, union, type DocumentIndex, type Line } from './evidence.ts';
import type { FieldTerms } from './field.ts';
import { findDateText } from './coerce.ts';

/**
 * Values that documents rarely label but place predictably: the issuer's name heads the
 * letterhead, its address follows. Used only when no labelled value was found, with a low
 * confidence, and only for fields that ask for exactly these.
 */

const ORGANISATION_WORDS = new Set(['company', 'vendor', 'merchant', 'seller', 'supplier', 'store', 'shop', 'business', 'issuer', 'organization', 'organisation', 'restaurant', 'brand', 'retailer']);
const ADDRESS_WORDS = new Set(['address', 'location']);

export function isOrganisationField(terms: FieldTerms): boolean {
  // A nested `vendor.name` is asked for as "vendor name".
  const own = terms.phrases[0]?.length === 1 && terms.phrases[0][0] === 'name' ? terms.phrases.find((p) => p.length > 1 && p.includes('name')) ?? [] : terms.phrases[0] ?? [];
  return own.some((w) => ORGANISATION_WORDS.has(w)) && !own.some((w) => ADDRESS_WORDS.has(w) || w === 'number' || w === 'phone');
}

export function isAddressField(terms: FieldTerms): boolean {
  return (terms.phrases[0] ?? []).some((w) => ADDRESS_WORDS.has(w));
}

/** Lines that are labels, contact details, registration numbers or dates: not a name, not an address. */
const STOP = /\b(tel|telephone|phone|fax|h\/?p|mobile|e-?mail|website|www\.|http|gst|sst|vat|reg(istration)?\b|co\.? ?no|c[o0][mn]pany\s*(no|reg)|roc|invoice|receipt|bill|cashier|date|time|table|order|tax|counter|terminal)\b|\S@\S|^\(?[\d-]{4,}-?[a-z]?\)?$|\b\d{1,2}:\d{2}\b/i;
const PHONE = /^[\s(+]*\d{2,4}[)\s-]*\d{3,4}[\s-]?\d{3,4}\s*$/;
/** Words that mark a business name. */
const BUSINESS = /\b(sdn\.?\s*b[hn]d|bhd|berhad|ltd|limited|llc|l\.?l\.?c|inc|plc|gmbh|corp(oration)?|company|co\.|enterprise|trading|restaurant|restoran|cafe|bakery|store|stores|mart|market|supermarket|hardware|pharmacy|stationery|electrical|group|industries|holdings|s\/?b)\b/i;
const LEGAL_SUFFIX = /^\(?[A-Z0-9\s.&()-]*\b(sdn\.?\s*bhd|bhd|berhad|ltd|limited|llc|inc|plc|gmbh|s\/?b)\b\.?\)?$/i;
const GLUED_LEGAL = /\p{L}(sdn\.?\s*bhd|bhd|berhad|s\/?b|ltd)\s*[({[]\s*\d[\d-]{3,}-?[a-z]?\s*[)}\]]/iu;
/** A legal-entity suffix ends the line: the name's last line. */
const LEGAL_NAME = /\b(sdn\.?\s*b[hn]d|bhd|berhad|ltd|limited|llc|l\.?l\.?c|inc|plc|gmbh|corp(oration)?|s\/?b)\b\.?\s*(\(.*\))?$/i;
const TITLE_ONLY = /^(tax\s+)?(invoice|receipt|bill|statement|quotation|order|cash\s*sale|official receipt|simplified tax invoice)$/i;

function letters(s: string): number {
  return (s.match(/[a-z]/gi) ?? []).length;
}

/** Text that can be a name: mostly letters, not a label word or an identifier. */
export function isNameText(text: string): boolean {
  const t = text.trim();
  if (letters(t) < 4 || /\b(no|nr|number|reg|id)\.?\s*$/i.test(t) || /^(date|time|total|amount|cash|change)$/i.test(t)) return false;
  return letters(t) / t.replace(/\s/g, '').length > 0.5;
}

function isNameLike(line: Line): boolean {
  const t = line.text.trim();
  // Mostly letters once a registration number is set aside ("NEWS KIOSK LTD (123456-X)").
  const name = cleanName(t);
  return letters(name) >= 3 && letters(name) / name.replace(/\s/g, '').length > 0.6 && !STOP.test(t) && !TITLE_ONLY.test(t) && !findDateText(t);
}

/**
 * The letterhead line among the first lines of the first page: a business-name word
 * ("SDN BHD", "Trading", "Ltd") wins, then printed capitals, then a title; an all-lowercase
 * line (a signature, a handwritten note) is the last resort.
 */
function nameLineIndex(lines: Line[]): number {
  let best = -1;
  let bestScore = -Infinity;
  // Rank by printed row: a row OCR cut into words ("Shell" | "ISNI PETRO" | "TRADING") counts once.
  let row = -1;
  lines.forEach((l, i) => {
    // Specks ("|" at the torn edge) are no row.
    if (!/[\p{L}\d]/u.test(l.text)) return;
    if (row < 0 || !rightOf(lines, lines[i - 1]).includes(l)) row++;
    if (row >= 12 || !isNameLike(l)) return;
    const t = mendLegalSuffix(l.text.trim());
    let score = -0.3 * row;
    if (BUSINESS.test(t)) score += 3;
    // A legal-entity suffix (Sdn Bhd, Ltd, GmbH, Inc) names the company that issues the document.
    if (LEGAL_NAME.test(t)) score += 2;
    // OCR may drop a condensed line's spaces ("MYSHOPRETAILSB(123456-X)"): a legal suffix
    // glued to the name still counts when a registration number follows it.
    else if (GLUED_LEGAL.test(t)) score += 5;
    if (t === t.toUpperCase()) score += 1;
    if (l.block.type === 'Title') score += 0.5;
    if (t === t.toLowerCase()) score -= 2;
    // A street line ("JALAN PJU 1A/7A, OASIS") is the address, whatever its type (a name's
    // registration number, "(88842-H)", is no house number).
    const core = cleanName(t);
    if (ADDRESS_CUE.test(core) && /\d/.test(core)) score -= 2;
    // A line ending in a comma goes on: an address part ("GROUND FLOOR,"), not a name.
    if (/,$/.test(t)) score -= 1.5;
    // The issuer's name heads its address; a line above it (a customer's or cashier's name,
    // a slogan) does not.
    if (headsAddress(lines, i)) score += 1.5;
    if (score > bestScore) { bestScore = score; best = i; }
  });
  return best;
}

/** Is the line followed by an address line (after at most a registration number)? */
function headsAddress(lines: Line[], i: number): boolean {
  for (const next of lines.slice(i + 1, i + 3)) {
    const t = next.text.trim();
    if (ADDRESS_CUE.test(t) && /\d/.test(t) && !STOP.test(t)) return true;
    if (!REGISTRATION.test(t)) return false;
  }
  return false;
}

/** "(88842-H)", "789417-W", "(CO.REG : 933109-X)", "(JM0517726)": a registration number line. */
const REGISTRATION = /^\(?\s*((co\.?\s*)?(reg(n|istration)?|no)\.?\s*[:.]?\s*)?[a-z]{0,3}\d[\d-]{3,}-?[a-z]?\s*\)?$/i;

/**
 * "KHIAM AIK CHAN SDN BHD (88842-H)" → without the registration number, and without what
 * follows one ("MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB": a former name). A bare
 * short number is part of the name ("TRIPLE SIX POINT ENTERPRISE 666").
 */
function cleanName(s: string): string {
  const t = mendLegalSuffix(s.trim());
  const cut = /\s*[({[]\s*((co\.?\s*)?(reg(n|istration)?|no)\.?\s*[:.]?\s*)?\d[\d-]{3,}-?[a-z]?\s*[)}\]].*$|\s+((co\.?\s*)?(reg\.?|no\.?)\s*)?\d{4,}-[a-z]\s*$|\s+(fka|f\.k\.a\.?|formerly(\s+known\s+as)?)\s.*$/i;
  // "UNIHAKKA INTERNATIONAL SDN BHD  A": a speck read after the legal suffix is not the name.
  const name = t.replace(cut, '').trim() || t;
  return name.replace(/(\b(sdn\.?\s*bhd|bhd|berhad|ltd|limited|llc|inc|plc|gmbh|s\/?b)\.?)\s+[^\s()]{1,2}$/i, '$1');
}

/**
 * "SDN 8HD", "SON BHD", "SDN BND": OCR slips in Malaysia's legal suffix, which has no
 * variants, are read as "SDN BHD" (letter case kept); "$B", "$/B" (an S read as the dollar
 * sign it resembles) is "SB", "S/B".
 */
export function mendLegalSuffix(name: string): string {
  const as = (c: string, to: string): string => (/[a-z]/.test(c) ? to.toLowerCase() : to);
  return name.replace(/(^|\s)\$(\/?[Bb])(?![\p{L}\d])/gu, '$1S$2').replace(/\b([S5])([DO0])(N)(\.?\s*)([B8])([HN])([DN])\b/gi,
    (_, s: string, d: string, n: string, sep: string, b: string, h: string, e: string) => `${as(s, 'S')}${as(d, 'D')}${as(n, 'N')}${sep}${as(b, 'B')}${as(h, 'H')}${as(e, 'D')}`);
}

/**
 * OCR splits a widely spaced line into pieces: a bare legal suffix on the name's row
 * ("ST+TIONERY" | "SDN. BHD") joins it, and so do name-like pieces set in the same type
 * ("Shell" | "ISNI PETRO" | "TRADING").
 */
function withRowPieces(lines: Line[], line: Line): Line[] {
  const cy = line.box.top + line.box.height / 2;
  const row = lines.filter((l) => Math.abs(l.box.top + l.box.height / 2 - cy) < 0.5 * Math.min(l.box.height, line.box.height)).sort((a, b) => a.box.left - b.box.left);
  const k = row.indexOf(line);
  const bare = (l: Line | undefined): boolean => Boolean(l && LEGAL_SUFFIX.test(l.text.trim()) && letters(l.text) < 12);
  if (bare(line) && row[k - 1] && isNameLike(row[k - 1]) && !bare(row[k - 1])) return [row[k - 1], line];
  const piece = (l: Line | undefined): boolean => Boolean(l && isNameLike(l) && !REGISTRATION.test(l.text.trim()) && !bare(l)
    && Math.abs(l.box.height - line.box.height) < 0.35 * line.box.height);
  let a = k;
  while (a > 0 && piece(row[a - 1])) a--;
  let b = k;
  while (b + 1 < row.length && piece(row[b + 1])) b++;
  if (!bare(row[b]) && bare(row[b + 1])) b++;
  return row.slice(a, b + 1);
}

/** Logos stack short words ("THE" / "ROTI" / "MAN" / "BAKERY"): one-word lines set tightly together. */
function stackedWords(lines: Line[], i: number): Line[] {
  const oneWord = (l: Line | undefined): boolean => Boolean(l && isNameLike(l) && !/\s/.test(l.text.trim()) && !REGISTRATION.test(l.text.trim()));
  if (!oneWord(lines[i])) return [lines[i]];
  const tight = (a: Line, b: Line): boolean => b.box.top - (a.box.top + a.box.height) < 0.5 * Math.min(a.box.height, b.box.height);
  let start = i;
  while (start > 0 && oneWord(lines[start - 1]) && tight(lines[start - 1], lines[start])) start--;
  let end = i;
  while (end + 1 < lines.length && oneWord(lines[end + 1]) && tight(lines[end], lines[end + 1])) end++;
  return lines.slice(start, end + 1);
}

/**
 * The letterhead's lines as printed, top to bottom and left to right on a row. Layout may
 * list a block out of place ("55100 KUALA LUMPUR" after the "GST No." printed under it),
 * and the name and address are told apart by what follows what on paper.
 */
export function printedOrder(lines: Line[]): Line[] {
  const mid = (l: Line): number => l.box.top + l.box.height / 2;
  const sorted = [...lines].sort((a, b) => mid(a) - mid(b));
  const rows: Line[][] = [];
  for (const line of sorted) {
    const row = rows[rows.length - 1];
    // Same row: the centre lies within the first piece's half height.
    if (row && Math.abs(mid(line) - mid(row[0])) < 0.5 * Math.min(line.box.height, row[0].box.height)) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box.left - b.box.left));
}

export function organisationFallback(index: DocumentIndex): LeafAnswer | undefined {
  const lines = printedOrder(index.pageLines(index.lines[0]?.box.page ?? 1));
  let i = nameLineIndex(lines);
  if (i < 0) return undefined;
  const taken = stackedWords(lines, i);
  const stacked = taken.length > 1;
  if (!stacked) taken.splice(0, 1, ...withRowPieces(lines, lines[i]));
  i = lines.indexOf(taken[taken.length - 1]);
  // "WESTERN EASTERN" / "STATIONERY SDN BHD": a capitalised line right above the legal name is its start
  // when the legal name alone is too short to be the whole name ("ST+TIONERY SDN. BHD"), or
  // when it is short and both are set in the same type, tightly.
  const prev = lines[lines.indexOf(taken[0]) - 1];
  const gap = prev ? taken[0].box.top - (prev.box.top + prev.box.height) : 1;
  const core = taken.map((l) => mendLegalSuffix(l.text)).join(' ').replace(new RegExp(BUSINESS.source, 'gi'), ' ').replace(/[().,]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const sameType = prev && Math.abs(prev.box.height - lines[i].box.height) < 0.2 * lines[i].box.height && gap < 0.3 * lines[i].box.height;
  if (!stacked && prev && (core.length <= 1 ? gap < lines[i].box.height : core.length <= 2 && sameType && LEGAL_NAME.test(lines[i].text))
    && !BUSINESS.test(prev.text) && isNameLike(prev) && prev.text === prev.text.toUpperCase()) taken.unshift(prev);
  // "ACME TRADING" / "SDN BHD" split over two lines belongs together.
  const next = lines[i + 1];
  if (next && ((LEGAL_SUFFIX.test(next.text.trim()) && letters(next.text) < 25) || /[&-]$/.test(lines[i].text.trim()))) taken.push(next);
  const value = cleanName(taken.map((l) => l.text.trim()).join(' '));
  return { kind: 'leaf', value, sources: taken.map((l) => ({ block: l.block, box: l.box, content: l.text })), confidence: 0.4 };
}

const ADDRESS_CUE = /\b(\d{5}|lot|no\.?|jalan|jln|jl|street|st\.?|road|rd\.?|avenue|ave|blvd|boulevard|lane|drive|suite|floor|block|blk|taman|tmn|box|building|plaza|kampung|kg|bandar|selangor|johor|kuala lumpur|penang|perak|melaka|sabah|sarawak|kedah|pahang|negeri|city|state|seksyen|persiaran|lorong)\b/i;

/**
 * OCR reads the leading digit of a five-digit postcode as a look-alike symbol ("£1100 JOHOR",
 * "TAMPOI,&1200" for 8, "§3300" for 5); no address writes these glued to four digits, so it
 * is the digit. A dollar sign may be one ("UNIT $1200"), except where the postcode starts
 * the line before the town ("$3300 KL": an S-shaped 5).
 */
export function mendPostcode(line: string): string {
  return line.replace(/(^|[\s,])([&£§])(\d{4})(?!\d)/g, (_, before: string, symbol: string, digits: string) => `${before}${symbol === '§' ? '5' : '8'}${digits}`)
    .replace(/^\$(\d{4})(?=\s+\p{L})/u, '5$1');
}

export function addressFallback(index: DocumentIndex): LeafAnswer | undefined {
  const lines = printedOrder(index.pageLines(index.lines[0]?.box.page ?? 1));
  const name = nameLineIndex(lines);
  let taken = addressAfter(lines, Math.max(0, name + 1), lines.length);
  // Some letterheads print the shop's address under its logo and the company's name lower
  // down, over its registration number: nothing after the name, so the address above it.
  if (!taken.length && name > 0) taken = withBuildingName(lines, addressAfter(lines, 0, name));
  if (!taken.length) return undefined;
  const value = taken.map((l) => mendPostcode(l.text.trim())).join(' ').replace(/\s+/g, ' ');
  return { kind: 'leaf', value, sources: [{ block: taken[0].block, box: union(taken.map((l) => l.box)), content: value }], confidence: 0.4 };
}

/**
 * A building or estate named on its own line right above the street line ("OASIS VILLAGE" over
 * "LOUNGE 2, GROUND FLOOR") is the address's first line: a short run of capitals, set as close
 * as the address, that is no sentence ("TQ FOR SHOPPING WITH US") and no label or contact.
 */
function withBuildingName(lines: Line[], taken: Line[]): Line[] {
  const above = taken.length ? lines[lines.indexOf(taken[0]) - 1] : undefined;
  if (!above) return taken;
  const t = above.text.trim();
  const gap = taken[0].box.top - (above.box.top + above.box.height);
  const sentence = t.toLowerCase().split(/\s+/).some((w) => SENTENCE_WORDS.has(w));
  if (/^[A-Z][A-Z .'&-]+$/.test(t) && t.split(/\s+/).length <= 4 && !sentence && !STOP.test(t) && gap <= 1.5 * taken[0].box.height) return [above, ...taken];
  return taken;
}

const SENTENCE_WORDS = new Set(['for', 'with', 'you', 'your', 'we', 'our', 'us', 'thank', 'thanks', 'welcome', 'to', 'the', 'and', 'please', 'of']);

/** The address lines from `start`: begun by a street or postcode line, within 12 printed rows, before `end`. */
function addressAfter(lines: Line[], start: number, end: number): Line[] {
  const taken: Line[] = [];
  // The address is within the next 12 printed rows (a row cut into words counts once).
  for (let i = start, row = 0; i < end && row < 12; i++) {
    if (i === start || !rightOf(lines, lines[i - 1]).includes(lines[i])) row++;
    // Specks OCR reads as punctuation ("’", "|") neither continue nor end the address.
    if (taken.includes(lines[i]) || !/[\p{L}\d]/u.test(lines[i].text)) continue;
    // The rest of a taken line's row was judged with it.
    if (taken.some((l) => rightOf(lines, l).includes(lines[i]))) continue;
    // OCR may cut a widely spaced line into words ("42-46," | "JLN" | "SULTAN"): judge the whole row.
    const t = [lines[i], ...rightOf(lines, lines[i])].map((l) => mendPostcode(l.text.trim())).join(' ');
    // A "LABEL : value" line (document numbers, cashier) ends the address.
    const stop = STOP.test(t) || PHONE.test(t) || Boolean(findDateText(t)) || /\s[:：]\s|[:：]\s*$/.test(t);
    const cue = ADDRESS_CUE.test(t) && /\d/.test(t) || (taken.length > 0 && ADDRESS_CUE.test(t));
    // Capitals without a cue continue it: a town, or the outlet in parentheses ("(TESCO PUTRA NILAI)"),
    // when set as close as the address lines are (white space of more than a line and a half of
    // the address's type ends it).
    const last = taken[taken.length - 1];
    const apart = last !== undefined && lines[i].box.top - (last.box.top + last.box.height) > 1.5 * last.box.height;
    if (stop || (!cue && taken.length > 0 && (apart || (!/^[A-Z ,.'&-]+$/.test(t) && !/^\([A-Z ,.'&-]+\)$/.test(t))))) {
      if (taken.length) break;
      continue;
    }
    if (!cue && taken.length === 0) continue;
    taken.push(lines[i]);
    // Text printed on the same row, right of the address ("53300 KL    SITE 1066"), belongs to it.
    const line = lines[i];
    for (const other of lines) {
      if (taken.includes(other) || other.box.left <= line.box.left + line.box.width - 0.01) continue;
      const cy = other.box.top + other.box.height / 2;
      // A bare number far right ("32") is a margin mark, not part of the address.
      if (cy > line.box.top && cy < line.box.top + line.box.height && !STOP.test(other.text) && !PHONE.test(other.text.trim())
        && /[a-z]{2}/i.test(other.text)) taken.push(other);
    }
  }
  return taken;
}
