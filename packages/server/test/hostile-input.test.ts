import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './harness.ts';
import { rawClient, type RawClient } from './http-client.ts';
import { cornerXlsx, damagedDocx, deepHtml, deepMarkdown, flateBombPdf, longText, manyCellCsv, manyPagePdf, manySlidePptx, officeBomb, rawPdf } from './hostile-files.ts';

/**
 * Hostile input is the user's mistake: each file below gets a 4xx naming the file kind and
 * what is wrong (the limit and its setting for budgets), never an INTERNAL_ERROR or a
 * library's own words, and bombs are refused before they are expanded.
 */
describe('hostile input through the server', () => {
  let server: ServerProcess;
  let api: RawClient;

  beforeAll(async () => {
    server = await startServerProcess({ workers: 1, env: { FOLIO_MAX_UPLOAD_MB: '2', FOLIO_MAX_PDF_STREAM_MB: '16', FOLIO_MAX_CHARACTERS: '1500000', FOLIO_MAX_CELLS: '100000' } });
    api = rawClient(server.baseURL, server.apiKeys[0]);
  });
  afterAll(() => server?.stop());

  async function parseSync(bytes: Uint8Array, filename: string): Promise<{ status: number; name: string; detail: string }> {
    const input = await api.upload(bytes, filename);
    const res = await api.request('POST', '/parse', { input });
    return { status: res.status, name: res.body?.error?.name, detail: res.body?.detail };
  }

  const LIBRARY_WORDS = /Bug :|readTagExp|call stack|Input buffer|undefined|Tag is not closed/;

  for (const kind of ['docx', 'xlsx', 'pptx'] as const) {
    it(`refuses a ${kind.toUpperCase()} zip bomb from its declared size (413 naming the limit)`, async () => {
      // 1 MiB of zeros whose headers claim 2 GiB: refused before anything is inflated.
      const got = await parseSync(await officeBomb(kind, 1 << 20, 2 ** 31), `bomb.${kind}`);
      expect(got).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
      expect(got.detail).toContain(kind.toUpperCase());
      expect(got.detail).toMatch(/FOLIO_MAX_EXPANSION_RATIO/);
    });

    it(`stops inflating a ${kind.toUpperCase()} part that holds more than its header declares`, async () => {
      // 24 MiB of zeros declared as 5 MiB: the headers lie, so inflation is capped as it runs.
      const got = await parseSync(await officeBomb(kind, 24 << 20, 5 << 20), `liar.${kind}`);
      expect(got).toMatchObject({ status: 415, name: 'DOCUMENT_CORRUPT' });
      expect(got.detail).toMatch(new RegExp(`${kind.toUpperCase()} file is damaged: .*declares`));
    });
  }

  it('answers DOCUMENT_CORRUPT in plain words for damaged compressed data', async () => {
    const got = await parseSync(await damagedDocx(), 'damaged.docx');
    expect(got).toMatchObject({ status: 415, name: 'DOCUMENT_CORRUPT' });
    expect(got.detail).toMatch(/DOCX file is damaged/);
    expect(got.detail).not.toMatch(LIBRARY_WORDS);
  });

  it('refuses HTML nested 20,000 deep and a Markdown list nested 1,000 deep (FOLIO_MAX_NESTING)', async () => {
    for (const [bytes, name, kind] of [[deepHtml(20_000, 'table'), 'deep.html', 'HTML'], [deepMarkdown(1_000), 'deep.md', 'Markdown']] as const) {
      const got = await parseSync(bytes, name);
      expect(got, name).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
      expect(got.detail).toContain(kind);
      expect(got.detail).toMatch(/FOLIO_MAX_NESTING/);
    }
  });

  it('refuses a 20,000-page PDF before reading a page (FOLIO_MAX_PAGES)', async () => {
    const got = await parseSync(manyPagePdf(20_000), 'pages.pdf');
    expect(got).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
    expect(got.detail).toMatch(/20000 pages.*FOLIO_MAX_PAGES/);
  });

  it('refuses a deck of 6,000 slides before reading one (FOLIO_MAX_PAGES)', async () => {
    const got = await parseSync(await manySlidePptx(6_000), 'slides.pptx');
    expect(got).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
    expect(got.detail).toBe('The document has 6000 slides to read; the limit is 5000 (FOLIO_MAX_PAGES)');
  });

  it('refuses millions of CSV cells and a sheet spanning its whole grid (FOLIO_MAX_CELLS)', async () => {
    const csv = await parseSync(manyCellCsv(400_000), 'cells.csv');
    expect(csv).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
    expect(csv.detail).toBe('The CSV file has more than 100000 non-empty cells; the limit is 100000 (FOLIO_MAX_CELLS)');
    const sheet = await parseSync(await cornerXlsx(), 'corners.xlsx');
    expect(sheet).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
    expect(sheet.detail).toMatch(/^Sheet "Corners" spans 1048576 rows by 16384 columns .*\(FOLIO_MAX_CELLS\)$/);
  });

  it('fails an async job on text over the character budget with the reason (FOLIO_MAX_CHARACTERS)', async () => {
    const input = await api.upload(longText(1_900_000), 'long.txt');
    const submitted = await api.request('POST', '/parse_async', { input });
    const job = await api.waitDone(submitted.body.job_id, 120_000);
    expect(job).toMatchObject({ status: 'Failed', error: { name: 'DOCUMENT_TOO_LARGE' } });
    expect(job.reason).toMatch(/^The text file holds \d+ characters of text; the limit is 1500000 \(FOLIO_MAX_CHARACTERS\)$/);
  });

  it('stops decoding a PDF Flate bomb at the stream budget (FOLIO_MAX_PDF_STREAM_MB)', async () => {
    // 64 MiB of page content in a 64 KiB stream; this server allows 16 MiB per stream.
    const got = await parseSync(await flateBombPdf(64), 'flate.pdf');
    expect(got).toMatchObject({ status: 413, name: 'DOCUMENT_TOO_LARGE' });
    expect(got.detail).toMatch(/PDF file decodes to more than 16 MiB.*FOLIO_MAX_PDF_STREAM_MB/);
  });

  it('recognises a PDF missing its first bytes as a PDF (read, not taken for text)', async () => {
    const input = await api.upload(manyPagePdf(1).subarray(8), 'cut.bin');
    const res = await api.request('POST', '/parse', { input });
    expect(res.status).toBe(200);
    const content = res.body.result.chunks.map((c: { content: string }) => c.content).join('\n');
    expect(content).toContain('one of many');
    expect(content).not.toContain('endobj');
  });

  it('answers a PDF missing its first bytes and damaged beyond repair as a damaged PDF', async () => {
    const cut = Buffer.from(manyPagePdf(2).subarray(8));
    const got = await parseSync(new Uint8Array(Buffer.concat([Buffer.from([0, 0xff, 0xfe, 1]), cut])), 'cut.bin');
    expect(got).toMatchObject({ status: 415, name: 'DOCUMENT_CORRUPT' });
    expect(got.detail).toMatch(/PDF file is damaged/);
  });

  it('answers a PDF nested 200,000 arrays deep with a classified failure', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const pdf = rawPdf([
      `<< /Type /Catalog /Pages 2 0 R /Deep ${deep} >>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ]);
    const got = await parseSync(pdf, 'deep.pdf');
    expect([413, 415]).toContain(got.status);
    expect(['DOCUMENT_TOO_LARGE', 'DOCUMENT_CORRUPT']).toContain(got.name);
    expect(got.detail).toMatch(/PDF/);
    expect(got.detail).not.toMatch(LIBRARY_WORDS);
  });

  it('refuses a webhook to a private, loopback or link-local address when the job is submitted', async () => {
    const input = await api.upload(manyPagePdf(1), 'one.pdf');
    for (const url of ['http://[::127.0.0.1]:9/hook', 'http://[2002:a9fe:a9fe::1]/hook', 'http://169.254.169.254/latest', 'http://localhost:9/hook', 'ftp://example.com/hook']) {
      const res = await api.request('POST', '/parse_async', { input, async: { webhook: { mode: 'direct', url } } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.name, url).toBe('URL_NOT_ALLOWED');
      expect(res.body.detail, url).toBeTruthy();
    }
  });

  it('answers a presigned PUT over the size limit with 413 and closes the keep-alive connection cleanly', async () => {
    const { body } = await api.request('POST', '/upload');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const put = await send(agent, 'PUT', body.presigned_url, Buffer.alloc(3_000_000, 1));
      expect(put.status).toBe(413);
      expect(JSON.parse(put.text).error.name).toBe('DOCUMENT_TOO_LARGE');
      // The next request on the same agent must not hit a reset connection.
      const next = await send(agent, 'GET', `${server.baseURL}/health`);
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('fails an async job on a zip bomb with the reason', async () => {
    const input = await api.upload(await officeBomb('xlsx', 24 << 20), 'bomb.xlsx');
    const submitted = await api.request('POST', '/parse_async', { input });
    expect(submitted.status).toBe(200);
    const job = await api.waitDone(submitted.body.job_id, 120_000);
    expect(job.status).toBe('Failed');
    expect(job.reason).toMatch(/XLSX file expands .* (zip bomb).*FOLIO_MAX_EXPANSION_RATIO/);
  });
});

/** One request through a given agent (keep-alive reuse is the point), body read to the end. */
function send(agent: http.Agent, method: string, url: string, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { 'content-length': String(body.length) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
