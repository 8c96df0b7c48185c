import { EngineError, throwIfAborted } from './errors.ts';
import { detectFormat, formatFromName, type Format } from './format.ts';
import type { ParsedDocument } from './model.ts';
import type { ParseOptions, RunContext } from './options.ts';
import type { ParseOutput } from './result.ts';
import { buildOutput } from './output.ts';
import { classifyReadFailure, kindOf } from './read-failure.ts';
import type { PdfPagesRead } from './formats/pdf/reader.ts';
import { checkCharacterCount } from './limits.ts';

/** A format reader: bytes in, the document model out. No I/O besides the bytes given. */
export type Reader = (bytes: Uint8Array, format: Format, options: ParseOptions, ctx: RunContext) => Promise<ParsedDocument>;

/**
 * Readers are imported lazily so that, say, a DOCX parse never loads pdf.js or tesseract.
 * Each format module registers itself here with one line.
 */
const READERS: Partial<Record<Format, () => Promise<Reader>>> = {
  pdf: async () => (await import('./formats/pdf/reader.ts')).readPdf,
  png: async () => (await import('./formats/image/reader.ts')).readImage,
  jpeg: async () => (await import('./formats/image/reader.ts')).readImage,
  tiff: async () => (await import('./formats/image/reader.ts')).readImage,
  bmp: async () => (await import('./formats/image/reader.ts')).readImage,
  gif: async () => (await import('./formats/image/reader.ts')).readImage,
  webp: async () => (await import('./formats/image/reader.ts')).readImage,
  heic: async () => (await import('./formats/image/reader.ts')).readImage,
  docx: async () => (await import('./formats/docx.ts')).readDocx,
  pptx: async () => (await import('./formats/pptx.ts')).readPptx,
  xlsx: async () => (await import('./formats/xlsx.ts')).readXlsx,
  csv: async () => (await import('./formats/csv.ts')).readCsv,
  tsv: async () => (await import('./formats/csv.ts')).readCsv,
  html: async () => (await import('./formats/html.ts')).readHtml,
  md: async () => (await import('./formats/markdown.ts')).readMarkdown,
  txt: async () => (await import('./formats/text.ts')).readText,
  eml: async () => (await import('./formats/email.ts')).readEml,
  msg: async () => (await import('./formats/email.ts')).readMsg,
  doc: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  xls: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  ppt: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  odt: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  ods: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  odp: async () => (await import('./formats/office.ts')).readViaLibreOffice,
  rtf: async () => (await import('./formats/office.ts')).readViaLibreOffice,
};

/** Read a document into the model (no rendering); extract/split/classify start from here too. */
export async function readDocument(bytes: Uint8Array, options: ParseOptions = {}, ctx: RunContext = {}): Promise<ParsedDocument> {
  throwIfAborted(ctx.signal);
  const format = await formatOf(bytes, options, ctx);
  const load = READERS[format];
  if (!load) throw new EngineError('DOCUMENT_UNSUPPORTED', `Documents of type ${format} are not supported yet`);
  const reader = await load();
  return readAs(format, ctx, () => reader(bytes, format, options, ctx));
}

/** The format a document is read as: the one forced by the settings, else the one its bytes show. */
async function formatOf(bytes: Uint8Array, options: ParseOptions, ctx: RunContext): Promise<Format> {
  return formatFromName(options.settings?.force_file_extension ?? undefined) ?? (await detectFormat(bytes, ctx.filename));
}

/** A reader's work, its failures classified and a document's text held to the character budget. */
async function readAs<T extends ParsedDocument | PdfPagesRead>(format: Format, ctx: RunContext, read: () => Promise<T>): Promise<T> {
  try {
    const out = await read();
    // Readers check the budget as they go where they can; this holds it for every format.
    if ('blocks' in out) checkCharacterCount(out.blocks.reduce((n, b) => n + b.text.length, 0), `${kindOf(format)} file`);
    return out;
  } catch (err) {
    throw classifyReadFailure(err, format, ctx.signal);
  }
}

/** Parse a document into Reducto's result shape. */
export async function parse(bytes: Uint8Array, options: ParseOptions = {}, ctx: RunContext = {}): Promise<ParseOutput> {
  const doc = await readDocument(bytes, options, ctx);
  throwIfAborted(ctx.signal);
  return buildOutput(doc, options);
}

/**
 * Parse a document as `parse` does, except that the reading of a PDF stops where
 * `ctx.handBack` asks it to: then the pages read so far come back (`read`, as `parsePages`
 * gives them), the rest of the document to be read in parts, possibly elsewhere, and merged
 * with them (`mergePages`). For splitting only documents whose reading proves long.
 */
export async function parseOrHandBack(bytes: Uint8Array, options: ParseOptions, ctx: RunContext): Promise<{ output: ParseOutput } | { read: PdfPagesRead }> {
  throwIfAborted(ctx.signal);
  const format = await formatOf(bytes, options, ctx);
  if (format !== 'pdf') return { output: await parse(bytes, options, ctx) };
  const { readPdfPages, finishPdf } = await import('./formats/pdf/reader.ts');
  const out = await readAs(format, ctx, async () => {
    const read = await readPdfPages(bytes, options, ctx);
    return read.handedBack ? read : finishPdf([{ read, pageOffset: 0 }], options);
  });
  if (!('blocks' in out)) return { read: out };
  throwIfAborted(ctx.signal);
  return { output: buildOutput(out, options) };
}

/** A range of a PDF's pages read for a fan-out part: see `parsePages` and `mergePages`. */
export type { PdfPagesRead as PagesRead } from './formats/pdf/reader.ts';

/**
 * Read pages first..last of a PDF, leaving the document-level decisions (headings, page
 * furniture, hyphens, chunking) to `mergePages`: the work of one fan-out part.
 */
export async function parsePages(bytes: Uint8Array, options: ParseOptions, ctx: RunContext, span: { first: number; last: number }): Promise<PdfPagesRead> {
  throwIfAborted(ctx.signal);
  const format = await formatOf(bytes, options, ctx);
  if (format !== 'pdf') throw new EngineError('DOCUMENT_UNSUPPORTED', `Only PDF documents are read by page range, not ${format}`);
  const { readPdfPages } = await import('./formats/pdf/reader.ts');
  try {
    return await readPdfPages(bytes, options, ctx, span);
  } catch (err) {
    throw classifyReadFailure(err, format, ctx.signal);
  }
}

/** Pages of a PDF, without reading them (null when the document is not a readable PDF: its parse will say why). */
export async function countPdfPages(bytes: Uint8Array, options: ParseOptions = {}, ctx: RunContext = {}): Promise<number | null> {
  const format = await formatOf(bytes, options, ctx);
  if (format !== 'pdf') return null;
  const { pdfPageCount } = await import('./formats/pdf/reader.ts');
  return pdfPageCount(bytes, options).catch(() => null);
}

/**
 * The parse of a whole PDF from its page ranges, in page order (`pageOffset`: added to a
 * range's page numbers when it was read from a PDF cut out of the document): the same
 * result as parsing the document in one go.
 */
export async function mergePages(parts: Array<{ read: PdfPagesRead; pageOffset: number }>, options: ParseOptions): Promise<ParseOutput> {
  const { finishPdf } = await import('./formats/pdf/reader.ts');
  return buildOutput(await finishPdf(parts, options), options);
}
