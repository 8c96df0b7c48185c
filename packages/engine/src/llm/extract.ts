import { EngineError } from '../errors.ts';
import type { ParsedDocument } from '../model.ts';
import type { Answer, ObjectAnswer } from '../extract/answer.ts';
import { coerce } from '../extract/coerce.ts';
import { locate } from '../extract/evidence.ts';
import { mainType, resolve, type JsonSchema } from '../extract/schema.ts';
import { completeJson } from './client.ts';
import type { LlmConfig } from './config.ts';
import { documentPrompt } from './prompt.ts';

export type { LlmConfig } from './config.ts';

const INSTRUCTIONS = `Extract the requested fields from the document below. Each block starts with its id in square brackets.
For every field answer {"value": ..., "block_ids": [ids of the blocks the value was read from]}.
Use null when the document does not state the value; never guess or compute values that are not written.`;

/**
 * Extraction by an OpenAI-compatible model with structured output. Every leaf of the
 * user's schema is asked for as {value, block_ids}; citations are the blocks it names.
 * Values are checked against the schema types; ids that do not exist are dropped.
 */
export async function extractWithModel(doc: ParsedDocument, schema: JsonSchema, systemPrompt: string | undefined, config: LlmConfig, signal?: AbortSignal): Promise<ObjectAnswer> {
  const wrapped = wrap(schema, schema);
  const system = `${systemPrompt?.trim() || 'Be precise and thorough.'}\n\n${INSTRUCTIONS}`;
  const raw = await completeJson(config, system, documentPrompt(doc), wrapped, signal);
  const answer = unwrap(raw, schema, schema, doc);
  if (answer.kind !== 'object') throw new EngineError('LLM_OUTPUT_PARSE_FAILED', 'The language model did not return an object');
  return answer;
}

/** The user's schema with each leaf replaced by {value, block_ids}. */
function wrap(s: JsonSchema, root: JsonSchema): object {
  const r = resolve(s, root);
  const type = mainType(r);
  if (type === 'object') {
    const props = Object.fromEntries(Object.entries(r.properties ?? {}).map(([k, v]) => [k, wrap(v, root)]));
    return { type: 'object', properties: props, required: Object.keys(props), additionalProperties: false, ...(r.description ? { description: r.description } : {}) };
  }
  if (type === 'array') return { type: 'array', items: wrap(r.items ?? {}, root), ...(r.description ? { description: r.description } : {}) };
  const { description, title, $ref: _ref, anyOf: _a, oneOf: _o, ...leaf } = r;
  const valueType = Array.isArray(leaf.type) ? [...new Set([...leaf.type, 'null'])] : [leaf.type ?? 'string', 'null'];
  return {
    type: 'object',
    properties: {
      value: { ...leaf, type: valueType, ...(leaf.enum ? { enum: [...leaf.enum, null] } : {}) },
      block_ids: { type: 'array', items: { type: 'integer' } },
    },
    required: ['value', 'block_ids'],
    additionalProperties: false,
    ...(description || title ? { description: String(description ?? title) } : {}),
  };
}

function malformed(path: string, why: string): never {
  throw new EngineError('LLM_OUTPUT_PARSE_FAILED', `The language model's answer does not match the schema at ${path || '(root)'}: ${why}`);
}

function unwrap(raw: unknown, s: JsonSchema, root: JsonSchema, doc: ParsedDocument, path = ''): Answer {
  const r = resolve(s, root);
  const type = mainType(r);
  if (type === 'object') {
    if (raw === null || raw === undefined) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) malformed(path, 'expected an object');
    const fields: Record<string, Answer> = {};
    for (const [k, v] of Object.entries(r.properties ?? {})) fields[k] = unwrap((raw as Record<string, unknown>)[k], v, root, doc, `${path}.${k}`);
    return { kind: 'object', fields };
  }
  if (type === 'array') {
    if (raw === null || raw === undefined) return { kind: 'array', items: [] };
    if (!Array.isArray(raw)) malformed(path, 'expected an array');
    return { kind: 'array', items: raw.map((item, i) => unwrap(item, r.items ?? {}, root, doc, `${path}[${i}]`)) };
  }
  if (raw === null || raw === undefined) return { kind: 'leaf', value: null, sources: [], confidence: 0 };
  if (typeof raw !== 'object' || Array.isArray(raw) || !('value' in raw)) malformed(path, 'expected {value, block_ids}');
  const { value, block_ids: ids } = raw as { value: unknown; block_ids?: unknown };
  const typed = value === null ? null : checkType(value, r);
  const blocks = (Array.isArray(ids) ? ids : []).filter((id): id is number => Number.isInteger(id) && id >= 0 && id < doc.blocks.length);
  if (typed === null) return { kind: 'leaf', value: null, sources: [], confidence: 0 };
  const sources = [...new Set(blocks)].map((id) => locate(doc.blocks[id], typed));
  // A value the model cannot place in the document is reported with low confidence.
  return { kind: 'leaf', value: typed, sources, confidence: sources.length ? 0.9 : 0.3 };
}

/** The model's value if it has the schema's type, else the same text coerced; null if neither. */
function checkType(value: unknown, s: JsonSchema): unknown {
  const type = mainType(s);
  const ok = (type === 'string' && typeof value === 'string') || (type === 'boolean' && typeof value === 'boolean')
    || (type === 'number' && typeof value === 'number') || (type === 'integer' && Number.isInteger(value));
  if (ok && (!s.enum || s.enum.includes(value))) return value;
  const coerced = coerce(String(value), s);
  return coerced === undefined ? null : coerced;
}
