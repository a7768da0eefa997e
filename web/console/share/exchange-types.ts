// Shapes the exchange pages read from /api/share (requests, dashboard, grants, usage, calls). The
// server is the authority; the optional fields are the ones an answer may leave out (a demand has no
// resource, a closed request no current step), and the helpers below turn either form into one label.

export type ProviderLevel = 'city' | 'district' | 'province' | 'national';
export type RequestState = 'compliance' | 'provider' | 'core_approval' | 'approved' | 'refused' | 'returned' | 'withdrawn';
export type StepKind = 'compliance' | 'provider' | 'core_approval' | 'upstream';
export type Box = 'mine' | 'review' | 'provider' | 'all';

export const REQUEST_STATES: RequestState[] = ['compliance', 'provider', 'core_approval', 'approved', 'refused', 'returned', 'withdrawn'];
export const OPEN_STATES: RequestState[] = ['compliance', 'provider', 'core_approval'];
export const LEVELS: ProviderLevel[] = ['city', 'district', 'province', 'national'];

/** An X-Road member as the request answers name it. */
export interface MemberRef {
  id: string;
  code: string | null;
  name: string | null;
  level?: ProviderLevel;
  external?: boolean;
  xroadId?: string;
}

export interface SubsystemRef {
  id: string;
  code: string;
  name: string;
  memberId?: string;
  xroadId?: string;
}

export interface ResourceRef {
  id: string;
  code: string | null;
  name: string | null;
  grade?: 'core' | 'important' | 'general';
  state?: string;
}

export interface RowFilterCond {
  column: string;
  equals: string;
}

export interface RequestStep {
  id: string;
  kind: StepKind;
  assigneeMemberId?: string | null;
  assignee?: MemberRef | null;
  startedAt: string;
  dueDate: string;
  dueAt?: string;
  workingDays?: number;
  answeredAt?: string | null;
  /** Working days the step took (or has been open so far). */
  daysTaken?: number | null;
  outcome?: string | null;
  reason?: string | null;
  recordedFrom?: { name?: string; organisation?: string; answeredAt?: string } | null;
  escalationLevel?: number;
  lastEscalatedAt?: string | null;
  escalations?: { level: number; at: string; targetMemberId?: string | null; target?: string | MemberRef | null }[];
  overdue?: boolean;
}

export interface ShareRequest {
  id: string;
  kind: 'resource' | 'demand';
  resourceId?: string | null;
  resource?: ResourceRef | null;
  resourceName?: string | null;
  demandTitle?: string | null;
  demandDescription?: string | null;
  providerMemberId?: string | null;
  provider?: MemberRef | null;
  providerName?: string | null;
  providerLevel?: ProviderLevel | null;
  consumerMemberId: string;
  consumer?: MemberRef | null;
  consumerName?: string | null;
  consumerSubsystemId: string;
  consumerSubsystem?: SubsystemRef | null;
  scenario: string;
  fields: string[];
  approvedFields?: string[] | null;
  purpose: string;
  legalBasis: string;
  rowFilter?: RowFilterCond[];
  state: RequestState;
  currentStep?: StepKind | null;
  needsPublication?: boolean;
  terms?: { quotaPerDay?: number; ratePerMinute?: number; expiresAt?: string } | null;
  decisionReason?: string | null;
  grantId?: string | null;
  submittedAt: string;
  answeredAt?: string | null;
  answerDays?: number | null;
  closedAt?: string | null;
  /** The open step's due date and escalation, on list rows. */
  dueDate?: string | null;
  dueAt?: string | null;
  overdue?: boolean;
  escalationLevel?: number;
  steps?: RequestStep[];
  /** What the signed-in user may do now, when the server says so. */
  actions?: string[];
}

export interface DataItemView {
  name: string;
  label: string;
  type: string;
  key?: boolean;
  required?: boolean;
  personal?: string | null;
}

/** A catalogue resource as the request form needs it. */
export interface ResourceOption {
  id: string;
  code: string;
  name: string;
  grade?: string;
  state?: string;
  providerMemberId?: string;
  provider?: MemberRef | null;
  providerName?: string;
  items?: DataItemView[];
}

export interface MemberName {
  id: string;
  code: string | null;
  name: string | null;
}

export interface LevelStat {
  level: ProviderLevel | 'unrouted';
  count?: number;
  n?: number;
  medianDays?: number | null;
  p90Days?: number | null;
  meanDays?: number | null;
}

export interface ProviderStat {
  provider: MemberName | null;
  count: number;
  maxEscalationLevel?: number;
}

