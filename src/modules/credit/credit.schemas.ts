// TypeBox shapes of the credit API (the fixed contract of issue 6): what the routes validate and what the
// services answer. Field lists follow the services' views (credit.views.ts, repair.core.ts and the rooms).
import { DateString, Dict, Enum, Nullable, Page, Str, Timestamp, Type } from '../../platform/http/schema';
import { CREDIT_KINDS, FIELDS } from './fields';
import { SEVERITIES } from './windows';

export const Kind = Enum(CREDIT_KINDS);
export const FORMATS = ['csv', 'xlsx'] as const;

/** A repair material as the answer: PDF, JPEG or PNG. */
export const MaterialFile = Type.Unsafe<unknown>({
  description: 'The material as uploaded (PDF, JPEG or PNG)',
  content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
});

// ---- requests ---------------------------------------------------------------------------------------------

/**
 * Every field code of both kinds, as the single-record body's properties: text, a number or null (kept
 * as the one JSON-schema type list it always was, so validation is unchanged).
 */
const recordFieldProperties = Object.fromEntries(
  [...new Set([...FIELDS.licence, ...FIELDS.penalty].map((f) => f.code))].map((c) => [c, Type.Optional(Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'], maxLength: 4000 }))]),
);
export const RecordBody = Type.Object({ kind: Kind, record: Type.Object(recordFieldProperties) });

export const EndpointsBody = Type.Object({
  items: Type.Array(
    Type.Object({ id: Type.Optional(Type.String({ format: 'uuid' })), name: Str(100, 1), url: Str(500, 1), enabled: Type.Boolean(), secret: Type.Optional(Nullable(Str(200))) }),
    { maxItems: 50 },
  ),
});

export const RegimesBody = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Optional(Type.String()),
      severity: Enum(SEVERITIES),
      minMonths: Type.Integer({ minimum: 0, maximum: 120 }),
      maxMonths: Type.Integer({ minimum: 1, maximum: 120 }),
      effectiveFrom: Type.String({ format: 'date' }),
      note: Type.Optional(Nullable(Str(200))),
    }),
    { minItems: 1, maxItems: 60 },
  ),
  limits: Type.Optional(
    Type.Object({
      acceptDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
      decideDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
      seriousAmount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
    }),
  ),
});

// ---- publication --------------------------------------------------------------------------------------------

export const RowProblem = Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() });

export const BatchSchema = Type.Object({
  id: Type.String(),
  kind: Kind,
  fileName: Type.String(),
  state: Type.String({ description: 'validated | published | discarded' }),
  total: Type.Integer(),
  valid: Type.Integer(),
  invalid: Type.Integer(),
  published: Nullable(Type.Integer()),
  createdAt: Timestamp,
  publishedAt: Nullable(Timestamp),
});
export const UploadedBatch = Type.Object({ ...BatchSchema.properties, problems: Type.Array(RowProblem, { description: 'The first 100 problems' }) });

/** A record's fields under the standard's codes (XK_* / CF_*), as validated (ID numbers and persons' names masked where shown without need). */
const RecordFields = Dict(Type.String());

const recordProps = {
  id: Type.String(),
  kind: Kind,
  status: Type.String({ description: 'published | expired | repaired' }),
  record: RecordFields,
  subjectName: Type.String(),
  subjectCode: Type.String(),
  subjectKey: Type.String(),
  documentNo: Type.String(),
  authorityCode: Type.String(),
  decisionDate: DateString,
  severity: Nullable(Type.String({ description: 'minor | ordinary | serious (penalties)' })),
  repairableFrom: Nullable(DateString),
  publicationEnds: Nullable(DateString),
  publishedAt: Timestamp,
  withdrawnAt: Nullable(Timestamp),
};
export const RecordSchema = Type.Object(recordProps);


export const Regimes = Type.Object({
  items: Type.Array(
    Type.Object({ severity: Enum(SEVERITIES), minMonths: Type.Integer(), maxMonths: Type.Integer(), effectiveFrom: DateString, note: Type.Optional(Nullable(Type.String())) }),
  ),
  limits: Type.Object({ acceptDays: Type.Integer(), decideDays: Type.Integer(), seriousAmount: Type.Number() }),
});

// ---- public lookup and profiles ---------------------------------------------------------------------------

const Subject = Type.Object({ key: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String({ description: 'person | organisation' }) });

export const SubjectHits = Page(Type.Object({ ...Subject.properties, licences: Type.Integer(), penalties: Type.Integer() }));

