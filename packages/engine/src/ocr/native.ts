import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.ts';

/**
 * The system's `tesseract` program as the recognition engine: the same engine as
 * tesseract.js, compiled natively (AVX2) and with the system's models (Debian ships
 * tessdata_fast), about 2.5× less CPU per page.
 *
 * Pages waiting for the program are read in batches: one process takes a list of page
 * images (tesseract reads a list file given on stdin) and loads its model once for all of
 * them, instead of a process start and model load (≈ 0.1 CPU-s) per page. At most `slots`
 * processes run at once, one thread each (pages are what run in parallel); a free slot takes
 * its share of what is waiting, so a lone page is never held back for a batch to fill.
 */

const PROGRAM = 'tesseract';
/** TSV output, set directly: the `tsv` config file is only in the program's own model directory. */
const TSV = 'tessedit_create_tsv=1';

/** `--tessdata-dir` for `dir`, or FOLIO_TESSDATA_DIR's models, else the program's own. */
function modelArgs(dir = process.env.FOLIO_TESSDATA_DIR): string[] {
  return dir ? ['--tessdata-dir', dir] : [];
}

/** What the installed program offers: its version, its model directory and languages. */
export interface NativeInstall {
  version: string;
  modelDir: string;
  languages: Set<string>;
}

/** Probes by what they depend on (the program found on PATH, the model directory). */
const probes = new Map<string, Promise<NativeInstall>>();

function execText(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PROGRAM, args, { timeout: 10_000 }, (err, stdout, stderr) => (err ? reject(err) : resolve(`${stdout}\n${stderr}`)));
  });
}

/** The program's version and languages (asked once), or a clear error when it is not installed. */
export function nativeInstall(): Promise<NativeInstall> {
  const key = `${process.env.PATH}\0${process.env.FOLIO_TESSDATA_DIR}`;
  let probed = probes.get(key);
  if (probed) return probed;
  probed = (async () => {
    try {
      const [version, list] = await Promise.all([execText(['--version']), execText([...modelArgs(), '--list-langs'])]);
      // `List of available languages in "/usr/share/…/tessdata/" (2):` then one code per line.
      const lines = list.split('\n').map((l) => l.trim()).filter(Boolean);
      const header = lines.findIndex((l) => l.startsWith('List of available languages'));
      return {
        version: /tesseract\s+v?([\d.]+\S*)/i.exec(version)?.[1] ?? 'unknown',
        modelDir: /"([^"]+)"/.exec(lines[header] ?? '')?.[1] ?? process.env.FOLIO_TESSDATA_DIR ?? '',
        languages: new Set(header < 0 ? [] : lines.slice(header + 1).filter((l) => /^[\w-]+$/.test(l))),
      };
    } catch (err) {
      // A missing program stays missing for this PATH; anything else (a timeout on a busy
      // machine) is asked again next time.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') probes.delete(key);
      throw new EngineError('INVALID_CONFIG', `the native OCR engine needs the ${PROGRAM} program on PATH (e.g. apt-get install tesseract-ocr tesseract-ocr-eng): ${(err as Error).message}`);
    }
  })();
  probes.set(key, probed);
  return probed;
}

/** Fail early, like the npm packages' check, when a requested language has no model. */
export async function checkNativeLanguages(codes: readonly string[]): Promise<NativeInstall> {
  const install = await nativeInstall();
  const missing = codes.filter((c) => !install.languages.has(c));
  if (missing.length > 0) {
    throw new EngineError('INVALID_CONFIG', `OCR language ${missing.map((c) => `"${c}"`).join(', ')} is not installed for ${PROGRAM} (e.g. apt-get install tesseract-ocr-${missing[0]})`);
  }
  return install;
}

interface Job {
  image: Buffer;
  args: string[];
  key: string;
  resolve: (output: string) => void;
  reject: (err: Error) => void;
}

const queue: Job[] = [];
let running = 0;
let scratch: Promise<string> | undefined;
let fileCounter = 0;

function submit(image: Buffer, args: string[], slots: number): Promise<string> {
  return new Promise((resolve, reject) => {
    queue.push({ image, args, key: args.join('\0'), resolve, reject });
    dispatch(slots);
  });
}

