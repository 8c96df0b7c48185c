import { XMLParser } from 'fast-xml-parser';
import { documentLimits } from '../limits.ts';

/**
 * A small, order-preserving view of an XML document. OOXML is mixed content (runs, tabs,
 * breaks interleaved), so element order matters and fast-xml-parser's `preserveOrder`
 * output is reshaped into plain elements that are easy to walk.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The parser's own nesting budget (it throws past it), so the recursive walks over the
  // result stay shallow.
  maxNestedTags: documentLimits().maxNesting,
});

/** True for the parser's refusal of nesting beyond the budget. */
export function isNestingFailure(err: unknown): boolean {
  return err instanceof Error && /maximum nested tags/i.test(err.message);
}

type Raw = Record<string, unknown>;

function reshape(raw: Raw[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const item of raw) {
    for (const key of Object.keys(item)) {
      if (key === ':@') continue;
      if (key === '#text') {
        out.push(String(item[key]));
        continue;
      }
      const attrs = (item[':@'] as Record<string, string> | undefined) ?? {};
      out.push({ name: key, attrs, children: reshape((item[key] as Raw[]) ?? []) });
    }
  }
  return out;
}

/** Parse an XML string into its root element (a synthetic `#document` holding all top nodes). */
export function parseXml(xml: string): XmlElement {
  return { name: '#document', attrs: {}, children: reshape(parser.parse(xml) as Raw[]) };
}

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

/** Direct child elements, optionally only those with the given name. */
export function childElements(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** Follow a path of child names: `path(p, 'w:pPr', 'w:pStyle')`. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** All descendant elements with the given name, in document order (not descending into matches). */
export function descendants(el: XmlElement | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (!isElement(c)) continue;
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  if (el) walk(el);
  return out;
}

/** Concatenated character data of an element and its descendants. */
export function textContent(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children.map((c) => (isElement(c) ? textContent(c) : c)).join('');
}
