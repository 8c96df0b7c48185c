import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import { ApiKeys } from './auth/api-keys.ts';
import type { Backends } from './backends/backends.ts';
import type { ServerConfig } from './config.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { JobService } from './jobs/job-service.ts';
import { createTelemetry, type Telemetry } from './observability/telemetry.ts';
import type { RouteContext } from './routes/context.ts';
import { registerJobViewRoutes } from './routes/jobs.ts';
import { FOLIO_VERSION, registerMetaRoutes } from './routes/meta.ts';
import { registerParseRoutes } from './routes/parse.ts';
import { registerUploadRoutes } from './routes/uploads.ts';
import { registerExtractRoutes } from './routes/extract.ts';
import { registerSplitRoutes } from './routes/split.ts';
import { registerClassifyRoutes } from './routes/classify.ts';
import { registerPipelineRoutes } from './routes/pipelines.ts';
import { registerEditRoutes } from './routes/edit.ts';
import { registerMcpRoutes } from './mcp/route.ts';

/** Routes other areas add (extract, split, …): called with the same context as ours. */
export type RouteModule = (app: FastifyInstance, ctx: RouteContext) => void | Promise<void>;

/** The HTTP API: validation, auth, Reducto error shapes, and every route module. */
export async function buildApp(config: ServerConfig, backends: Backends, extraRoutes: RouteModule[] = [], telemetry: Telemetry = createTelemetry(config, backends)): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify's per-request child loggers cost a third of a cheap request's time, so the
    // request logger only exists when asked for (debug and below); errors go to stderr.
    logger: ['debug', 'trace'].includes(config.logLevel) ? { level: config.logLevel } : false,
    bodyLimit: 20 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true } },
  });
  const keys = new ApiKeys(config.apiKeys);
  const ctx: RouteContext = { backends, config, keys, telemetry, service: new JobService(backends, config, telemetry.log) };

  // The SDK sends POST /cancel/{id} with `content-type: application/json` and no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, text, done) => {
    const body = String(text);
    if (body.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(body));
    } catch {
      const err = Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 });
      done(err, undefined);
    }
  });
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Folio', version: FOLIO_VERSION, description: 'Self-hosted document ingestion with a Reducto-compatible API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  installErrorHandler(app);

  // Request durations by route pattern (not the raw URL: ids would explode the label set).
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    telemetry.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  // Auth: every route needs a key unless it is marked public (signed URLs, /version, /health).
  app.decorateRequest('owner', '');
  app.addHook('onRequest', (request, _reply, done) => {
    if ((request.routeOptions.config as { public?: boolean } | undefined)?.public) return done();
    try {
      (request as typeof request & { owner: string }).owner = keys.ownerOf(request.headers.authorization);
      done();
    } catch (err) {
      done(err as Error);
    }
  });

  registerMetaRoutes(app, ctx);
  registerUploadRoutes(app, ctx);
  registerParseRoutes(app, ctx);
  registerExtractRoutes(app, ctx);
  registerSplitRoutes(app, ctx);
  registerClassifyRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);
  registerEditRoutes(app, ctx);
  registerJobViewRoutes(app, ctx);
  registerMcpRoutes(app, ctx);
  for (const routes of extraRoutes) await routes(app, ctx);
  return app;
}
