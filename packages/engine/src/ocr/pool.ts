import os from 'node:os';
import Tesseract from 'tesseract.js';
import { createRequire } from 'node:module';
import { EngineError } from '../errors.ts';
import { checkLanguageCodes, checkLanguages, externalModels, languageDir, unpackedWasmModels, wasmModelNames } from './languages.ts';
import { checkNativeLanguages, closeNative, detectNative, nativeInstall, recognizeNative } from './native.ts';
import { missingPackages, ppocrAvailable, ppocrInstall, ppocrModels, ppocrRuntime } from './ppocr/index.ts';

const require = createRequire(import.meta.url);

const { createScheduler, createWorker, OEM, PSM } = Tesseract;

/**
 * Tesseract workers are expensive to start (≈0.5 s and ~100 MB each), so they are shared
 * by every page and every job of the process: one scheduler per language set, sized to the
 * worker count. Pools shut themselves down after a spell of idleness so that a CLI run or a
 * test process can exit.
 */
export interface OcrSettings {
  /**
   * `auto` (default): the system's tesseract program when it is installed with every
   * requested language (and the orientation model), else tesseract.js. `native`: the
   * program only (INVALID_CONFIG without it). `wasm`: tesseract.js with the npm models only.
   * `ppocr`: PP-OCR's networks through onnxruntime (optional packages; INVALID_CONFIG
   * without them; never picked by `auto`). Which engine and models read each page is named
   * in the response.
   */
  engine: OcrEngineSetting;
  /**
   * `single`: one reading per page. `vote`: every page is read by tesseract (the `auto`
   * choice) and by PP-OCR, and the two readings are combined word by word (vote.ts): two
   * recognisers of different design misread different words. Without the PP-OCR packages
   * (or for languages its dictionary lacks), the second reading is the system's program with
   * the npm packages' models (best_int, where the program's are usually tessdata_fast).
   * Unset (the default): `vote` where PP-OCR is installed and reads the languages, else
   * `single` — on receipts the vote's text is clearly better (edit similarity 0.78 → 0.84,
   * key fields 0.70 → 0.86) for about four times the OCR time.
   */
  mode?: OcrMode;
  /** Recognition workers per language set (default: CPU count, at most 4). */
  workers: number;
  /** Terminate idle workers after this many milliseconds. */
  idleMs: number;
}

export type OcrEngineSetting = 'auto' | 'native' | 'wasm' | 'ppocr';
export type OcrMode = 'single' | 'vote';

/** A request's `settings.ocr_mode`, checked (undefined: the process's setting). */
export function requestOcrMode(value: unknown): OcrMode | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'single' || value === 'vote') return value;
  throw new EngineError('INVALID_CONFIG', `settings.ocr_mode must be "single" or "vote" (got ${JSON.stringify(value)})`);
}

function modeFromEnv(value: string | undefined): OcrMode | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return undefined;
  if (v === 'single') return 'single';
  if (v === 'vote') return 'vote';
  throw new Error(`FOLIO_OCR_MODE must be single or vote (got "${value}")`);
}

function engineFromEnv(value: string | undefined): OcrEngineSetting {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'native' || v === 'tesseract') return 'native';
  if (v === 'wasm' || v === 'tesseract.js') return 'wasm';
  if (v === 'ppocr' || v === 'pp-ocr') return 'ppocr';
  throw new Error(`FOLIO_OCR_ENGINE must be auto, native, wasm or ppocr (got "${value}")`);
}

const settings: OcrSettings = {
  engine: engineFromEnv(process.env.FOLIO_OCR_ENGINE),
  mode: modeFromEnv(process.env.FOLIO_OCR_MODE),
  workers: Number(process.env.FOLIO_OCR_WORKERS) || Math.max(1, Math.min(4, os.availableParallelism())),
  idleMs: Number(process.env.FOLIO_OCR_IDLE_MS) || 15_000,
};

/** Adjust pool size / idle timeout (e.g. from server configuration). Applies to new pools. */
export function configureOcr(next: Partial<OcrSettings>): void {
  Object.assign(settings, next);
}

export function ocrWorkerCount(): number {
  return settings.workers;
}

type Scheduler = Tesseract.Scheduler;

