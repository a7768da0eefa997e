// Response schemas serialise (fast-json-stringify): a field the schema does not name is dropped, a
// value of another type is coerced. That is fast and safe — nothing undeclared leaks — but a schema that
// drifts from what the service returns would silently lose data. With config.checkResponses (tests, e2e)
// every JSON answer is serialised as production does and then compared with what the handler returned,
// and validated against the schema: any difference is a 500 naming the route, the status and the field.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { AppError } from './problem';

const addFormats = addFormatsPlugin as unknown as (a: Ajv) => Ajv;

type RouteSchema = { schema: unknown; method: string; url: string; httpStatus: string; contentType?: string };
type Serialize = (data: unknown) => string;
type BuildSerializer = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Serialize;

/** The serializer factory Fastify uses (fast-json-stringify), optionally wrapped with the check. */
export function serializerFactory(check: boolean): BuildSerializer {
  const base = (SerializerSelector as unknown as () => BuildSerializer)();
  if (!check) return base;
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateFormats: true }));
  return (externalSchemas, options) => {
    const compile = base(externalSchemas, options);
    for (const [id, schema] of Object.entries((externalSchemas ?? {}) as Record<string, object>)) if (!ajv.getSchema(id)) ajv.addSchema(schema, id);
    return (route) => {
      const serialize = compile(route);
      let validate: ValidateFunction | null = null;
      const where = `${route.method} ${route.url} → ${route.httpStatus}`;
      return (data) => {
        let out: string;
        try {
          out = serialize(data);
        } catch (e) {
          throw mismatch(where, (e as Error).message); // fast-json-stringify refuses a missing required field
        }
        const plain = JSON.stringify(data);
        const sent: unknown = JSON.parse(out);
        const returned: unknown = plain === undefined ? undefined : JSON.parse(plain);
        const diff = firstDifference(returned, sent, '');
        if (diff) throw mismatch(where, diff);
        validate ??= ajv.compile(route.schema as object);
        if (!validate(sent)) {
          const e = validate.errors![0];
          throw mismatch(where, `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
        }
        return out;
      };
    };
  };
}

function mismatch(where: string, detail: string): AppError {
  return new AppError(500, 'response-schema-mismatch', 'Response does not match its schema', `${where}: ${detail}`);
}

/** The first place two JSON values differ, as a JSON pointer with what happened there; null if equal. */
export function firstDifference(returned: unknown, sent: unknown, at: string): string | null {
  if (returned === sent) return null;
  if (Array.isArray(returned)) {
    if (!Array.isArray(sent)) return `${at || '/'} was an array, the schema sent ${JSON.stringify(sent)?.slice(0, 60)}`;
    if (returned.length !== sent.length) return `${at || '/'} had ${returned.length} items, the schema sent ${sent.length}`;
    for (let i = 0; i < returned.length; i++) {
      const d = firstDifference(returned[i], sent[i], `${at}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (returned && typeof returned === 'object') {
    if (!sent || typeof sent !== 'object' || Array.isArray(sent)) return `${at || '/'} was an object, the schema sent ${JSON.stringify(sent)?.slice(0, 60)}`;
    const r = returned as Record<string, unknown>;
    const s = sent as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (!(k in s)) return `${at}/${k} is not in the response schema (it would be dropped)`;
      const d = firstDifference(r[k], s[k], `${at}/${k}`);
      if (d) return d;
    }
    for (const k of Object.keys(s)) if (!(k in r)) return `${at}/${k} was added by the schema (a default?)`;
    return null;
  }
  return `${at || '/'} was ${JSON.stringify(returned)?.slice(0, 60)}, the schema sent ${JSON.stringify(sent)?.slice(0, 60)}`;
}