export interface Dashboard {
  scope?: 'all' | 'own';
  open: { total: number; byProvider: ProviderStat[]; byLevel: LevelStat[] };
  answerTime: { n: number; medianDays: number | null; p90Days: number | null; meanDays?: number | null; byLevel: LevelStat[] };
  overdue: { total: number; byStep: { step: StepKind; count: number }[]; byProvider: ProviderStat[] };
  blockedScenarios: {
    resource: { id: string; code: string | null; name: string | null } | null;
    demandTitle: string | null;
    provider: MemberName | null;
    scenarioCount: number;
    requestCount: number;
    consumerCount: number;
    scenarios: string[];
  }[];
  recent: {
    requestId: string;
    decision: 'approved' | 'refused' | 'returned' | string;
    at: string;
    scenario: string;
    reason: string | null;
    resource: { id: string; name: string | null } | null;
    demandTitle: string | null;
    provider: MemberName | null;
    consumer: MemberName | null;
    providerLevel?: ProviderLevel | null;
    answerDays?: number | null;
  }[];
}

export interface Grant {
  id: string;
  requestId?: string | null;
  consumerMemberId?: string;
  consumerSubsystemId: string;
  consumerXroadId?: string;
  consumerSubsystem?: SubsystemRef | null;
  consumerName?: string | null;
  resourceId: string;
  resource?: ResourceRef | null;
  resourceName?: string | null;
  resourceCode?: string | null;
  fields: string[];
  clearFields?: string[];
  serviceId?: string;
  rowFilter: RowFilterCond[];
  purpose?: string;
  quotaPerDay?: number;
  ratePerMinute?: number;
  expiresAt: string;
  state?: string;
  revokedAt?: string | null;
  revokeReason?: string | null;
  createdAt?: string;
}

export interface Usage {
  calls: number;
  errors: number;
  bytes: number;
  p50Ms: number | null;
  p99Ms: number | null;
  rows?: number;
  byResource: { resourceCode: string; calls: number; errors: number; p99Ms?: number }[];
  byConsumer: { consumerXroadId: string | null; calls: number; errors: number; p99Ms?: number }[];
  byDay: { day: string; calls: number; errors?: number; p99Ms?: number | null }[];
}

export interface CallRecord {
  id: number | string;
  at: string;
  responseAt?: string;
  consumerSubsystemId?: string | null;
  consumerXroadId?: string | null;
  serviceId: string;
  resourceCode?: string;
  grantId?: string | null;
  /** lookup | query | export */
  operation: string;
  status: number;
  errorCode?: string | null;
  rows?: number;
  responseBytes?: number;
  bytes?: number;
  durationMs?: number;
  bindingHash?: string | null;
}

// --- one label from whichever form the answer used ---

export function resourceLabel(r: Pick<ShareRequest, 'kind' | 'resource' | 'resourceName' | 'demandTitle'>): string {
  if (r.kind === 'demand') return r.demandTitle ?? '—';
  return r.resource?.name ?? r.resourceName ?? '—';
}

export function providerOf(r: Pick<ShareRequest, 'provider' | 'providerName' | 'providerLevel'>): { name: string | null; level: ProviderLevel | null; external: boolean } {
  return {
    name: r.provider?.name ?? r.providerName ?? null,
    level: r.provider?.level ?? r.providerLevel ?? null,
    external: !!r.provider?.external || r.providerLevel === 'province' || r.providerLevel === 'national',
  };
}

export function consumerLabel(r: Pick<ShareRequest, 'consumer' | 'consumerName' | 'consumerSubsystem'>): { name: string; system: string | null } {
  return { name: r.consumer?.name ?? r.consumerName ?? '—', system: r.consumerSubsystem?.xroadId ?? r.consumerSubsystem?.code ?? null };
}

/** The open step (the last unanswered one), if the request has its steps. */
export function openStep(r: ShareRequest): RequestStep | null {
  const steps = r.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) if (!steps[i].answeredAt) return steps[i];
  return null;
}

export function memberName(m: MemberName | null | undefined): string {
  return m?.name ?? m?.code ?? '—';
}

export function shortHash(h: string | null | undefined): string {
  return h ? `${h.slice(0, 10)}…` : '—';
}

/** live | revoked | expired: the server's word when it gives one, else from the dates. */
export function grantState(g: Pick<Grant, 'state' | 'revokedAt' | 'expiresAt'>, now = Date.now()): string {
  if (g.state) return g.state;
  if (g.revokedAt) return 'revoked';
  return Date.parse(g.expiresAt) <= now ? 'expired' : 'live';
}
