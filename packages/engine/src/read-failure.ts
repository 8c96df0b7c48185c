import { EngineError } from './errors.ts';
import type { Format } from './format.ts';

/** The name users know a format by, for messages ("The DOCX file is damaged …"). */
export function kindOf(format: Format | 'zip'): string {
  if (format === 'md') return 'Markdown';
  if (format === 'eml') return 'e-mail';
  if (format === 'msg') return 'Outlook message';
  return format.toUpperCase();
}

/**
 * What a library's failure says about the file, in the user's words, keyed by the package
 * the failure came from. Library messages themselves ("Bug : uncompressed data size
 * mismatch", "readTagExp returned undefined at position 942") mean nothing to a user.
 */
const LIBRARY_DIAGNOSIS: Array<[RegExp, string]> = [
  [/node_modules[\\/](jszip|pako|unzipper)[\\/]/, 'its zip data is damaged'],
  [/node_modules[\\/]fast-xml-parser[\\/]/, 'its XML is malformed'],
  [/node_modules[\\/](exceljs|saxes)[\\/]/, 'its workbook structure is invalid'],
  [/node_modules[\\/]pdfjs-dist[\\/]/, 'its PDF structure is invalid'],
  [/node_modules[\\/]sharp[\\/]/, 'its image data is corrupt'],
  [/node_modules[\\/](mailparser|@kenjiuno[\\/]msgreader)[\\/]/, 'its message structure is invalid'],
];

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack size/i.test(err.message);
}

/** The first stack frame, when it lies in a dependency: the library choked on the input. */
function libraryFrame(err: unknown): string | undefined {
  if (!(err instanceof Error)) return 'non-error';
  const frame = err.stack?.split('\n').find((line) => /^\s+at /.test(line));
  return frame && /node_modules[\\/]/.test(frame) ? frame : undefined;
}

/**
 * Turn a reader's failure into an answer about the input. Our own EngineErrors pass as
 * they are; a library that chokes on the bytes means a damaged file (DOCUMENT_CORRUPT);
 * recursion that exhausts the stack means nesting beyond any budget (DOCUMENT_TOO_LARGE).
 * Anything else is a bug of ours and stays as it is (INTERNAL_ERROR, logged with its stack).
 */
export function classifyReadFailure(err: unknown, format: Format, signal?: AbortSignal): unknown {
  if (err instanceof EngineError) return err;
  if (signal?.aborted) return new EngineError('JOB_CANCELLED', 'Job cancelled');
  const kind = kindOf(format);
  if (isStackOverflow(err)) {
    return new EngineError('DOCUMENT_TOO_LARGE', `The ${kind} file nests its content too deeply to be read`);
  }
  const frame = libraryFrame(err);
  if (frame === undefined) return err;
  const diagnosis = LIBRARY_DIAGNOSIS.find(([re]) => re.test(frame))?.[1] ?? 'its content could not be parsed';
  return new EngineError('DOCUMENT_CORRUPT', `The ${kind} file is damaged: ${diagnosis}`);
}

/** DOCUMENT_CORRUPT for a file whose reading failed, with what is wrong in plain words. */
export function damaged(format: Format | 'zip', what: string): EngineError {
  return new EngineError('DOCUMENT_CORRUPT', `The ${kindOf(format)} file is damaged: ${what}`);
}
