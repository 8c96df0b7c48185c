import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { externalModels } from '../src/ocr/languages.ts';

const saved = process.env.FOLIO_TESSDATA_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.FOLIO_TESSDATA_DIR;
  else process.env.FOLIO_TESSDATA_DIR = saved;
});

describe('FOLIO_TESSDATA_DIR', () => {
  it('is used only when it holds every requested language, and never for orientation detection', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-tessdata-test-'));
    writeFileSync(path.join(dir, 'eng.traineddata'), '');
    writeFileSync(path.join(dir, 'osd.traineddata'), '');
    delete process.env.FOLIO_TESSDATA_DIR;
    expect(externalModels(['eng'])).toBeNull();
    process.env.FOLIO_TESSDATA_DIR = dir;
    expect(externalModels(['eng'])).toBe(dir);
    expect(externalModels(['eng', 'fra'])).toBeNull();
    expect(externalModels(['osd'])).toBeNull();
  });
});
