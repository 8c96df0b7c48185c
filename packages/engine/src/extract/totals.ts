import { coerce, mendAmounts, parseNumber } from './coerce.ts';
import type { DocumentIndex, Line, Pair, Source } from './evidence.ts';
import type { FieldTerms } from './field.ts';
import { sameWord, words } from './terms.ts';

/**
 * The amount finally payable. Receipts and invoices print several "totals": a subtotal, a
 * total before rounding, a tax summary's column total after the payment lines. A field that
 * asks for the total wants the last figure the customer pays, so:
 *  - totals inside a tax summary ("GST SUMMARY", "VAT analysis") are its base, not payable;
 *  - a rounding adjustment after the total leads to the rounded figure when it is printed
 *    (checked by arithmetic: total + adjustment);
 *  - with no total line at all, the amount paid (cash, card) less the change is the total.
 */

/** Field names that ask for the payable total ("total", "amount_due", "grand_total"), not a part of it. */
export function isPayableTotal(terms: FieldTerms): boolean {
  const own = terms.phrases[0] ?? [];
  return own.some((w) => PAYABLE.has(w)) && !own.some((w) => PART.has(w));
}
const PAYABLE = new Set(['total', 'due', 'payable', 'paid']);
const PART = new Set(['sub', 'subtotal', 'tax', 'quantity', 'item', 'line', 'number', 'count', 'weight', 'date', 'discount', 'before', 'excluding', 'net']);

/** A heading or header row that starts a tax summary table. */
const TAX_SUMMARY = /\b(gst|vat|sst|tax)\s*(summary|analysis|breakdown|details)\b|\btax\s*code\b|\bvat\s*rate\b/i;

/** Order of the first tax-summary line per page: lines after it are the summary. */
export function taxSummaryStarts(index: DocumentIndex): Map<number, number> {
  const starts = new Map<number, number>();
  for (const line of index.lines) {
    if (!starts.has(line.box.page) && TAX_SUMMARY.test(line.text)) starts.set(line.box.page, line.order);
  }
  return starts;
}

export function inTaxSummary(starts: Map<number, number>, page: number, order: number): boolean {
  const start = starts.get(page);
  return start !== undefined && order > start;
}

