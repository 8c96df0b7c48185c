/**
 * What users install: the `npm pack` tarballs (built dist/, no TypeScript source) installed
 * into an empty project, then used from plain `node` — ESM and CommonJS scripts driving a real
 * server through @folio/sdk, its type declarations under both module systems, a browser
 * bundle of its main entry, the `folio` bin (and its MCP server), and the LangChain and
 * LlamaIndex loaders.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../server/test/fixtures.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';
import { installPacked, pack, type Packed } from './packed-install.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEY = 'key-a';

const ESM_SCRIPT = `import { Folio } from '@folio/sdk';
import { fileFromPath } from '@folio/sdk/node';
const [baseURL, apiKey, file] = process.argv.slice(2);
const client = new Folio({ baseURL, apiKey });
const upload = await client.upload({ file: await fileFromPath(file) });
const parsed = await client.parse.run({ input: upload.file_id });
console.log(JSON.stringify({ pages: parsed.usage.num_pages, text: parsed.result.chunks.map((c) => c.content).join('\\n') }));
`;

const CJS_SCRIPT = `const { Folio } = require('@folio/sdk');
const { fileFromPath } = require('@folio/sdk/node');
const [baseURL, apiKey, file] = process.argv.slice(2);
(async () => {
  const client = new Folio({ baseURL, apiKey });
  const upload = await client.upload({ file: await fileFromPath(file) });
  const parse = await client.parse.runAndWait({ input: upload.file_id });
  console.log(JSON.stringify({ pages: parse.usage.num_pages, text: parse.result.chunks.map((c) => c.content).join('\\n') }));
})().catch((err) => { console.error(err); process.exitCode = 1; });
`;

const LANGCHAIN_SCRIPT = `import { FolioLoader } from '@folio/langchain';
import { Document } from '@langchain/core/documents';
const [baseURL, apiKey, input] = process.argv.slice(2);
const docs = await new FolioLoader({ input, baseURL, apiKey, options: { retrieval: { chunking: { chunk_mode: 'page' } } } }).load();
console.log(JSON.stringify(docs.map((d) => ({ isDocument: d instanceof Document, text: d.pageContent, page: d.metadata.page }))));
`;

const LLAMAINDEX_SCRIPT = `import { FolioReader } from '@folio/llamaindex';
import { Document } from '@llamaindex/core/schema';
const [baseURL, apiKey, input] = process.argv.slice(2);
const docs = await new FolioReader({ baseURL, apiKey, options: { retrieval: { chunking: { chunk_mode: 'page' } } } }).loadData(input);
console.log(JSON.stringify(docs.map((d) => ({ isDocument: d instanceof Document, text: d.getText(), page: d.metadata.page }))));
`;

// The same program typed, checked as an ES module (.mts) and as CommonJS (.cts).
const TYPED = `import { Folio, APIError } from '@folio/sdk';
import { fileFromPath } from '@folio/sdk/node';
export async function pagesOf(file: string): Promise<number> {
  const client = new Folio({ baseURL: 'http://127.0.0.1:8080', apiKey: 'key' });
  const parse = await client.parse.runAndWait({ input: (await client.upload({ file: await fileFromPath(file) })).file_id });
  const error: APIError | null = null;
  return parse.usage.num_pages + (error === null ? 0 : 1);
}
`;

describe('the packed packages in an empty project', () => {
  let dir: string;
  let packed: Packed[];
  let server: ServerProcess;
  let pdf: string;
  let sdkProject: string;
  let cliProject: string;
  let loadersProject: string;

  beforeAll(async () => {
    await run(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
    dir = mkdtempSync(join(tmpdir(), 'folio-pack-'));
    packed = await pack(['@folio/engine', '@folio/sdk', '@folio/server', '@folio/cli', '@folio/langchain', '@folio/llamaindex'], dir);
    pdf = join(dir, 'two-pages.pdf');
    writeFileSync(pdf, await makePdf(2));
    sdkProject = join(dir, 'sdk-user');
    cliProject = join(dir, 'cli-user');
    loadersProject = join(dir, 'loaders-user');
    const named = (...names: string[]) => packed.filter((p) => names.includes(p.name));
    [server] = await Promise.all([
      startServerProcess({ apiKeys: [KEY], workers: 1 }),
      installPacked(sdkProject, named('@folio/sdk')),
      installPacked(cliProject, named('@folio/engine', '@folio/sdk', '@folio/server', '@folio/cli')),
      installPacked(loadersProject, named('@folio/sdk', '@folio/langchain', '@folio/llamaindex')),
    ]);
    // The one install script `folio mcp` needs (SQLite for its in-process jobs) cannot run
    // offline; the binary it would fetch is the one this checkout already has.
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(cliProject, 'node_modules/better-sqlite3/build'), { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each tarball ships its compiled dist/ and no TypeScript source', () => {
    for (const p of packed) {
      const stray = p.files.filter((f) => !(f === 'package.json' || f === 'README.md' || f.startsWith('dist/') || f.startsWith('bin/')));
      expect(stray, p.name).toEqual([]);
      expect(p.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), p.name).toEqual([]);
      expect(p.files, p.name).toContain('dist/index.js');
      expect(p.files, p.name).toContain('dist/index.d.ts');
    }
    const sdk = packed.find((p) => p.name === '@folio/sdk')!;
    expect(sdk.files).toEqual(expect.arrayContaining(['dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'dist/node.js', 'dist/cjs/node.js']));
    // The server serves the Studio from its package.
    const server = packed.find((p) => p.name === '@folio/server')!;
    expect(server.files).toEqual(expect.arrayContaining(['dist/studio/app/app.js', 'dist/studio/app/page.html', 'dist/studio/app/style.css', 'dist/workers/thread.js']));
  });

  it('an ES module script parses a PDF through @folio/sdk', async () => {
    writeFileSync(join(sdkProject, 'parse.mjs'), ESM_SCRIPT);
    const { stdout } = await run(process.execPath, ['parse.mjs', server.baseURL, KEY, pdf], { cwd: sdkProject });
    const out = JSON.parse(stdout) as { pages: number; text: string };
    expect(out.pages).toBe(2);
    expect(out.text).toContain('Page 2 of the Folio test document');
  });

  it('a CommonJS script parses a PDF through @folio/sdk', async () => {
    writeFileSync(join(sdkProject, 'parse.cjs'), CJS_SCRIPT);
    const { stdout } = await run(process.execPath, ['parse.cjs', server.baseURL, KEY, pdf], { cwd: sdkProject });
    const out = JSON.parse(stdout) as { pages: number; text: string };
    expect(out.pages).toBe(2);
    expect(out.text).toContain('Page 1 of the Folio test document');
  });

  it('its declarations type-check a consumer under ESM and CommonJS, without @types/node', async () => {
    writeFileSync(join(sdkProject, 'typed.mts'), TYPED);
    writeFileSync(join(sdkProject, 'typed.cts'), TYPED);
    const tsconfig = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, lib: ['es2023', 'dom'], types: [], skipLibCheck: false }, files: ['typed.mts', 'typed.cts'] };
    writeFileSync(join(sdkProject, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', sdkProject], { cwd: sdkProject })).resolves.toBeDefined();
  });

  it('its main entry bundles for browsers (no Node built-in imported)', async () => {
    const result = await build({
      stdin: { contents: "import { Folio } from '@folio/sdk'; globalThis.client = new Folio({ apiKey: 'k' });", resolveDir: sdkProject },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).toContain('Folio');
    expect(code).not.toMatch(/from\s*["']node:/);
  });

  it('the folio bin runs with plain node: --help, and parse on a local file', async () => {
    const bin = join(cliProject, 'node_modules/.bin/folio');
    const help = await run(bin, ['--help'], { cwd: cliProject });
    expect(help.stdout).toContain('Usage: folio COMMAND');
    expect(help.stdout).toContain('serve');
    const parsed = await run(bin, ['parse', pdf], { cwd: cliProject, maxBuffer: 1 << 24 });
    expect(parsed.stdout).toContain('Page 1 of the Folio test document');
    expect(parsed.stdout).toContain('Page 2 of the Folio test document');
  });

  it('folio mcp from the bin serves the tools over stdio, the engine in-process', async () => {
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: join(cliProject, 'node_modules/.bin/folio'), args: ['mcp'], cwd: cliProject, stderr: 'ignore' }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('parse');
      const result = await client.callTool({ name: 'parse', arguments: { input: pdf } }) as CallToolResult;
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
      expect(text).toContain('Page 2 of the Folio test document');
    } finally {
      await client.close();
    }
  });

  it('@folio/langchain and @folio/llamaindex load a PDF into their frameworks\' documents', async () => {
    writeFileSync(join(loadersProject, 'langchain.mjs'), LANGCHAIN_SCRIPT);
    writeFileSync(join(loadersProject, 'llamaindex.mjs'), LLAMAINDEX_SCRIPT);
    for (const script of ['langchain.mjs', 'llamaindex.mjs']) {
      const { stdout } = await run(process.execPath, [script, server.baseURL, KEY, pdf], { cwd: loadersProject });
      const docs = JSON.parse(stdout) as Array<{ isDocument: boolean; text: string; page: number }>;
      expect(docs.map((d) => d.page), script).toEqual([1, 2]);
      expect(docs.every((d) => d.isDocument), script).toBe(true);
      expect(docs[1].text, script).toContain('Page 2 of the Folio test document');
    }
  });
});
