import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ClassificationCategory, PageRangeInput } from '@folio/engine';
import { ValidationError } from '../http/api-error.ts';
import { inputRefOf } from '../input/input-ref.ts';
import type { ClassifyJobConfig } from '../operations/classify.ts';
import type { RouteContext } from './context.ts';
import { registerJobRoutes, type PreparedRequest } from './job-routes.ts';
import { InputSchema } from './parse.ts';

/** POST /classify (sync only, like Reducto; the job is still visible under /job/{id}). */
export const ClassifyBodySchema = Type.Object(
  {
    input: InputSchema,
    classification_schema: Type.Array(Type.Object({
      category: Type.String({ minLength: 1 }),
      criteria: Type.Array(Type.String()),
    }, { additionalProperties: true }), { minItems: 1 }),
    page_range: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown()), Type.Null()])),
    document_metadata: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    persist_results: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

/** Reducto reads the first five pages unless told otherwise. */
const DEFAULT_PAGES = { start: 1, end: 5 };

export function prepareClassify(body: Record<string, unknown>): PreparedRequest {
  const inputRef = inputRefOf(body.input);
  if (!inputRef) throw new ValidationError([{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }]);
  const config: ClassifyJobConfig = {
    classification_schema: body.classification_schema as ClassificationCategory[],
    page_range: (body.page_range as PageRangeInput | null | undefined) ?? DEFAULT_PAGES,
    document_metadata: body.document_metadata as string | null | undefined,
  };
  return { inputRef, config, timeoutS: null };
}

export function registerClassifyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerJobRoutes(app, ctx, {
    type: 'Classify',
    syncPath: '/classify',
    body: ClassifyBodySchema,
    prepare: prepareClassify,
    summary: 'Classify a document into one of the given categories',
  });
}
