import { pino, type Logger } from 'pino';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import { Metrics } from './metrics.ts';

export type { Logger };

/** What a process reports about itself: Prometheus metrics and JSON log lines. */
export interface Telemetry {
  metrics: Metrics;
  /** One JSON line per event on stdout (pino), at FOLIO_LOG_LEVEL (default info). */
  log: Logger;
}

export function createTelemetry(config: ServerConfig, backends: Backends): Telemetry {
  return {
    metrics: new Metrics(backends.queue),
    log: pino({ level: config.logLevel, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }),
  };
}
