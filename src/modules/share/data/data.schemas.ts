// The TypeBox shapes of the data store's routes: what they accept and what they answer (the views of
// data.core.ts and the rooms). Dataset rows are free-form (their columns are the resource's items).
import { Choice, Defaulted, Dict, Enum, Json, Nullable, PageQuery, Str, Text, Timestamp, Type } from '../../../platform/http/schema';
import { ITEM_TYPES, PERSONAL_KINDS } from '../catalogue/catalogue.core';
import { MAX_BATCH_ROWS } from './data.core';
import { DIMENSIONS, RULE_KINDS } from './quality';


export const MODES = ['full', 'incremental'] as const;
export const LOAD_STATES = ['queued', 'running', 'succeeded', 'rejected', 'failed'] as const;
export const OBJECTION_STATES = ['raised', 'answered', 'rejected', 'corrected', 'closed'] as const;
const SEVERITIES = ['error', 'warning'] as const;

// ---- requests ----------------------------------------------------------------------------------------------

/** The provider's rows: paging, and any other parameter is an equality condition on a column. */
export const RecordsQuery = Object.assign(Defaulted({ ...PageQuery }), { additionalProperties: Type.String({ maxLength: 400 }) });

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const BatchBody = Type.Object({
  batchId: Text(200),
  mode: Enum(MODES),
  rows: Type.Array(Dict(Cell), { maxItems: MAX_BATCH_ROWS }),
});

/** http_json {url, token?, sinceParam?} or postgres {connectionString, table}. */
const ConnectorConfig = Type.Unsafe<Record<string, string>>(
  Type.Object({ url: Type.Optional(Str(2000)), token: Type.Optional(Str(2000)), sinceParam: Type.Optional(Text(60)), connectionString: Type.Optional(Str(2000)), table: Type.Optional(Str(200)) }),
);

const connectorProps = {
  mode: Type.Optional(Enum(MODES)),
  changeColumn: Type.Optional(Nullable(Str(63))),
  scheduleSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 60 }))),
  enabled: Type.Optional(Type.Boolean()),
};

export const NewConnectorBody = Type.Object({ name: Text(200), kind: Enum(['http_json', 'postgres']), config: ConnectorConfig, ...connectorProps });

export const ConnectorPatchBody = Type.Object({ name: Type.Optional(Text(200)), config: Type.Optional(ConnectorConfig), ...connectorProps, watermark: Type.Optional(Nullable(Str(100))) });

const RuleParams = Type.Unsafe<Record<string, unknown>>({
  ...Json,
  description: 'Kind-specific: accepted_values {values}, range {min, max}, pattern {pattern}, referential {resourceId, column}, row_count {min, max}, freshness {maxAgeDays}',
});

const RuleBody = Type.Object({
  kind: Enum(RULE_KINDS),
  column: Type.Optional(Nullable(Str(300))),
  params: Type.Optional(RuleParams),
  threshold: Type.Number({ minimum: 0, maximum: 1 }),
  severity: Enum(SEVERITIES),
});

export const RulesBody = Type.Object({ rules: Type.Array(RuleBody, { maxItems: 200 }) });

export const QualityQuery = Defaulted({ by: Choice(['resource', 'department'] as const, 'resource'), ...PageQuery });

export const ObjectionBody = Type.Object({ recordKey: Text(400), column: Text(63), description: Text(2000) });

export const ObjectionQuery = Defaulted({
  box: Choice(['raised', 'received', 'all'] as const, 'all'),
  state: Type.Optional(Enum(OBJECTION_STATES)),
  resourceId: Type.Optional(Type.String({ format: 'uuid' })),
  ...PageQuery,
});

// ---- answers -----------------------------------------------------------------------------------------------

export const QualityScoreSchema = Type.Object({
  score: Type.Number({ description: 'Mean of the six GB/T 36344 dimensions, 0–100' }),
  dimensions: Type.Object(
    { conformance: Type.Number(), completeness: Type.Number(), accuracy: Type.Number(), consistency: Type.Number(), timeliness: Type.Number(), accessibility: Type.Number() },
    { description: `Each 0–100: ${DIMENSIONS.join(', ')}` },
  ),
});

export const DatasetSchema = Type.Object({
  resourceId: Type.String(),
  tableName: Type.String(),
  columns: Type.Array(
    Type.Object({
      name: Type.String(),
      label: Type.String(),
      type: Enum(ITEM_TYPES),
      key: Type.Boolean(),
      required: Type.Boolean(),
      personal: Nullable(Enum(PERSONAL_KINDS)),
      change: Type.Boolean(),
    }),
  ),
  retiredColumns: Type.Array(Type.String(), { description: 'Columns the table keeps though their items were removed from the catalogue' }),
  rowCount: Type.Integer(),
  lastLoadedAt: Nullable(Timestamp),
  changeWatermark: Nullable(Type.String()),
  quality: QualityScoreSchema,
});

