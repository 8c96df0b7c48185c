import { resolve } from 'node:path';
import type { ServerConfig } from '@folio/server';
import { EXIT, UsageError } from '../exit-codes.ts';
import { intOption, type Command } from '../command.ts';

/** Keep the process up until Ctrl-C / SIGTERM, then close cleanly. */
function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      close().then(() => resolve(EXIT.ok), () => resolve(EXIT.failed));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the server (API, workers and Studio) — same as npm start',
  usage: `Usage: folio serve [--host H] [--port P] [--workers N | --no-workers] [--data-dir DIR]

Starts the HTTP API with embedded workers and the Studio at http://HOST:PORT/.
Environment variables (FOLIO_*, HOST, PORT) configure everything else; see the README.

Options:
      --host H         interface to listen on (default $HOST or 127.0.0.1)
  -p, --port P         port (default $PORT or 8080)
      --workers N      worker threads in this process (0 = API only)
      --no-workers     API only, same as --workers 0 (distributed deployment: run
                       \`folio worker\` processes elsewhere)
      --data-dir DIR   where SQLite and blobs live (default $FOLIO_DATA_DIR or ./.folio)`,
  options: {
    host: { type: 'string' },
    port: { type: 'string', short: 'p' },
    workers: { type: 'string' },
    'no-workers': { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values['no-workers'] && values.workers !== undefined) throw new UsageError('--no-workers and --workers exclude each other');
    const { startServer } = await import('@folio/server');
    const { registerStudio } = await import('@folio/server/studio');
    const overrides: Partial<ServerConfig> = {};
    if (values.host) overrides.host = values.host as string;
    if (values.port !== undefined) overrides.port = intOption(values, 'port');
    if (values.workers !== undefined) overrides.workers = intOption(values, 'workers');
    if (values['no-workers']) overrides.workers = 0;
    if (values['data-dir']) overrides.dataDir = resolve(values['data-dir'] as string);
    const server = await startServer(overrides, { routes: [(app) => registerStudio(app)] });
    io.stderr.write(`Folio listening on ${server.url} — Studio at ${server.url}/\n`);
    return untilSignal(() => server.close());
  },
};

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run job workers only (distributed deployment, no HTTP API)',
  usage: `Usage: folio worker [--workers N]

Takes jobs from the shared queue (FOLIO_DATABASE_URL) and runs them; serves no HTTP API.

Options:
      --workers N        worker threads (default: one per core)
      --metrics-port P   serve Prometheus metrics at http://$HOST:P/metrics
                         (default $FOLIO_METRICS_PORT; none when unset)`,
  options: { workers: { type: 'string' }, 'metrics-port': { type: 'string' } },
  async run({ values, positionals, io }) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const { startServer } = await import('@folio/server');
    const overrides: Partial<ServerConfig> = { api: false };
    if (values.workers !== undefined) overrides.workers = intOption(values, 'workers');
    if (values['metrics-port'] !== undefined) overrides.metricsPort = intOption(values, 'metrics-port');
    const server = await startServer(overrides);
    const config = server.config;
    const metrics = server.metricsUrl ? `; metrics at ${server.metricsUrl}/metrics` : '';
    io.stderr.write(`Folio worker running ${config.workers} worker thread(s)${metrics}\n`);
    return untilSignal(() => server.close());
  },
};
