// The one schema source for every route: TypeBox. A route's params, query, body and each response are
// TypeBox schemas; Fastify validates and serialises with them, handlers are typed from them (the
// TypeBox type provider), and the OpenAPI document — hence the web's generated client — comes from them.
// These are the building blocks modules share; module-specific shapes live next to their routes.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import Type, { type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { CONTENT_TYPES } from '../files';
import { MAX_PAGE } from './paging';

export { Type, type Static, type TSchema };

/** The Fastify instance modules register routes on: handlers typed from their TypeBox schemas. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A route file's view of the app: the same instance, with handler types inferred from the schemas. */
export function typed(app: FastifyInstance | Api): Api {
  return (app as FastifyInstance).withTypeProvider<TypeBoxTypeProvider>();
}

// ---- scalars -----------------------------------------------------------------------------------

export const Uuid = Type.String({ format: 'uuid' });
/** A string of at most `max` characters (and at least `min`). */
export const Str = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
/** Required, non-empty text of at most `max` characters. */
export const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
/** A calendar date, YYYY-MM-DD (Asia/Shanghai). */
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
/**
 * A point in time, sent as RFC 3339 text. Services may hand back a Date (drizzle timestamps): the
 * serialiser writes it as ISO 8601, so the handler type accepts both.
 */
export const Timestamp = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });
/** One of a fixed list of strings. */
export const Enum = <const V extends readonly string[]>(values: V, opts: { description?: string } = {}) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...opts });
/** The schema or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** An object whose keys are not known in advance (dataset rows, form values, free metadata). */
export const Json = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });
/** Any JSON value (used sparingly: a field whose shape the caller defines). */
export const AnyJson = Type.Unsafe<unknown>({});
/** One of a fixed list of strings, with a default (a querystring's filled-in value). */
export const Choice = <const V extends readonly string[]>(values: V, def: V[number]) => Type.Unsafe<V[number]>({ type: 'string', enum: [...values], default: def });
/** A map from free keys to values of one schema. */
export const Dict = <T extends TSchema>(value: T) => Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value });

// ---- objects -----------------------------------------------------------------------------------

/**
 * An object whose properties with a `default` are optional on the wire but present in the handler (the
 * validator fills them in): Type.Object types them as required; this drops them from `required`.
 */
export function Defaulted<P extends TProperties>(props: P, opts: { description?: string; minProperties?: number } = {}): TObject<P> {
  const o = Type.Object(props, opts);
  const required = ((o as { required?: string[] }).required ?? []).filter((k) => (props[k] as { default?: unknown }).default === undefined);
  if (required.length) (o as { required?: string[] }).required = required;
  else delete (o as { required?: string[] }).required;
  return o;
}

/** Every list pages: limit (≤ MAX_PAGE, default 50) and offset. Spread into a Defaulted querystring. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

/** A page of items with the total the filter matches. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/** The `:id` path parameter most routes take. */
export const IdParams = Type.Object({ id: Uuid });

// ---- responses that are not a JSON object ------------------------------------------------------------

/** 204 and other empty answers. */
export const NoContent = Type.Unsafe<void | null | undefined>({ type: 'null', description: 'No content' });

/** A response of another media type (a PDF, a CSV export, an image, a page): documented, not serialised. */
export function Binary(contentType: string, description: string) {
  return Type.Unsafe<unknown>({ description, content: { [contentType]: { schema: { type: 'string', format: 'binary' } } } });
}

/** A CSV or Excel file as the answer (exports, templates, reports), streamed. */
export function TabularFile(description: string) {
  const binary = { schema: { type: 'string', format: 'binary' } };
  return Type.Unsafe<unknown>({ description, content: { [CONTENT_TYPES.csv]: binary, [CONTENT_TYPES.xlsx]: binary } });
}

/** A redirect (OIDC, sign-in hand-offs): the Location header is the answer. */
export const Redirect = Type.Unsafe<unknown>({ type: 'null', description: 'Redirect; see the Location header' });

/** RFC 9457 problem details: what every 4xx and 5xx carries (added to each route by the server). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }, { additionalProperties: true }))),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true, description: 'Problem details (RFC 9457), media type application/problem+json' },
);
/** A reference to the shared problem schema (registered once on the server as `Problem`). */
export const ProblemRef = Type.Ref('Problem');
/** The 4XX/5XX answer the server adds to every route: problem details, as application/problem+json. */
export const ProblemResponse = Type.Unsafe<unknown>({
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: ProblemRef } },
});

/** An acknowledgement: `{ ok: true }`. */
export const Ok = Type.Object({ ok: Type.Boolean() });
