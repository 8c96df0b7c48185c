import { existsSync } from 'node:fs';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.ts';

const require = createRequire(import.meta.url);

/**
 * Which model flavour to read from each @tesseract.js-data package. Recognition runs the
 * LSTM engine only, so `4.0.0_best_int` (the LSTM model alone, a quarter of the size) is
 * enough; `4.0.0` also carries the legacy model, which orientation detection (osd) needs.
 */
function modelFile(code: string): string {
  const dir = packageDir(code);
  const lstm = path.join(dir, '4.0.0_best_int', `${code}.traineddata.gz`);
  return code !== 'osd' && existsSync(lstm) ? lstm : path.join(dir, '4.0.0', `${code}.traineddata.gz`);
}

/** Language codes are tesseract's (eng, chi_sim): anything else is refused before any work. */
export function checkLanguageCodes(codes: readonly string[]): void {
  if (codes.length === 0) throw new EngineError('INVALID_CONFIG', 'settings.ocr_languages must not be empty');
  for (const code of codes) {
    if (!/^[a-z_]{3,12}$/i.test(code)) {
      throw new EngineError('INVALID_CONFIG', `Invalid OCR language code "${code}"`);
    }
  }
}

/** Validate language codes early so a bad request fails before any page is rendered. */
export function checkLanguages(codes: readonly string[]): void {
  checkLanguageCodes(codes);
  for (const code of codes) packageDir(code);
}

/**
 * The models tesseract.js reads for `codes`, named for the response: the npm package, its
 * version and flavour, or the file of FOLIO_TESSDATA_DIR.
 */
export function wasmModelNames(codes: readonly string[]): string[] {
  const external = externalModels(codes);
  if (external) return codes.map((code) => path.join(external, `${code}.traineddata`));
  return codes.map((code) => {
    const dir = packageDir(code);
    const version = (require(path.join(dir, 'package.json')) as { version: string }).version;
    return `@tesseract.js-data/${code}@${version}/${path.basename(path.dirname(modelFile(code)))}`;
  });
}

const unpacked = new Map<string, Promise<string>>();

/**
 * The npm models of `codes` as plain traineddata in one directory, for the system's
 * tesseract program to read (the vote's second model: the packages' best_int LSTM models,
 * where the program's own are usually tessdata_fast). Unpacked once per process.
 */
export function unpackedWasmModels(codes: readonly string[]): Promise<string> {
  checkLanguages(codes);
  const key = codes.join('+');
  let dir = unpacked.get(key);
  if (!dir) {
    dir = (async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'folio-traineddata-'));
      for (const code of codes) await writeFile(path.join(tmp, `${code}.traineddata`), gunzipSync(await readFile(modelFile(code))));
      return tmp;
    })();
    dir.catch(() => unpacked.delete(key));
    unpacked.set(key, dir);
  }
  return dir;
}

function packageDir(code: string): string {
  try {
    return path.dirname(require.resolve(`@tesseract.js-data/${code}/package.json`));
  } catch {
    throw new EngineError(
      'INVALID_CONFIG',
      `OCR language "${code}" is not installed; install the npm package @tesseract.js-data/${code}`,
    );
  }
}

const combined = new Map<string, Promise<string>>();

/**
 * `FOLIO_TESSDATA_DIR`: a directory of plain `<code>.traineddata` files (e.g. a system's
 * tessdata) to recognise with instead of the npm packages, when it has every language a
 * request asks for. Operators use it for other model flavours — tessdata_fast reads about
 * a third faster than the packaged best_int models — or languages not published on npm.
 */
export function externalModels(codes: readonly string[]): string | null {
  const dir = process.env.FOLIO_TESSDATA_DIR;
  if (!dir || codes.includes('osd')) return null;
  return codes.every((code) => existsSync(path.join(dir, `${code}.traineddata`))) ? dir : null;
}

/**
 * A directory holding `<code>.traineddata.gz` for every requested language, to give
 * tesseract.js as `langPath` (a local path, so it reads files and never fetches). One
 * language is its package's own directory; several get a directory of symlinks, because
 * tesseract.js takes a single langPath.
 */
export function languageDir(codes: readonly string[]): Promise<string> {
  checkLanguages(codes);
  if (codes.length === 1) return Promise.resolve(path.dirname(modelFile(codes[0])));
  const key = codes.join('+');
  let dir = combined.get(key);
  if (!dir) {
    dir = (async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'folio-tessdata-'));
      for (const code of codes) await symlink(modelFile(code), path.join(tmp, `${code}.traineddata.gz`));
      return tmp;
    })();
    dir.catch(() => combined.delete(key));
    combined.set(key, dir);
  }
  return dir;
}
