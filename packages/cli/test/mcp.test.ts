/**
 * `folio mcp` driven by the official MCP client, as an agent host drives it: spawned over
 * stdio (the in-process engine, and a real server with --server), and the server's own
 * `/mcp` over Streamable HTTP behind its API keys.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, JSONRPCMessage, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Folio } from '@folio/sdk';
import { fileFromPath } from '@folio/sdk/node';
import { TempFolder, makePdf } from '../../server/test/fixtures.ts';
import { HeldDocumentServer } from '../../server/test/distributed/held-document-server.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Block { chunk: number; type: string; content: string; page: number; bbox: { left: number; top: number; width: number; height: number } }
interface ParseContent { job_id: string; num_pages: number; blocks: Block[] }

const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/**
 * `folio mcp …` as a checkout runs it, connected to an MCP client. `wire` holds every message
 * the client received, in order: the client library hands a notification to its handler a
 * microtask late and forgets a request's progress handler as soon as the response is read,
 * so a progress notification that arrives in the same read as the response never reaches
 * `onprogress` (more often so on a loaded machine). What the server sent is judged here.
 */
async function connectStdio(args: string[] = [], env: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string; wire: JSONRPCMessage[] }> {
  const transport = new StdioClientTransport({
    command: NPM,
    args: ['run', '--silent', 'folio', '--', 'mcp', ...args],
    cwd: ROOT,
    env: { ...process.env, FOLIO_LOG_LEVEL: 'warn', ...env } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'folio-test', version: '1.0.0' });
  await client.connect(transport);
  const wire: JSONRPCMessage[] = [];
  const deliver = transport.onmessage!;
  transport.onmessage = (message: JSONRPCMessage) => {
    wire.push(message);
    deliver(message);
  };
  return { client, stderr: () => stderr, wire };
}

/** The progress notifications received before the response to request `id`, in order. */
function progressBefore(wire: JSONRPCMessage[], id: number): Progress[] {
  const end = wire.findIndex((m) => 'id' in m && m.id === id && !('method' in m));
  return wire.slice(0, end < 0 ? wire.length : end)
    .filter((m): m is Extract<JSONRPCMessage, { method: string }> => 'method' in m && m.method === 'notifications/progress')
    .filter((m) => m.params?.progressToken === id)
    .map((m) => m.params as unknown as Progress);
}

let files: TempFolder;
let pdf: string;
let invoice: string;
beforeAll(async () => {
  files = new TempFolder();
  pdf = files.write('three-pages.pdf', await makePdf(3));
  invoice = files.write('invoice.pdf', await makePdf(1, () => 'Invoice number: INV-2024-001'));
});
afterAll(() => {
  files?.remove();
});

