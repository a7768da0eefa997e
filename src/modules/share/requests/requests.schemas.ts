// The request workflow's HTTP shapes (TypeBox): what requests.routes.ts validates and answers with. The
// answers describe the service's rows and views (requests.read.ts, requests.dashboard.ts).
import { DateString, Defaulted, Enum, Json, Nullable, Page, PageQuery, Str, Text, Timestamp, Type, Uuid, type TSchema } from '../../../platform/http/schema';
import { PROVIDER_LEVELS } from './directory';
import { REQUEST_STATES } from './requests.model';

/**
 * A jsonb column the service hands back typed `unknown` (drizzle's default for jsonb): the schema says
 * precisely what it holds, the handler type stays `unknown`.
 */
const Stored = <T extends TSchema>(t: T) => Type.Unsafe<unknown>(t);

// ---- inputs ------------------------------------------------------------------------------------------

const FieldName = Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z][a-z0-9_]*$' });
const FieldList = Type.Array(FieldName, { minItems: 1, maxItems: 200 });
const RowFilterInput = Type.Array(Type.Object({ column: FieldName, equals: Str(200) }), { maxItems: 10 });
const Positive = Type.Integer({ minimum: 1, maximum: 100_000_000 });
const Days = Type.Integer({ minimum: 1, maximum: 365 });
/** YYYY-MM-DD by pattern only: the service answers an impossible date with its own 422. */
const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const SubmitBody = Type.Object({
  kind: Enum(['resource', 'demand']),
  resourceId: Type.Optional(Uuid),
  demandTitle: Type.Optional(Text(200)),
  demandDescription: Type.Optional(Str(4000)),
  providerMemberId: Type.Optional(Uuid),
  consumerSubsystemId: Uuid,
  scenario: Text(100),
  fields: FieldList,
  purpose: Text(2000),
  legalBasis: Text(2000),
  rowFilter: Type.Optional(RowFilterInput),
});

export const ListQuerySchema = Defaulted({
  box: Type.Optional(Enum(['mine', 'review', 'provider', 'all'])),
  state: Type.Optional(Enum(REQUEST_STATES)),
  overdue: Type.Optional(Type.Boolean()),
  providerMemberId: Type.Optional(Uuid),
  scenario: Type.Optional(Text(100)),
  ...PageQuery,
});

export const ComplianceBody = Type.Object({ decision: Enum(['pass', 'return']), reason: Type.Optional(Str(2000)), providerMemberId: Type.Optional(Uuid) });

export const AnswerBody = Type.Object({
  decision: Enum(['approve', 'refuse']),
  fields: Type.Optional(Type.Array(FieldName, { maxItems: 200 })),
  clearFields: Type.Optional(Type.Array(FieldName, { maxItems: 200 })),
  reason: Type.Optional(Str(2000)),
  rowFilter: Type.Optional(RowFilterInput),
  quotaPerDay: Type.Optional(Positive),
  ratePerMinute: Type.Optional(Positive),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  resourceId: Type.Optional(Uuid),
  recordedFrom: Type.Optional(Type.Object({ name: Text(100), organisation: Type.Optional(Str(200)), answeredAt: Type.String({ format: 'date-time' }) })),
});

export const CoreApprovalBody = Type.Object({ decision: Enum(['approve', 'refuse']), reason: Type.Optional(Str(2000)) });

export const ResubmitBody = Type.Object({
  fields: Type.Optional(FieldList),
  purpose: Type.Optional(Text(2000)),
  legalBasis: Type.Optional(Text(2000)),
  rowFilter: Type.Optional(RowFilterInput),
  scenario: Type.Optional(Text(100)),
});

export const DashboardQuery = Type.Object({ from: Type.Optional(DateParam), to: Type.Optional(DateParam) });

