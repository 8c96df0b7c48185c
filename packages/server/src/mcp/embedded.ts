import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Folio } from '@folio/sdk';
import { buildApp } from '../app.ts';
import { createBackends } from '../backends/backends.ts';
import { configFromEnv, type ServerConfig } from '../config.ts';
import { Metrics } from '../observability/metrics.ts';
import { JobRunner } from '../workers/job-runner.ts';
import { injectFetch } from './inject-fetch.ts';

/** Folio in this process, without a socket: what `folio mcp` runs when given no server. */
export interface EmbeddedFolio {
  client: Folio;
  config: ServerConfig;
  close(): Promise<void>;
}

/**
 * The API and its worker threads in-process, answered through `app.inject`. Jobs and uploads
 * live in `dataDir`, a fresh temporary directory (removed on close) unless one is given.
 * Logs go to stderr: stdout may be a protocol stream (MCP over stdio).
 */
export async function startEmbeddedFolio(overrides: Partial<ServerConfig> = {}): Promise<EmbeddedFolio> {
  const ownDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'folio-mcp-'));
  const config: ServerConfig = { ...configFromEnv(), workers: 1, ...overrides, dataDir, apiKeys: [], databaseUrl: null, blobStore: 'fs', api: true };
  const backends = await createBackends(config);
  const telemetry = {
    metrics: new Metrics(backends.queue),
    log: pino({ level: config.logLevel, base: { pid: process.pid } }, pino.destination(2)),
  };
  const app = await buildApp(config, backends, [], telemetry);
  await app.ready();
  const runner = new JobRunner(backends, config, telemetry);
  runner.start();
  const client = new Folio({ baseURL: 'http://folio.internal', apiKey: null, fetch: injectFetch(app), maxRetries: 0 });
  let closing: Promise<void> | null = null;
  return {
    client,
    config,
    close: () => (closing ??= (async () => {
      await app.close();
      await runner.stop();
      await backends.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    })()),
  };
}
