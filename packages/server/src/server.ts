import type { FastifyInstance } from 'fastify';
import { buildApp, type RouteModule } from './app.ts';
import { createBackends, type Backends } from './backends/backends.ts';
import { configFromEnv, type ServerConfig } from './config.ts';
import { serveMetrics, type MetricsServer } from './observability/metrics-server.ts';
import { createTelemetry, type Telemetry } from './observability/telemetry.ts';
import { JobRunner } from './workers/job-runner.ts';

export interface RunningServer {
  /** Base URL of the HTTP API (null for a worker-only process). */
  url: string | null;
  /** Base URL of a worker-only process's GET /metrics (config.metricsPort), else null. */
  metricsUrl: string | null;
  config: ServerConfig;
  backends: Backends;
  app: FastifyInstance | null;
  runner: JobRunner | null;
  telemetry: Telemetry;
  /** Stop accepting requests and jobs, then close storage. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Route modules of other operations (extract, split, …) to mount. */
  routes?: RouteModule[];
}

/**
 * Start Folio: the HTTP API (unless config.api is false) and `config.workers` worker
 * threads (none when 0). Both roles share one Backends, chosen from config.
 */
export async function startServer(partial: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const config = { ...configFromEnv(), ...partial };
  const backends = await createBackends(config);
  const telemetry = createTelemetry(config, backends);
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.api) {
    app = await buildApp(config, backends, options.routes, telemetry);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    if (address && typeof address === 'object') {
      config.port = address.port;
      url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    }
    if (config.apiKeys.length === 0) console.warn('Folio: FOLIO_API_KEYS is not set: the server is open (any bearer token is accepted)');
    else if (config.logLevel !== 'silent') console.log(`Folio: API keys required (${config.apiKeys.length} configured)`);
  }
  const runner = config.workers > 0 ? new JobRunner(backends, config, telemetry) : null;
  runner?.start();
  let metricsServer: MetricsServer | null = null;
  if (!config.api && config.metricsPort !== null) metricsServer = await serveMetrics(telemetry.metrics, config.host, config.metricsPort);
  let closing: Promise<void> | null = null;
  return {
    url, metricsUrl: metricsServer?.url ?? null, config, backends, app, runner, telemetry,
    close: () => (closing ??= (async () => {
      await app?.close();
      await metricsServer?.close();
      await runner?.stop();
      await backends.close();
    })()),
  };
}
