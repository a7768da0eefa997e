// Data-sharing requests: a consumer asks for a catalogued resource (or, as a demand, for data nobody has
// catalogued yet); the bureau checks compliance, the provider answers, the bureau approves core-grade data.
// Each step has a working-day due date and an escalation level; every change is an event on the timeline.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const shareRequests = pgTable(
  'share_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** resource (a catalogued resource) | demand (data not in the catalogue yet, 需求清单) */
    kind: text('kind').notNull(),
    resourceId: uuid('resource_id'),
    demandTitle: text('demand_title'),
    demandDescription: text('demand_description'),
    /** The member expected to supply the data; for a demand null until the bureau routes it. */
    providerMemberId: uuid('provider_member_id'),
    /** city | district | province | national: the provider's level, copied when the provider is known. */
    providerLevel: text('provider_level'),
    consumerMemberId: uuid('consumer_member_id').notNull(),
    consumerSubsystemId: uuid('consumer_subsystem_id').notNull(),
    /** The application scenario (应用场景) the data is for, e.g. 养老金停发核查. */
    scenario: text('scenario').notNull(),
    fields: text('fields').array().notNull(),
    /** The fields the provider approved (a subset of `fields`). */
    approvedFields: text('approved_fields').array(),
    purpose: text('purpose').notNull(),
    legalBasis: text('legal_basis').notNull(),
    rowFilter: jsonb('row_filter').notNull().default(sql`'[]'::jsonb`),
    /** compliance | provider | core_approval | approved | refused | returned | withdrawn */
    state: text('state').notNull(),
    /** The open step's kind, null once closed. */
    currentStep: text('current_step'),
    /** True when the resource had no published dataset at submission (a demand, a draft resource): the provider must publish first. */
    needsPublication: boolean('needs_publication').notNull().default(false),
    /** The provider's terms when approving: quotaPerDay, ratePerMinute, expiresAt. */
    terms: jsonb('terms'),
    decisionReason: text('decision_reason'),
    grantId: uuid('grant_id'),
    createdBy: uuid('created_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the provider gave its final answer (approve or refuse). */
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** Working days from submission to the provider's final answer (Asia/Shanghai dates, holiday calendar). */
    answerDays: integer('answer_days'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('share_requests_state_idx').on(t.state, t.submittedAt),
    index('share_requests_provider_idx').on(t.providerMemberId, t.state),
    index('share_requests_consumer_idx').on(t.consumerMemberId, t.state),
    index('share_requests_resource_idx').on(t.resourceId, t.state),
    index('share_requests_answered_idx').on(t.providerLevel, t.answeredAt).where(sql`${t.answerDays} is not null`),
  ],
);

export const shareRequestSteps = pgTable(
  'share_request_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id').notNull(),
    /** compliance | provider | core_approval | upstream (a provider step answered outside the city, recorded by the bureau) */
    kind: text('kind').notNull(),
    assigneeMemberId: uuid('assignee_member_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** Asia/Shanghai date on which the time limit ends (N working days after the start date). */
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** The end of the due date in Asia/Shanghai (23:59:59.999 local). */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    workingDays: integer('working_days').notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** pass | return | approve | refuse | withdrawn */
    outcome: text('outcome'),
    reason: text('reason'),
    recordedBy: uuid('recorded_by'),
    /** For upstream answers: who at the province/ministry answered and when ({name, organisation, answeredAt}). */
    recordedFrom: jsonb('recorded_from'),
    /** 0 none · 1 reminder to the assignee · 2 the bureau · 3 the upper level. */
    escalationLevel: integer('escalation_level').notNull().default(0),
    lastEscalatedAt: timestamp('last_escalated_at', { withTimezone: true }),
  },
  (t) => [
    index('share_request_steps_request_idx').on(t.requestId, t.startedAt),
    index('share_request_steps_open_idx').on(t.dueAt).where(sql`${t.answeredAt} is null`),
    index('share_request_steps_assignee_idx').on(t.assigneeMemberId).where(sql`${t.answeredAt} is null`),
  ],
);

export const shareRequestEvents = pgTable(
  'share_request_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id').notNull(),
    stepId: uuid('step_id'),
    /** submitted | compliance_pass | returned | resubmitted | answered | approved | refused | withdrawn | escalated | granted | routed */
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    /** The member notified by an escalation, the escalation level, reasons. */
    targetMemberId: uuid('target_member_id'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('share_request_events_request_idx').on(t.requestId, t.at), index('share_request_events_kind_idx').on(t.kind, t.at)],
);
