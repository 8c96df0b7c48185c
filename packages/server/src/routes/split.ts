import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ParseOptions, SplitCategory } from '@folio/engine';
import { ValidationError } from '../http/api-error.ts';
import { inputRefsOf } from '../input/input-ref.ts';
import type { SplitJobConfig } from '../operations/split.ts';
import type { RouteContext } from './context.ts';
import { AsyncOptionsSchema, registerJobRoutes, type PreparedRequest } from './job-routes.ts';
import { InputSchema } from './parse.ts';

export const SplitCategorySchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.String(),
    partition_key: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: true },
);

/** POST /split and /split_async. */
export const SplitBodySchema = Type.Object(
  {
    input: Type.Optional(InputSchema),
    document_url: Type.Optional(InputSchema),
    split_description: Type.Array(SplitCategorySchema, { minItems: 1 }),
    split_rules: Type.Optional(Type.String()),
    parsing: Type.Optional(Type.Object({}, { additionalProperties: true })),
    settings: Type.Optional(Type.Object({
      allow_page_overlap: Type.Optional(Type.Boolean()),
      table_cutoff: Type.Optional(Type.Union([Type.Literal('truncate'), Type.Literal('preserve')])),
    }, { additionalProperties: true })),
    async: Type.Optional(AsyncOptionsSchema),
  },
  { additionalProperties: true },
);

type Obj = Record<string, unknown>;

export function prepareSplit(body: Obj): PreparedRequest {
  const refs = inputRefsOf(body.input ?? body.document_url);
  if (!refs) throw new ValidationError([{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }]);
  const names = (body.split_description as SplitCategory[]).map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ValidationError([{ loc: ['body', 'split_description'], msg: `Duplicate split name "${dup}"`, type: 'value_error' }]);
  const parsing = body.parsing as ParseOptions | undefined;
  const config: SplitJobConfig = {
    parsing,
    split_description: body.split_description as SplitCategory[],
    split_rules: body.split_rules as string | undefined,
    settings: body.settings as SplitJobConfig['settings'],
  };
  return { inputRef: refs[0], moreInputRefs: refs.slice(1), config: JSON.parse(JSON.stringify(config)), timeoutS: parsing?.settings?.timeout ?? null };
}

export function registerSplitRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerJobRoutes(app, ctx, {
    type: 'Split',
    syncPath: '/split',
    asyncPaths: ['/split_async'],
    body: SplitBodySchema,
    prepare: prepareSplit,
    summary: 'Split a document into sections by category',
  });
}
