// The gateway's HTTP shapes (TypeBox): what gateway.routes.ts validates and answers with. Each response
// schema describes a view in gateway.core.ts (grantView, callView, exportView) or a room's answer.
import { DateString, Dict, Enum, Json, Nullable, Page, Timestamp, Type, Uuid, type TSchema } from '../../../platform/http/schema';

/**
 * A jsonb column the service hands back typed `unknown` (drizzle's default for jsonb): the schema says
 * precisely what it holds, the handler type stays `unknown`.
 */
const Stored = <T extends TSchema>(t: T) => Type.Unsafe<unknown>(t);

// ---- requests ------------------------------------------------------------------------------------

export const ResourceCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' });
export const FieldsParam = Type.String({ maxLength: 2000, description: 'comma-separated field names (default: every granted field)' });
const ColumnName = '^[a-z][a-z0-9_]{0,62}$';

/** The where-conditions of an export: column → value (at most 24, granted columns only). */
export const ExportWhere = Type.Unsafe<Record<string, string>>({
  type: 'object',
  propertyNames: { pattern: ColumnName },
  additionalProperties: { type: 'string', maxLength: 200 },
  maxProperties: 24,
});

/** Query conditions travel as extra query parameters: `<column>=<value>` besides fields, limit and offset. */
export const queryConditions = { propertyNames: { pattern: ColumnName }, additionalProperties: Type.String({ maxLength: 200 }), maxProperties: 24 };

// ---- the consumer's answers (served by the gateway as exact bytes: documented here, not re-serialised) ----

/** Field → the masking rule applied to it (masking.ts); fields in clear are absent. */
const Masking = Dict(Type.String());

export const LookupAnswer = Type.Object(
  { grantId: Uuid, service: Type.String(), masking: Masking, record: Json },
  { description: 'The record: granted fields only, personal fields masked' },
);

export const QueryAnswer = Type.Object(
  { grantId: Uuid, service: Type.String(), masking: Masking, items: Type.Array(Json), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() },
  { description: 'A page of records: granted fields only, personal fields masked' },
);

export const ExportQueued = Type.Object(
  { id: Uuid, state: Type.String(), grantId: Uuid, masking: Masking, expiresAt: Timestamp },
  { description: 'The export is queued; poll GET /api/share/gateway/exports/{id}' },
);

// ---- grants ------------------------------------------------------------------------------------------

export const GRANT_STATES = ['live', 'expired', 'revoked'] as const;

export const RowFilterSchema = Type.Array(Type.Object({ column: Type.String(), equals: Type.String() }));

export const GrantSchema = Type.Object({
  id: Uuid,
  requestId: Nullable(Uuid),
  consumerMemberId: Uuid,
  consumerSubsystemId: Uuid,
  consumerXroadId: Type.String(),
  resourceId: Uuid,
  resourceCode: Type.String(),
  serviceId: Type.String(),
  fields: Type.Array(Type.String()),
  clearFields: Type.Array(Type.String(), { description: 'personal fields approved in clear' }),
  rowFilter: RowFilterSchema,
  purpose: Type.String(),
  quotaPerDay: Type.Integer(),
  ratePerMinute: Type.Integer(),
  expiresAt: Timestamp,
  state: Enum(GRANT_STATES),
  revokedAt: Nullable(Timestamp),
  revokeReason: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const GrantWithUsage = Type.Object({
  ...GrantSchema.properties,
  today: Type.Object({ day: DateString, calls: Type.Integer(), rows: Type.Integer() }, { description: "today's usage (Asia/Shanghai)" }),
});

export const ConsumerGrants = Type.Object({ subsystem: Type.String({ description: 'the calling subsystem (X-Road id)' }), ...Page(GrantSchema).properties });

// ---- keys ----------------------------------------------------------------------------------------------

export const KeySchema = Type.Object({ id: Uuid, subsystemId: Uuid, subsystemXroadId: Type.String(), prefix: Type.String(), createdAt: Timestamp, revokedAt: Nullable(Timestamp) });

export const IssuedKey = Type.Object(
  { id: Uuid, subsystemId: Uuid, subsystemXroadId: Type.String(), prefix: Type.String(), key: Type.String({ description: 'the key itself: shown in this answer only' }), createdAt: Timestamp },
  { description: 'The issued key' },
);

export const RevokedKey = Type.Object({ id: Uuid, revokedAt: Timestamp });

// ---- exports ---------------------------------------------------------------------------------------------

export const ExportSchema = Type.Object({
  id: Uuid,
  grantId: Uuid,
  resourceCode: Type.String(),
  state: Type.String({ enum: ['queued', 'running', 'done', 'failed', 'expired'] }),
  where: Stored(Dict(Type.String())),
  fields: Type.Array(Type.String()),
  rows: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  expiresAt: Timestamp,
});

// ---- usage and operational records ------------------------------------------------------------------------

/** The parameters kept in a record, values of personal columns masked. */
const RecordParams = Type.Object({
  key: Type.Optional(Type.String()),
  where: Type.Optional(Dict(Type.String())),
  fields: Type.Optional(Type.Array(Type.String())),
  limit: Type.Optional(Type.Integer()),
  offset: Type.Optional(Type.Integer()),
  exportId: Type.Optional(Type.String()),
});

export const CallRecord = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  consumerSubsystemId: Nullable(Uuid),
  consumerXroadId: Nullable(Type.String()),
  serviceId: Type.String(),
  resourceCode: Type.String(),
  grantId: Nullable(Uuid),
  operation: Type.String({ enum: ['lookup', 'query', 'export', 'download'] }),
  requestParams: Stored(RecordParams),
  status: Type.Integer(),
  errorCode: Nullable(Type.String()),
  rows: Type.Integer(),
  responseBytes: Type.Integer(),
  responseAt: Timestamp,
  durationMs: Type.Integer(),
  requestHash: Type.String(),
  responseHash: Type.String(),
  bindingHash: Type.String(),
});

export const CheckedCallRecord = Type.Object({ ...CallRecord.properties, bindingValid: Type.Boolean({ description: 'the binding hash recomputed from the record matches' }) });

const Agg = {
  calls: Type.Integer(),
  errors: Type.Integer(),
  bytes: Type.Integer(),
  rows: Type.Integer(),
  p50Ms: Type.Number(),
  p99Ms: Type.Number(),
};

export const Usage = Type.Object({
  ...Agg,
  byResource: Type.Array(Type.Object({ resourceCode: Type.String(), ...Agg })),
  byConsumer: Type.Array(Type.Object({ consumerXroadId: Nullable(Type.String()), ...Agg })),
  byDay: Type.Array(Type.Object({ day: DateString, ...Agg })),
});
