import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, ValidationError } from './api-error.ts';
import { BlobTooLargeError } from '../storage/blob-store.ts';

interface AjvIssue {
  instancePath?: string;
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** FastAPI-style location: ["body", "settings", "timeout"]. */
function locOf(context: string, issue: AjvIssue): Array<string | number> {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const missing = issue.params?.missingProperty;
  return [context, ...path, ...(typeof missing === 'string' ? [missing] : [])];
}

/** `'a', 'b' or 'c'`, as pydantic words a literal error. */
function allowedList(values: unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v)));
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : shown.join('');
}

/**
 * A union of literals (`Type.Union([Type.Literal('md'), …])`) fails once per literal ("must be
 * equal to constant") and once more for the anyOf: one issue per field naming the allowed
 * values reads better. An `enum` issue gets its values too.
 */
function collapseLiterals(issues: AjvIssue[]): AjvIssue[] {
  const literals = new Map<string, unknown[]>();
  for (const issue of issues) {
    if (issue.keyword !== 'const') continue;
    const at = issue.instancePath ?? '';
    literals.set(at, [...(literals.get(at) ?? []), issue.params?.allowedValue]);
  }
  const out: AjvIssue[] = [];
  const done = new Set<string>();
  for (const issue of issues) {
    const at = issue.instancePath ?? '';
    const values = literals.get(at);
    if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) {
      out.push({ ...issue, message: `Input should be ${allowedList(issue.params.allowedValues)}` });
    } else if (values && (issue.keyword === 'const' || issue.keyword === 'anyOf')) {
      if (done.has(at)) continue;
      done.add(at);
      out.push({ instancePath: at, keyword: 'literal_error', params: { expected: values }, message: `Input should be ${allowedList(values)}` });
    } else {
      out.push(issue);
    }
  }
  return out;
}

/**
 * One place that turns every failure into Reducto's error shapes: 422 `{detail: [...]}`
 * for validation, `{error: {code, name, message, job_id}}` for the rest. /upload errors
 * carry `x-should-retry: false` because the SDK would otherwise retry a consumed stream.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (request.url.startsWith('/upload')) void reply.header('x-should-retry', 'false');
    // Refused before its body was read (a PUT over the size limit): the rest of the body is
    // still on the wire, so the connection cannot carry another request. Say so, so that a
    // keep-alive client opens a new one instead of meeting a stalled or reset socket.
    if (!request.raw.complete) void reply.header('connection', 'close');
    if (err instanceof ValidationError) return reply.code(422).send({ detail: err.detail });
    const validation = (err as FastifyError).validation as AjvIssue[] | undefined;
    if (validation) {
      const context = (err as FastifyError).validationContext ?? 'body';
      return reply.code(422).send({
        detail: collapseLiterals(validation).map((v) => ({
          loc: locOf(context, v),
          msg: v.keyword === 'required' ? 'Field required' : (v.message ?? 'Invalid value'),
          type: v.keyword === 'required' ? 'missing' : v.keyword,
        })),
      });
    }
    let api: ApiError;
    if (err instanceof ApiError) api = err;
    else if (err instanceof BlobTooLargeError) api = new ApiError('DOCUMENT_TOO_LARGE', err.message);
    else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      const status = (err as FastifyError).statusCode!;
      api = new ApiError(status === 413 ? 'DOCUMENT_TOO_LARGE' : status === 415 ? 'DOCUMENT_UNSUPPORTED' : 'INVALID_CONFIG', err.message);
    } else {
      console.error(`Folio: ${request.method} ${request.url} failed:`, err);
      api = new ApiError('INTERNAL_ERROR', 'Internal server error');
    }
    return reply.code(api.status).send(api.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const api = new ApiError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    reply.code(api.status).send(api.body());
  });
}
