import { EngineError } from './errors.ts';

/**
 * Budgets a document must fit in, checked before and while it is read, so that a small
 * hostile file (a zip bomb, a 20,000-page PDF, HTML nested 100,000 deep) is refused within
 * seconds instead of holding a worker until the job times out. Each can be raised with the
 * environment variable named beside it; the refusal message names that variable.
 */
export interface DocumentLimits {
  /** Bytes the parts of a zip container (DOCX/XLSX/PPTX) may inflate to, in total. */
  maxUncompressedBytes: number;
  /** How many times its compressed size one zip part may inflate to (beyond 1 MiB). */
  maxExpansionRatio: number;
  /** Bytes one PDF stream (page content, image, font) may decode to. */
  maxStreamBytes: number;
  /** Pages read from one document: PDF or image pages, slides, sheets, page-broken text. */
  maxPages: number;
  /** How deep elements may nest (HTML elements, Markdown lists and quotes). */
  maxNesting: number;
  /** Cells of a workbook or CSV: non-empty cells, and the area a sheet's used range spans. */
  maxCells: number;
  /** Characters of text one document may hold. */
  maxCharacters: number;
}

export const LIMIT_SETTINGS: Record<keyof DocumentLimits, string> = {
  maxUncompressedBytes: 'FOLIO_MAX_UNCOMPRESSED_MB',
  maxExpansionRatio: 'FOLIO_MAX_EXPANSION_RATIO',
  maxStreamBytes: 'FOLIO_MAX_PDF_STREAM_MB',
  maxPages: 'FOLIO_MAX_PAGES',
  maxNesting: 'FOLIO_MAX_NESTING',
  maxCells: 'FOLIO_MAX_CELLS',
  maxCharacters: 'FOLIO_MAX_CHARACTERS',
};

function fromEnv(name: string, fallback: number, scale = 1): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n * scale : fallback * scale;
}

/** The limits in force: the environment's settings over the defaults. */
export function documentLimits(overrides: Partial<DocumentLimits> = {}): DocumentLimits {
  return {
    maxUncompressedBytes: fromEnv(LIMIT_SETTINGS.maxUncompressedBytes, 512, 2 ** 20),
    maxExpansionRatio: fromEnv(LIMIT_SETTINGS.maxExpansionRatio, 200),
    // Decoding keeps up to 1.5 times this in memory (buffers grow by doubling): 128 MiB holds a
    // 600 dpi colour page image, and two workers decoding bombs stay well under 1 GB.
    maxStreamBytes: fromEnv(LIMIT_SETTINGS.maxStreamBytes, 128, 2 ** 20),
    maxPages: fromEnv(LIMIT_SETTINGS.maxPages, 5000),
    maxNesting: fromEnv(LIMIT_SETTINGS.maxNesting, 256),
    // Reading a million cells takes about 1 GB of heap in exceljs, half the default worker cap.
    maxCells: fromEnv(LIMIT_SETTINGS.maxCells, 1_000_000),
    // About 5,000 pages of 4,000 characters, the page budget's worth of dense text.
    maxCharacters: fromEnv(LIMIT_SETTINGS.maxCharacters, 20_000_000),
    ...overrides,
  };
}

/** DOCUMENT_TOO_LARGE for a limit, naming what was found, the limit and its setting. */
export function overLimit(limit: keyof DocumentLimits, what: string, value: number): EngineError {
  const shown = limit.endsWith('Bytes') ? `${Math.round(value / 2 ** 20)} MiB` : String(value);
  return new EngineError('DOCUMENT_TOO_LARGE', `${what}; the limit is ${shown} (${LIMIT_SETTINGS[limit]})`);
}

/** Refuse a document with more pages (slides, sheets, frames) to read than the page budget. */
export function checkPageCount(count: number, what: string): void {
  const { maxPages } = documentLimits();
  if (count > maxPages) throw overLimit('maxPages', `The document has ${count} ${what} to read`, maxPages);
}

/** Refuse a document holding more characters of text than the character budget (a reader checking page by page passes the budget it read once). */
export function checkCharacterCount(count: number, kind = 'document', maxCharacters = documentLimits().maxCharacters): void {
  if (count > maxCharacters) throw overLimit('maxCharacters', `The ${kind} holds ${count} characters of text`, maxCharacters);
}
