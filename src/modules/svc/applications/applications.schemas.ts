// TypeBox shapes of the applications routes (applications.routes.ts, bundles.routes.ts): what applicants
// and staff send (with the limits the API enforces) and what the services answer (application views with
// their history and materials, the worklist, statistics, automatic-approval rules, notifications, proxy
// authorisations, bundle applications). Text columns the services pass through untyped stay strings.
import { AnyJson, Binary, DateString, Dict, Enum, Json, Nullable, Page, Str, Timestamp, Type } from '../../../platform/http/schema';
import { BUNDLE_STATES } from './bundles.service';
import { STAFF_ACTIONS, STATES } from './states';

// ---- what callers send -------------------------------------------------------------------------------

/** Form values: free keys (the item's or bundle's form decides), at most 100 of them. */
export const FormData = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, maxProperties: 100 });

/** A material's key in an item definition. */
export const MaterialKey = Type.String({ pattern: '^[a-z][a-zA-Z0-9_]{0,39}$' });
export const KeyParams = Type.Object({ id: Type.String({ format: 'uuid' }), key: MaterialKey });

export const NewApplicationBody = Type.Object({ itemId: Type.String({ format: 'uuid' }), onBehalfOf: Type.Optional(Type.String({ format: 'uuid' })), data: Type.Optional(FormData) });
export const FormDataBody = Type.Object({ data: FormData });
export const WithdrawBody = Type.Object({ reason: Type.Optional(Str(500)) });
export const RatingBody = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Str(500)) });
export const CertificateBody = Type.Object({ materialKey: MaterialKey, certificateTypeName: Str(60, 1), certificateId: Str(100, 1) });

export const StaffActionBody = Type.Object({ action: Enum(STAFF_ACTIONS), reason: Type.Optional(Str(1000)) });
export const BULK_ACTIONS = ['accept', 'approve'] as const;
export const BulkBody = Type.Object({ action: Enum(BULK_ACTIONS), ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 100, uniqueItems: true }) });

/** A JSON Logic expression (logic.ts): an object, or a constant true/false. */
const LogicIn = Type.Unsafe<unknown>({ type: ['object', 'boolean'], additionalProperties: true });
export const AutoRuleBody = Type.Object({
  rule: Type.Object({
    description: Str(500, 1),
    clauses: Type.Array(Type.Object({ id: Str(40, 1), label: Str(200, 1), test: LogicIn }), { minItems: 1, maxItems: 30 }),
  }),
  enabled: Type.Optional(Type.Boolean()),
});

export const ProxyRequestBody = Type.Object({
  principal: Str(40, 1),
  relation: Str(20, 1),
  itemIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50, uniqueItems: true })),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const NewBundleApplicationBody = Type.Object({ bundleCode: Str(40, 1), data: FormData, onBehalfOf: Type.Optional(Type.String({ format: 'uuid' })) });
export const BundleWithdrawBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) });

// ---- what the services answer ------------------------------------------------------------------------

const Person = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String({ description: 'citizen | enterprise' }) });

/** One clause of an automatic decision's trace (auto.ts ClauseTrace): the facts read, the value, the result. */
const ClauseTrace = Type.Object({
  id: Type.String(),
  label: Type.String(),
  result: Enum(['pass', 'fail', 'missing']),
  value: Type.Optional(AnyJson),
  facts: Json,
  missing: Type.Array(Type.String()),
  /** Set when the clause could not be evaluated (it then fails). */
  error: Type.Optional(Type.String()),
});

/** The automatic-approval outcome (秒批) recorded on submission (auto.ts AutoOutcome). */
const AutoOutcome = Type.Object({
  outcome: Enum(['approved', 'manual']),
  reason: Type.String(),
  ruleDescription: Type.String(),
  evaluatedAt: Timestamp,
  trace: Type.Array(ClauseTrace),
});

/** ApplicationView (applications.core.ts toView). */
const applicationProps = {
  id: Type.String(),
  item: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), version: Type.Integer(), mode: Type.String() }),
  ownerOrgId: Type.String(),
  applicant: Person,
  agentId: Nullable(Type.String()),
  bundleApplicationId: Nullable(Type.String()),
  state: Enum(STATES),
  stateLabel: Type.String(),
  data: Json,
  submittedAt: Nullable(Timestamp),
  dueDate: Nullable(DateString),
  dueAt: Nullable(Timestamp),
  overdue: Type.Boolean(),
  decidedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
  claimedBy: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  lastReason: Nullable(Type.String()),
  auto: Nullable(AutoOutcome),
  /** The decision document: automatic (kind auto_approval) or by an officer (kind officer). */
  decision: Nullable(Json),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ApplicationSchema = Type.Object(applicationProps);

/** What the wallet verified when the applicant chose a certificate (ports.ts ResolvedCertificate). */
const ResolvedCertificate = Type.Object({
  certificateTypeName: Type.String(),
  certificateId: Type.String(),
  holderUserId: Type.String(),
  issuer: Type.String(),
  validUntil: Nullable(Type.String()),
  identifier: Type.Optional(Type.String()),
  verifiedAt: Type.Optional(Timestamp),
});

