/**
 * The SDK's main entry in a browser: bundled by esbuild for platform=browser (which fails on
 * any Node built-in), then run in a context that has the web platform's globals and nothing
 * of Node's — no `process`, `require`, `Buffer` — against a real server.
 */
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../server/test/harness.ts';

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
let server: ServerProcess;
let bundle: string;
let inputs: string[];

beforeAll(async () => {
  const [started, built] = await Promise.all([
    startServerProcess({ workers: 1 }),
    build({ entryPoints: [ENTRY], bundle: true, write: false, platform: 'browser', format: 'iife', globalName: 'FolioSDK', target: 'es2022', metafile: true, logLevel: 'silent' }),
  ]);
  server = started;
  bundle = built.outputFiles[0].text;
  inputs = Object.keys(built.metafile.inputs);
});
afterAll(() => server?.stop());

/** Only what a browser page has (the subset the SDK may touch). */
function browserGlobals(): Record<string, unknown> {
  const names = [
    'fetch', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File', 'URL', 'URLSearchParams',
    'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'TextDecoderStream', 'TransformStream',
    'ReadableStream', 'WritableStream', 'DOMException', 'Event', 'EventTarget', 'setTimeout', 'clearTimeout',
    'console', 'queueMicrotask', 'structuredClone', 'crypto',
  ] as const;
  const g: Record<string, unknown> = {};
  for (const name of names) g[name] = (globalThis as Record<string, unknown>)[name];
  return g;
}

describe('browser build', () => {
  it('bundles for the browser without any Node built-in', () => {
    expect(inputs.some((p) => p.startsWith('node:') || p.includes('/node.ts'))).toBe(false);
    expect(bundle).not.toMatch(/require\(["']node:/);
  });

  it('uploads, parses and pages through jobs from a fetch-only context', async () => {
    const context = createContext({ ...browserGlobals(), BASE_URL: server.baseURL, API_KEY: server.apiKeys[0] });
    runInContext(bundle, context);
    expect(runInContext('typeof process + typeof require + typeof Buffer', context)).toBe('undefinedundefinedundefined');
    const outcome = await runInContext(`(async () => {
      const client = new FolioSDK.Folio({ baseURL: BASE_URL, apiKey: API_KEY });
      const text = '# Browser upload\\n\\nParsed by Folio from a fetch-only context.\\n';
      const upload = await client.upload({ file: new File([text], 'note.md', { type: 'text/markdown' }) });
      const parsed = await client.parse.runAndWait({ input: upload.file_id }, { pollInterval: 50 });
      const page = await client.job.getAll({ limit: 1 });
      let missing;
      try { await client.job.get('00000000-0000-4000-8000-000000000000'); } catch (e) { missing = e instanceof FolioSDK.NotFoundError; }
      return { fileId: upload.file_id, content: parsed.result.chunks[0].content, listed: page.jobs.length, missing };
    })()`, context);
    expect(outcome.fileId).toMatch(/^reducto:\/\/.+\.md$/);
    expect(outcome.content).toContain('Parsed by Folio from a fetch-only context.');
    expect(outcome.listed).toBe(1);
    expect(outcome.missing).toBe(true);
  });
});
