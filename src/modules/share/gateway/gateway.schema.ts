// The gateway's tables: grants (what a consumer subsystem may read), consumer keys, per-call operational
// records with the hash binding a response to its request, quota counters and bulk exports.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const shareGrants = pgTable(
  'share_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The approved request it came from (null: issued directly by the bureau). */
    requestId: uuid('request_id'),
    consumerMemberId: uuid('consumer_member_id').notNull(),
    consumerSubsystemId: uuid('consumer_subsystem_id').notNull(),
    /** The consumer's organisation (visibility) and X-Road subsystem id, copied when the grant is made. */
    consumerOrgId: uuid('consumer_org_id'),
    consumerXroadId: text('consumer_xroad_id').notNull(),
    resourceId: uuid('resource_id').notNull(),
    /** The resource's code: the gateway's URL names it. */
    resourceCode: text('resource_code').notNull(),
    /** The provider's organisation (visibility). */
    providerOrgId: uuid('provider_org_id'),
    /** X-Road service id: the provider's subsystem (or member) id and the resource code. */
    serviceId: text('service_id').notNull(),
    fields: text('fields').array().notNull(),
    /** Personal fields approved in clear (never for a core-grade resource); every other personal field is masked. */
    clearFields: text('clear_fields').array().notNull().default(sql`'{}'::text[]`),
    rowFilter: jsonb('row_filter').notNull().default(sql`'[]'::jsonb`),
    purpose: text('purpose').notNull(),
    quotaPerDay: integer('quota_per_day').notNull(),
    ratePerMinute: integer('rate_per_minute').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokeReason: text('revoke_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    index('share_grants_consumer_idx').on(t.consumerSubsystemId, t.resourceCode),
    index('share_grants_consumer_member_idx').on(t.consumerMemberId, t.createdAt),
    index('share_grants_resource_idx').on(t.resourceId, t.createdAt),
    index('share_grants_consumer_org_idx').on(t.consumerOrgId),
    index('share_grants_provider_org_idx').on(t.providerOrgId),
  ],
);

export const shareGatewayKeys = pgTable(
  'share_gateway_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subsystemId: uuid('subsystem_id').notNull(),
    subsystemXroadId: text('subsystem_xroad_id').notNull(),
    /** The platform API key (api_keys.id); only its hash is kept there. */
    apiKeyId: uuid('api_key_id').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    /** The subsystem's service account (role share_consumer_system). */
    serviceUserId: uuid('service_user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('share_gateway_keys_api_key_idx').on(t.apiKeyId), index('share_gateway_keys_subsystem_idx').on(t.subsystemId, t.createdAt)],
);

/** Operational records (X-Road style): one row per gateway call, refusals included. */
export const shareCalls = pgTable(
  'share_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** When the request arrived (ms precision). */
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    consumerSubsystemId: uuid('consumer_subsystem_id'),
    consumerXroadId: text('consumer_xroad_id'),
    consumerMemberId: uuid('consumer_member_id'),
    consumerOrgId: uuid('consumer_org_id'),
    /** The X-Road service id: <provider subsystem id>/<resource code> (the member id when the resource names no subsystem). */
    serviceId: text('service_id').notNull(),
    resourceCode: text('resource_code').notNull(),
    resourceId: uuid('resource_id'),
    providerOrgId: uuid('provider_org_id'),
    grantId: uuid('grant_id'),
    /** lookup | query | export */
    operation: text('operation').notNull(),
    /** The canonical request (method, service, parameters) as JSON; its SHA-256 is requestHash. */
    requestParams: jsonb('request_params').notNull(),
    /** HTTP status answered. */
    status: integer('status').notNull(),
    /** Problem code of a refusal (no-grant, grant-expired, quota-exceeded…), null on success. */
    errorCode: text('error_code'),
    rows: integer('rows').notNull().default(0),
    responseBytes: integer('response_bytes').notNull().default(0),
    responseAt: timestamp('response_at', { withTimezone: true, precision: 3 }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    requestHash: text('request_hash').notNull(),
    responseHash: text('response_hash').notNull(),
    /** sha256 over the record's identifying facts and both hashes: see bindingHash() in gateway.hash.ts. */
    bindingHash: text('binding_hash').notNull(),
  },
  (t) => [
    index('share_calls_grant_idx').on(t.grantId, t.at),
    index('share_calls_consumer_idx').on(t.consumerSubsystemId, t.at),
    index('share_calls_at_idx').on(t.at),
    index('share_calls_provider_idx').on(t.providerOrgId, t.at),
    index('share_calls_consumer_org_idx').on(t.consumerOrgId, t.at),
  ],
);

/** Calls and rows per grant per Asia/Shanghai day: the daily quota's counter, bumped atomically. */
export const shareGrantUsage = pgTable(
  'share_grant_usage',
  {
    grantId: uuid('grant_id').notNull(),
    day: date('day').notNull(),
    calls: integer('calls').notNull().default(0),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.day] })],
);

/** Calls per grant per clock minute: the rate limit's fixed window. Old minutes are purged by a job. */
export const shareGrantMinutes = pgTable(
  'share_grant_minutes',
  {
    grantId: uuid('grant_id').notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    calls: integer('calls').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.minute] }), index('share_grant_minutes_minute_idx').on(t.minute)],
);

export const shareExports = pgTable(
  'share_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    grantId: uuid('grant_id').notNull(),
    consumerSubsystemId: uuid('consumer_subsystem_id').notNull(),
    resourceCode: text('resource_code').notNull(),
    /** queued | running | done | failed | expired */
    state: text('state').notNull().default('queued'),
    where: jsonb('where').notNull().default(sql`'{}'::jsonb`),
    fields: text('fields').array().notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    /** Path of the CSV file under DATA_DIR/share-exports. */
    fileLocation: text('file_location'),
    sha256: text('sha256'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('share_exports_consumer_idx').on(t.consumerSubsystemId, t.createdAt), index('share_exports_state_idx').on(t.state, t.expiresAt)],
);
