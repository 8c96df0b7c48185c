import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError, readDocument } from '../src/index.ts';
import { buildDocx, p } from './formats-fixtures.ts';
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
