// Shapes of the service-hall API (src/modules/svc) as the console reads them, and the vocabularies'
// labels. Kept beside the pages: the server's types live in src/ and are not imported into the web apps.
import type { Locale } from '../../shared/types';
import type { ApplicantType, BundleSummary, FieldType } from '../../shared/svc-types';
export type { ApplicantType, BundleSummary, Department, FieldType, Hall, Zone } from '../../shared/svc-types';

export type ItemKind = 'licence' | 'confirmation' | 'payment' | 'public_service' | 'other_power';
export type HandlingMode = 'auto' | 'immediate' | 'online' | 'counter' | 'no_action';
export type ItemStatus = 'draft' | 'published' | 'retired';
export type UploadType = 'pdf' | 'jpg' | 'png' | 'ofd' | 'doc' | 'docx';

export const ITEM_KINDS: ItemKind[] = ['licence', 'confirmation', 'payment', 'public_service', 'other_power'];
export const APPLICANT_TYPES: ApplicantType[] = ['person', 'enterprise', 'both'];
export const HANDLING_MODES: HandlingMode[] = ['auto', 'immediate', 'online', 'counter', 'no_action'];
export const ITEM_STATUSES: ItemStatus[] = ['draft', 'published', 'retired'];
export const FIELD_TYPES: FieldType[] = ['text', 'number', 'date', 'select', 'checkbox', 'idNumber', 'creditCode', 'phone'];
export const UPLOAD_TYPES: UploadType[] = ['pdf', 'jpg', 'png', 'ofd', 'doc', 'docx'];

export interface Text2 {
  zh: string;
  en: string;
}

export interface FormField {
  key: string;
  label: Text2;
  type: FieldType;
  required?: boolean;
  validation?: { min?: number; max?: number; pattern?: string; options?: { value: string; label: Text2 }[]; minDate?: string; maxDate?: string };
  help?: Text2;
}

export interface FormDefinition {
  fields: FormField[];
}

export interface Material {
  key: string;
  name: string;
  required: boolean;
  upload: { types: UploadType[]; maxSizeMb: number } | null;
  certificateType: string | null;
  note?: string;
}

export interface Fees {
  free: boolean;
  items: { name: string; amountYuan: number; basis: string }[];
}

export interface ItemDefinition {
  name: string;
  kind: ItemKind;
  applicantType: ApplicantType;
  legalDays: number;
  promisedDays: number;
  mode: HandlingMode;
  description: string;
  keywords: string[];
  materials: Material[];
  form: FormDefinition;
  fees: Fees;
  legalBasis: string;
  zones: string[];
}

export const DEFINITION_KEYS: (keyof ItemDefinition)[] = ['name', 'kind', 'applicantType', 'legalDays', 'promisedDays', 'mode', 'description', 'keywords', 'materials', 'form', 'fees', 'legalBasis', 'zones'];

export interface ItemSummary {
  id: string;
  code: string;
  name: string;
  kind: ItemKind;
  applicantType: ApplicantType;
  mode: HandlingMode;
  legalDays: number;
  promisedDays: number;
  owner: { id: string; code: string; name: string } | null;
  districtCode: string | null;
  zones: string[];
  status: ItemStatus;
  version: number | null;
  popularity: number;
  isDemo: boolean;
  highlight?: { text: string; match: boolean }[];
}

export interface Item extends ItemSummary, ItemDefinition {
  pending: Partial<ItemDefinition> | null;
  createdAt: string;
  updatedAt: string;
  versions: { version: number; publishedAt: string }[];
}

export interface ItemVersion extends ItemDefinition {
  code: string;
  version: number;
  publishedAt: string;
}

export interface SearchPage {
  items: ItemSummary[];
  total: number;
  expanded: { term: string; expansions: string[] }[];
}

export interface BundleDetail extends BundleSummary {
  form?: FormDefinition;
  status?: 'published' | 'retired';
  items: { id: string; code: string; name: string; position: number; fieldMap?: Record<string, string> }[];
}

export interface CertificateType {
  name: string;
  department: string;
  holder: string;
}

