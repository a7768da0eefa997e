// The service catalogue: items (with immutable published versions), themed zones, district sub-halls,
// "one thing" bundles and the search synonyms. Owners are organisations of the org module, referenced by
// plain uuid (no foreign key across modules).
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL tsvector; written as a literal built in TypeScript (see search/tokenize.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const svcItems = pgTable(
  'svc_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** <owner code>-<kind code>-<serial>, e.g. GAJ-QR-0001 (see docs/modules/service-hall.md). */
    code: text('code').notNull(),
    /** Owning department or district organisation (org module id). */
    ownerOrgId: uuid('owner_org_id').notNull(),
    /** GB/T 2260 code of the district whose sub-hall owns the item; null for city-level items. */
    districtCode: text('district_code'),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    applicantType: text('applicant_type').notNull(),
    legalDays: integer('legal_days').notNull(),
    promisedDays: integer('promised_days').notNull(),
    mode: text('mode').notNull(),
    description: text('description').notNull().default(''),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    materials: jsonb('materials').notNull().default(sql`'[]'::jsonb`),
    form: jsonb('form').notNull().default(sql`'{"fields":[]}'::jsonb`),
    fees: jsonb('fees').notNull().default(sql`'{"free":true,"items":[]}'::jsonb`),
    legalBasis: text('legal_basis').notNull().default(''),
    /** Codes of the themed zones the item appears in. */
    zones: text('zones').array().notNull().default(sql`'{}'::text[]`),
    /** draft | published | retired */
    status: text('status').notNull().default('draft'),
    /** Latest published version number; null until first published. */
    version: integer('version'),
    /** Edits made to a published item, waiting for the next publication (the public sees the published state). */
    pending: jsonb('pending'),
    popularity: integer('popularity').notNull().default(0),
    searchVector: tsvector('search_vector').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('svc_items_code_uq').on(t.code),
    uniqueIndex('svc_items_owner_name_uq').on(t.ownerOrgId, t.name),
    index('svc_items_search_idx').using('gin', t.searchVector),
    index('svc_items_zones_idx').using('gin', t.zones),
    index('svc_items_owner_idx').on(t.ownerOrgId, t.status),
    index('svc_items_district_idx').on(t.districtCode, t.status),
    index('svc_items_status_pop_idx').on(t.status, t.popularity),
  ],
);

/** Immutable snapshots: an application references (item_id, version) and always sees what it was made under. */
export const svcItemVersions = pgTable(
  'svc_item_versions',
  {
    itemId: uuid('item_id').notNull(),
    version: integer('version').notNull(),
    /** The whole item definition at publication (name, kind, limits, mode, materials, form, fees, …). */
    snapshot: jsonb('snapshot').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid('published_by'),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.version] })],
);

export const svcZones = pgTable(
  'svc_zones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    /** audience (elders, veterans…) | life_event (newborn, retirement…) | topic (housing, health…) */
    category: text('category').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('svc_zones_code_uq').on(t.code), uniqueIndex('svc_zones_name_uq').on(t.name)],
);

/** One sub-hall per district: that district's items plus the city items it handles (svc_hall_items). */
export const svcHalls = pgTable(
  'svc_halls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    districtOrgId: uuid('district_org_id').notNull(),
    districtCode: text('district_code').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
  },
  (t) => [uniqueIndex('svc_halls_district_uq').on(t.districtCode)],
);

export const svcHallItems = pgTable(
  'svc_hall_items',
  {
    hallId: uuid('hall_id').notNull(),
    itemId: uuid('item_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.itemId] }), index('svc_hall_items_item_idx').on(t.itemId)],
);

/**
 * "One thing" bundles (一件事): one combined form that fans out into one application per member item.
 * The form holds the shared fields; each member's fieldMap says which bundle field fills which of its own
 * form fields (the fan-out itself belongs to the applications work).
 */
export const svcBundles = pgTable(
  'svc_bundles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Life-event zone the bundle is shown under (zone code), if any. */
    zone: text('zone'),
    form: jsonb('form').notNull().default(sql`'{"fields":[]}'::jsonb`),
    status: text('status').notNull().default('published'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('svc_bundles_code_uq').on(t.code), uniqueIndex('svc_bundles_name_uq').on(t.name)],
);

export const svcBundleItems = pgTable(
  'svc_bundle_items',
  {
    bundleId: uuid('bundle_id').notNull(),
    itemId: uuid('item_id').notNull(),
    position: integer('position').notNull(),
    /** bundle form key → this item's form key */
    fieldMap: jsonb('field_map').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.bundleId, t.itemId] }), index('svc_bundle_items_item_idx').on(t.itemId)],
);

/** Abbreviations and synonyms people type, expanded at query time (社保 → 社会保险, 社会保障). */
export const svcSynonyms = pgTable('svc_synonyms', {
  term: text('term').primaryKey(),
  expansions: text('expansions').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
