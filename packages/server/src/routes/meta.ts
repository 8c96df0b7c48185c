import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { contentTypeOf } from '../storage/blob-store.ts';
import type { RouteContext } from './context.ts';

export const FOLIO_VERSION = '0.1.0';

export function registerMetaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { backends, config } = ctx;

  app.get('/version', { config: { public: true }, schema: { summary: 'Server version', tags: ['Meta'] } }, async (_request, reply) => {
    // Reducto answers a JSON string.
    return reply.type('application/json').send(JSON.stringify(`folio-${FOLIO_VERSION}`));
  });

  app.get('/health', { config: { public: true }, schema: { summary: 'Liveness and storage check', tags: ['Meta'] } }, async (_request, reply) => {
    try {
      await backends.jobs.get('health-check');
      return { status: 'ok', version: FOLIO_VERSION };
    } catch (err) {
      return reply.code(503).send({ status: 'error', detail: err instanceof Error ? err.message : String(err) });
    }
  });

  // Prometheus scrapes without an API key; the numbers are per process and name no owner.
  // Not part of the client API (docs/deployment.md documents it), so not in /openapi.json.
  app.get('/metrics', { config: { public: true }, schema: { hide: true } as object }, async (_request, reply) => {
    const { contentType, body } = await ctx.telemetry.metrics.scrape();
    return reply.type(contentType).send(body);
  });

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } as object }, async () => app.swagger());

  app.post('/configure_webhook', { schema: { summary: 'Where webhooks are configured (a URL string)', tags: ['Webhooks'] } }, async (_request, reply) => {
    const text = config.webhookEndpoints.length
      ? `Svix-mode webhooks are delivered to FOLIO_WEBHOOK_ENDPOINTS (${config.webhookEndpoints.length} configured); direct webhooks use async.webhook.url`
      : 'Set FOLIO_WEBHOOK_ENDPOINTS for svix-mode webhooks, or pass async.webhook = {mode: "direct", url} per job';
    return reply.type('application/json').send(JSON.stringify(text));
  });

  // Signed blob downloads (results above the size limit, images): no API key needed.
  app.get('/blobs/*', { config: { public: true }, schema: { hide: true } as object }, async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    const q = request.query as { expires?: string; sig?: string };
    if (!backends.signer.verify('GET', `/blobs/${key}`, q.expires, q.sig)) {
      throw new ApiError('FORBIDDEN', 'The URL is invalid or has expired');
    }
    const blob = await backends.blobs.stream(key).catch(() => null);
    if (!blob) throw ApiError.notFound('Object');
    return reply.type(contentTypeOf(key)).header('content-length', blob.size).send(blob.body);
  });
}