describe('folio mcp over stdio, engine in-process', () => {
  let client: Client;
  let stderr: () => string;
  let wire: JSONRPCMessage[];
  let docs: HeldDocumentServer;
  beforeAll(async () => {
    docs = await HeldDocumentServer.start();
    // The held document host is on 127.0.0.1.
    ({ client, stderr, wire } = await connectStdio([], { FOLIO_ALLOW_PRIVATE_URLS: '1' }));
  });
  afterAll(async () => {
    await client?.close();
    await docs?.close();
  });

  it('lists the tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['classify', 'extract', 'job_status', 'parse', 'split']);
    const parse = tools.find((t) => t.name === 'parse')!;
    expect(parse.inputSchema.required).toEqual(['input']);
  });

  it('parse reads a PDF from a path: Markdown text, blocks with page and box, progress', async () => {
    const from = wire.length;
    // Asking for progress (an `onprogress`) makes the server report it; it is judged on the wire.
    const result = await client.callTool({ name: 'parse', arguments: { input: pdf } }, undefined, { onprogress: () => undefined }) as CallToolResult;
    expect(result.isError, `${textOf(result)}\n${stderr()}`).toBeFalsy();
    for (const page of [1, 2, 3]) expect(textOf(result)).toContain(`Page ${page} of the Folio test document`);
    const content = result.structuredContent as unknown as ParseContent;
    expect(content.num_pages).toBe(3);
    const heading = content.blocks.find((b) => b.content.includes('Page 2 of the Folio test document'))!;
    expect(heading.page).toBe(2);
    expect(heading.bbox.width).toBeGreaterThan(0);
    expect(heading.bbox.left + heading.bbox.width).toBeLessThanOrEqual(1);
    // The last progress report, sent before the result, says done.
    const call = wire.slice(from).find((m) => 'id' in m && !('method' in m)) as { id: number };
    expect(progressBefore(wire.slice(from), call.id).at(-1)).toMatchObject({ progress: 100, total: 100 });

    // The job is Folio's: its status, and its result reused through jobid://.
    const status = await client.callTool({ name: 'job_status', arguments: { job_id: content.job_id } }) as CallToolResult;
    expect(status.structuredContent).toMatchObject({ status: 'Completed', type: 'Parse' });
    const reused = await client.callTool({ name: 'parse', arguments: { input: `jobid://${content.job_id}` } }) as CallToolResult;
    expect(textOf(reused)).toContain('Page 3 of the Folio test document');
  });

  it('extract answers a JSON schema', async () => {
    const schema = { type: 'object', properties: { invoice_number: { type: 'string' } } };
    const result = await client.callTool({ name: 'extract', arguments: { input: invoice, schema } }) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect((result.structuredContent as { result: unknown }).result).toEqual([{ invoice_number: 'INV-2024-001' }]);
    expect(JSON.parse(textOf(result))).toEqual([{ invoice_number: 'INV-2024-001' }]);
  });

  it('split finds the pages of each section; classify picks a category', async () => {
    const split = await client.callTool({ name: 'split', arguments: { input: pdf, split_description: [{ name: 'test document', description: 'Folio test document pages' }] } }) as CallToolResult;
    expect(split.isError, textOf(split)).toBeFalsy();
    expect((split.structuredContent as { splits: Array<{ name: string; pages: number[] }> }).splits).toEqual([expect.objectContaining({ name: 'test document', pages: [1, 2, 3] })]);
    expect(textOf(split)).toBe('- test document: pages 1, 2, 3');
    const categories = [
      { category: 'report', criteria: ['Folio test document'] },
      { category: 'invoice', criteria: ['invoice number', 'amount due'] },
    ];
    const classified = await client.callTool({ name: 'classify', arguments: { input: pdf, categories } }) as CallToolResult;
    expect(classified.isError, textOf(classified)).toBeFalsy();
    expect(classified.structuredContent).toMatchObject({ category: 'report' });
  });

  it('a missing file or an unreadable document is a tool error, not a crash', async () => {
    const missing = await client.callTool({ name: 'parse', arguments: { input: files.path('nope.pdf') } }) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('nope.pdf');
    const broken = files.write('broken.pdf', '%PDF-1.7\nnot really a PDF at all\n');
    const failed = await client.callTool({ name: 'parse', arguments: { input: broken } }) as CallToolResult;
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toMatch(/failed/);
    // Still serving.
    expect((await client.listTools()).tools).toHaveLength(5);
  });

  it('a call the client cancels cancels its job', async () => {
    // The host holds the download open: the job is reliably still running when cancelled.
    const abort = new AbortController();
    let jobId = '';
    const reported = new Promise<void>((resolve) => {
      const call = client.callTool({ name: 'parse', arguments: { input: docs.doc('held-mcp') } }, undefined, {
        signal: abort.signal,
        onprogress: (p) => {
          jobId ||= /Job (\S+):/.exec(p.message ?? '')?.[1] ?? '';
          if (jobId) resolve();
        },
      });
      call.catch(() => undefined); // rejected by the abort below
    });
    await reported;
    await docs.downloading('held-mcp');
    abort.abort();
    for (;;) {
      const status = (await client.callTool({ name: 'job_status', arguments: { job_id: jobId } }) as CallToolResult).structuredContent as { status: string; reason: string | null };
      if (status.status !== 'Pending' && status.status !== 'InProgress') {
        expect(status).toMatchObject({ status: 'Failed', reason: 'Job cancelled' });
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});

describe('against a Folio server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ workers: 1 });
  });
  afterAll(() => server?.stop());

  it('folio mcp --server parses through the server, which keeps the job', async () => {
    const { client } = await connectStdio(['--server', server.baseURL, '--api-key', server.apiKeys[0]]);
    try {
      const result = await client.callTool({ name: 'parse', arguments: { input: pdf } }) as CallToolResult;
      expect(textOf(result)).toContain('Page 1 of the Folio test document');
      const { job_id } = result.structuredContent as unknown as ParseContent;
      const job = await new Folio({ baseURL: server.baseURL, apiKey: server.apiKeys[0] }).job.get(job_id);
      expect(job.status).toBe('Completed');
    } finally {
      await client.close();
    }
  });

  it('/mcp serves the tools over Streamable HTTP to a caller with an API key', async () => {
    const key = server.apiKeys[1];
    const folio = new Folio({ baseURL: server.baseURL, apiKey: key });
    const upload = await folio.upload({ file: await fileFromPath(pdf) });
    const client = new Client({ name: 'folio-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.baseURL), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      expect((await client.listTools()).tools).toHaveLength(5);
      const result = await client.callTool({ name: 'parse', arguments: { input: upload.file_id } }) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result)).toContain('Page 3 of the Folio test document');
      // The job belongs to the caller's key.
      const { job_id } = result.structuredContent as unknown as ParseContent;
      expect((await folio.job.get(job_id)).status).toBe('Completed');
      // A path would be the server's own disk: refused.
      const local = await client.callTool({ name: 'parse', arguments: { input: pdf } }) as CallToolResult;
      expect(local.isError).toBe(true);
      expect(textOf(local)).toMatch(/cannot read local files/);
    } finally {
      await client.close();
    }
  });

  it('/mcp refuses a caller without a valid API key', async () => {
    const client = new Client({ name: 'folio-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', server.baseURL), { requestInit: { headers: { authorization: 'Bearer wrong' } } });
    await expect(client.connect(transport)).rejects.toThrow(/401|Invalid access token/);
  });
});