export const ApplicationDetail = Type.Object({
  ...applicationProps,
  rating: Nullable(Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.String(), at: Timestamp }, { description: 'The applicant\'s rating, once given' })),
  history: Type.Array(
    Type.Object({
      action: Type.String(),
      from: Type.String(),
      to: Type.String(),
      actor: Type.String(),
      actorId: Nullable(Type.String()),
      onBehalfOf: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
  materials: Type.Array(
    Type.Object({
      key: Type.String(),
      kind: Type.String({ description: 'upload | certificate' }),
      fileName: Nullable(Type.String()),
      contentType: Nullable(Type.String()),
      size: Nullable(Type.Integer()),
      sha256: Nullable(Type.String()),
      certificateType: Nullable(Type.String()),
      certificateId: Nullable(Type.String()),
      certificate: Nullable(ResolvedCertificate),
      at: Timestamp,
    }),
  ),
});

export const Applications = Page(ApplicationSchema);

export const Worklist = Type.Object({
  items: Type.Array(ApplicationSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  /** Overdue applications in my whole scope (whatever the filter). */
  overdueCount: Type.Integer(),
});

export const UploadedMaterial = Type.Object({ key: Type.String(), kind: Type.String({ description: 'upload' }), fileName: Type.String(), size: Type.Integer(), sha256: Type.String() });
export const AttachedCertificate = Type.Object({ key: Type.String(), kind: Type.String({ description: 'certificate' }), certificateType: Type.String(), certificateId: Type.String() });
export const Rating = Type.Object({ applicationId: Type.String(), score: Type.Integer(), comment: Type.String() });

/** A material as uploaded; the Content-Type is the one it was uploaded with. */
export const MaterialFile = Binary('application/octet-stream', 'The material as uploaded, in the content type it was uploaded with (PDF, JPEG, PNG, OFD, Word)');

export const BulkResult = Type.Object({
  action: Enum(BULK_ACTIONS),
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      ok: Type.Boolean(),
      /** The state reached (ok). */
      state: Type.Optional(Type.String()),
      /** The problem's status and detail (not ok). */
      status: Type.Optional(Type.Integer()),
      detail: Type.Optional(Type.String()),
    }),
  ),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
});

export const ApplicationStats = Type.Object({
  total: Type.Integer(),
  byState: Dict(Type.Integer()),
  overdue: Type.Integer(),
  decided: Type.Integer(),
  onTimeRate: Nullable(Type.Number()),
  autoApproved: Type.Integer(),
  autoApprovalRate: Nullable(Type.Number()),
  approved: Type.Integer(),
});

export const SatisfactionStats = Type.Object({
  departments: Type.Array(
    Type.Object({
      orgId: Type.String(),
      code: Nullable(Type.String()),
      name: Nullable(Type.String()),
      count: Type.Integer(),
      /** Ratings per score, "1" to "5". */
      distribution: Dict(Type.Integer()),
      average: Type.Number(),
    }),
  ),
});

/**
 * An automatic-approval rule as stored: what staff sent (keys beyond these are kept), each clause's test a
 * JSON Logic expression.
 */
const AutoRuleSchema = Type.Object(
  {
    description: Type.String(),
    clauses: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), test: AnyJson }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);
export const AutoRuleView = Type.Object({ itemId: Type.String(), rule: AutoRuleSchema, enabled: Type.Boolean(), updatedAt: Timestamp });
export const AutoRuleSaved = Type.Object({ itemId: Type.String(), rule: AutoRuleSchema, enabled: Type.Boolean() });

/** NotificationView (platform/notify). */
const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  applicationId: Nullable(Type.String()),
  read: Type.Boolean(),
  createdAt: Timestamp,
});
export const Notifications = Type.Object({ items: Type.Array(Notification), total: Type.Integer(), unread: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
export const MarkedRead = Type.Object({ updated: Type.Integer() });

/** A proxy authorisation (applications.proxy.ts grantView). */
const grantProps = {
  id: Type.String(),
  principalId: Type.String(),
  agentId: Type.String(),
  relation: Type.String(),
  /** Items covered; null = every item. */
  itemIds: Nullable(Type.Array(Type.String())),
  scope: Type.String({ description: 'items | all' }),
  expiresAt: Timestamp,
  status: Type.String({ description: 'pending | active | declined | revoked | expired' }),
  createdAt: Timestamp,
  confirmedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
};
export const ProxyGrant = Type.Object(grantProps);
export const ProxyGrants = Type.Object({ items: Type.Array(Type.Object({ ...grantProps, principalName: Nullable(Type.String()), agentName: Nullable(Type.String()) })) });

/** BundleApplicationView (bundles.service.ts). */
export const BundleApplicationSchema = Type.Object({
  id: Type.String(),
  bundleCode: Type.String(),
  bundleName: Type.String(),
  state: Enum(BUNDLE_STATES),
  stateLabel: Type.String(),
  applicant: Person,
  agentId: Nullable(Type.String()),
  data: Json,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  submittedAt: Nullable(Timestamp),
  applications: Type.Array(Type.Object({ id: Type.String(), itemId: Type.String(), itemCode: Type.String(), itemName: Type.String(), state: Enum(STATES), stateLabel: Type.String() })),
});
export const BundleApplications = Page(BundleApplicationSchema);
