import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ParseOptions } from '@folio/engine';
import { ApiError, ValidationError } from '../http/api-error.ts';
import { inputRefsOf } from '../input/input-ref.ts';
import type { RouteContext } from './context.ts';
import { AsyncOptionsSchema, registerJobRoutes, type PreparedRequest } from './job-routes.ts';

const Open = (props: Record<string, ReturnType<typeof Type.Optional>> = {}) => Type.Object(props, { additionalProperties: true });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A document reference: URL, reducto://, jobid://, a list of them, or the upload object. */
export const InputSchema = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  Type.Object({ file_id: Type.String({ minLength: 1 }), presigned_url: Type.Optional(Nullable(Type.String())) }, { additionalProperties: true }),
]);

const PageRangeSchema = Type.Union([
  Open({ start: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), end: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))) }),
  Type.Array(Type.Unknown()),
  Type.Null(),
]);

/** POST /parse and /parse_async: the v3 body and the legacy body, validated leniently (unknown keys pass). */
export const ParseBodySchema = Type.Object(
  {
    input: Type.Optional(InputSchema),
    enhance: Type.Optional(Open({
      agentic: Type.Optional(Type.Array(Type.Unknown())),
      summarize_figures: Type.Optional(Type.Boolean()),
      intelligent_ordering: Type.Optional(Type.Boolean()),
    })),
    retrieval: Type.Optional(Open({
      chunking: Type.Optional(Open({
        chunk_mode: Type.Optional(Type.Union(['disabled', 'variable', 'section', 'page', 'page_sections', 'block'].map((m) => Type.Literal(m)))),
        chunk_size: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
        chunk_overlap: Type.Optional(Type.Integer({ minimum: 0 })),
      })),
      filter_blocks: Type.Optional(Type.Array(Type.String())),
      embedding_optimized: Type.Optional(Type.Boolean()),
    })),
    formatting: Type.Optional(Open({
      add_page_markers: Type.Optional(Type.Boolean()),
      table_output_format: Type.Optional(Type.Union(['html', 'json', 'md', 'jsonbbox', 'dynamic', 'csv'].map((m) => Type.Literal(m)))),
      merge_tables: Type.Optional(Type.Boolean()),
      join_hyphenated_words: Type.Optional(Type.Boolean()),
      include: Type.Optional(Type.Array(Type.String())),
    })),
    spreadsheet: Type.Optional(Open()),
    settings: Type.Optional(Open({
      ocr_system: Type.Optional(Type.String()),
      extraction_mode: Type.Optional(Type.String()),
      force_url_result: Type.Optional(Type.Boolean()),
      force_file_extension: Type.Optional(Nullable(Type.String())),
      return_ocr_data: Type.Optional(Type.Boolean()),
      return_images: Type.Optional(Type.Array(Type.Union([Type.Literal('figure'), Type.Literal('table'), Type.Literal('page')]))),
      persist_results: Type.Optional(Type.Boolean()),
      timeout: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0 }))),
      page_range: Type.Optional(PageRangeSchema),
      document_password: Type.Optional(Nullable(Type.String())),
    })),
    async: Type.Optional(AsyncOptionsSchema),
    queue_priority: Type.Optional(Type.String()),
    // Legacy (v1) body.
    document_url: Type.Optional(InputSchema),
    options: Type.Optional(Open()),
    advanced_options: Type.Optional(Open()),
    experimental_options: Type.Optional(Open()),
    priority: Type.Optional(Type.Boolean()),
    webhook: Type.Optional(Open()),
  },
  { additionalProperties: true },
);

const V3_KEYS = ['input', 'enhance', 'retrieval', 'formatting', 'spreadsheet', 'settings', 'async'];
const LEGACY_KEYS = ['document_url', 'options', 'advanced_options', 'experimental_options'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** The legacy body's options in the v3 shape the engine takes. */
function legacyToOptions(body: Obj): ParseOptions {
  const o = obj(body.options);
  const a = obj(body.advanced_options);
  const x = obj(body.experimental_options);
  const chunking = obj(o.chunking);
  const tableFormat = a.table_output_format === 'ai_json' ? 'json' : (a.table_output_format as string | undefined) ?? 'html';
  const images = (['figure', 'table', 'page'] as const).filter((k) => x[`return_${k}_images`] === true);
  return {
    retrieval: {
      chunking: {
        chunk_mode: (chunking.chunk_mode as never) ?? 'variable',
        chunk_size: (chunking.chunk_size as number | null | undefined) ?? null,
        chunk_overlap: (chunking.chunk_overlap as number | undefined) ?? 0,
      },
      filter_blocks: (o.filter_blocks as never) ?? [],
    },
    formatting: {
      add_page_markers: a.add_page_markers === true,
      table_output_format: tableFormat as never,
      merge_tables: a.merge_tables === true,
    },
    settings: {
      extraction_mode: o.extraction_mode === 'ocr' ? 'ocr' : 'hybrid',
      force_url_result: o.force_url_result === true,
      return_ocr_data: a.return_ocr_data === true,
      return_images: images,
      persist_results: a.persist_results === true,
      page_range: (a.page_range as never) ?? null,
      document_password: (a.document_password as string | undefined) ?? null,
      timeout: (x.user_specified_timeout_seconds as number | undefined) ?? null,
    },
  };
}

/** Validate a parse body (v3 or legacy, never both) into the engine's ParseOptions. */
export function prepareParse(body: Obj): PreparedRequest {
  const v3 = V3_KEYS.filter((k) => body[k] !== undefined);
  const legacy = LEGACY_KEYS.filter((k) => body[k] !== undefined);
  if (legacy.length && v3.filter((k) => k !== 'async').length) {
    throw new ApiError('INVALID_CONFIG', `Mixing the legacy body (${legacy.join(', ')}) with v3 keys (${v3.join(', ')}) is not allowed`);
  }
  const isLegacy = legacy.length > 0;
  const refs = inputRefsOf(isLegacy ? body.document_url : body.input);
  if (!refs) {
    const field = isLegacy ? 'document_url' : 'input';
    throw new ValidationError([{ loc: ['body', field], msg: 'Field required', type: 'missing' }]);
  }
  const config: ParseOptions = isLegacy
    ? legacyToOptions(body)
    : {
        enhance: body.enhance as ParseOptions['enhance'],
        retrieval: body.retrieval as ParseOptions['retrieval'],
        formatting: body.formatting as ParseOptions['formatting'],
        spreadsheet: body.spreadsheet as ParseOptions['spreadsheet'],
        settings: body.settings as ParseOptions['settings'],
      };
  return { inputRef: refs[0], moreInputRefs: refs.slice(1), config: JSON.parse(JSON.stringify(config)), timeoutS: config.settings?.timeout ?? null };
}

export function registerParseRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerJobRoutes(app, ctx, {
    type: 'Parse',
    syncPath: '/parse',
    asyncPaths: ['/parse_async', '/async_parse'],
    body: ParseBodySchema,
    prepare: prepareParse,
    summary: 'Parse a document into layout-aware chunks',
  });
}