/** A dataset row: its columns are the resource's items. */
export const Row = Type.Unsafe<Record<string, unknown>>({ ...Json, description: 'A dataset row: one property per item of the resource' });

export const LoadSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  source: Type.String({ description: 'upload | push | pull' }),
  mode: Type.String({ description: 'full | incremental' }),
  state: Type.String({ description: LOAD_STATES.join(' | ') }),
  batchId: Nullable(Type.String()),
  connectorId: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  format: Nullable(Type.String({ description: 'csv | xlsx | jsonl' })),
  rowsRead: Type.Integer(),
  rowsLoaded: Type.Integer(),
  rowsRejected: Type.Integer(),
  rowsInserted: Type.Integer(),
  rowsUpdated: Type.Integer(),
  bytesRead: Type.Integer(),
  bytesTotal: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
});

export const LoadListItem = Type.Object({ ...LoadSchema.properties, resourceCode: Nullable(Type.String()), resourceName: Nullable(Type.String()) });

export const LoadDetail = Type.Object({
  ...LoadSchema.properties,
  quality: Type.Array(
    Type.Object({
      ruleId: Nullable(Type.String({ description: 'null for derived rules and the type check' })),
      kind: Type.String({ description: `${RULE_KINDS.join(' | ')} | type` }),
      column: Nullable(Type.String()),
      severity: Type.String({ description: SEVERITIES.join(' | ') }),
      checked: Type.Integer(),
      failed: Type.Integer(),
      passed: Type.Boolean(),
      threshold: Type.Number(),
    }),
  ),
});

const ProblemItem = Type.Object({ column: Type.String(), rule: Type.String(), message: Type.String() });

export const BatchResult = Type.Object({
  replayed: Type.Boolean({ description: 'true: this batchId was loaded before; the first result is returned' }),
  load: LoadSchema,
  rejected: Type.Array(Type.Object({ rowNumber: Type.Integer(), problems: Type.Array(ProblemItem) })),
});

export const RejectedRow = Type.Object({ rowNumber: Type.Integer(), problems: Type.Array(ProblemItem), raw: Type.Unsafe<Record<string, unknown>>({ ...Json, description: 'The row as sent' }) });

/** The non-secret parts of a connector's configuration. */
const ConnectorSummary = Type.Unsafe<Record<string, unknown>>(
  Type.Union([
    Type.Object({ url: Type.String({ description: 'Origin and path (no query)' }), sinceParam: Type.String(), token: Enum(['set', 'none']) }, { title: 'http_json' }),
    Type.Object({ host: Type.String(), table: Type.String() }, { title: 'postgres' }),
  ]),
);

export const ConnectorSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'http_json | postgres' }),
  summary: ConnectorSummary,
  mode: Type.String({ description: MODES.join(' | ') }),
  changeColumn: Nullable(Type.String()),
  watermark: Nullable(Type.String()),
  scheduleSeconds: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  nextRunAt: Nullable(Timestamp),
  lastRunAt: Nullable(Timestamp),
  lastLoadId: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const RuleSchema = Type.Object({
  id: Type.Optional(Type.String({ description: 'Absent for rules derived from the items' })),
  kind: Enum(RULE_KINDS),
  column: Nullable(Type.String()),
  params: RuleParams,
  threshold: Type.Number(),
  severity: Enum(SEVERITIES),
  derived: Type.Optional(Type.Boolean()),
});
export const RuleList = Type.Object({ items: Type.Array(RuleSchema) });

const ResourceScore = Type.Object(
  {
    resourceId: Type.String(),
    code: Type.String(),
    name: Type.String(),
    providerOrgId: Nullable(Type.String()),
    provider: Type.String(),
    providerCode: Type.String(),
    ...QualityScoreSchema.properties,
  },
  { title: 'by resource' },
);
const DepartmentScore = Type.Object(
  {
    provider: Type.String(),
    providerCode: Type.String(),
    providerOrgId: Nullable(Type.String()),
    resources: Type.Integer(),
    ...QualityScoreSchema.properties,
  },
  { title: 'by department' },
);
/** by=resource: one item per resource; by=department: one per provider with the mean scores. */
export const QualityItem = Type.Union([ResourceScore, DepartmentScore]);

export const ObjectionSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  recordKey: Type.String({ description: 'Key values joined by |' }),
  column: Type.String(),
  description: Type.String(),
  valueAtRaise: Nullable(Type.String({ description: "The value when raised; shown to the provider's side only" })),
  state: Type.String({ description: OBJECTION_STATES.join(' | ') }),
  raisedBy: Nullable(Type.String()),
  raisedOrgId: Nullable(Type.String()),
  providerOrgId: Nullable(Type.String()),
  accepted: Nullable(Type.Boolean()),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Timestamp),
  correctedLoadId: Nullable(Type.String()),
  correctedAt: Nullable(Timestamp),
  resolveNote: Nullable(Type.String()),
  closedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
