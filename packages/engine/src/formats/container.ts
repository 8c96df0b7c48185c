import JSZip from 'jszip';
import { EngineError } from '../errors.ts';
import { parseXml, type XmlElement } from './xml.ts';
import type { DocumentProperties } from '../model.ts';

/** Total uncompressed bytes an Office container may expand to before we refuse it. */
export const MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024;
/** A part that expands more than this factor over its compressed size is a zip bomb. */
const MAX_RATIO = 200;
const MIN_BYTES_FOR_RATIO = 10 * 1024 * 1024;

interface ZipEntryData {
  uncompressedSize?: number;
  compressedSize?: number;
}

/**
 * An OOXML package (DOCX/PPTX/XLSX): a zip of XML parts. Opening it checks the sizes the
 * central directory declares, so a zip bomb is refused before anything is inflated.
 */
export class OfficePackage {
  /** Bytes actually inflated so far: declared sizes can lie, so reads are counted too. */
  private inflated = 0;

  private constructor(readonly zip: JSZip, private readonly limit: number) {}

  static async open(bytes: Uint8Array, limit = MAX_UNCOMPRESSED_BYTES): Promise<OfficePackage> {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (err) {
      throw new EngineError('DOCUMENT_CORRUPT', `The document is a damaged zip container: ${(err as Error).message}`);
    }
    let total = 0;
    for (const file of Object.values(zip.files)) {
      // JSZip keeps the central directory's declared sizes on the private `_data` field.
      const data = (file as unknown as { _data?: ZipEntryData })._data;
      const size = data?.uncompressedSize ?? 0;
      const packed = data?.compressedSize ?? 0;
      total += size;
      if (size > MIN_BYTES_FOR_RATIO && packed > 0 && size / packed > MAX_RATIO) {
        throw new EngineError('DOCUMENT_TOO_LARGE', `Part ${file.name} expands ${Math.round(size / packed)}× (zip bomb refused)`);
      }
    }
    if (total > limit) {
      throw new EngineError('DOCUMENT_TOO_LARGE', `The document expands to ${Math.round(total / 2 ** 20)} MiB, over the ${Math.round(limit / 2 ** 20)} MiB limit`);
    }
    return new OfficePackage(zip, limit);
  }

  has(name: string): boolean {
    return this.zip.file(name) !== null;
  }

  names(): string[] {
    return Object.keys(this.zip.files);
  }

  async text(name: string): Promise<string | undefined> {
    const data = await this.bytes(name);
    return data ? new TextDecoder('utf-8').decode(data) : undefined;
  }

  async bytes(name: string): Promise<Uint8Array | undefined> {
    const f = this.zip.file(name);
    if (!f) return undefined;
    const data = await f.async('uint8array');
    this.inflated += data.length;
    if (this.inflated > this.limit) {
      throw new EngineError('DOCUMENT_TOO_LARGE', `The document expands to more than ${Math.round(this.limit / 2 ** 20)} MiB`);
    }
    return data;
  }

  async xml(name: string): Promise<XmlElement | undefined> {
    const s = await this.text(name);
    if (s === undefined) return undefined;
    try {
      return parseXml(s);
    } catch (err) {
      throw new EngineError('DOCUMENT_CORRUPT', `Malformed XML in ${name}: ${(err as Error).message}`);
    }
  }

  /** Relationships of a part: id → { target (resolved to a package path), type, external }. */
  async relationships(partName: string): Promise<Map<string, Relationship>> {
    const dir = partName.includes('/') ? partName.slice(0, partName.lastIndexOf('/')) : '';
    const base = partName.slice(partName.lastIndexOf('/') + 1);
    const relsName = `${dir ? `${dir}/` : ''}_rels/${base}.rels`;
    const doc = await this.xml(relsName);
    const out = new Map<string, Relationship>();
    const root = doc?.children.find((c) => typeof c === 'object' && c.name === 'Relationships') as XmlElement | undefined;
    for (const rel of root?.children ?? []) {
      if (typeof rel !== 'object' || rel.name !== 'Relationship') continue;
      const external = rel.attrs.TargetMode === 'External';
      const target = external ? rel.attrs.Target : resolvePartPath(dir, rel.attrs.Target);
      out.set(rel.attrs.Id, { target, type: rel.attrs.Type ?? '', external });
    }
    return out;
  }
}

export interface Relationship {
  target: string;
  type: string;
  external: boolean;
}

/** Resolve a relationship target relative to the source part's folder. */
export function resolvePartPath(dir: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = dir ? dir.split('/') : [];
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** Document properties from docProps/core.xml (Dublin Core), shared by all OOXML formats. */
export async function readCoreProperties(pkg: OfficePackage): Promise<DocumentProperties | undefined> {
  const doc = await pkg.xml('docProps/core.xml');
  if (!doc) return undefined;
  const root = doc.children.find((c): c is XmlElement => typeof c === 'object');
  const get = (name: string): string | null => {
    const el = root?.children.find((c): c is XmlElement => typeof c === 'object' && c.name === name);
    const t = el ? el.children.filter((c) => typeof c === 'string').join('').trim() : '';
    return t || null;
  };
  return {
    title: get('dc:title'),
    author: get('dc:creator'),
    subject: get('dc:subject'),
    keywords: get('cp:keywords'),
    creator: get('dc:creator'),
    producer: null,
    created_at: get('dcterms:created'),
    modified_at: get('dcterms:modified'),
  };
}
