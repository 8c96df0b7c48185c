import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError, readDocument } from '../src/index.ts';
import { buildDocx, p } from './formats-fixtures.ts';

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
