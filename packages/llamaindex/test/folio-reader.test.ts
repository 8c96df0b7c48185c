/** FolioReader against a real Folio server, producing real LlamaIndex.TS documents. */
import { Document, MetadataMode } from '@llamaindex/core/schema';
import { SentenceSplitter } from '@llamaindex/core/node-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolioReader } from '../src/index.ts';
import { TempFolder, makePdf } from '../../server/test/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';

describe('FolioReader', () => {
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

  it('loadData reads a PDF as one Document per chunk with its pages, blocks and boxes', async () => {
    const reader = new FolioReader({ baseURL: server.baseURL, apiKey: server.apiKeys[0], options: { retrieval: { chunking: { chunk_mode: 'page' } } } });
    const docs = await reader.loadData(pdf);
    expect(docs).toHaveLength(3);
    docs.forEach((doc, i) => {
      const page = i + 1;
      expect(doc).toBeInstanceOf(Document);
      expect(doc.getText()).toContain(`Page ${page} of the Folio test document`);
      expect(doc.metadata).toMatchObject({ source: pdf, page, pages: [page], chunk_index: i });
      expect(doc.metadata.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(doc.metadata.block_types.length).toBe(doc.metadata.bboxes.length);
      for (const box of doc.metadata.bboxes) expect(box.page).toBe(page);
      expect(doc.id_).toBe(`${doc.metadata.job_id}:${i}`);
    });

    // What the model sees: the text with its source and page, not the boxes.
    expect(docs[1].getContent(MetadataMode.LLM)).toContain('page: 2');
    expect(docs[1].getContent(MetadataMode.EMBED)).not.toContain('bboxes');
    // LlamaIndex's own splitter carries the page metadata on to the nodes it makes.
    const nodes = new SentenceSplitter({ chunkSize: 64, chunkOverlap: 0 }).getNodesFromDocuments(docs);
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    const second = nodes.find((n) => n.getContent(MetadataMode.NONE).includes('Page 2 of the Folio test document'))!;
    expect(second.metadata.page).toBe(2);
  });

  it('reuses a finished parse through jobid://', async () => {
    const reader = new FolioReader({ baseURL: server.baseURL, apiKey: server.apiKeys[0] });
    const docs = await reader.loadData(pdf);
    const reused = await reader.loadData(`jobid://${docs[0].metadata.job_id}`);
    expect(reused.map((d) => d.getText())).toEqual(docs.map((d) => d.getText()));
    expect(reused[0].metadata.source).toBe(`jobid://${docs[0].metadata.job_id}`);
  });
});
