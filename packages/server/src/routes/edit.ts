import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { EditRequest } from '@folio/engine';
import { ValidationError } from '../http/api-error.ts';
import { inputRefOf } from '../input/input-ref.ts';
import type { RouteContext } from './context.ts';
import { registerJobRoutes, type PreparedRequest } from './job-routes.ts';
import { InputSchema } from './parse.ts';

const Box = Type.Object({
  left: Type.Number(), top: Type.Number(), width: Type.Number({ minimum: 0 }), height: Type.Number({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }), original_page: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: true });

/** POST /edit and /edit_async (Reducto's EditConfig; async uses the top-level `webhook`). */
export const EditBodySchema = Type.Object({
  document_url: InputSchema,
  edit_instructions: Type.String(),
  edit_options: Type.Optional(Type.Object({
    color: Type.Optional(Type.String({ pattern: '^#?[0-9A-Fa-f]{6}$' })),
    font_size: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 72 }), Type.Null()])),
    flatten: Type.Optional(Type.Boolean()),
    enable_overflow_pages: Type.Optional(Type.Boolean()),
    llm_provider_preference: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }, { additionalProperties: true })),
  form_schema: Type.Optional(Type.Union([Type.Array(Type.Object({
    bbox: Box,
    description: Type.String(),
    type: Type.Union(['text', 'checkbox', 'radio', 'dropdown', 'barcode'].map((t) => Type.Literal(t))),
    fill: Type.Optional(Type.Boolean()),
    // Null first: Fastify coerces types, and null would become "" under the String branch.
    value: Type.Optional(Type.Union([Type.Null(), Type.String()])),
    font_size: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 72 }), Type.Null()])),
  }, { additionalProperties: true })), Type.Null()])),
  priority: Type.Optional(Type.Boolean()),
  webhook: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true });

export function prepareEdit(body: Record<string, unknown>): PreparedRequest {
  const inputRef = inputRefOf(body.document_url);
  if (!inputRef) throw new ValidationError([{ loc: ['body', 'document_url'], msg: 'Field required', type: 'missing' }]);
  const config: EditRequest = {
    edit_instructions: body.edit_instructions as string,
    edit_options: body.edit_options as EditRequest['edit_options'],
    form_schema: body.form_schema as EditRequest['form_schema'],
  };
  return { inputRef, config: JSON.parse(JSON.stringify(config)), timeoutS: null };
}

export function registerEditRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerJobRoutes(app, ctx, {
    type: 'Edit',
    syncPath: '/edit',
    asyncPaths: ['/edit_async'],
    body: EditBodySchema,
    prepare: prepareEdit,
    summary: 'Fill a PDF form from instructions or a form_schema',
  });
}