interface Pool {
  scheduler: Promise<Scheduler>;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

const pools = new Map<string, Pool>();

const RECOGNITION_PARAMS = {
  // One block: layout analysis finds columns and blocks from the word boxes itself, and
  // tesseract's own page segmentation drops faint or isolated text (receipt lines, table
  // cells) as noise. Measured: SROIE word recall 0.790 → 0.815, PubTabNet adjacency F1 up.
  tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
  // Our images carry no DPI metadata tesseract trusts; pages are rendered at ~300 dpi.
  user_defined_dpi: '300',
  preserve_interword_spaces: '0',
};

/** Tesseract's diagnostics ("Detected N diacritics", DPI guesses) are noise in server logs. */
const QUIET_PARAMS = { debug_file: '/dev/null', user_defined_dpi: '300' };

async function startPool(key: string, langs: string[]): Promise<Scheduler> {
  const isOsd = key === 'osd';
  const external = externalModels(langs);
  const langPath = external ?? (await languageDir(langs));
  const scheduler = createScheduler();
  const count = isOsd ? 1 : settings.workers;
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = await createWorker(langs, isOsd ? OEM.TESSERACT_ONLY : OEM.LSTM_ONLY, {
        cacheMethod: 'none',
        langPath,
        gzip: external === null,
        legacyCore: isOsd,
        legacyLang: isOsd,
        errorHandler: () => {},
      });
      await worker.setParameters(isOsd ? QUIET_PARAMS : { ...RECOGNITION_PARAMS, ...QUIET_PARAMS });
      return worker;
    }),
  );
  for (const w of workers) scheduler.addWorker(w);
  return scheduler;
}

function poolFor(langs: string[]): Pool {
  const key = langs.join('+');
  let pool = pools.get(key);
  if (!pool) {
    pool = { scheduler: startPool(key, langs), busy: 0 };
    pool.scheduler.catch(() => pools.delete(key));
    pools.set(key, pool);
  }
  return pool;
}

/** Run one action on a pooled worker, keeping the pool alive while work is outstanding. */
async function withPool<T>(langs: string[], run: (s: Scheduler) => Promise<T>): Promise<T> {
  const key = langs.join('+');
  const pool = poolFor(langs);
  clearTimeout(pool.idleTimer);
  pool.busy++;
  try {
    return await run(await pool.scheduler);
  } finally {
    pool.busy--;
    if (pool.busy === 0) {
      pool.idleTimer = setTimeout(() => void closePool(key), settings.idleMs);
      pool.idleTimer.unref();
    }
  }
}

async function closePool(key: string): Promise<void> {
  const pool = pools.get(key);
  if (!pool || pool.busy > 0) return;
  pools.delete(key);
  clearTimeout(pool.idleTimer);
  const scheduler = await pool.scheduler.catch(() => undefined);
  await scheduler?.terminate();
}

/** Terminate every OCR worker now (tests, graceful shutdown). */
export async function shutdownOcr(): Promise<void> {
  await Promise.all([...pools.keys()].map(closePool));
  await closeNative();
}

/** The engine that reads a request's pages, as named in the response. */
export interface OcrEngine {
  kind: 'native' | 'wasm' | 'ppocr';
  /** `tesseract` (the system's program), `tesseract.js` or `ppocr` (onnxruntime-node). */
  name: string;
  version: string;
  /** The models read, one per language. */
  models: string[];
  /** Where the program reads `models` from, when not its own directory. */
  modelDir?: string;
  /** A second reading of every page, combined with this one (OCR mode `vote`). */
  second?: OcrEngine;
}

const TESSERACT_JS_VERSION = (require('tesseract.js/package.json') as { version: string }).version;

function wasmEngine(langs: string[]): OcrEngine {
  return { kind: 'wasm', name: 'tesseract.js', version: TESSERACT_JS_VERSION, models: wasmModelNames(langs) };
}

async function nativeEngine(langs: string[]): Promise<OcrEngine> {
  const install = await checkNativeLanguages(langs);
  return { kind: 'native', name: 'tesseract', version: install.version, models: langs.map((l) => `${install.modelDir.replace(/\/$/, '')}/${l}.traineddata`) };
}

/**
 * The engine for a request's languages and OCR mode under the current setting. `auto` asks the program
 * once per process (`--list-langs`) and takes it when it has every language and the
 * orientation model; otherwise the npm models, and a clear error when neither has them.
 */
export async function resolveOcrEngine(langs: string[], mode: OcrMode | undefined = settings.mode): Promise<OcrEngine> {
  if (settings.engine === 'ppocr') return ppocrEngine(langs);
  const engine = await primaryEngine(langs);
  return (mode ?? defaultOcrMode(langs)) === 'vote' ? withSecondReading(engine, langs) : engine;
}

/** The OCR mode when neither the request nor the process names one (see OcrSettings.mode). */
export function defaultOcrMode(langs: string[]): OcrMode {
  return ppocrAvailable() && ppocrReads(langs) ? 'vote' : 'single';
}

/**
 * The engine with a second reading: PP-OCR where it is installed and reads the languages,
 * else the same program with the npm packages' models where the program reads with models of
 * its own (usually tessdata_fast); else the engine as is.
 */
export async function withSecondReading(engine: OcrEngine, langs: string[]): Promise<OcrEngine> {
  if (engine.second || engine.kind === 'ppocr') return engine;
  if (ppocrAvailable() && ppocrReads(langs)) return { ...engine, second: await ppocrEngine(langs) };
  if (engine.kind !== 'native' || engine.modelDir || externalModels(langs)) return engine;
  let modelDir: string;
  try {
    modelDir = await unpackedWasmModels(langs);
  } catch {
    return engine; // no npm model for these languages: one reading
  }
  const second: OcrEngine = { kind: 'native', name: 'tesseract', version: engine.version, models: wasmModelNames(langs), modelDir };
  return { ...engine, second };
}

