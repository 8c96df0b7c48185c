import { spawn } from 'node:child_process';
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
    await runSoffice(args, from, signal);
    const out = (await readdir(join(dir, 'out')).catch(() => [] as string[])).find((f) => f.endsWith(`.${to}`));
    if (!out) throw new EngineError('DOCUMENT_CORRUPT', `LibreOffice could not convert the ${from.toUpperCase()} file`);
    return new Uint8Array(await readFile(join(dir, 'out', out)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Run soffice in its own process group: `soffice` is a wrapper that starts soffice.bin, so a
 * timeout or cancel kills the whole group, never leaving a converter running.
 */
function runSoffice(args: string[], from: string, signal?: AbortSignal): Promise<void> {
  const kind = from.toUpperCase();
  return new Promise<void>((resolve, reject) => {
    const child = spawn(soffice(), args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let reason: EngineError | undefined;
    const kill = (why: EngineError): void => {
      reason ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill(new EngineError('TIMEOUT', `LibreOffice did not convert the ${kind} file within ${CONVERT_TIMEOUT_MS / 1000} s`)), CONVERT_TIMEOUT_MS);
    const onAbort = (): void => kill(new EngineError('JOB_CANCELLED', 'Job cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const done = (err?: EngineError): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      done(err.code === 'ENOENT'
        ? new EngineError('DOCUMENT_UNSUPPORTED', `Reading ${kind} files needs LibreOffice (soffice), which is not installed`)
        : new EngineError('PROCESSING_FAILED', `LibreOffice could not be started: ${err.message}`));
    });
    child.on('exit', (code) => {
      if (reason) done(reason);
      else if (code === 0) done();
      else done(new EngineError('DOCUMENT_CORRUPT', `LibreOffice could not convert the ${kind} file: ${stderr.trim().slice(0, 300)}`));
    });
    if (signal?.aborted) onAbort();
  });
}
