import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** A running Folio deployment, however it was started. The conformance suite needs only this. */
export interface Deployment {
  baseURL: string;
  /** At least three distinct keys the server accepts (isolation tests use two, paging one). */
  apiKeys: string[];
  stop(): Promise<void>;
}

export interface ServerProcess extends Deployment {
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote, for debugging failed tests. */
  output(): string;
  /** Kill without any shutdown (SIGKILL) and wait for the exit. */
  kill(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Reuse a data dir (restart after a crash); default a fresh temp dir removed on stop. */
  dataDir?: string;
  apiKeys?: string[];
  workers?: number;
  env?: Record<string, string>;
  /** Node and V8 options before the entry point (V8 flags NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

/** Start `node --import tsx packages/server/src/main.ts` on 127.0.0.1 with a free port. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'folio-test-'));
  const apiKeys = options.apiKeys ?? ['key-a', 'key-b', 'key-c'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--conditions=@folio/source', '--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      FOLIO_DATA_DIR: dataDir,
      FOLIO_API_KEYS: apiKeys.join(','),
      FOLIO_WORKERS: String(options.workers ?? 2),
      FOLIO_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseURL = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 300_000);
    const onData = (): void => {
      const m = /Folio listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    baseURL, apiKeys, dataDir, child, kill,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(forced);
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
