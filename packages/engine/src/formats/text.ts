import type { Reader } from '../parse.ts';
import { Flow } from './flow.ts';
import { checkCharacterCount } from '../limits.ts';

/** Plain text: paragraphs split at blank lines, pages at form feeds. */
export const readText: Reader = async (bytes, _format, options) => {
  const text = decodeText(bytes);
  checkCharacterCount(text.length, 'text file');
  const flow = new Flow('text file');
  textToFlow(text, flow);
  return flow.finish(options);
};

export function textToFlow(text: string, flow: Flow): void {
  text.split('\f').forEach((page, i) => {
    if (i > 0) flow.newPage();
    for (const para of page.split(/\r?\n[ \t]*\r?\n/)) {
      const t = para.replace(/\r/g, '').replace(/[ \t]+$/gm, '').trim();
      if (t) flow.add({ type: 'Text', text: t });
    }
  });
}

/** UTF-8 (with or without BOM) or UTF-16 by BOM; bytes that are not UTF-8 are read as Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
