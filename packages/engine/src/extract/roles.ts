import type { LeafAnswer } from './answer.ts';
import { union, type DocumentIndex, type Line } from './evidence.ts';
import type { FieldTerms } from './field.ts';

/**
 * Values that documents rarely label but place predictably: the issuer's name heads the
 * letterhead, its address follows. Used only when no labelled value was found, with a low
 * confidence, and only for fields that ask for exactly these.
 */

const ORGANISATION_WORDS = new Set(['company', 'vendor', 'merchant', 'seller', 'supplier', 'store', 'shop', 'business', 'issuer', 'organization', 'organisation', 'restaurant', 'brand', 'retailer']);
const ADDRESS_WORDS = new Set(['address', 'location']);

export function isOrganisationField(terms: FieldTerms): boolean {
  const own = terms.phrases[0] ?? [];
  return own.some((w) => ORGANISATION_WORDS.has(w)) && !own.some((w) => ADDRESS_WORDS.has(w) || w === 'number' || w === 'phone');
}

export function isAddressField(terms: FieldTerms): boolean {
  return (terms.phrases[0] ?? []).some((w) => ADDRESS_WORDS.has(w));
}

/** Lines that are labels, contact details or registration numbers: not a name, not an address. */
const STOP = /\b(tel|telephone|phone|fax|h\/?p|mobile|e-?mail|website|www\.|http|gst|sst|vat|reg(istration)?\b|co\.? ?no|company no|roc|invoice|receipt|bill|cashier|date|time|table|order|tax)\b/i;
const LEGAL_SUFFIX = /^\(?[A-Z0-9\s.&()-]*\b(sdn\.?\s*bhd|bhd|berhad|ltd|limited|llc|inc|plc|gmbh|enterprise|trading|s\/?b|co)\b\.?\)?$/i;
const TITLE_ONLY = /^(tax\s+)?(invoice|receipt|bill|statement|quotation|order|cash\s*sale|official receipt|simplified tax invoice)$/i;

function letters(s: string): number {
  return (s.match(/[a-z]/gi) ?? []).length;
}

function isNameLike(line: Line): boolean {
  const t = line.text.trim();
  return letters(t) >= 3 && letters(t) / t.replace(/\s/g, '').length > 0.6 && !STOP.test(t) && !TITLE_ONLY.test(t);
}

function nameLineIndex(lines: Line[]): number {
  return lines.findIndex((l, i) => i < 8 && isNameLike(l));
}

export function organisationFallback(index: DocumentIndex): LeafAnswer | undefined {
  const lines = index.pageLines(index.lines[0]?.box.page ?? 1);
  const i = nameLineIndex(lines);
  if (i < 0) return undefined;
  const taken = [lines[i]];
  // "ACME TRADING" / "SDN BHD" split over two lines belongs together.
  const next = lines[i + 1];
  if (next && (LEGAL_SUFFIX.test(next.text.trim()) && letters(next.text) < 25 || /[&-]$/.test(lines[i].text.trim()))) taken.push(next);
  const value = taken.map((l) => l.text.trim()).join(' ');
  return { kind: 'leaf', value, sources: taken.map((l) => ({ block: l.block, box: l.box, content: l.text })), confidence: 0.4 };
}

const ADDRESS_CUE = /\b(\d{4,6}|lot|no\.?|jalan|jln|street|st\.?|road|rd\.?|avenue|ave|blvd|boulevard|lane|drive|suite|floor|block|blk|taman|tmn|box|building|plaza|kampung|kg|bandar|selangor|johor|kuala lumpur|penang|perak|melaka|sabah|sarawak|kedah|pahang|negeri|city|state)\b/i;

export function addressFallback(index: DocumentIndex): LeafAnswer | undefined {
  const lines = index.pageLines(index.lines[0]?.box.page ?? 1);
  const start = Math.max(0, nameLineIndex(lines) + 1);
  const taken: Line[] = [];
  for (let i = start; i < Math.min(lines.length, start + 12); i++) {
    const t = lines[i].text.trim();
    const cue = ADDRESS_CUE.test(t) && /\d/.test(t) || taken.length > 0 && ADDRESS_CUE.test(t);
    if (STOP.test(t) || !cue && taken.length > 0 && !/^[A-Z ,.'-]+$/.test(t)) {
      if (taken.length) break;
      continue;
    }
    if (cue || taken.length > 0) taken.push(lines[i]);
  }
  if (!taken.length) return undefined;
  const value = taken.map((l) => l.text.trim()).join(' ').replace(/\s+/g, ' ');
  return { kind: 'leaf', value, sources: [{ block: taken[0].block, box: union(taken.map((l) => l.box)), content: value }], confidence: 0.4 };
}