/** Start processes while there are free slots: each takes its share of the waiting pages of one kind. */
function dispatch(slots: number): void {
  while (running < slots && queue.length > 0) {
    const key = queue[0].key;
    const share = Math.max(1, Math.ceil(queue.length / (slots - running)));
    const batch: Job[] = [];
    for (let i = 0; i < queue.length && batch.length < share;) {
      if (queue[i].key === key) batch.push(...queue.splice(i, 1));
      else i++;
    }
    running++;
    runBatch(batch).finally(() => {
      running--;
      dispatch(slots);
    });
  }
}

async function runBatch(batch: Job[]): Promise<void> {
  const files: string[] = [];
  try {
    scratch ??= mkdtemp(path.join(os.tmpdir(), 'folio-ocr-'));
    const dir = await scratch;
    for (const job of batch) {
      const file = path.join(dir, `${process.pid}-${++fileCounter}.pgm`);
      await writeFile(file, job.image);
      files.push(file);
    }
    const [models, ...args] = batch[0].args;
    const output = await runProgram([...modelArgs(models || undefined), 'stdin', 'stdout', ...args], `${files.join('\n')}\n`);
    const pages = splitPages(output, batch.length, batch[0].args.includes(TSV));
    batch.forEach((job, i) => job.resolve(pages[i]));
  } catch (err) {
    for (const job of batch) job.reject(err as Error);
  } finally {
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }
}

function runProgram(args: string[], input: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(PROGRAM, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${PROGRAM} exited with ${code}: ${err.trim()}`));
    });
    child.stdin.on('error', () => {}); // a failed start reports through 'error'
    child.stdin.end(input);
  });
}

/**
 * One output per listed image: TSV rows carry the page (1-based) in their second column;
 * orientation reports start with "Page number: N" (0-based).
 */
export function splitPages(output: string, count: number, tsv: boolean): string[] {
  const pages: string[][] = Array.from({ length: count }, () => []);
  let current = -1;
  for (const row of output.split('\n')) {
    if (tsv) {
      const page = Number(row.split('\t', 2)[1]);
      if (Number.isInteger(page) && page >= 1) current = page - 1;
    } else {
      const m = /^Page number:\s*(\d+)/.exec(row);
      if (m) current = Number(m[1]);
    }
    if (current >= 0 && current < count) pages[current].push(row);
  }
  return pages.map((rows) => rows.join('\n'));
}

/**
 * One block of text (PSM 6) as tesseract's TSV, the format tesseract.js returns too.
 * `modelDir` reads other models than the program's own (the vote's second reading).
 */
export async function recognizeNative(image: Buffer, langs: string[], slots: number, modelDir?: string): Promise<string> {
  if (!modelDir) await checkNativeLanguages(langs);
  return submit(image, [modelDir ?? '', '-l', langs.join('+'), '--psm', '6', '-c', 'user_defined_dpi=300', '-c', 'preserve_interword_spaces=0', '-c', TSV, '-c', 'tessedit_create_txt=0'], slots);
}

/**
 * Orientation detection (PSM 0), in tesseract.js's terms: its `orientation_degrees` is the
 * program's "Rotate" (the clockwise turn that makes the page upright), not its "Orientation
 * in degrees" (how far the page is turned).
 */
export async function detectNative(image: Buffer, slots: number): Promise<{ orientation_degrees: number | null; orientation_confidence: number | null }> {
  await checkNativeLanguages(['osd']);
  const text = await submit(image, ['', '--psm', '0', '-c', 'user_defined_dpi=300'], slots);
  const degrees = /Rotate:\s*(\d+)/.exec(text);
  const confidence = /Orientation confidence:\s*([\d.]+)/.exec(text);
  return { orientation_degrees: degrees ? Number(degrees[1]) : null, orientation_confidence: confidence ? Number(confidence[1]) : null };
}

/** Remove the scratch directory (shutdown); a later page makes a new one. */
export async function closeNative(): Promise<void> {
  if (!scratch || running > 0 || queue.length > 0) return;
  const dir = await scratch.catch(() => null);
  scratch = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
}
