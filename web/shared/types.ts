// Shapes of the platform API as the browser apps use them.

export type Locale = 'zh-CN' | 'en';
export type UserKind = 'citizen' | 'enterprise' | 'staff';
export type OrgKind = 'city' | 'district' | 'department' | 'subunit' | 'enterprise';
export type RoleScope = 'city' | 'district' | 'department' | 'self';
export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  kind: UserKind;
  orgId: string | null;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  locale: Locale | string;
  /** Elder-friendly mode (适老化) remembered on the account; absent on servers that predate it. */
  elderMode?: boolean;
  totpEnabled: boolean;
  status: 'active' | 'disabled';
  roles: string[];
  lastLoginAt: string | null;
  createdAt: string;
  locked: boolean;
}

export interface UserRow extends PublicUser {
  orgName: string | null;
  orgNameEn: string | null;
}

export interface OrgRef {
  id: string;
  code: string;
  kind: OrgKind;
  name: string;
  nameEn: string | null;
}

export interface Me {
  user: PublicUser;
  org: OrgRef | null;
  permissions: string[];
  roles: string[];
  mfaPending: boolean;
  csrfToken: string;
}

export interface LoginResult {
  user: PublicUser;
  mfaRequired: boolean;
  csrfToken: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  onBehalfOf: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  orgId: string | null;
  summary: unknown;
  requestId: string | null;
  ip: string | null;
  hash: string;
}

export interface CityInfo {
  city: { name: string; nameEn: string; divisionCode: string };
  districts: { code: string; name: string; nameEn: string }[];
  departmentsCount: number;
}

export interface Org {
  id: string;
  code: string;
  kind: OrgKind;
  name: string;
  nameEn: string | null;
  parentId: string | null;
  divisionCode: string | null;
  creditCode: string | null;
  status: 'active' | 'disabled' | string;
  path: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit?: number;
  offset?: number;
}

export interface Role {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: RoleScope;
  permissions: string[];
  builtin: boolean;
}

export interface Permission {
  code: string;
  zh: string;
  en: string;
}

export interface ApiKey {
  id: string;
  prefix: string;
  name: string;
  userId: string;
  username: string | null;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface OidcClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  clientType: 'confidential' | 'public';
  scopes: string[] | string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface Job {
  id: string;
  name: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
  scheduleName: string | null;
}

export interface JobSchedule {
  name: string;
  jobName: string;
  everySeconds: number;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

export interface JobSummary {
  counts: Partial<Record<JobStatus, number>>;
  schedules: JobSchedule[];
}

export interface StatsOverview {
  orgs: { district: number; department: number; subunit: number; enterprise: number };
  users: { citizen: number; enterprise: number; staff: number };
  sessionsActive: number;
  apiKeysActive: number;
  oidcClients: number;
  jobs: { queued: number; running: number; done: number; dead: number };
  audit: { total: number; last24h: number };
  auditByHour: { hour: string; count: number }[];
  orgsByDistrict: { code: string; name: string; nameEn: string | null; count: number }[];
  generatedAt: string;
}
