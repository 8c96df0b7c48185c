import { EngineError } from './errors.ts';

/** Every document format the engine knows how to name. */
export type Format =
  | 'pdf'
  | 'png' | 'jpeg' | 'tiff' | 'bmp' | 'gif' | 'webp' | 'heic'
  | 'docx' | 'pptx' | 'xlsx' | 'csv' | 'tsv'
  | 'html' | 'md' | 'txt' | 'rtf'
  | 'eml' | 'msg'
  | 'doc' | 'xls' | 'ppt' | 'odt' | 'ods' | 'odp';

export const IMAGE_FORMATS: readonly Format[] = ['png', 'jpeg', 'tiff', 'bmp', 'gif', 'webp', 'heic'];

const EXTENSIONS: Record<string, Format> = {
  pdf: 'pdf', png: 'png', jpg: 'jpeg', jpeg: 'jpeg', tif: 'tiff', tiff: 'tiff', bmp: 'bmp',
  gif: 'gif', webp: 'webp', heic: 'heic', heif: 'heic',
  docx: 'docx', dotx: 'docx', docm: 'docx', pptx: 'pptx', pptm: 'pptx', xlsx: 'xlsx', xlsm: 'xlsx',
  xltx: 'xlsx', xltm: 'xlsx', csv: 'csv', tsv: 'tsv', html: 'html', htm: 'html', md: 'md',
  markdown: 'md', txt: 'txt', text: 'txt', rtf: 'rtf', eml: 'eml', msg: 'msg', doc: 'doc', xls: 'xls',
  ppt: 'ppt', odt: 'odt', ods: 'ods', odp: 'odp',
};

/** The format for a file extension or name ("pdf", ".pdf", "report.pdf"), if known. */
export function formatFromName(name: string | null | undefined): Format | undefined {
  if (!name) return undefined;
  const ext = name.toLowerCase().split(/[?#]/)[0].split('.').pop() ?? '';
  return EXTENSIONS[ext.replace(/^\./, '')];
}

function startsWith(bytes: Uint8Array, sig: number[], offset = 0): boolean {
  return sig.every((b, i) => bytes[offset + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, Math.min(end, bytes.length))).toString('latin1');
}

/**
 * Detect a document's format: magic bytes first, the file name second (for formats that
 * share a container, such as OLE for DOC/XLS/PPT/MSG, or plain text).
 */
export async function detectFormat(bytes: Uint8Array, nameHint?: string): Promise<Format> {
  const byName = formatFromName(nameHint);
  if (bytes.length === 0) throw new EngineError('DOCUMENT_EMPTY', 'The document is empty');

  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp' && /hei|mif|msf|hev/.test(ascii(bytes, 8, 12))) return 'heic';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return byName && ['doc', 'xls', 'ppt', 'msg'].includes(byName) ? byName : 'doc';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return detectZip(bytes, byName);
  if (ascii(bytes, 0, 5) === '{\\rtf') return 'rtf';
  if (hasPdfStructure(bytes)) return 'pdf';

  // Text formats: trust a text-ish extension, else sniff.
  if (byName && ['csv', 'tsv', 'html', 'md', 'txt', 'eml', 'rtf'].includes(byName)) return byName;
  const head = ascii(bytes, 0, 4096);
  if (/^\s*(<!doctype html|<html|<head|<body)/i.test(head)) return 'html';
  if (/^(From|Received|Return-Path|Message-ID|MIME-Version|Subject|Date|To|Delivered-To):/im.test(head.slice(0, 1024))
    && /\r?\n\r?\n/.test(head)) return 'eml';
  if (/^#{1,6} \S/m.test(head)) return 'md';
  if (isMostlyText(bytes)) return 'txt';
  throw new EngineError('DOCUMENT_UNSUPPORTED', `Unrecognised document format${nameHint ? ` (${nameHint})` : ''}`);
}

async function detectZip(bytes: Uint8Array, byName?: Format): Promise<Format> {
  // Opening through OfficePackage applies the zip budgets to the parts detection reads too.
  const { OfficePackage } = await import('./formats/container.ts');
  const pkg = await OfficePackage.open(bytes, byName ?? 'zip');
  if (pkg.has('mimetype')) {
    const mime = ((await pkg.text('mimetype')) ?? '').trim();
    if (mime.endsWith('opendocument.text')) return 'odt';
    if (mime.endsWith('opendocument.spreadsheet')) return 'ods';
    if (mime.endsWith('opendocument.presentation')) return 'odp';
  }
  if (pkg.has('word/document.xml')) return 'docx';
  if (pkg.has('ppt/presentation.xml')) return 'pptx';
  if (pkg.has('xl/workbook.xml')) return 'xlsx';
  if (byName) return byName;
  throw new EngineError('DOCUMENT_UNSUPPORTED', 'A zip archive that is not an Office document');
}

/**
 * A PDF whose header was cut off or overwritten still has numbered objects and a trailer:
 * read it as the (damaged) PDF it is, rather than as text or an unknown format.
 */
function hasPdfStructure(bytes: Uint8Array): boolean {
  const head = ascii(bytes, 0, 4096);
  const tail = ascii(bytes, Math.max(0, bytes.length - 4096), bytes.length);
  return /\b\d+\s+\d+\s+obj\b/.test(head) && /startxref|%%EOF|\btrailer\b/.test(tail);
}

function isMostlyText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let bad = 0;
  for (const b of sample) if (b === 0 || (b < 9) || (b > 13 && b < 32 && b !== 27)) bad++;
  return bad / sample.length < 0.01;
}
