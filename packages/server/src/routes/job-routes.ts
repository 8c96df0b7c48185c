import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { ApiError } from '../http/api-error.ts';
import type { JobType, WebhookConfig } from '../jobs/job.ts';
import { ownerOf, type RouteContext } from './context.ts';
import { assertWebhookUrl } from '../webhooks/webhook-sender.ts';

/** What an operation's request becomes before it is queued. */
export interface PreparedRequest {
  inputRef: string;
  /** Documents read after `inputRef`, as one document (a multi-document `input` list). */
  moreInputRefs?: string[];
  /** The operation config (what the operation function receives). */
  config: unknown;
  timeoutS: number | null;
}

export interface JobRouteSpec {
  type: JobType;
  /** Sync path (waits for the job), e.g. "/parse". */
  syncPath?: string;
  /** Async paths (answer `{job_id}` at once), e.g. ["/parse_async", "/async_parse"]. */
  asyncPaths?: string[];
  /** TypeBox schema validating the body; also documents it in /openapi.json. */
  body: TSchema;
  /**
   * Check and normalise a validated body (throw ValidationError/ApiError on bad input). May
   * look things up for the owner (e.g. a saved pipeline), hence async and the owner.
   */
  prepare: (body: Record<string, unknown>, owner: string) => PreparedRequest | Promise<PreparedRequest>;
  summary?: string;
}

/** `async: {webhook, metadata, priority}` (v3) or top-level `webhook`/`priority` (legacy). */
export const AsyncOptionsSchema = Type.Object(
  {
    webhook: Type.Optional(Type.Union([
      Type.Object({ mode: Type.Literal('direct'), url: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
      Type.Object({ mode: Type.Literal('svix'), channels: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: true }),
      Type.Object({ mode: Type.Literal('disabled') }, { additionalProperties: true }),
      Type.Null(),
    ])),
    metadata: Type.Optional(Type.Unknown()),
    priority: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

interface AsyncOptions {
  webhook: WebhookConfig | null;
  metadata: unknown;
  priority: boolean;
}

function asyncOptionsOf(body: Record<string, unknown>): AsyncOptions {
  const v3 = body.async as { webhook?: Record<string, unknown> | null; metadata?: unknown; priority?: boolean } | undefined;
  const legacy = body.webhook as Record<string, unknown> | undefined;
  const hook = v3?.webhook ?? legacy ?? null;
  let webhook: WebhookConfig | null = null;
  if (hook?.mode === 'direct') webhook = { mode: 'direct', url: String(hook.url) };
  else if (hook?.mode === 'svix') webhook = { mode: 'svix', channels: hook.channels as string[] | undefined };
  return { webhook, metadata: v3?.metadata ?? legacy?.metadata ?? null, priority: v3?.priority ?? body.priority === true };
}

/**
 * Register an operation's sync and async routes. The sync route is a job that the request
 * waits for; the async routes answer `{job_id}` and honour Idempotency-Key.
 */
export function registerJobRoutes(app: FastifyInstance, ctx: RouteContext, spec: JobRouteSpec): void {
  const submit = async (body: Record<string, unknown>, owner: string, sync: boolean, idempotencyKey: string | null) => {
    const prepared = await spec.prepare(body, owner);
    const options = asyncOptionsOf(body);
    // A webhook the worker could never deliver is refused now, not found out at delivery.
    if (options.webhook?.mode === 'direct') await assertWebhookUrl(options.webhook.url ?? '', ctx.config);
    return ctx.service.submit({
      owner,
      type: spec.type,
      inputRef: prepared.inputRef,
      moreInputRefs: prepared.moreInputRefs ?? [],
      config: prepared.config,
      rawConfig: JSON.stringify(body),
      priority: sync ? 2 : options.priority ? 1 : 0,
      timeoutS: prepared.timeoutS,
      webhook: options.webhook,
      metadata: options.metadata,
      idempotencyKey,
    });
  };
  const idempotencyKeyOf = (header: unknown): string | null => {
    if (typeof header !== 'string' || header === '') return null;
    if (header.length > 255) throw new ApiError('INVALID_CONFIG', 'Idempotency-Key is longer than 255 characters');
    return header;
  };
  const schema = { body: spec.body, summary: spec.summary, tags: [spec.type] };

  for (const path of spec.asyncPaths ?? []) {
    app.post(path, { schema }, async (request) => {
      const body = request.body as Record<string, unknown>;
      const job = await submit(body, ownerOf(request), false, idempotencyKeyOf(request.headers['idempotency-key']));
      return { job_id: job.id };
    });
  }
  if (spec.syncPath) {
    app.post(spec.syncPath, { schema }, async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      // A sync route given an `async` block behaves as the async route (Reducto's union response).
      if (body.async) {
        const job = await submit(body, ownerOf(request), false, idempotencyKeyOf(request.headers['idempotency-key']));
        return { job_id: job.id };
      }
      const job = await submit(body, ownerOf(request), true, null);
      const gone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableEnded) gone.abort();
      });
      const done = await ctx.service.waitForTerminal(job.id, gone.signal);
      if (done.status !== 'Completed') throw ApiError.fromJobFailure(done.errorCode, done.reason, done.id);
      reply.type('application/json');
      return done.resultText ?? JSON.stringify(done.result);
    });
  }
}