export interface Synonym {
  term: string;
  expansions: string[];
}

export interface ImportReport {
  mode: 'valid' | 'all';
  dryRun: boolean;
  rows: number;
  accepted: number;
  created: number;
  updated: number;
  published: number;
  written: boolean;
  rejected: { row: number; field: string; message: string }[];
}

export interface AutoRule {
  description: string;
  clauses: { id: string; label: string; test: unknown }[];
}

// ---- applications ----------------------------------------------------------------------------------

export type AppState = 'draft' | 'submitted' | 'accepted' | 'correction_requested' | 'resubmitted' | 'approved' | 'rejected' | 'completed' | 'withdrawn';
export const APP_STATES: AppState[] = ['submitted', 'accepted', 'correction_requested', 'resubmitted', 'approved', 'rejected', 'completed', 'withdrawn'];
export type StaffAction = 'accept' | 'request_correction' | 'approve' | 'reject' | 'complete';

/** The staff transitions of src/modules/svc/applications/states.ts: which states each may start from. */
export const STAFF_TRANSITIONS: Record<StaffAction, { from: AppState[]; reasonRequired: boolean }> = {
  accept: { from: ['submitted', 'resubmitted'], reasonRequired: false },
  request_correction: { from: ['accepted'], reasonRequired: true },
  approve: { from: ['accepted'], reasonRequired: false },
  reject: { from: ['submitted', 'accepted', 'resubmitted'], reasonRequired: true },
  complete: { from: ['approved', 'rejected'], reasonRequired: false },
};

export function allowedActions(state: AppState): StaffAction[] {
  return (Object.keys(STAFF_TRANSITIONS) as StaffAction[]).filter((a) => STAFF_TRANSITIONS[a].from.includes(state));
}

export interface TraceEntry {
  id: string;
  label: string;
  result: 'pass' | 'fail' | 'missing';
  facts?: Record<string, unknown>;
  value?: unknown;
  missing?: string[];
}

export interface AutoOutcome {
  outcome: 'approved' | 'manual';
  reason: string;
  ruleDescription?: string;
  evaluatedAt?: string;
  trace?: TraceEntry[];
}

export interface Application {
  id: string;
  item: { id: string; code: string; name: string; version: number; mode: HandlingMode };
  ownerOrgId: string;
  applicant: { id: string; name: string; kind: string };
  agentId: string | null;
  bundleApplicationId?: string | null;
  state: AppState;
  stateLabel: string;
  data: Record<string, unknown>;
  submittedAt: string | null;
  dueDate: string | null;
  dueAt: string | null;
  overdue: boolean;
  decidedAt: string | null;
  completedAt: string | null;
  claimedBy: { id: string; name: string | null } | null;
  lastReason: string | null;
  auto: AutoOutcome | null;
  decision: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEntry {
  action: string;
  from: AppState | null;
  to: AppState;
  actor: string | null;
  actorId: string | null;
  onBehalfOf: string | null;
  reason: string | null;
  at: string;
}

export interface MaterialEntry {
  key: string;
  kind: 'upload' | 'certificate' | string;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  certificateType: string | null;
  certificateId: string | null;
  /** What the wallet verified when the applicant chose the certificate. */
  certificate?: { identifier?: string; issuer: string; validUntil: string | null; verifiedAt?: string } | null;
  at: string;
}

export interface ApplicationDetail extends Application {
  history: HistoryEntry[];
  materials: MaterialEntry[];
}

export interface AppStats {
  total: number;
  byState: Record<string, number>;
  overdue: number;
  decided: number;
  onTimeRate: number | null;
  autoApproved: number;
  autoApprovalRate: number | null;
  approved: number;
}

export interface Satisfaction {
  departments: { orgId: string; code: string | null; name: string | null; count: number; average: number; distribution: Record<string, number> }[];
}

export interface CalendarEntry {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** A bilingual label in the reader's language. */
export function text2(v: Text2 | undefined, locale: Locale): string {
  if (!v) return '';
  return locale === 'en' ? v.en || v.zh : v.zh || v.en;
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}
