import type { FastifyRequest } from 'fastify';
import type { ApiKeys } from '../auth/api-keys.ts';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import type { JobService } from '../jobs/job-service.ts';
import type { Telemetry } from '../observability/telemetry.ts';

/** What every route module receives. */
export interface RouteContext {
  backends: Backends;
  config: ServerConfig;
  service: JobService;
  keys: ApiKeys;
  telemetry: Telemetry;
}

/** The owner the auth hook attached to the request. */
export function ownerOf(request: FastifyRequest): string {
  return (request as FastifyRequest & { owner: string }).owner;
}
