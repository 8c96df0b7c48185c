import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { EngineError, validateSchema, type ParseOptions } from '@folio/engine';
import { ApiError, ValidationError } from '../http/api-error.ts';
import { inputRefsOf } from '../input/input-ref.ts';
import type { ExtractJobConfig } from '../operations/extract.ts';
import type { RouteContext } from './context.ts';
import { AsyncOptionsSchema, registerJobRoutes, type PreparedRequest } from './job-routes.ts';
import { InputSchema } from './parse.ts';

const Open = (props: Record<string, ReturnType<typeof Type.Optional>> = {}) => Type.Object(props, { additionalProperties: true });

/** POST /extract and /extract_async (v3 body; the legacy `document_url` + `schema` is accepted too). */
export const ExtractBodySchema = Type.Object(
  {
    input: Type.Optional(InputSchema),
    parsing: Type.Optional(Open()),
    instructions: Type.Optional(Open({ schema: Type.Optional(Type.Unknown()), system_prompt: Type.Optional(Type.String()) })),
    settings: Type.Optional(Open({
      citations: Type.Optional(Open({
        enabled: Type.Optional(Type.Boolean()),
        numerical_confidence: Type.Optional(Type.Boolean()),
        parent_block: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('bbox_only')])),
      })),
      array_extract: Type.Optional(Type.Boolean()),
      include_images: Type.Optional(Type.Boolean()),
      force_url_result: Type.Optional(Type.Boolean()),
      page_range: Type.Optional(Type.Unknown()),
    })),
    async: Type.Optional(AsyncOptionsSchema),
    document_url: Type.Optional(InputSchema),
    schema: Type.Optional(Type.Unknown()),
    system_prompt: Type.Optional(Type.String()),
    generate_citations: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

type Obj = Record<string, unknown>;

/** A schema problem is the client's: 422 INVALID_SCHEMA with the validator's reason. */
export function checkSchema(schema: unknown): void {
  try {
    validateSchema(schema);
  } catch (err) {
    if (err instanceof EngineError) throw new ApiError(err.code, err.message);
    throw err;
  }
}

export function prepareExtract(body: Obj): PreparedRequest {
  const refs = inputRefsOf(body.input ?? body.document_url);
  if (!refs) throw new ValidationError([{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }]);
  const instructions = (body.instructions ?? {}) as Obj;
  const schema = instructions.schema ?? body.schema;
  checkSchema(schema);
  const settings = { ...(body.settings as Obj | undefined) } as ExtractJobConfig['settings'] & Obj;
  if (!settings.citations && body.generate_citations === true) settings.citations = { enabled: true };
  const parsing = body.parsing as ParseOptions | undefined;
  const config: ExtractJobConfig = {
    parsing,
    instructions: { schema, system_prompt: (instructions.system_prompt ?? body.system_prompt) as string | undefined },
    settings,
  };
  return { inputRef: refs[0], moreInputRefs: refs.slice(1), config: JSON.parse(JSON.stringify(config)), timeoutS: parsing?.settings?.timeout ?? null };
}

export function registerExtractRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerJobRoutes(app, ctx, {
    type: 'Extract',
    syncPath: '/extract',
    asyncPaths: ['/extract_async'],
    body: ExtractBodySchema,
    prepare: prepareExtract,
    summary: 'Extract structured data against a JSON Schema, with citations',
  });
}