const settingsProps = {
  complianceDays: Days,
  providerDaysServable: Days,
  providerDaysUnpublished: Days,
  coreApprovalDays: Days,
  escalateToBureauAfterDays: Days,
  escalateToUpperAfterDays: Days,
  bureauMemberId: Nullable(Uuid),
  upperMemberId: Nullable(Uuid),
  defaultQuotaPerDay: Positive,
  defaultRatePerMinute: Positive,
  defaultGrantDays: Type.Integer({ minimum: 1, maximum: 3660 }),
};

export const SettingsPatch = Type.Object(
  {
    complianceDays: Type.Optional(Days),
    providerDaysServable: Type.Optional(Days),
    providerDaysUnpublished: Type.Optional(Days),
    coreApprovalDays: Type.Optional(Days),
    escalateToBureauAfterDays: Type.Optional(Days),
    escalateToUpperAfterDays: Type.Optional(Days),
    bureauMemberId: Type.Optional(Nullable(Uuid)),
    upperMemberId: Type.Optional(Nullable(Uuid)),
    defaultQuotaPerDay: Type.Optional(Positive),
    defaultRatePerMinute: Type.Optional(Positive),
    defaultGrantDays: Type.Optional(settingsProps.defaultGrantDays),
  },
  { minProperties: 1 },
);

// ---- answers -------------------------------------------------------------------------------------------

export const SettingsSchema = Type.Object(settingsProps, { description: 'Working-day time limits, escalation offsets and targets, grant defaults' });

const STEP_KINDS = ['compliance', 'provider', 'upstream', 'core_approval'];
const RowFilterSchema = Type.Array(Type.Object({ column: Type.String(), equals: Type.String() }));
/** The provider's terms, kept on the request when it approves. */
const Terms = Type.Object({ quotaPerDay: Type.Integer(), ratePerMinute: Type.Integer(), expiresAt: Timestamp, clearFields: Type.Optional(Type.Array(Type.String())) });

/** A request as stored. */
export const RequestSchema = Type.Object({
  id: Uuid,
  kind: Type.String({ enum: ['resource', 'demand'] }),
  resourceId: Nullable(Uuid),
  demandTitle: Nullable(Type.String()),
  demandDescription: Nullable(Type.String()),
  providerMemberId: Nullable(Uuid),
  providerLevel: Nullable(Type.String({ enum: PROVIDER_LEVELS })),
  consumerMemberId: Uuid,
  consumerSubsystemId: Uuid,
  scenario: Type.String(),
  fields: Type.Array(Type.String()),
  approvedFields: Nullable(Type.Array(Type.String())),
  purpose: Type.String(),
  legalBasis: Type.String(),
  rowFilter: Stored(RowFilterSchema),
  state: Type.String({ enum: REQUEST_STATES }),
  currentStep: Nullable(Type.String({ enum: STEP_KINDS })),
  needsPublication: Type.Boolean(),
  terms: Stored(Nullable(Terms)),
  decisionReason: Nullable(Type.String()),
  grantId: Nullable(Uuid),
  createdBy: Nullable(Uuid),
  submittedAt: Timestamp,
  updatedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  answerDays: Nullable(Type.Integer()),
  closedAt: Nullable(Timestamp),
});

const MemberRef = Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Nullable(Type.String()), level: Nullable(Enum(PROVIDER_LEVELS)), external: Type.Boolean() }));

/** A request in a list: with its resource, provider and consumer, and its open step's due date. */
export const RequestView = Type.Object({
  ...RequestSchema.properties,
  resource: Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Nullable(Type.String()), grade: Nullable(Enum(['core', 'important', 'general'])) })),
  provider: MemberRef,
  consumer: MemberRef,
  dueDate: Nullable(DateString),
  overdue: Type.Boolean(),
  escalationLevel: Type.Integer(),
});

