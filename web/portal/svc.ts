// The service hall's API shapes as the portal uses them, and the queries shared by its pages.
import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type { Locale } from '../shared/types';
import type { ApplicantType, BundleSummary, Department, FieldType, Hall, Zone } from '../shared/svc-types';
export type { ApplicantType, BundleSummary, Department, FieldType, Hall, Zone } from '../shared/svc-types';

export type Mode = 'auto' | 'immediate' | 'online' | 'counter' | 'no_action';
export type AppState =
  | 'draft'
  | 'submitted'
  | 'accepted'
  | 'correction_requested'
  | 'resubmitted'
  | 'approved'
  | 'rejected'
  | 'completed'
  | 'withdrawn';

export const MODES: Mode[] = ['auto', 'immediate', 'online', 'counter', 'no_action'];
export const APPLICANT_TYPES: ApplicantType[] = ['person', 'enterprise'];

export interface I18nText {
  zh: string;
  en: string;
}

/** The text of a {zh, en} pair in the UI language (Chinese when the English is missing). */
export function tx(text: I18nText | string | null | undefined, locale: Locale): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return locale === 'en' && text.en ? text.en : text.zh;
}

export interface Segment {
  text: string;
  match: boolean;
}

export interface ItemSummary {
  id: string;
  code: string;
  name: string;
  kind: string;
  applicantType: ApplicantType;
  mode: Mode;
  legalDays: number;
  promisedDays: number;
  owner: { id: string; code: string; name: string };
  districtCode: string | null;
  zones: string[];
  popularity: number;
  score?: number;
  highlight?: Segment[];
}

export interface SearchPage {
  items: ItemSummary[];
  total: number;
  limit: number;
  offset: number;
  expanded?: { term: string; expansions: string[] }[];
}

export interface FormOption {
  value: string;
  label: I18nText;
}

export interface FormField {
  key: string;
  type: FieldType;
  label: I18nText;
  required?: boolean;
  help?: I18nText;
  validation?: { min?: number; max?: number; pattern?: string; options?: FormOption[]; minDate?: string; maxDate?: string };
}

export interface FormDefinition {
  fields: FormField[];
}

export interface Material {
  key: string;
  name: string;
  required: boolean;
  upload: { types: string[]; maxSizeMb: number } | null;
  certificateType: string | null;
}

export interface ItemDetail extends ItemSummary {
  description: string;
  keywords: string[];
  materials: Material[];
  form: FormDefinition;
  fees: { free: boolean; items: { name: string; amountYuan: number; basis?: string }[] };
  legalBasis: string;
  version: number;
  bundles: { code: string; name: string }[];
  halls: { districtCode: string; name: string }[];
}

export interface BundleDetail extends BundleSummary {
  form: FormDefinition;
  items: { id: string; code: string; name: string; position: number; fieldMap: Record<string, string>; status: string }[];
}

export interface TraceClause {
  id: string;
  label: string;
  facts: Record<string, unknown>;
  value: unknown;
  result: 'pass' | 'fail' | 'missing';
  missing: string[];
}

export interface HistoryEntry {
  action: string;
  from: AppState | null;
  to: AppState;
  actor: string;
  actorId: string | null;
  onBehalfOf: string | null;
  reason: string | null;
  at: string;
}

export interface AppMaterial {
  key: string;
  kind: 'upload' | 'certificate';
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  certificateType: string | null;
  certificateId: string | null;
  at: string;
}

export interface Application {
  id: string;
  item: { id: string; code: string; name: string; version: number; mode: Mode };
  applicant: { id: string; name: string; kind: string };
  agentId: string | null;
  agentName?: string | null;
  bundleApplicationId: string | null;
  state: AppState;
  stateLabel: string;
  data: Record<string, unknown>;
  submittedAt: string | null;
  dueDate: string | null;
  dueAt: string | null;
  overdue: boolean;
  decidedAt: string | null;
  completedAt: string | null;
  lastReason: string | null;
  auto: { trace: TraceClause[]; reason: string; outcome: 'approved' | 'fallback' | string; evaluatedAt: string; ruleDescription: string } | null;
  decision: { text: string; decision: string; decidedAt: string; kind: string } | null;
  rating?: { score: number; comment: string | null } | null;
  createdAt: string;
  updatedAt: string;
  history?: HistoryEntry[];
  materials?: AppMaterial[];
}

