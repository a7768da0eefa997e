// The request workflow's shapes: states and steps, the deadline settings and their defaults, what the
// consumer submits and the provider answers, the list query, and the labels of the steps.
import type { RowFilter } from '../contracts';
import type { shareRequests, shareRequestSteps } from './requests.schema';

export type RequestState = 'compliance' | 'provider' | 'core_approval' | 'approved' | 'refused' | 'returned' | 'withdrawn';
export const OPEN_STATES: RequestState[] = ['compliance', 'provider', 'core_approval'];
export const REQUEST_STATES: RequestState[] = [...OPEN_STATES, 'approved', 'refused', 'returned', 'withdrawn'];
export type StepKind = 'compliance' | 'provider' | 'upstream' | 'core_approval';

/** A refusal or a return must say why in at least this many characters. */
export const REASON_MIN = 5;
export const SETTINGS_KEY = 'share.requests.settings';
export const ESCALATION_JOB = 'share.requests.escalate';

export interface RequestSettings {
  complianceDays: number;
  /** Provider's time when the resource is published with a dataset on the platform. */
  providerDaysServable: number;
  /** Provider's time when it must first publish (a draft resource, a demand). */
  providerDaysUnpublished: number;
  coreApprovalDays: number;
  /** Level 2 (the bureau) this many working days after the due date. */
  escalateToBureauAfterDays: number;
  /** Level 3 (the upper level) this many working days after level 2. */
  escalateToUpperAfterDays: number;
  /** The bureau's member (level 2 target, assignee of compliance and core approval); null: the member of org DSJ. */
  bureauMemberId: string | null;
  /** The upper level's member (level 3 target, e.g. 山东省大数据局); null: no level 3. */
  upperMemberId: string | null;
  /** Grant defaults when the provider's answer gives none. */
  defaultQuotaPerDay: number;
  defaultRatePerMinute: number;
  defaultGrantDays: number;
}

export const DEFAULT_SETTINGS: RequestSettings = {
  complianceDays: 2,
  providerDaysServable: 5,
  providerDaysUnpublished: 10,
  coreApprovalDays: 2,
  escalateToBureauAfterDays: 2,
  escalateToUpperAfterDays: 3,
  bureauMemberId: null,
  upperMemberId: null,
  defaultQuotaPerDay: 10_000,
  defaultRatePerMinute: 600,
  defaultGrantDays: 365,
};

export interface SubmitInput {
  kind: 'resource' | 'demand';
  resourceId?: string;
  demandTitle?: string;
  demandDescription?: string;
  providerMemberId?: string;
  consumerSubsystemId: string;
  scenario: string;
  fields: string[];
  purpose: string;
  legalBasis: string;
  rowFilter?: RowFilter;
}

export interface AnswerInput {
  decision: 'approve' | 'refuse';
  fields?: string[];
  /** Personal fields the provider lets through unmasked (a subset of the approved fields; never for core grade). */
  clearFields?: string[];
  reason?: string;
  rowFilter?: RowFilter;
  quotaPerDay?: number;
  ratePerMinute?: number;
  expiresAt?: string;
  /** For a demand: the resource the provider catalogued and published for it. */
  resourceId?: string;
  /** For an upstream provider (recorded by the bureau): who answered there, and when. */
  recordedFrom?: { name: string; organisation?: string; answeredAt: string };
}

export interface ListQuery {
  box?: 'mine' | 'review' | 'provider' | 'all';
  state?: RequestState;
  overdue?: boolean;
  providerMemberId?: string;
  scenario?: string;
  limit: number;
  offset: number;
}

export type RequestRow = typeof shareRequests.$inferSelect;
export type StepRow = typeof shareRequestSteps.$inferSelect;
export type Opts = { now?: Date };

/** The end of a Shanghai calendar date, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

export const STEP_LABELS: Record<StepKind, string> = { compliance: '合规审核', provider: '提供方答复', upstream: '上级部门答复', core_approval: '核心数据审批' };
