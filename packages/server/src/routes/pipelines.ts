import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError, ValidationError } from '../http/api-error.ts';
import { inputRefOf } from '../input/input-ref.ts';
import type { PipelineJobConfig } from '../operations/pipeline.ts';
import { PipelineStore, type PipelineDefinition } from '../pipelines/pipeline.ts';
import { ownerOf, type RouteContext } from './context.ts';
import { checkSchema } from './extract.ts';
import { AsyncOptionsSchema, registerJobRoutes } from './job-routes.ts';
import { InputSchema } from './parse.ts';
import { SplitCategorySchema } from './split.ts';

const Open = Type.Object({}, { additionalProperties: true });
const ExtractStep = Type.Object({
  instructions: Type.Object({ schema: Type.Unknown(), system_prompt: Type.Optional(Type.String()) }, { additionalProperties: true }),
  settings: Type.Optional(Open),
}, { additionalProperties: true });

/** PUT /pipelines/{id}: Folio's way to save what a Reducto Studio pipeline holds. */
export const PipelineDefinitionSchema = Type.Object({
  name: Type.Optional(Type.String()),
  parsing: Type.Optional(Open),
  split: Type.Optional(Type.Union([Type.Object({
    split_description: Type.Array(SplitCategorySchema, { minItems: 1 }),
    split_rules: Type.Optional(Type.String()),
    settings: Type.Optional(Open),
  }, { additionalProperties: true }), Type.Null()])),
  extract: Type.Optional(Type.Union([ExtractStep, Type.Null()])),
  split_extract: Type.Optional(Type.Record(Type.String(), ExtractStep)),
}, { additionalProperties: false });

/** POST /pipeline and /pipeline_async (Reducto's body). */
export const PipelineRunSchema = Type.Object({
  input: InputSchema,
  pipeline_id: Type.String({ minLength: 1 }),
  settings: Type.Optional(Type.Object({ document_password: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, { additionalProperties: false })),
  async: Type.Optional(AsyncOptionsSchema),
}, { additionalProperties: true });

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' }) });

export function registerPipelineRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const store = new PipelineStore(ctx.backends.blobs);

  app.put('/pipelines/:id', { schema: { params: IdParams, body: PipelineDefinitionSchema, tags: ['Pipeline'], summary: 'Save a pipeline (Folio extension)' } }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as Omit<PipelineDefinition, 'id' | 'created_at' | 'updated_at'>;
    if (body.extract) checkSchema(body.extract.instructions.schema);
    for (const step of Object.values(body.split_extract ?? {})) checkSchema(step.instructions.schema);
    const names = new Set(body.split?.split_description.map((c) => c.name) ?? []);
    const unknown = Object.keys(body.split_extract ?? {}).filter((n) => !names.has(n));
    if (unknown.length) throw new ApiError('INVALID_CONFIG', `split_extract names splits the pipeline does not define: ${unknown.join(', ')}`);
    const owner = ownerOf(request);
    const previous = await store.get(owner, id);
    const now = new Date().toISOString();
    const def: PipelineDefinition = { ...body, id, created_at: previous?.created_at ?? now, updated_at: now };
    await store.put(owner, def);
    return def;
  });

  app.get('/pipelines/:id', { schema: { params: IdParams, tags: ['Pipeline'], summary: 'Read a saved pipeline' } }, async (request) => {
    const { id } = request.params as { id: string };
    const def = await store.get(ownerOf(request), id);
    if (!def) throw ApiError.notFound(`Pipeline ${id}`);
    return def;
  });

  app.delete('/pipelines/:id', { schema: { params: IdParams, tags: ['Pipeline'], summary: 'Delete a saved pipeline' } }, async (request) => {
    const { id } = request.params as { id: string };
    if (!(await store.delete(ownerOf(request), id))) throw ApiError.notFound(`Pipeline ${id}`);
    return { id, deleted: true };
  });

  registerJobRoutes(app, ctx, {
    type: 'Pipeline',
    syncPath: '/pipeline',
    asyncPaths: ['/pipeline_async'],
    body: PipelineRunSchema,
    summary: 'Run a saved pipeline: parse, then split and extract',
    prepare: async (body, owner) => {
      const inputRef = inputRefOf(body.input);
      if (!inputRef) throw new ValidationError([{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }]);
      const pipeline = await store.get(owner, String(body.pipeline_id));
      if (!pipeline) throw ApiError.notFound(`Pipeline ${String(body.pipeline_id)}`);
      // The job keeps the pipeline as it is now; later edits do not change a queued job.
      const config: PipelineJobConfig = { pipeline, settings: body.settings as PipelineJobConfig['settings'] };
      return { inputRef, config, timeoutS: pipeline.parsing?.settings?.timeout ?? null };
    },
  });
}
