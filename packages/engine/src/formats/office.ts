import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Format } from '../format.ts';
import type { Reader } from '../parse.ts';
import { EngineError, throwIfAborted } from '../errors.ts';

/** What each legacy or OpenDocument format is converted to before reading it natively. */
const TARGET: Partial<Record<Format, { ext: string; reader: () => Promise<Reader> }>> = {
  doc: { ext: 'docx', reader: async () => (await import('./docx.ts')).readDocx },
  odt: { ext: 'docx', reader: async () => (await import('./docx.ts')).readDocx },
  rtf: { ext: 'docx', reader: async () => (await import('./docx.ts')).readDocx },
  xls: { ext: 'xlsx', reader: async () => (await import('./xlsx.ts')).readXlsx },
  ods: { ext: 'xlsx', reader: async () => (await import('./xlsx.ts')).readXlsx },
  ppt: { ext: 'pptx', reader: async () => (await import('./pptx.ts')).readPptx },
  odp: { ext: 'pptx', reader: async () => (await import('./pptx.ts')).readPptx },
};

const CONVERT_TIMEOUT_MS = 120_000;

/** The LibreOffice binary: FOLIO_SOFFICE, else `soffice` on the PATH. */
function soffice(): string {
  return process.env.FOLIO_SOFFICE || 'soffice';
}

/**
 * Legacy Office (DOC/XLS/PPT), OpenDocument and RTF: converted to OOXML with LibreOffice
 * (headless, a fresh profile per conversion so parallel conversions never share state),
 * then read by the OOXML reader. Without LibreOffice the answer is a clear
 * DOCUMENT_UNSUPPORTED naming it.
 */
export const readViaLibreOffice: Reader = async (bytes, format, options, ctx) => {
  const target = TARGET[format];
  if (!target) throw new EngineError('DOCUMENT_UNSUPPORTED', `Documents of type ${format} are not supported`);
  const converted = await convert(bytes, format, target.ext, ctx.signal);
  throwIfAborted(ctx.signal);
  const reader = await target.reader();
  return reader(converted, target.ext as Format, options, ctx);
};

async function convert(bytes: Uint8Array, from: string, to: string, signal?: AbortSignal): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'folio-soffice-'));
  try {
    const input = join(dir, `input.${from}`);
    await writeFile(input, bytes);
    const args = [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless', '--norestore', '--nolockcheck', '--convert-to', to, '--outdir', join(dir, 'out'), input,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(soffice(), args, { timeout: CONVERT_TIMEOUT_MS, signal, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') reject(new EngineError('DOCUMENT_UNSUPPORTED', `Reading ${from.toUpperCase()} files needs LibreOffice (soffice), which is not installed`));
        else if (e.name === 'AbortError') reject(new EngineError('JOB_CANCELLED', 'Job cancelled'));
        else if (e.killed) reject(new EngineError('TIMEOUT', `LibreOffice did not convert the ${from.toUpperCase()} file within ${CONVERT_TIMEOUT_MS / 1000} s`));
        else reject(new EngineError('DOCUMENT_CORRUPT', `LibreOffice could not convert the ${from.toUpperCase()} file: ${String(stderr).trim().slice(0, 300)}`));
      });
    });
    const out = (await readdir(join(dir, 'out')).catch(() => [] as string[])).find((f) => f.endsWith(`.${to}`));
    if (!out) throw new EngineError('DOCUMENT_CORRUPT', `LibreOffice could not convert the ${from.toUpperCase()} file`);
    return new Uint8Array(await readFile(join(dir, 'out', out)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