const ROUNDING = /\b(round(ing|ed)?|rnd)\b/i;
/** "Rounded Total", "Round: :d Total" (OCR debris between the words), "Rounding off total". */
const ROUNDED_LABEL = /\bround(ed|ing)?\b[\s\p{P}]*(\p{L}{1,2}\b[\s\p{P}]*)?(off\s*)?total\b/iu;
const ROUNDED_TOTAL = /\b(round(ed)?\s*(off\s*)?total|total\s*\(?round(ed)?|nett?\s*total)\b/i;
/** Money amounts as printed: "RM 60.30", "-0.01", "$1,575.00", "(12.50)". */
const AMOUNT = /[-(]?\s*(?:[A-Z]{2,3}\s?|[$€£¥₹]\s?)?\d[\d,]*[.,]\d{2}\b\)?/g;

/** The amounts printed in a text, last first (receipts right-align the figure). */
function amountsIn(text: string): string[] {
  return [...mendAmounts(text).matchAll(AMOUNT)].map((m) => m[0].trim()).reverse();
}

function cents(n: number): number {
  return Math.round(n * 100);
}

export interface TotalReading {
  value: unknown;
  source: Source;
  order: number;
}

/**
 * After the chosen total, a rounding adjustment ("ROUNDING ADJ -0.01") and the rounded
 * amount ("60.30") printed within the next lines: that amount is what is paid.
 */
export function roundedTotal(index: DocumentIndex, total: TotalReading, amount: number, schema: Parameters<typeof coerce>[1]): TotalReading | undefined {
  const page = total.source.box.page;
  // A rounded total printed after the total names the final figure itself, whatever the
  // adjustment reads (OCR may garble either: "Total 91.00", "Round: :d Total (RM) 9.00").
  const named = index.pairs.find((p) => p.order > total.order && p.order <= total.order + 4 && p.source.box.page === page
    && ROUNDED_LABEL.test(p.label) && amountsIn(p.value).length === 1);
  if (named) {
    const text = amountsIn(named.value)[0];
    const value = coerce(text, schema);
    // Rounding moves a total by less than 0.10: two figures further apart mean OCR garbled
    // one, and the one the item lines above also print is the true figure.
    const n = parseNumber(text);
    const disagree = n !== undefined && Math.abs(cents(n) - cents(amount)) >= 10;
    if (value !== undefined && !(disagree && printedAbove(index, total, amount) > printedAbove(index, total, n))) {
      return { value, source: { ...named.source, content: text }, order: named.order };
    }
    if (disagree) return undefined;
  }
  // "ROUNDING  -0.01" over "RH 60.30" is the adjustment's whole line above the rounded total,
  // not a label with its value: the label carries no amount and the adjustment is small.
  const adjustment = [...index.pairs, ...index.lines.flatMap(adjustmentLine)].find((p) => p.order >= total.order && p.order <= total.order + 4 && p.source.box.page === page
    && ROUNDING.test(p.label) && !ROUNDED_TOTAL.test(p.label) && !/\d[.,]\d{2}/.test(p.label)
    && parseNumber(p.value) !== undefined && Math.abs(parseNumber(p.value)!) < Math.abs(amount) / 2);
  if (!adjustment) return unreadAdjustment(index, total, amount, schema);
  const adj = parseNumber(adjustment.value)!;
  const target = cents(amount) + cents(adj);
  if (target === cents(amount)) return undefined;
  const after = index.lines.filter((l) => l.box.page === page && l.order > adjustment.order && l.order <= adjustment.order + 6);
  for (const line of after) {
    // The adjustment's own value may sit on the next line ("ROUNDING ADJ" / "-0.01").
    for (const text of amountsIn(line.text)) {
      const n = parseNumber(text);
      if (n === undefined || cents(n) !== target || text === adjustment.value.trim()) continue;
      const value = coerce(text, schema);
      if (value !== undefined) return { value, source: { block: line.block, box: line.box, content: text }, order: line.order };
    }
  }
  return undefined;
}

/**
 * A later restatement of the total ("Rounded Total") against the earlier one: true unless
 * they are further apart than a rounding step and the earlier figure is the one the lines
 * above print more often.
 */
export function agreesWith(index: DocumentIndex, later: TotalReading, earlier: TotalReading): boolean {
  const a = parseNumber(String(later.value));
  const b = parseNumber(String(earlier.value));
  if (a === undefined || b === undefined || Math.abs(cents(a) - cents(b)) < 10) return true;
  return printedAbove(index, earlier, b) <= printedAbove(index, earlier, a);
}

/** How many times the amount is printed on the lines above the total (item amounts, subtotal). */
function printedAbove(index: DocumentIndex, total: TotalReading, amount: number): number {
  return index.lines.filter((l) => l.box.page === total.source.box.page && l.order < total.order)
    .flatMap((l) => amountsIn(l.text)).filter((t) => parseNumber(t) !== undefined && cents(Math.abs(parseNumber(t)!)) === cents(amount)).length;
}

/** "ROUNDING ADJ. . -0.01" read as one piece (a table cell, no gap): the label and its signed amount. */
function adjustmentLine(line: Line): Pair[] {
  const m = /^(.*?\p{L}.*?)[\s.:]+([-−]?\s*\d*[.,]\d{2})$/u.exec(line.text.trim());
  if (!m || !ROUNDING.test(m[1])) return [];
  const value = m[2].replace(/[−\s]/g, (c) => (c === '−' ? '-' : ''));
  return [{ label: m[1], value, kind: 'right', order: line.order, source: { block: line.block, box: line.box, content: value } }];
}

/**
 * "ROUNDING ADJ." with its amount unread, then "RM 60.30": the first amount after the rounding
 * line that is within a rounding step of the total (less than 0.10 away, in whole 5 cents) is
 * the rounded total.
 */
function unreadAdjustment(index: DocumentIndex, total: TotalReading, amount: number, schema: Parameters<typeof coerce>[1]): TotalReading | undefined {
  const page = total.source.box.page;
  const after = index.lines.filter((l) => l.box.page === page && l.order > total.order && l.order <= total.order + 4);
  const rounding = after.find((l) => ROUNDING.test(l.text) && !ROUNDED_LABEL.test(l.text) && amountsIn(l.text).length === 0);
  if (!rounding) return undefined;
  for (const line of after.filter((l) => l.order > rounding.order)) {
    for (const text of amountsIn(line.text)) {
      const n = parseNumber(text);
      if (n === undefined || cents(n) === cents(amount) || Math.abs(cents(n) - cents(amount)) >= 10 || cents(n) % 5 !== 0) continue;
      const value = coerce(text, schema);
      if (value !== undefined) return { value, source: { block: line.block, box: line.box, content: text }, order: line.order };
    }
  }
  return undefined;
}

/**
 * A total whose figure OCR garbled ("Total Sales Inclusive GST  3840" for 28.40): receipts
 * print the total's figure elsewhere too (the single item, the subtotal). An amount printed
 * above the total whose digits are the garbled digits but one (same count) is taken, when
 * only one amount is that close.
 */
export function misreadTotal(index: DocumentIndex, labelled: Pair[], schema: Parameters<typeof coerce>[1]): TotalReading | undefined {
  for (const pair of labelled) {
    const digits = pair.value.replace(/\D/g, '');
    if (digits.length < 3) continue;
    const near = new Map<number, TotalReading>();
    for (const line of index.lines.filter((l) => l.order < pair.order && l.box.page === pair.source.box.page)) {
      // A dash set apart before the figure ("14.20  -  28.40") is a column rule, not a minus.
      for (const text of amountsIn(line.text).map((a) => a.replace(/^-\s+/, ''))) {
        const n = parseNumber(text);
        if (n === undefined || n <= 0) continue;
        const own = String(cents(n));
        if (own.length !== digits.length || [...own].filter((c, k) => c !== digits[k]).length !== 1) continue;
        const value = coerce(text, schema);
        if (value !== undefined) near.set(cents(n), { value, source: { block: line.block, box: line.box, content: text }, order: line.order });
      }
    }
    if (near.size === 1) return [...near.values()][0];
  }
  return undefined;
}

const PAYMENT = ['cash', 'card', 'credit card', 'debit card', 'visa', 'mastercard', 'master card', 'amex', 'ewallet', 'e wallet', 'tendered', 'amount tendered', 'amount paid', 'paid', 'payment', 'received'];
const CHANGE = ['change', 'change due', 'balance returned'];

/** The label starts with one of the phrases, OCR slips allowed ("CHANG", "CASH."). */
function labelled(label: string, phrases: string[]): boolean {
  const l = words(label);
  return phrases.some((p) => {
    const w = words(p);
    return w.length <= l.length && w.every((x, k) => sameWord(x, l[k]) || (x.length >= 5 && l[k].length >= 4 && x.startsWith(l[k])));
  });
}

/** A line that speaks of change anywhere ("fod. CHANGE  2": a smudge read before the label). */
function mentionsChange(text: string): boolean {
  const w = words(text);
  return w.some((x, k) => labelled(w.slice(k).join(' '), CHANGE));
}

/** "CASH RM20.40" read as one piece (no colon, no gap): the label and the amount ending it. */
function trailingAmount(line: Line): Pair[] {
  const text = mendAmounts(line.text.trim());
  const m = /^([^\d:：]*[a-z][^\d:：]*?)\s+((?:[a-z]{2,3}\s?|[$€£¥₹]\s?)?\d[\d,]*[.,]\d{2})$/i.exec(text);
  if (!m) return [];
  return [{ label: m[1], value: m[2], kind: 'right', order: line.order, source: { block: line.block, box: line.box, content: m[2] } }];
}

/** The first payment line ("CASH RM 170.00") and the labelled amounts read anywhere. */
function payment(index: DocumentIndex): { paid: Pair | undefined; pairs: (phrases: string[]) => Pair[] } {
  const all = [...index.pairs, ...index.lines.flatMap(trailingAmount)].sort((a, b) => a.order - b.order);
  const pairs = (phrases: string[]): Pair[] => all.filter((p) => labelled(p.label, phrases) && parseNumber(p.value) !== undefined && /\d[.,]\d{2}\b/.test(mendAmounts(p.value)));
  return { paid: pairs(PAYMENT)[0], pairs };
}

/**
 * The payment checks the total: cash tendered less the change given is what was paid
 * ("CASH 100.00 / CHANGE 19.10" → 80.90). When both are read and the chosen total differs,
 * a figure printed before the payment under a label that speaks of the total (even one OCR
 * garbled, "Total of GST) : 80.90") and equal to that difference is taken instead.
 */
export function changeCheckedTotal(index: DocumentIndex, chosen: number, totalLike: (label: string) => boolean, schema: Parameters<typeof coerce>[1]): TotalReading | undefined {
  const { paid, pairs } = payment(index);
  if (!paid) return undefined;
  const change = pairs(CHANGE).find((p) => p.order > paid.order && p.order <= paid.order + 3);
  if (!change) return undefined;
  const target = cents(parseNumber(paid.value)!) - cents(parseNumber(change.value)!);
  if (target <= 0 || target === cents(chosen)) return undefined;
  for (const pair of index.pairs) {
    if (pair.order >= paid.order || pair.source.box.page !== paid.source.box.page || !totalLike(pair.label)) continue;
    for (const text of amountsIn(pair.value)) {
      const n = parseNumber(text);
      if (n === undefined || cents(n) !== target) continue;
      const value = coerce(text, schema);
      if (value !== undefined) return { value, source: { ...pair.source, content: text }, order: pair.order };
    }
  }
  return undefined;
}

/**
 * No total line: the amount tendered ("CASH RM 170.00") less the change given. With change,
 * the difference must itself be printed (an item sum or an unlabelled total) to be taken.
 */
export function paidTotal(index: DocumentIndex, schema: Parameters<typeof coerce>[1]): TotalReading | undefined {
  const { paid, pairs } = payment(index);
  if (!paid) return undefined;
  const change = pairs(CHANGE).find((p) => p.order > paid.order);
  // Change given but its amount unreadable: the total cannot be told from the payment.
  if (!change && index.lines.some((l) => l.order > paid.order && l.order <= paid.order + 4 && mentionsChange(l.text))) return undefined;
  const changeAmount = change ? parseNumber(change.value)! : 0;
  const amount = parseNumber(paid.value)!;
  if (changeAmount === 0) {
    const text = amountsIn(paid.value)[0] ?? paid.value;
    const value = coerce(text, schema);
    return value === undefined ? undefined : { value, source: paid.source, order: paid.order };
  }
  const target = cents(amount) - cents(changeAmount);
  for (const line of index.lines.filter((l) => l.order < paid.order && l.box.page === paid.source.box.page).reverse()) {
    for (const text of amountsIn(line.text)) {
      const n = parseNumber(text);
      if (n === undefined || cents(n) !== target) continue;
      const value = coerce(text, schema);
      if (value !== undefined) return { value, source: { block: line.block, box: line.box, content: text }, order: line.order };
    }
  }
  return undefined;
}
