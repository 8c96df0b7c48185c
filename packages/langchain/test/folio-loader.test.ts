/** FolioLoader against a real Folio server, producing real @langchain/core documents. */
import { BaseDocumentLoader } from '@langchain/core/document_loaders/base';
import { Document } from '@langchain/core/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolioLoader } from '../src/index.ts';
import { TempFolder, makePdf } from '../../server/test/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';

describe('FolioLoader', () => {
  let server: ServerProcess;
  let files: TempFolder;
  let pdf: string;
  beforeAll(async () => {
    files = new TempFolder();
    pdf = files.write('three-pages.pdf', await makePdf(3));
    server = await startServerProcess({ workers: 1 });
  });
  afterAll(async () => {
    await server?.stop();
    files?.remove();
  });

  it('loads a PDF as one Document per chunk with its pages, blocks and boxes', async () => {
    const loader = new FolioLoader({ input: pdf, baseURL: server.baseURL, apiKey: server.apiKeys[0], options: { retrieval: { chunking: { chunk_mode: 'page' } } } });
    expect(loader).toBeInstanceOf(BaseDocumentLoader);
    const docs = await loader.load();
    expect(docs).toHaveLength(3);
    docs.forEach((doc, i) => {
      const page = i + 1;
      expect(doc).toBeInstanceOf(Document);
      expect(doc.pageContent).toContain(`Page ${page} of the Folio test document`);
      expect(doc.metadata).toMatchObject({ source: pdf, page, pages: [page], chunk_index: i });
      expect(doc.metadata.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(doc.metadata.block_types.length).toBe(doc.metadata.bboxes.length);
      expect(doc.metadata.block_types.length).toBeGreaterThan(0);
      for (const box of doc.metadata.bboxes) {
        expect(box.page).toBe(page);
        expect(box.width).toBeGreaterThan(0);
      }
      expect(doc.id).toBe(`${doc.metadata.job_id}:${i}`);
    });
  });

  it('lazyLoad streams the documents; jobid:// reuses a finished parse', async () => {
    const first = await new FolioLoader({ input: pdf, baseURL: server.baseURL, apiKey: server.apiKeys[0] }).load();
    const jobId = first[0].metadata.job_id;
    const source = `jobid://${jobId}`;
    const streamed: Document[] = [];
    for await (const doc of new FolioLoader({ input: source, baseURL: server.baseURL, apiKey: server.apiKeys[0] }).lazyLoad()) streamed.push(doc);
    expect(streamed.map((d) => d.pageContent)).toEqual(first.map((d) => d.pageContent));
    expect(streamed[0].metadata.source).toBe(source);
    expect(streamed[0].metadata.page).toBe(1);
    expect(streamed.flatMap((d) => d.metadata.pages as number[])).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it('a wrong API key rejects with the SDK\'s authentication error', async () => {
    await expect(new FolioLoader({ input: pdf, baseURL: server.baseURL, apiKey: 'wrong' }).load()).rejects.toThrow(/Invalid access token/);
  });
});
