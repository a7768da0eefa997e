// The exchange directory (X-Road-style members and their subsystems) and the data resource catalogue
// (政务数据资源目录) with its version history. A resource row always holds the contents of its current
// published version (or of its first draft before it is ever published); an edit of a published resource
// is a pending draft version kept in share_resource_versions until it is published.
import { sql } from 'drizzle-orm';
import { customType, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';

/** PostgreSQL tsvector written as a literal built in TypeScript (svc/search/tokenize.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const shareMembers = pgTable(
  'share_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** X-Road instance: CN-<division code> (CN-370200 Qingdao, CN-370000 Shandong, CN national). */
    instance: text('instance').notNull(),
    /** GOV (government bodies) | COM (enterprises). */
    class: text('class').notNull(),
    /** Member code: the organisation's code (DSJ, MZJ, 370202, MPS …). */
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** city | district | province | national */
    level: text('level').notNull(),
    /** The organisation on this platform; null for an external (upstream) member. */
    orgId: uuid('org_id'),
    external: boolean('external').notNull().default(false),
    contact: text('contact'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('share_members_xroad_uq').on(t.instance, t.class, t.code),
    index('share_members_org_idx').on(t.orgId),
    index('share_members_level_idx').on(t.level, t.external),
  ],
);

export const shareSubsystems = pgTable(
  'share_subsystems',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => shareMembers.id),
    /** Lower kebab case, e.g. funeral-registry. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('share_subsystems_member_code_uq').on(t.memberId, t.code)],
);

export const shareResources = pgTable(
  'share_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** <division>-<provider member code>-<5-digit serial>, e.g. 370200-MZJ-00012. */
    code: text('code').notNull(),
    /** The version this row holds (the published one once published). */
    version: integer('version').notNull().default(1),
    /** A pending edit of a published resource: its version number (its contents are in share_resource_versions). */
    draftVersion: integer('draft_version'),
    /** draft (never published) | published | retired */
    state: text('state').notNull().default('draft'),
    providerMemberId: uuid('provider_member_id')
      .notNull()
      .references(() => shareMembers.id),
    /** The provider's organisation on this platform; null for an upstream (external) provider. */
    providerOrgId: uuid('provider_org_id'),
    /** The subsystem that serves it (the X-Road service is <subsystem id>/<code>). */
    providerSubsystemId: uuid('provider_subsystem_id'),
    /** basic (基础) | thematic (主题) | departmental (部门) */
    category: text('category').notNull(),
    /** For basic resources: population | legal_person | natural_resources | credit | certificates. */
    basicKind: text('basic_kind'),
    /** Classification path, e.g. 基础信息资源/人口信息/户籍. */
    classification: text('classification').notNull().default(''),
    name: text('name').notNull(),
    summary: text('summary').notNull().default(''),
    /** table | file | api */
    format: text('format').notNull(),
    /** DataItem[] (contracts.ts). */
    items: jsonb('items').notNull().default(sql`'[]'::jsonb`),
    /** unconditional | conditional | none */
    sharingType: text('sharing_type').notNull(),
    sharingCondition: text('sharing_condition'),
    /** interface | file | query */
    sharingMethod: text('sharing_method').notNull(),
    /** unconditional | conditional | none (opening to the public) */
    openingType: text('opening_type').notNull(),
    /** realtime | daily | weekly | monthly | quarterly | yearly | irregular */
    updateCycle: text('update_cycle').notNull(),
    publishDate: date('publish_date', { mode: 'string' }),
    relatedCodes: text('related_codes').array().notNull().default(sql`'{}'::text[]`),
    /** core | important | general */
    grade: text('grade').notNull(),
    legalBasis: text('legal_basis'),
    searchVector: tsvector('search_vector').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('share_resources_code_uq').on(t.code),
    index('share_resources_state_idx').on(t.state, t.code),
    index('share_resources_provider_idx').on(t.providerMemberId, t.state),
    index('share_resources_provider_org_idx').on(t.providerOrgId),
    index('share_resources_facets_idx').on(t.category, t.grade, t.sharingType),
    index('share_resources_search_idx').using('gin', t.searchVector),
  ],
);

export const shareResourceVersions = pgTable(
  'share_resource_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => shareResources.id),
    version: integer('version').notNull(),
    /** The catalogue fields of this version (the resource's editable fields). */
    snapshot: jsonb('snapshot').notNull(),
    /** draft | published | superseded | retired */
    state: text('state').notNull(),
    changedBy: uuid('changed_by'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('share_resource_versions_uq').on(t.resourceId, t.version)],
);
