// Shapes of the credit API (issue 6 contract) as the console and the portal use them.

export type CreditKind = 'licence' | 'penalty';
export type RecordStatus = 'published' | 'expired' | 'repaired';
export type BatchState = 'validated' | 'published' | 'discarded';
export type RepairState = 'draft' | 'submitted' | 'accepted' | 'material_requested' | 'resubmitted' | 'rejected' | 'withdrawn' | 'synced';

/** One problem of one row of an uploaded file (row counts data rows from 1, like the report). */
export interface RowProblem {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface Batch {
  id: string;
  kind: CreditKind;
  fileName: string;
  state: BatchState;
  total: number;
  valid: number;
  invalid: number;
  published?: number | null;
  createdAt: string;
  publishedAt?: string | null;
  problems?: RowProblem[];
}

/** A record's fields under the standard's codes (XK_* / CF_*). */
export type CreditFields = Record<string, string | number | null | undefined>;

export interface CreditRecord {
  id: string;
  kind: CreditKind;
  status: RecordStatus;
  record: CreditFields;
  subjectCode?: string | null;
  subjectName?: string | null;
  documentNo?: string | null;
  decisionDate?: string | null;
  severity?: string | null;
  publicationEnds?: string | null;
  repairableFrom?: string | null;
  publishedAt?: string | null;
  withdrawnAt?: string | null;
  createdAt?: string;
}

export interface RepairEligibility {
  eligible: boolean;
  eligibleFrom: string | null;
  reason: string | null;
  openRepairId: string | null;
}

export interface MyPenalty extends CreditRecord {
  repair: RepairEligibility;
}

export interface RepairMaterial {
  id: string;
  key: string;
  fileName: string;
  size?: number;
  contentType?: string;
  createdAt?: string;
  url?: string;
}

export interface TimelineEntry {
  at: string;
  action?: string;
  state?: string;
  from?: string | null;
  to?: string | null;
  actorName?: string | null;
  reason?: string | null;
  note?: string | null;
}

export interface Repair {
  id: string;
  penaltyId: string;
  state: RepairState | string;
  statement?: string | null;
  commitmentText?: string | null;
  commitmentAccepted?: boolean;
  subjectName?: string | null;
  subjectCode?: string | null;
  documentNo?: string | null;
  deptName?: string | null;
  createdAt: string;
  submittedAt?: string | null;
  decidedAt?: string | null;
  acceptDue?: string | null;
  decideDue?: string | null;
  overdue?: boolean;
  reason?: string | null;
  penalty?: CreditRecord | null;
  materials?: RepairMaterial[];
  timeline?: TimelineEntry[];
  requiredMaterials?: { key: string; name: string; required: boolean }[];
  deliveries?: OutboxDelivery[];
  handlingDays?: number | null;
  onTime?: boolean | null;
  deadlines?: { accept?: string | null; decide?: string | null; resubmit?: string | null; [k: string]: string | null | undefined };
}

export interface PublicSubjectHit {
  /** The subject's public key: the credit code, or a keyed hash for a person. */
  key: string;
  code: string;
  kind?: 'person' | 'organisation';
  name: string;
  licences: number;
  penalties: number;
}

export interface PublicSubject {
  subject: { key: string; code: string; name: string; kind?: string };
  licences: CreditRecord[];
  penalties: CreditRecord[];
}

export interface CreditProfile {
  subject: { key: string; code: string; name: string; kind?: string };
  licences: CreditRecord[];
  penalties: (CreditRecord & { inPublication?: boolean })[];
  repairs: Pick<Repair, 'id' | 'penaltyId' | 'state' | 'createdAt' | 'submittedAt' | 'decidedAt' | 'reason'>[];
}

export interface CreditLimits {
  acceptDays: number;
  decideDays: number;
  seriousAmount: number;
}

export interface Regime {
  id?: string;
  severity: string;
  minMonths: number;
  maxMonths: number;
  effectiveFrom: string;
  note?: string | null;
}

export interface Endpoint {
  id?: string;
  name: string;
  url: string;
  enabled: boolean;
  /** Write-only: signs deliveries (HMAC); omitted keeps the stored one. */
  secret?: string | null;
  hasSecret?: boolean;
}

export interface OutboxDelivery {
  id: string;
  endpointName?: string | null;
  endpointId?: string | null;
  event?: string;
  topic?: string;
  status: string;
  attempts: number;
  lastError?: string | null;
  deliveredAt?: string | null;
  createdAt: string;
  nextAttemptAt?: string | null;
}

export interface CreditStats {
  repairs: {
    byState: { state: string; count: number }[];
    byDepartment: { deptName?: string; orgName?: string; name?: string; orgId?: string; count: number; onTime?: number; decided?: number }[];
    onTimeRate: number | null;
    avgWorkingDays: number | null;
    total?: number;
  };
  records: { kind: CreditKind; deptName?: string; orgName?: string; name?: string; count: number }[];
}