const PublicRecord = Type.Object({
  id: recordProps.id,
  kind: recordProps.kind,
  record: recordProps.record,
  documentNo: recordProps.documentNo,
  decisionDate: recordProps.decisionDate,
  authorityCode: recordProps.authorityCode,
  severity: recordProps.severity,
  publicationEnds: recordProps.publicationEnds,
  publishedAt: recordProps.publishedAt,
  status: recordProps.status,
});
export const PublicSubject = Type.Object({ subject: Subject, licences: Type.Array(PublicRecord), penalties: Type.Array(PublicRecord) });

export const Profile = Type.Object({
  subject: Subject,
  licences: Type.Array(RecordSchema),
  penalties: Type.Array(Type.Object({ ...recordProps, inPublication: Type.Boolean() })),
  repairs: Type.Array(
    Type.Object({ id: Type.String(), penaltyId: Type.String(), state: Type.String(), createdAt: Timestamp, submittedAt: Nullable(Timestamp), decidedAt: Nullable(Timestamp), reason: Nullable(Type.String()) }),
  ),
});

export const Stats = Type.Object({
  repairs: Type.Object({
    byState: Type.Array(Type.Object({ state: Type.String(), count: Type.Integer() })),
    byDepartment: Type.Array(Type.Object({ orgId: Type.String(), deptName: Type.String(), count: Type.Integer(), decided: Type.Integer(), onTime: Type.Integer() })),
    total: Type.Integer(),
    onTimeRate: Nullable(Type.Number({ description: 'Share of decided repairs that met every limit (0–1)' })),
    avgWorkingDays: Nullable(Type.Number()),
  }),
  records: Type.Array(Type.Object({ kind: Type.String(), orgId: Type.String(), deptName: Type.String(), count: Type.Integer(), published: Type.Integer() })),
});

// ---- repair -------------------------------------------------------------------------------------------------

export const Eligibility = Type.Object({
  eligible: Type.Boolean(),
  eligibleFrom: Nullable(DateString),
  reason: Nullable(Type.String({ description: 'already-repaired | not-in-publication | open-application | minimum-period' })),
  openRepairId: Nullable(Type.String()),
});
export const MyPenalties = Page(Type.Object({ ...recordProps, repair: Eligibility }));

export const Material = Type.Object({ id: Type.String(), key: Type.String(), fileName: Type.String(), contentType: Type.String(), size: Type.Integer(), createdAt: Timestamp });

export const OutboxDelivery = Type.Object({
  id: Type.String(),
  event: Type.String(),
  repairId: Nullable(Type.String()),
  endpointId: Type.String(),
  endpointName: Type.String(),
  url: Type.String(),
  status: Type.String({ description: 'pending | sending | delivered | failed' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  lastStatus: Nullable(Type.Integer()),
  nextAttemptAt: Nullable(Timestamp),
  deliveredAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

const repairProperties = {
  id: Type.String(),
  penaltyId: Type.String(),
  state: Type.String({ description: 'draft | submitted | accepted | material_requested | resubmitted | rejected | withdrawn | synced' }),
  statement: Type.String(),
  commitmentText: Type.String(),
  commitmentAccepted: Type.Boolean(),
  subjectCode: Type.String(),
  createdAt: Timestamp,
  submittedAt: Nullable(Timestamp),
  acceptedAt: Nullable(Timestamp),
  decidedAt: Nullable(Timestamp),
  acceptDue: Nullable(DateString),
  decideDue: Nullable(DateString),
  deadlines: Type.Object({ accept: Nullable(DateString), decide: Nullable(DateString) }),
  overdue: Type.Boolean(),
  onTime: Nullable(Type.Boolean()),
  handlingDays: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
};
export const RepairSchema = Type.Object(repairProperties);
export const RepairList = Page(Type.Object({ ...repairProperties, subjectName: Nullable(Type.String()), documentNo: Nullable(Type.String()) }));
export const RepairDetail = Type.Object({
  ...repairProperties,
  deptName: Nullable(Type.String()),
  penalty: Nullable(RecordSchema),
  materials: Type.Array(Type.Object({ ...Material.properties, url: Type.String() })),
  requiredMaterials: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), required: Type.Boolean() })),
  timeline: Type.Array(
    Type.Object({ at: Timestamp, action: Type.String(), from: Nullable(Type.String()), to: Type.String(), state: Type.String(), actorName: Type.String(), reason: Nullable(Type.String()) }),
  ),
  deliveries: Type.Array(OutboxDelivery),
});

export const Endpoints = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), url: Type.String(), enabled: Type.Boolean(), hasSecret: Type.Boolean({ description: 'Whether deliveries are signed; the secret is never returned' }) })),
});
