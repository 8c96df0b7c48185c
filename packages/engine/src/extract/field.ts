import { contentWords, phraseMatch, words } from './terms.ts';

/**
 * A schema leaf seen as something to look for: the phrases a document might use to label it
 * (its name, common synonyms, its title) and the words of its description.
 */
export interface FieldTerms {
  /** Property name as written in the schema. */
  name: string;
  /** Label phrases, strongest first; each is a list of normalised words. */
  phrases: string[][];
  /** Content words of the description (weaker evidence). */
  described: string[];
}

/**
 * Common ways documents label the same thing. Keys and values are phrases; a field whose
 * name (or description) matches a key also answers to its synonyms.
 */
const SYNONYMS: Array<[string[], string[]]> = [
  [['invoice number', 'invoice id'], ['invoice no', 'invoice #', 'bill number', 'bill no', 'receipt number', 'receipt no', 'document number', 'inv no']],
  [['invoice date', 'issue date', 'date'], ['date', 'dated', 'invoice date', 'issue date', 'date of issue', 'bill date', 'receipt date', 'statement date']],
  [['due date', 'payment due'], ['due date', 'payment due', 'due', 'pay by', 'payment due date']],
  [['total', 'total amount', 'amount due', 'grand total', 'total due'], ['total', 'grand total', 'amount due', 'total due', 'balance due', 'total amount', 'total payable', 'amount payable', 'nett total', 'net total', 'nett amount', 'net amount', 'total sales', 'rounded total']],
  [['subtotal', 'sub total'], ['subtotal', 'sub total', 'total before tax', 'net amount', 'total excluding tax']],
  [['tax', 'tax amount', 'vat', 'gst'], ['tax', 'tax amount', 'vat', 'gst', 'sales tax', 'total tax']],
  [['vendor', 'vendor name', 'seller', 'supplier', 'merchant', 'company', 'company name', 'store', 'issuer', 'from'], ['from', 'vendor', 'seller', 'supplier', 'merchant', 'company', 'sold by', 'issued by', 'store']],
  [['customer', 'customer name', 'buyer', 'client', 'bill to', 'billed to', 'recipient'], ['bill to', 'billed to', 'customer', 'client', 'buyer', 'sold to', 'invoice to', 'to']],
  [['address'], ['address', 'located at']],
  [['phone', 'telephone', 'phone number'], ['phone', 'telephone', 'tel', 'mobile', 'contact number', 'fax']],
  [['email', 'email address'], ['email', 'e mail', 'mail']],
  [['account number', 'account'], ['account number', 'account no', 'account #', 'acct no', 'a c no']],
  [['quantity'], ['quantity', 'qty', 'units', 'count', 'hours']],
  [['description', 'item', 'product', 'name'], ['description', 'item', 'product', 'service', 'article', 'details', 'particulars']],
  [['unit price', 'price', 'rate'], ['unit price', 'price', 'rate', 'unit cost', 'price per unit', 'each']],
  [['amount', 'line total', 'line amount'], ['amount', 'total', 'line total', 'net', 'value', 'sum']],
  [['currency'], ['currency', 'ccy']],
  [['po number', 'purchase order'], ['po', 'po number', 'purchase order', 'order number', 'order no']],
  [['balance', 'closing balance', 'ending balance'], ['balance', 'closing balance', 'ending balance', 'new balance']],
  [['opening balance', 'beginning balance'], ['opening balance', 'beginning balance', 'previous balance']],
  [['effective date', 'start date'], ['effective date', 'start date', 'commencement date', 'dated as of']],
];

export function fieldTerms(name: string, schema: { title?: unknown; description?: unknown }, parents: string[] = []): FieldTerms {
  const own = words(name);
  const phrases: string[][] = [own];
  const title = typeof schema.title === 'string' ? schema.title : '';
  const description = typeof schema.description === 'string' ? schema.description : '';
  if (title) phrases.push(words(title));
  // A nested field ("vendor.name") is also labelled "vendor name" in documents.
  for (const parent of parents.slice(-1)) phrases.push([...words(parent), ...own]);
  const keys = [own, ...(title ? [words(title)] : [])];
  const addSynonyms = (ks: string[][]): boolean => {
    let any = false;
    for (const [names, labels] of SYNONYMS) {
      if (!names.some((n) => ks.some((k) => phraseMatch(words(n), k) === 1))) continue;
      any = true;
      for (const l of labels) phrases.push(words(l));
    }
    return any;
  };
  // `vendor.name` takes the synonyms of "vendor name", not those of a bare "name".
  const parent = parents[parents.length - 1];
  if (!(parent && addSynonyms([[...words(parent), ...own]]))) addSynonyms(keys);
  return { name, phrases: dedupe(phrases), described: contentWords(description) };
}

function dedupe(phrases: string[][]): string[][] {
  const seen = new Set<string>();
  return phrases.filter((p) => {
    const k = p.join(' ');
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * 0–1: how well a document label names this field. The name and synonyms count fully; a
 * label built from description words counts less, so "Amount due" can answer a field named
 * `total` described as "the amount due".
 */
export function labelScore(terms: FieldTerms, label: string): number {
  // "Tax (5%)" is labelled "Tax"; the parenthesis qualifies it. "Total incl. GST @6%" is a
  // total: saying that tax is included (and at what rate) does not change what it labels.
  const bare = label.replace(/\([^)]*\)/g, ' ').replace(TAX_INCLUDED, ' ').replace(RATE, ' ').trim() || label;
  const l = words(bare);
  if (l.length === 0) return 0;
  // "Company No" / "Co. Reg" label an identifier, not the company.
  for (const id of ['number', 'registration']) {
    if (l.includes(id) && !terms.phrases[0]?.includes(id) && !terms.described.includes(id)) return 0;
  }
  let best = 0;
  terms.phrases.forEach((p, i) => {
    const s = phraseMatch(p, l) * (i === 0 ? 1 : 0.95);
    if (s > best) best = s;
  });
  if (terms.described.length) {
    const hits = l.filter((w) => terms.described.includes(w)).length;
    // A one-word label shared with a long description is weak evidence.
    const s = (0.8 * hits / l.length) * Math.min(1, hits / Math.min(2, terms.described.length));
    if (s > best) best = s;
    // Between two labels naming the field, the one closer to its description wins.
    if (best > 0) best += (0.05 * hits) / terms.described.length;
  }
  // "Total (excluding tax)" is not the total: a qualifier that takes something away.
  // "Total GST" is the tax, not the total; "Total incl. GST" is the total.
  const qualifiers = words(label.replace(TAX_INCLUDED, ' ')).filter((w) => (QUALIFIERS.has(w) || (w === 'tax' && terms.phrases[0]?.includes('total')))
    && !terms.phrases[0]?.includes(w) && !terms.described.includes(w));
  if (qualifiers.length) best *= 0.8;
  return Math.min(1, best);
}

const QUALIFIERS = new Set(['excluding', 'before', 'without', 'pre', 'previous', 'less', 'sub']);
/** "incl. GST", "inclusive of tax", and OCR slips after "inc" ("Inclcive GST", "Inchicive GST"; not "income tax"). */
const TAX_INCLUDED = /\b(inc(?!ome)[a-z]*\.?|with)\s*(of\s+)?(gst|vat|sst|tax(es)?)\b/gi;
const RATE = /@?\s*\d+(\.\d+)?\s*%/g;
