import JSZip from 'jszip';
import type { EngineError } from '../errors.ts';
import { isNestingFailure, parseXml, type XmlElement } from './xml.ts';
import type { DocumentProperties } from '../model.ts';
import type { Format } from '../format.ts';
import { documentLimits, overLimit, type DocumentLimits } from '../limits.ts';
import { damaged, kindOf } from '../read-failure.ts';

/** A part's expansion ratio is only judged beyond this size (small XML parts compress well). */
const MIN_BYTES_FOR_RATIO = 10 * 1024 * 1024;

interface ZipEntryData {
  uncompressedSize?: number;
  compressedSize?: number;
}

/** JSZip's chunked inflater (`internalStream`, public in JSZip but missing from its typings). */
interface ZipStream {
  on(event: 'data', fn: (chunk: Uint8Array) => void): ZipStream;
  on(event: 'error', fn: (err: Error) => void): ZipStream;
  on(event: 'end', fn: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}

/** The sizes a zip entry's central directory record declares (JSZip keeps them on `_data`). */
function declaredSizes(file: JSZip.JSZipObject): { size: number; packed: number } {
  const data = (file as unknown as { _data?: ZipEntryData })._data;
  // JSZip reads the 32-bit fields as signed: 2 GiB and more come out negative.
  const unsigned = (n: number | undefined): number => (typeof n === 'number' ? (n < 0 ? n >>> 0 : n) : 0);
  return { size: unsigned(data?.uncompressedSize), packed: unsigned(data?.compressedSize) };
}

/**
 * An OOXML package (DOCX/PPTX/XLSX): a zip of XML parts. Opening it checks the sizes the
 * central directory declares, so a zip bomb is refused before anything is inflated; reading
 * a part inflates it as a stream and stops at the first byte over budget, since declared
 * sizes can lie.
 */
export class OfficePackage {
  /** Bytes actually inflated so far, against the total budget. */
  private inflated = 0;

  private constructor(readonly zip: JSZip, private readonly format: Format | 'zip', private readonly limits: DocumentLimits) {}

  static async open(bytes: Uint8Array, format: Format | 'zip', limits: DocumentLimits = documentLimits()): Promise<OfficePackage> {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch {
      throw damaged(format, 'it is not a readable zip container (truncated or overwritten)');
    }
    let total = 0;
    for (const file of Object.values(zip.files)) {
      const { size, packed } = declaredSizes(file);
      total += size;
      if (size > MIN_BYTES_FOR_RATIO && packed > 0 && size / packed > limits.maxExpansionRatio) {
        throw overLimit('maxExpansionRatio', `Part ${file.name} of the ${kindOf(format)} file expands ${Math.round(size / packed)} times over its compressed size (a zip bomb)`, limits.maxExpansionRatio);
      }
    }
    if (total > limits.maxUncompressedBytes) {
      throw overLimit('maxUncompressedBytes', `The ${kindOf(format)} file expands to ${Math.round(total / 2 ** 20)} MiB`, limits.maxUncompressedBytes);
    }
    return new OfficePackage(zip, format, limits);
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
    const chunks: Uint8Array[] = [];
    const size = await this.inflate(f, (chunk) => chunks.push(chunk));
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  }

  /**
   * Inflate every part once, keeping nothing: for readers (exceljs) that inflate the package
   * themselves, this proves first that its parts fit the budget whatever their headers say.
   */
  async verify(): Promise<void> {
    for (const f of Object.values(this.zip.files)) if (!f.dir) await this.inflate(f, () => undefined);
    // The parts are proven to fit; the reader's own reads count afresh.
    this.inflated = 0;
  }

  /** Stream one part through `sink`, refusing it at the first byte over any budget. */
  private inflate(file: JSZip.JSZipObject, sink: (chunk: Uint8Array) => void): Promise<number> {
    const { size: declared, packed } = declaredSizes(file);
    const { maxExpansionRatio, maxUncompressedBytes } = this.limits;
    const ratioCap = Math.max(MIN_BYTES_FOR_RATIO, packed * maxExpansionRatio);
    const kind = kindOf(this.format);
    return new Promise<number>((resolve, reject) => {
      let size = 0;
      let settled = false;
      const stream = (file as unknown as { internalStream(type: 'uint8array'): ZipStream }).internalStream('uint8array');
      const fail = (err: EngineError): void => {
        if (settled) return;
        settled = true;
        stream.pause();
        reject(err);
      };
      stream
        .on('data', (chunk: Uint8Array) => {
          if (settled) return;
          size += chunk.length;
          this.inflated += chunk.length;
          if (this.inflated > maxUncompressedBytes) {
            fail(overLimit('maxUncompressedBytes', `The ${kind} file expands to more than ${Math.round(maxUncompressedBytes / 2 ** 20)} MiB`, maxUncompressedBytes));
          } else if (size > ratioCap) {
            fail(overLimit('maxExpansionRatio', `Part ${file.name} of the ${kind} file expands more than ${maxExpansionRatio} times over its compressed size (a zip bomb)`, maxExpansionRatio));
          } else if (size > declared) {
            fail(damaged(this.format, `part ${file.name} holds more data than its zip header declares`));
          } else sink(chunk);
        })
        .on('error', () => fail(damaged(this.format, `part ${file.name} is not valid compressed data`)))
        .on('end', () => {
          if (settled) return;
          settled = true;
          resolve(size);
        })
        .resume();
    });
  }

  async xml(name: string): Promise<XmlElement | undefined> {
    const s = await this.text(name);
    if (s === undefined) return undefined;
    try {
      return parseXml(s);
    } catch (err) {
      if (isNestingFailure(err) || err instanceof RangeError) throw overLimit('maxNesting', `Part ${name} of the ${kindOf(this.format)} file nests its XML too deeply`, this.limits.maxNesting);
      throw damaged(this.format, `part ${name} is not well-formed XML`);
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
