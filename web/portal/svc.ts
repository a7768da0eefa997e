// The service hall's API shapes as the portal uses them, and the queries shared by its pages.
import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type { ItemOf, QueryOf, ResponseOf } from '../shared/api-types';
import type { Locale } from '../shared/types';
import type { ApplicantType, BundleSummary, Department, Hall, Zone } from '../shared/svc-types';
export type { ApplicantType, BundleSummary, Department, FieldType, Hall, Zone } from '../shared/svc-types';

/** An item as the search lists it. */
export type ItemSummary = ItemOf<'/api/public/svc/search'>;
export type SearchPage = ResponseOf<'/api/public/svc/search'>;
export type Segment = ItemSummary['highlight'][number];
export type Mode = ItemSummary['mode'];

/** A published item as its page shows it. */
export type ItemDetail = ResponseOf<'/api/public/svc/items/{code}'>;
export type FormDefinition = ItemDetail['form'];
export type FormField = FormDefinition['fields'][number];
export type I18nText = FormField['label'];
export type Material = ItemDetail['materials'][number];

export type BundleDetail = ResponseOf<'/api/public/svc/bundles/{code}'>;

/** An application as my list has it; the detail adds its history and materials. */
export type Application = ItemOf<'/api/applications'> & Partial<Pick<ResponseOf<'/api/applications/{id}'>, 'history' | 'materials' | 'rating'>>;
export type AppState = Application['state'];
export type AppMaterial = ResponseOf<'/api/applications/{id}'>['materials'][number];
export type BundleApplication = ItemOf<'/api/bundle-applications'>;

export type Notification = ItemOf<'/api/notifications'>;
/** A proxy authorisation (代办); the answer's `scope` and `status` are plain strings (items | all; pending | active | declined | revoked | expired). */
export type ProxyGrant = ItemOf<'/api/proxy/grants'>;
export type HomePage = ResponseOf<'/api/svc/home'>;

export const MODES: Mode[] = ['auto', 'immediate', 'online', 'counter', 'no_action'];
export const APPLICANT_TYPES: ApplicantType[] = ['person', 'enterprise'];

/** The text of a {zh, en} pair in the UI language (Chinese when the English is missing). */
export function tx(text: I18nText | string | null | undefined, locale: Locale): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return locale === 'en' && text.en ? text.en : text.zh;
}

const LONG = 10 * 60_000;

export const useDepartments = () => useQuery({ queryKey: ['svc', 'departments'], queryFn: () => api.get<{ items: Department[] }>('/api/public/svc/departments'), staleTime: LONG });
export const useHalls = () => useQuery({ queryKey: ['svc', 'halls'], queryFn: () => api.get<{ items: Hall[] }>('/api/public/svc/halls'), staleTime: LONG });
export const useZones = () => useQuery({ queryKey: ['svc', 'zones'], queryFn: () => api.get<{ items: Zone[] }>('/api/public/svc/zones'), staleTime: LONG });
export const useBundles = () => useQuery({ queryKey: ['svc', 'bundles'], queryFn: () => api.get<{ items: BundleSummary[] }>('/api/public/svc/bundles'), staleTime: LONG });

type SearchQuery = QueryOf<'/api/public/svc/search'>;
/** The search's query parameters; the applicant and mode filters may also be '' (read from the page's URL; empty ones are not sent). */
export type SearchParams = Omit<SearchQuery, 'applicant' | 'mode'> & { applicant?: SearchQuery['applicant'] | ''; mode?: SearchQuery['mode'] | '' };

export const useSearch = (p: SearchParams, enabled = true) =>
  useQuery({ queryKey: ['svc', 'search', p], queryFn: () => api.get<SearchPage>('/api/public/svc/search', { ...p }), enabled, placeholderData: (prev) => prev });

export const useItem = (code: string | undefined) =>
  useQuery({ queryKey: ['svc', 'item', code], queryFn: () => api.get<ItemDetail>(`/api/public/svc/items/${encodeURIComponent(code!)}`), enabled: !!code, staleTime: 60_000 });

export const useProxyGrants = (enabled = true) => useQuery({ queryKey: ['proxy', 'grants'], queryFn: () => api.get<{ items: ProxyGrant[] }>('/api/proxy/grants'), enabled });

export const useUnread = (enabled: boolean) =>
  useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<ResponseOf<'/api/notifications'>>('/api/notifications', { unread: true, limit: 1 }),
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
