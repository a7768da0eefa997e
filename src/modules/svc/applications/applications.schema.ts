// Applications for service items and everything around them: the transition history, materials,
// automatic-approval rules, satisfaction ratings, proxy authorisations and the
// evidence of no-action authentication. People and organisations are plain uuids (platform accounts,
// org-module organisations); items are referenced by (item_id, version) of the catalogue.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const svcApplications = pgTable(
  'svc_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull(),
    itemVersion: integer('item_version').notNull(),
    itemCode: text('item_code').notNull(),
    itemName: text('item_name').notNull(),
    /** Owner of the item (org id): the worklist is scoped by it. */
    ownerOrgId: uuid('owner_org_id').notNull(),
    districtCode: text('district_code'),
    mode: text('mode').notNull(),
    /** The person or enterprise user the application is for (B when a relative applies). */
    applicantId: uuid('applicant_id').notNull(),
    applicantKind: text('applicant_kind').notNull(),
    applicantName: text('applicant_name').notNull(),
    /** The account that created it when acting for the applicant (A), else null. */
    agentId: uuid('agent_id'),
    /** The "one thing" bundle application (一件事) this one is a member of, else null. */
    bundleApplicationId: uuid('bundle_application_id'),
    state: text('state').notNull().default('draft'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** Last (re)submission: the clock of the promised time limit starts here. */
    clockStartedAt: timestamp('clock_started_at', { withTimezone: true }),
    dueDate: text('due_date'),
    /** End of the due date in Asia/Shanghai. */
    dueAt: timestamp('due_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    claimedBy: uuid('claimed_by'),
    claimedByName: text('claimed_by_name'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Automatic approval: { outcome, reason, trace, document } (see auto.ts). */
    auto: jsonb('auto'),
    /** Decision document shown to the applicant (automatic or by an officer). */
    decision: jsonb('decision'),
    lastReason: text('last_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('svc_applications_applicant_idx').on(t.applicantId, t.createdAt),
    index('svc_applications_agent_idx').on(t.agentId),
    index('svc_applications_owner_idx').on(t.ownerOrgId, t.state, t.dueAt),
    index('svc_applications_item_idx').on(t.itemId, t.state),
    index('svc_applications_bundle_idx').on(t.bundleApplicationId),
  ],
);

/**
 * A "one thing" bundle application (一件事): one shared form, fanned out into one member application per
 * item of the bundle (svc_applications.bundle_application_id). Its combined state is derived from the
 * members on reading; `withdrawn_at` records a withdrawal of the whole bundle.
 */
export const svcBundleApplications = pgTable(
  'svc_bundle_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bundleId: uuid('bundle_id').notNull(),
    bundleCode: text('bundle_code').notNull(),
    bundleName: text('bundle_name').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicantKind: text('applicant_kind').notNull(),
    applicantName: text('applicant_name').notNull(),
    agentId: uuid('agent_id'),
    /** The shared form values (bundle form keys), normalised. */
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('svc_bundle_applications_applicant_idx').on(t.applicantId, t.createdAt), index('svc_bundle_applications_agent_idx').on(t.agentId)],
);

/**
 * Life events of a person (a newborn in the household, a marriage, retirement…) that the personal home
 * page ranks services by. `source` says where the fact came from (a registry exchange, the person, a seed).
 */
export const svcLifeEvents = pgTable(
  'svc_life_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /** A life-event code (see home/rules.ts): newborn, marriage, retirement, home_purchase, … */
    event: text('event').notNull(),
    /** The day it happened or is expected (YYYY-MM-DD, Asia/Shanghai). */
    eventDate: text('event_date').notNull(),
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('svc_life_events_uq').on(t.userId, t.event, t.eventDate)],
);

/** Every state change, in order: who, acting for whom, why. */
export const svcApplicationEvents = pgTable(
  'svc_application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    onBehalfOf: text('on_behalf_of'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('svc_application_events_app_idx').on(t.applicationId, t.at)],
);

/** One material per (application, material key): an upload (blob) or an e-certificate reference. */
export const svcApplicationMaterials = pgTable(
  'svc_application_materials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    materialKey: text('material_key').notNull(),
    kind: text('kind').notNull(),
    blobId: uuid('blob_id'),
    fileName: text('file_name'),
    contentType: text('content_type'),
    size: integer('size'),
    sha256: text('sha256'),
    certificateType: text('certificate_type'),
    certificateId: text('certificate_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('svc_application_materials_uq').on(t.applicationId, t.materialKey)],
);

/** Automatic-approval rule of an item (秒批), as data: { clauses: [{ id, label, test }] }. */
export const svcAutoRules = pgTable('svc_auto_rules', {
  itemId: uuid('item_id').primaryKey(),
  rule: jsonb('rule').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const svcRatings = pgTable(
  'svc_ratings',
  {
    applicationId: uuid('application_id').primaryKey(),
    applicantId: uuid('applicant_id').notNull(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    score: integer('score').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('svc_ratings_owner_idx').on(t.ownerOrgId)],
);

/** 亲友代办: principal (B) lets agent (A) apply for them. A requests, B confirms. */
export const svcProxyGrants = pgTable(
  'svc_proxy_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    principalId: uuid('principal_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    relation: text('relation').notNull(),
    /** Item ids covered; null = every item. */
    itemIds: uuid('item_ids').array(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** pending | active | declined | revoked */
    status: text('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('svc_proxy_grants_agent_idx').on(t.agentId, t.principalId), index('svc_proxy_grants_principal_idx').on(t.principalId)],
);

/** 无感认证: one row per (item, person, period): confirmed from data, or the person was asked to act. */
export const svcNoActionChecks = pgTable(
  'svc_no_action_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull(),
    userId: uuid('user_id').notNull(),
    period: text('period').notNull(),
    /** confirmed | needs_action */
    outcome: text('outcome').notNull(),
    evidence: jsonb('evidence').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('svc_no_action_checks_uq').on(t.itemId, t.userId, t.period)],
);
