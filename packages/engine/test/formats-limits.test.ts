import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError, readDocument } from '../src/index.ts';
import { buildDocx, buildPptx, p, shape } from './formats-fixtures.ts';
import { classifyReadFailure } from '../src/read-failure.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as EngineError);

describe('format limits and failures', () => {
  const saved = process.env.FOLIO_SOFFICE;
  afterEach(() => {
    if (saved === undefined) delete process.env.FOLIO_SOFFICE;
    else process.env.FOLIO_SOFFICE = saved;
  });

  it('refuses a zip bomb before inflating it (DOCUMENT_TOO_LARGE)', async () => {
    const zip = await JSZip.loadAsync(await buildDocx({ body: p('hello') }));
    // 12 MiB of zeros deflates to a few KiB: a >1000× expansion ratio.
    zip.file('word/media/bomb.bin', new Uint8Array(12 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const err = await failure(readDocument(bytes, {}, { filename: 'bomb.docx' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', status: 413 });
  });

  it('stops inflating at the total budget whatever the headers declare (FOLIO_MAX_UNCOMPRESSED_MB)', async () => {
    const zip = await JSZip.loadAsync(await buildDocx({ body: p('hello') }));
    zip.file('word/media/a.bin', new Uint8Array(3 * 1024 * 1024).fill(1));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    process.env.FOLIO_MAX_UNCOMPRESSED_MB = '2';
    try {
      const err = await failure(readDocument(bytes, {}, { filename: 'big.docx' }));
      expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
      expect(err.message).toMatch(/DOCX file expands to 3 MiB; the limit is 2 MiB \(FOLIO_MAX_UNCOMPRESSED_MB\)/);
    } finally {
      delete process.env.FOLIO_MAX_UNCOMPRESSED_MB;
    }
  });

  it('answers a library that chokes on the bytes with DOCUMENT_CORRUPT in plain words, and keeps our own bugs as they are', () => {
    const library = new Error('Bug : uncompressed data size mismatch');
    library.stack = 'Error: Bug : uncompressed data size mismatch\n    at DataLengthProbe.flush (/app/node_modules/jszip/lib/stream/DataLengthProbe.js:25:11)';
    expect(classifyReadFailure(library, 'docx')).toMatchObject({ code: 'DOCUMENT_CORRUPT', message: 'The DOCX file is damaged: its zip data is damaged' });
    const ours = new TypeError("Cannot read properties of undefined (reading 'x')");
    ours.stack = `TypeError: ${ours.message}\n    at readDocx (/app/packages/engine/src/formats/docx.ts:20:3)`;
    expect(classifyReadFailure(ours, 'docx')).toBe(ours);
    expect(classifyReadFailure(new RangeError('Maximum call stack size exceeded'), 'html')).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', message: expect.stringMatching(/HTML file nests/) });
  });

  it('answers DOCUMENT_CORRUPT for a damaged Office file', async () => {
    const good = await buildDocx({ body: p('hello') });
    const err = await failure(readDocument(good.subarray(0, good.length - 200), {}, { filename: 'cut.docx' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(['DOCUMENT_CORRUPT', 'DOCUMENT_UNSUPPORTED']).toContain(err.code);
  });

  it('names LibreOffice when a legacy format cannot be converted', async () => {
    process.env.FOLIO_SOFFICE = '/nonexistent/soffice';
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const name of ['old.doc', 'old.xls', 'old.ppt']) {
      const err = await failure(readDocument(ole, {}, { filename: name }));
      expect(err).toMatchObject({ code: 'DOCUMENT_UNSUPPORTED' });
      expect(err.message).toMatch(/LibreOffice/);
    }
  });
  it('answers DOCUMENT_CORRUPT for an Outlook message that is not one', async () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const err = await failure(readDocument(ole, {}, { filename: 'mail.msg' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('DOCUMENT_CORRUPT');
  });
});

/** Run `fn` with budget settings in the environment, restoring them after. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('cell, character and page budgets', () => {
  const rows = (ws: ExcelJS.Worksheet, n: number): void => {
    for (let i = 0; i < n; i++) ws.addRow([`r${i}`, i, i * 2]);
  };

  it('refuses a workbook over the cell budget with DOCUMENT_TOO_LARGE naming FOLIO_MAX_CELLS', async () => {
    const bytes = await workbook((wb) => rows(wb.addWorksheet('S'), 40));
    const err = await withEnv({ FOLIO_MAX_CELLS: '100' }, () => failure(readDocument(bytes, {}, { filename: 'big.xlsx' })));
    expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', status: 413 });
    expect(err.message).toBe('The XLSX file has 120 non-empty cells; the limit is 100 (FOLIO_MAX_CELLS)');
    // Within the budget it reads; the caller's own lower max_cell_count still answers as Reducto does.
    expect((await withEnv({ FOLIO_MAX_CELLS: '200' }, () => readDocument(bytes, {}, { filename: 'big.xlsx' }))).pages).toHaveLength(1);
    const asked = await withEnv({ FOLIO_MAX_CELLS: '200' }, () => failure(readDocument(bytes, { spreadsheet: { max_cell_count: 50 } }, { filename: 'big.xlsx' })));
    expect(asked).toMatchObject({ code: 'CELL_COUNT_EXCEEDED' });
  });

  it('refuses a sheet whose used range spans billions of cells from two values at its corners', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Corners');
      ws.getCell('A1').value = 'top left';
      ws.getCell('XFD1048576').value = 'bottom right';
    });
    const err = await failure(readDocument(bytes, {}, { filename: 'corners.xlsx' }));
    expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    expect(err.message).toMatch(/^Sheet "Corners" spans 1048576 rows by 16384 columns .*\(FOLIO_MAX_CELLS\)$/);
  });

  it('stops reading a CSV at the cell budget', async () => {
    const csv = Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i},a${i},b${i},c${i}`).join('\n'));
    const err = await withEnv({ FOLIO_MAX_CELLS: '1000' }, () => failure(readDocument(csv, {}, { filename: 'big.csv' })));
    expect(err).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    expect(err.message).toBe('The CSV file has more than 1000 non-empty cells; the limit is 1000 (FOLIO_MAX_CELLS)');
    const ok = await withEnv({ FOLIO_MAX_CELLS: '20000' }, () => readDocument(csv, {}, { filename: 'big.csv' }));
    expect(ok.blocks.some((b) => b.type === 'Table')).toBe(true);
  });

  it('refuses text, Markdown, CSV, HTML and DOCX holding more characters than FOLIO_MAX_CHARACTERS', async () => {
    const para = 'A sentence of ordinary prose, repeated. ';
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['long.txt', Buffer.from(`${para.repeat(20)}\n\n`.repeat(10)), /^The text file holds \d+ characters of text/],
      ['long.md', Buffer.from(`# Title\n\n${`${para.repeat(20)}\n\n`.repeat(10)}`), /^The Markdown file holds/],
      ['long.csv', Buffer.from(`${para.repeat(3)},x\n`.repeat(50)), /^The CSV file holds/],
      ['long.html', Buffer.from(`<html><body>${`<p>${para.repeat(20)}</p>`.repeat(10)}</body></html>`), /^The HTML file holds/],
      ['long.docx', await buildDocx({ body: p(para.repeat(20)).repeat(10) }), /^The DOCX file holds/],
    ];
    for (const [name, bytes, message] of cases) {
      const err = await withEnv({ FOLIO_MAX_CHARACTERS: '5000' }, () => failure(readDocument(bytes, {}, { filename: name })));
      expect(err, name).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
      expect(err.message, name).toMatch(message);
      expect(err.message, name).toMatch(/; the limit is 5000 \(FOLIO_MAX_CHARACTERS\)$/);
      // The same file within a budget that fits it is read.
      await withEnv({ FOLIO_MAX_CHARACTERS: '100000' }, () => readDocument(bytes, {}, { filename: name }));
    }
  });

  it('applies FOLIO_MAX_PAGES to slides, sheets and page-broken text, after page_range', async () => {
    const slides = await buildPptx(Array.from({ length: 4 }, (_, i) => ({ shapes: shape([`Slide ${i + 1}`], { x: 0, y: 0, ph: 'title' }) })));
    const sheets = await workbook((wb) => { for (let i = 0; i < 4; i++) rows(wb.addWorksheet(`S${i + 1}`), 3); });
    const text = Buffer.from(['one', 'two', 'three', 'four'].join('\n\f'));
    const cases: Array<[string, Uint8Array, string]> = [['deck.pptx', slides, 'slides'], ['book.xlsx', sheets, 'sheets'], ['pages.txt', text, 'pages']];
    for (const [name, bytes, unit] of cases) {
      const err = await withEnv({ FOLIO_MAX_PAGES: '3' }, () => failure(readDocument(bytes, {}, { filename: name })));
      expect(err, name).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
      expect(err.message, name).toBe(`The document has 4 ${unit} to read; the limit is 3 (FOLIO_MAX_PAGES)`);
      const some = await withEnv({ FOLIO_MAX_PAGES: '3' }, () => readDocument(bytes, { settings: { page_range: { start: 2, end: 4 } } }, { filename: name }));
      expect(some.pages.map((pg) => pg.originalPage), name).toEqual([2, 3, 4]);
    }
  });
});
