import { Ajv, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { EngineError } from '../errors.ts';

/** The JSON Schema subset extraction walks; anything else is validated by ajv and passed over. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  description?: string;
  title?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  [key: string]: unknown;
}

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let shared: Ajv | null = null;
let uses = 0;

/**
 * A validator shared by many requests: building one (meta-schemas, formats) costs far more
 * than a compile. Ajv's code scope still grows with every compile, so it is renewed now and then.
 */
function ajvInstance(): Ajv {
  if (!shared || ++uses > 200) {
    uses = 0;
    shared = new Ajv({ strict: false, allErrors: true, validateSchema: true, addUsedSchema: false });
    addFormats(shared);
  }
  return shared;
}

/**
 * Check a user's extraction schema: valid JSON Schema (draft-07 / 2019 keywords that ajv
 * knows) whose top level is an object. Throws INVALID_SCHEMA (422) with ajv's reason.
 */
export function validateSchema(schema: unknown): JsonSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new EngineError('INVALID_SCHEMA', 'instructions.schema must be a JSON Schema object');
  }
  const s = schema as JsonSchema;
  const topType = s.type;
  if (topType !== undefined && topType !== 'object' && !(Array.isArray(topType) && topType.includes('object'))) {
    throw new EngineError('INVALID_SCHEMA', `The top level of the schema must be {"type": "object"}, got ${JSON.stringify(topType)}`);
  }
  if (topType === undefined && !s.properties) {
    throw new EngineError('INVALID_SCHEMA', 'The top level of the schema must be {"type": "object", "properties": {...}}');
  }
  try {
    // Compile to prove the schema is usable; a user's $id must not collide across requests.
    const { $id: _id, ...anonymous } = s;
    const ajv = ajvInstance();
    ajv.compile(anonymous as AnySchema);
    ajv.removeSchema(anonymous as AnySchema);
  } catch (err) {
    throw new EngineError('INVALID_SCHEMA', `Invalid JSON Schema: ${(err as Error).message}`);
  }
  return s;
}

/** Follow a local `$ref` and pick the non-null branch of `anyOf`/`oneOf` (nullable fields). */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let depth = 0; depth < 20; depth++) {
    if (s.$ref && s.$ref.startsWith('#/')) {
      const target = s.$ref.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], root);
      if (!target || typeof target !== 'object') return s;
      const { $ref: _ref, ...rest } = s;
      s = { ...(target as JsonSchema), ...rest };
      continue;
    }
    const branches = s.anyOf ?? s.oneOf;
    if (branches) {
      const pick = branches.find((b) => b.type !== 'null') ?? branches[0];
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      s = { ...pick, ...rest };
      continue;
    }
    if (s.allOf) {
      const { allOf, ...rest } = s;
      s = allOf.reduce<JsonSchema>((acc, part) => ({ ...acc, ...part, properties: { ...acc.properties, ...part.properties } }), rest);
      continue;
    }
    return s;
  }
  return s;
}

/** The schema's main type ("object", "array", "string", …), with `null` ignored. */
export function mainType(s: JsonSchema): string {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  if (s.properties) return 'object';
  if (s.items) return 'array';
  return 'string';
}