const StepView = Type.Object({
  id: Uuid,
  requestId: Uuid,
  kind: Type.String({ enum: STEP_KINDS }),
  assigneeMemberId: Nullable(Uuid),
  startedAt: Timestamp,
  dueDate: DateString,
  dueAt: Timestamp,
  workingDays: Type.Integer(),
  answeredAt: Nullable(Timestamp),
  outcome: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  recordedBy: Nullable(Uuid),
  recordedFrom: Stored(Nullable(Type.Object({ name: Type.String(), organisation: Type.Optional(Type.String()), answeredAt: Type.String() }))),
  escalationLevel: Type.Integer(),
  lastEscalatedAt: Nullable(Timestamp),
  daysTaken: Type.Integer({ description: 'working days from the start to the answer (or now)' }),
  assignee: Nullable(Type.Object({ id: Uuid, name: Nullable(Type.String()) })),
  overdue: Type.Boolean(),
  escalations: Type.Array(Type.Object({ level: Type.Integer(), at: Timestamp, targetMemberId: Nullable(Uuid), target: Nullable(Type.String()) })),
});

const EventView = Type.Object({
  id: Type.Integer(),
  requestId: Uuid,
  stepId: Nullable(Uuid),
  kind: Type.String(),
  at: Timestamp,
  actorUserId: Nullable(Uuid),
  targetMemberId: Nullable(Uuid),
  data: Stored(Json),
  target: Nullable(Type.String()),
});

/** One request with its subsystem, the actions the reader may take now, its steps and its timeline. */
export const RequestDetail = Type.Object({
  ...RequestView.properties,
  consumerSubsystem: Nullable(Type.Object({ id: Uuid, memberId: Uuid, code: Type.String(), name: Type.String() })),
  actions: Type.Array(Type.String({ enum: ['compliance', 'answer', 'core-approval', 'withdraw', 'resubmit'] })),
  steps: Type.Array(StepView),
  events: Type.Array(EventView),
});

export const RequestPage = Page(RequestView);

const MemberBrief = Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Nullable(Type.String()) }));
const DayFigure = Nullable(Type.Number());

export const Dashboard = Type.Object({
  scope: Type.String({ enum: ['all', 'own'] }),
  open: Type.Object({
    total: Type.Integer(),
    byProvider: Type.Array(Type.Object({ provider: MemberBrief, count: Type.Integer() })),
    byLevel: Type.Array(Type.Object({ level: Enum([...PROVIDER_LEVELS, 'unrouted']), count: Type.Integer() })),
  }),
  answerTime: Type.Object({
    n: Type.Integer(),
    medianDays: DayFigure,
    p90Days: DayFigure,
    meanDays: DayFigure,
    byLevel: Type.Array(Type.Object({ level: Type.String(), n: Type.Integer(), medianDays: DayFigure, p90Days: DayFigure, meanDays: DayFigure })),
  }),
  overdue: Type.Object({
    total: Type.Integer(),
    byStep: Type.Array(Type.Object({ step: Type.String(), count: Type.Integer() })),
    byProvider: Type.Array(Type.Object({ provider: MemberBrief, count: Type.Integer(), maxEscalationLevel: Type.Integer() })),
  }),
  blockedScenarios: Type.Array(
    Type.Object({
      resource: Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Nullable(Type.String()) })),
      demandTitle: Nullable(Type.String()),
      provider: MemberBrief,
      scenarioCount: Type.Integer(),
      requestCount: Type.Integer(),
      consumerCount: Type.Integer(),
      scenarios: Type.Array(Type.String()),
    }),
  ),
  recent: Type.Array(
    Type.Object({
      requestId: Uuid,
      decision: Type.String(),
      at: Timestamp,
      scenario: Type.String(),
      reason: Nullable(Type.String()),
      resource: Nullable(Type.Object({ id: Uuid, name: Nullable(Type.String()) })),
      demandTitle: Nullable(Type.String()),
      provider: MemberBrief,
      providerLevel: Nullable(Type.String()),
      answerDays: Nullable(Type.Integer()),
      consumer: MemberBrief,
    }),
  ),
});