/**
 * The reading of small print (letters a few pixels high, enlarged before reading). With the
 * engine left to choose, PP-OCR where it is installed: its detector finds each cell's words
 * and its recogniser reads text 48 px high, keeping the decimal points and digits that
 * tesseract loses in enlarged print. (Voting it with tesseract does worse on tables: their
 * lines pair one reading's cells with the other's whole rows.) Otherwise the engine with a
 * second reading voted beside it.
 */
export async function smallPrintEngine(engine: OcrEngine, langs: string[]): Promise<OcrEngine> {
  if (engine.kind === 'ppocr') return engine;
  // Also in OCR mode `vote`: PP-OCR alone reads such snippets better than the vote does.
  if (settings.engine === 'auto' && ppocrAvailable() && ppocrReads(langs)) return ppocrEngine(langs);
  return engine.second ? engine : withSecondReading(engine, langs);
}

/**
 * The languages PP-OCR's dictionary (Chinese models: Chinese, Latin letters, digits and
 * ASCII punctuation) covers without accents.
 */
const PPOCR_LANGUAGES = new Set(['eng', 'chi_sim']);

function ppocrReads(langs: string[]): boolean {
  return langs.every((l) => PPOCR_LANGUAGES.has(l));
}

/** PP-OCR, its sessions loaded now so a missing or broken install fails the request early. */
async function ppocrEngine(langs: string[]): Promise<OcrEngine> {
  if (!ppocrReads(langs)) {
    throw new EngineError('INVALID_CONFIG', `the ppocr OCR engine reads ${[...PPOCR_LANGUAGES].join(', ')} only (asked for ${langs.join(', ')})`);
  }
  const rt = await ppocrRuntime(settings.workers);
  return { kind: 'ppocr', name: 'ppocr', version: `onnxruntime-node ${rt.version}`, models: ppocrModels() };
}

async function primaryEngine(langs: string[]): Promise<OcrEngine> {
  if (settings.engine === 'native') return nativeEngine(langs);
  if (settings.engine === 'wasm') return wasmEngine(langs);
  const install = await nativeInstall().catch(() => null);
  if (install && [...langs, 'osd'].every((l) => install.languages.has(l))) return nativeEngine(langs);
  try {
    return wasmEngine(langs);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const why = install ? `nor for the system's tesseract program (${[...install.languages].join(', ')})` : 'and the tesseract program is not installed';
    throw new EngineError('INVALID_CONFIG', `${err.message}; no model either ${why}`);
  }
}

/**
 * Recognise an encoded image (PGM/PNG/JPEG bytes) as one block of text (the caller deskews).
 * Returns tesseract's TSV (one row per page/block/paragraph/line/word): far cheaper to
 * produce and pass between threads than the per-symbol JSON tree.
 */
export function recognize(image: Buffer, langs: string[], engine: OcrEngine): Promise<string> {
  if (engine.kind === 'ppocr') throw new Error('PP-OCR reads pixels, not tesseract input (readPpocr)');
  if (engine.kind === 'native') return recognizeNative(image, langs, settings.workers, engine.modelDir);
  return withPool(langs, async (s) => {
    const result = await s.addJob('recognize', image, {}, { tsv: true, text: false });
    return result.data.tsv ?? '';
  });
}

/** Orientation and script detection (legacy engine, osd traineddata). */
export async function detectOrientation(image: Buffer, engine: OcrEngine): Promise<Pick<Tesseract.DetectData, 'orientation_degrees' | 'orientation_confidence'>> {
  // PP-OCR has no page orientation model (its line classifier only tells 0° from 180°):
  // tesseract's detector, the program's when it has the model, else tesseract.js's.
  if (engine.kind === 'ppocr') {
    const install = await nativeInstall().catch(() => null);
    return detectOrientation(image, install?.languages.has('osd') ? { ...engine, kind: 'native' } : { ...engine, kind: 'wasm' });
  }
  if (engine.kind === 'native') return detectNative(image, settings.workers);
  return withPool(['osd'], async (s) => (await s.addJob('detect', image)).data);
}

/**
 * Fail early when a requested OCR language has no npm model. The native and auto engines
 * look at the system's models on the first page to read (INVALID_CONFIG as well).
 */
export function checkOcrLanguages(codes: readonly string[]): void {
  if (settings.engine === 'ppocr') {
    if (!ppocrInstall()) throw missingPackages();
    if (!ppocrReads([...codes])) throw new EngineError('INVALID_CONFIG', `the ppocr OCR engine reads ${[...PPOCR_LANGUAGES].join(', ')} only (asked for ${codes.join(', ')})`);
  } else if (settings.engine === 'wasm') checkLanguages(codes);
  else checkLanguageCodes(codes);
}
