import type { ParseOptions } from '@folio/sdk';
import { UsageError } from './exit-codes.ts';
import { intOption, type Values } from './command.ts';

const TABLE_FORMATS = ['dynamic', 'md', 'html', 'json', 'jsonbbox', 'csv'] as const;
const CHUNK_MODES = ['disabled', 'variable', 'section', 'page', 'page_sections', 'block'] as const;

/** The parse flags shared by `folio parse` (local) and `folio run parse` (server). */
export const PARSE_FLAGS = {
  'table-format': { type: 'string' },
  'chunk-mode': { type: 'string' },
  'chunk-size': { type: 'string' },
  'page-range': { type: 'string' },
  'page-markers': { type: 'boolean' },
  ocr: { type: 'boolean' },
} as const;

export const PARSE_FLAGS_HELP = `
Parse options:
      --table-format F   ${TABLE_FORMATS.join('|')} (default dynamic)
      --chunk-mode M     ${CHUNK_MODES.join('|')} (default disabled)
      --chunk-size N     target characters per chunk (variable mode)
      --page-range R     pages to parse, e.g. 2-5 or 1,3,7-9
      --page-markers     add [[PAGE n BEGINS HERE]] markers
      --ocr              OCR every page (extraction_mode=ocr) instead of using embedded text`;

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${String(value)}"`);
  return value as T;
}

/** "1-3,7" → [{start:1,end:3},{start:7,end:7}] (1-indexed, inclusive). */
export function pageRangeFrom(text: string): Array<{ start: number; end: number }> {
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--page-range: cannot read "${part}" (use e.g. 2-5 or 1,3,7-9)`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start < 1 || end < start) throw new UsageError(`--page-range: "${part}" is not a valid range`);
    return { start, end };
  });
}

export function parseOptionsFrom(values: Values): ParseOptions {
  const options: ParseOptions = {};
  const tableFormat = oneOf('table-format', values['table-format'], TABLE_FORMATS);
  if (tableFormat || values['page-markers']) {
    options.formatting = { table_output_format: tableFormat, add_page_markers: values['page-markers'] ? true : undefined };
  }
  const chunkMode = oneOf('chunk-mode', values['chunk-mode'], CHUNK_MODES);
  const chunkSize = intOption(values, 'chunk-size');
  if (chunkMode || chunkSize !== undefined) options.retrieval = { chunking: { chunk_mode: chunkMode, chunk_size: chunkSize } };
  const pageRange = values['page-range'] as string | undefined;
  if (pageRange || values.ocr) {
    options.settings = {
      page_range: pageRange ? pageRangeFrom(pageRange) : undefined,
      extraction_mode: values.ocr ? 'ocr' : undefined,
    };
  }
  return JSON.parse(JSON.stringify(options)) as ParseOptions; // drop undefined keys
}