export interface BundleApplication {
  id: string;
  bundleCode: string;
  bundleName: string;
  state: string;
  stateLabel?: string;
  createdAt: string;
  updatedAt?: string;
  data: Record<string, unknown>;
  applications: { id: string; itemId: string; itemCode: string; itemName: string; state: AppState; stateLabel?: string }[];
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  applicationId: string | null;
  read: boolean;
  createdAt: string;
}

export interface ProxyGrant {
  id: string;
  principalId: string;
  agentId: string;
  principalName?: string | null;
  agentName?: string | null;
  relation: string;
  itemIds: string[] | null;
  scope: 'all' | 'items';
  expiresAt: string;
  status: 'pending' | 'active' | 'declined' | 'revoked' | 'expired';
  createdAt: string;
  confirmedAt: string | null;
  revokedAt: string | null;
}

export interface Reason {
  rule: string;
  label: I18nText;
  weight: number;
}

export interface HomePage {
  audience: 'person' | 'enterprise' | 'staff';
  facts: { key: string; label: I18nText; value: unknown }[];
  items: { id: string; code: string; name: string; nameEn?: string | null; mode: Mode; ownerName: string; zones: string[]; score: number; reasons: Reason[] }[];
  bundles: { code: string; name: string; nameEn?: string | null; score: number; reasons: Reason[] }[];
  continue: { id: string; itemName: string; state: AppState; stateLabel?: string; bundleApplicationId?: string | null; updatedAt: string }[];
}

const LONG = 10 * 60_000;

export const useDepartments = () => useQuery({ queryKey: ['svc', 'departments'], queryFn: () => api.get<{ items: Department[] }>('/api/public/svc/departments'), staleTime: LONG });
export const useHalls = () => useQuery({ queryKey: ['svc', 'halls'], queryFn: () => api.get<{ items: Hall[] }>('/api/public/svc/halls'), staleTime: LONG });
export const useZones = () => useQuery({ queryKey: ['svc', 'zones'], queryFn: () => api.get<{ items: Zone[] }>('/api/public/svc/zones'), staleTime: LONG });
export const useBundles = () => useQuery({ queryKey: ['svc', 'bundles'], queryFn: () => api.get<{ items: BundleSummary[] }>('/api/public/svc/bundles'), staleTime: LONG });

export interface SearchParams {
  q?: string;
  department?: string;
  district?: string;
  zone?: string;
  applicant?: string;
  mode?: string;
  limit?: number;
  offset?: number;
}

export const useSearch = (p: SearchParams, enabled = true) =>
  useQuery({ queryKey: ['svc', 'search', p], queryFn: () => api.get<SearchPage>('/api/public/svc/search', { ...p }), enabled, placeholderData: (prev) => prev });

export const useItem = (code: string | undefined) =>
  useQuery({ queryKey: ['svc', 'item', code], queryFn: () => api.get<ItemDetail>(`/api/public/svc/items/${encodeURIComponent(code!)}`), enabled: !!code, staleTime: 60_000 });

export const useProxyGrants = (enabled = true) => useQuery({ queryKey: ['proxy', 'grants'], queryFn: () => api.get<{ items: ProxyGrant[] }>('/api/proxy/grants'), enabled });

export const useUnread = (enabled: boolean) =>
  useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<{ unread: number; total: number }>('/api/notifications', { unread: true, limit: 1 }),
    enabled,
    refetchInterval: 60_000,
  });

/** Working days shown for a mode: the badge colour class. */
export function modeClass(mode: Mode): string {
  return `mode-badge mode-${mode}`;
}

/** States an application can still move from without staff, for the "in progress" filter. */
export const OPEN_STATES: AppState[] = ['draft', 'submitted', 'accepted', 'correction_requested', 'resubmitted'];
export const FINAL_STATES: AppState[] = ['approved', 'rejected', 'completed', 'withdrawn'];
