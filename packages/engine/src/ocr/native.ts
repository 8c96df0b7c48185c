import { execFile, spawn } from 'node:child_process';
import { EngineError } from '../errors.ts';

/**
 * The system's `tesseract` program as the recognition engine (`FOLIO_OCR_ENGINE=native`):
 * the same engine as tesseract.js, compiled natively (AVX2) and with the system's models
 * (Debian ships tessdata_fast), about 2.5× less CPU per page. Opt-in, because results then
 * depend on the host's packages; the default stays tesseract.js with the npm models.
 * Each page is one short-lived process reading the image from stdin, one thread each (pages
 * are what run in parallel), at most `slots` at a time.
 */

const PROGRAM = 'tesseract';

/** `--tessdata-dir` when FOLIO_TESSDATA_DIR names the models, else the program's own. */
function modelArgs(): string[] {
  const dir = process.env.FOLIO_TESSDATA_DIR;
  return dir ? ['--tessdata-dir', dir] : [];
}

let installed: Promise<Set<string>> | undefined;

/** The languages the program can read, or a clear error when it is not installed. */
function languages(): Promise<Set<string>> {
  installed ??= new Promise((resolve, reject) => {
    execFile(PROGRAM, [...modelArgs(), '--list-langs'], { timeout: 10_000 }, (err, stdout) => {
      if (err) {
        installed = undefined;
        reject(new EngineError('INVALID_CONFIG', `FOLIO_OCR_ENGINE=native needs the ${PROGRAM} program on PATH (e.g. apt-get install tesseract-ocr tesseract-ocr-eng): ${err.message}`));
        return;
      }
      // "List of available languages in "/usr/share/…" (2):" then one code per line.
      resolve(new Set(stdout.split('\n').slice(1).map((l) => l.trim()).filter(Boolean)));
    });
  });
  return installed;
}

/** Fail early, like the npm packages' check, when a requested language has no model. */
export async function checkNativeLanguages(codes: readonly string[]): Promise<void> {
  const have = await languages();
  const missing = codes.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new EngineError('INVALID_CONFIG', `OCR language ${missing.map((c) => `"${c}"`).join(', ')} is not installed for ${PROGRAM} (e.g. apt-get install tesseract-ocr-${missing[0]})`);
  }
}

const waiting: Array<() => void> = [];
let running = 0;

async function run(image: Buffer, args: string[], slots: number): Promise<string> {
  // A finishing run hands its slot straight to the next waiting one.
  if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(PROGRAM, [...modelArgs(), 'stdin', 'stdout', ...args], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
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
      child.stdin.end(image);
    });
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** One block of text (PSM 6) as tesseract's TSV, the format tesseract.js returns too. */
export async function recognizeNative(image: Buffer, langs: string[], slots: number): Promise<string> {
  await checkNativeLanguages(langs);
  return run(image, ['-l', langs.join('+'), '--psm', '6', '-c', 'user_defined_dpi=300', '-c', 'preserve_interword_spaces=0', 'tsv'], slots);
}

/**
 * Orientation detection (PSM 0), in tesseract.js's terms: its `orientation_degrees` is the
 * program's "Rotate" (the clockwise turn that makes the page upright), not its "Orientation
 * in degrees" (how far the page is turned).
 */
export async function detectNative(image: Buffer, slots: number): Promise<{ orientation_degrees: number | null; orientation_confidence: number | null }> {
  await checkNativeLanguages(['osd']);
  const text = await run(image, ['--psm', '0', '-c', 'user_defined_dpi=300'], slots);
  const degrees = /Rotate:\s*(\d+)/.exec(text);
  const confidence = /Orientation confidence:\s*([\d.]+)/.exec(text);
  return { orientation_degrees: degrees ? Number(degrees[1]) : null, orientation_confidence: confidence ? Number(confidence[1]) : null };
}
