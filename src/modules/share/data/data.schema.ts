// Datasets behind published resources. The rows themselves live in one typed table per resource in the
// schema share_data (created at runtime by DataStore.ensureTable, not by migrations); these tables hold
// what is known about them: the dataset registry, loads and their rejected rows, quality rules and results,
// pull connectors and objections (疑义) raised by consumers on records.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const shareDatasets = pgTable('share_datasets', {
  resourceId: uuid('resource_id').primaryKey(),
  /** Qualified table name, e.g. share_data.ds_370200_gaj_00001. */
  tableName: text('table_name').notNull().unique(),
  /** The columns the table has now: [{name, type}] (a superset of the published items: columns are never dropped). */
  columns: jsonb('columns').notNull().$type<{ name: string; type: string }[]>(),
  keyColumns: jsonb('key_columns').notNull().$type<string[]>(),
  /** Maintained by every merge (never a count(*) over the table). */
  rowCount: bigint('row_count', { mode: 'number' }).notNull().default(0),
  lastLoadedAt: timestamp('last_loaded_at', { withTimezone: true }),
  /** Highest value of the change column seen so far (text form). */
  changeWatermark: text('change_watermark'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const shareLoads = pgTable(
  'share_loads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id').notNull(),
    providerOrgId: uuid('provider_org_id'),
    /** upload | push | pull */
    source: text('source').notNull(),
    /** full | incremental */
    mode: text('mode').notNull(),
    /** queued | running | succeeded | rejected | failed */
    state: text('state').notNull().default('queued'),
    /** Push: the sender's batch id (idempotency); unique per resource. */
    batchId: text('batch_id'),
    connectorId: uuid('connector_id'),
    fileName: text('file_name'),
    /** csv | xlsx | jsonl */
    format: text('format'),
    /** Where the uploaded file is staged (relative to DATA_DIR). */
    filePath: text('file_path'),
    bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsLoaded: integer('rows_loaded').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    rowsInserted: integer('rows_inserted').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('share_loads_resource_idx').on(t.resourceId, t.createdAt),
    index('share_loads_state_idx').on(t.state),
    uniqueIndex('share_loads_batch_uq').on(t.resourceId, t.batchId).where(sql`${t.batchId} is not null`),
  ],
);

export const shareLoadRejects = pgTable(
  'share_load_rejects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    loadId: uuid('load_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    problems: jsonb('problems').notNull().$type<{ column: string; rule: string; message: string }[]>(),
    raw: jsonb('raw').notNull().$type<Record<string, unknown>>(),
  },
  (t) => [index('share_load_rejects_load_idx').on(t.loadId, t.rowNumber)],
);

export const shareQualityRules = pgTable(
  'share_quality_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id').notNull(),
    /** not_null | unique | accepted_values | range | pattern | id_number | credit_code | referential | row_count | freshness */
    kind: text('kind').notNull(),
    column: text('column'),
    /** Kind-specific: {values}, {min,max}, {pattern}, {resourceId,column}, {maxAgeDays}. */
    params: jsonb('params').notNull().default({}).$type<Record<string, unknown>>(),
    /** Largest share of failing rows still accepted (0 = none). */
    threshold: real('threshold').notNull().default(0),
    /** error | warning */
    severity: text('severity').notNull().default('error'),
    /** Derived from the items (true) or set by the provider. */
    derived: boolean('derived').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_quality_rules_resource_idx').on(t.resourceId)],
);

export const shareQualityResults = pgTable(
  'share_quality_results',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    loadId: uuid('load_id').notNull(),
    resourceId: uuid('resource_id').notNull(),
    /** null for the type check (conformance of values to the item types). */
    ruleId: uuid('rule_id'),
    kind: text('kind').notNull(),
    column: text('column'),
    severity: text('severity').notNull(),
    checked: integer('checked').notNull(),
    failed: integer('failed').notNull(),
    passed: boolean('passed').notNull(),
    threshold: real('threshold').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_quality_results_load_idx').on(t.loadId), index('share_quality_results_resource_idx').on(t.resourceId, t.createdAt)],
);

export const shareConnectors = pgTable(
  'share_connectors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id').notNull(),
    name: text('name').notNull(),
    /** http_json | postgres */
    kind: text('kind').notNull(),
    /** Encrypted JSON (url, token, connection string, table): encrypt(masterKey, …, 'share-connector'). */
    configSealed: text('config_sealed').notNull(),
    /** Non-secret parts shown in the console (host, table, source parameter). */
    summary: jsonb('summary').notNull().default({}).$type<Record<string, unknown>>(),
    mode: text('mode').notNull().default('incremental'),
    changeColumn: text('change_column'),
    watermark: text('watermark'),
    scheduleSeconds: integer('schedule_seconds'),
    enabled: boolean('enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastLoadId: uuid('last_load_id'),
    lastError: text('last_error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_connectors_resource_idx').on(t.resourceId), index('share_connectors_due_idx').on(t.nextRunAt)],
);

export const shareObjections = pgTable(
  'share_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id').notNull(),
    providerOrgId: uuid('provider_org_id'),
    /** Key values joined by | (as the gateway's lookups). */
    recordKey: text('record_key').notNull(),
    column: text('column').notNull(),
    description: text('description').notNull(),
    /** The value when the objection was raised (text form). */
    valueAtRaise: text('value_at_raise'),
    /** raised | answered | rejected | corrected | closed */
    state: text('state').notNull().default('raised'),
    raisedBy: uuid('raised_by'),
    raisedOrgId: uuid('raised_org_id'),
    answer: text('answer'),
    accepted: boolean('accepted'),
    answeredBy: uuid('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    correctedLoadId: uuid('corrected_load_id'),
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    resolveNote: text('resolve_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('share_objections_resource_idx').on(t.resourceId, t.state),
    index('share_objections_raised_org_idx').on(t.raisedOrgId, t.createdAt),
    index('share_objections_provider_idx').on(t.providerOrgId, t.createdAt),
  ],
);
