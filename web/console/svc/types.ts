// Shapes of the service-hall API (src/modules/svc) as the console reads them, taken from the server's
// OpenAPI document (../../shared/api-types.ts), and the vocabularies' labels.
import type { Locale } from '../../shared/types';
import type { BodyOf, ItemOf, ResponseOf } from '../../shared/api-types';
import type { ApplicantType, FieldType } from '../../shared/svc-types';
export type { ApplicantType, BundleSummary, Department, FieldType, Hall, Zone } from '../../shared/svc-types';

/** An item as listed (the search adds its highlight and score). */
export type ItemSummary = ItemOf<'/api/svc/items'>;
export type SearchPage = ResponseOf<'/api/svc/items'>;
/** An item with its pending (unpublished) changes and its published versions. */
export type Item = ResponseOf<'/api/svc/items/{id}'>;
export type ItemVersion = ResponseOf<'/api/svc/items/{id}/versions/{version}'>;

export type ItemKind = ItemSummary['kind'];
export type HandlingMode = ItemSummary['mode'];
export type ItemStatus = ItemSummary['status'];

/** The definition of an item: the part a draft edits and a publication freezes (`pending` holds any of it). */
export type ItemDefinition = Required<NonNullable<Item['pending']>>;
export type FormDefinition = Item['form'];
export type FormField = FormDefinition['fields'][number];
export type Text2 = FormField['label'];
export type Material = Item['materials'][number];
export type UploadType = NonNullable<Material['upload']>['types'][number];

export const ITEM_KINDS: ItemKind[] = ['licence', 'confirmation', 'payment', 'public_service', 'other_power'];
export const APPLICANT_TYPES: ApplicantType[] = ['person', 'enterprise', 'both'];
export const HANDLING_MODES: HandlingMode[] = ['auto', 'immediate', 'online', 'counter', 'no_action'];
export const ITEM_STATUSES: ItemStatus[] = ['draft', 'published', 'retired'];
export const FIELD_TYPES: FieldType[] = ['text', 'number', 'date', 'select', 'checkbox', 'idNumber', 'creditCode', 'phone'];
export const UPLOAD_TYPES: UploadType[] = ['pdf', 'jpg', 'png', 'ofd', 'doc', 'docx'];
export const DEFINITION_KEYS: (keyof ItemDefinition)[] = ['name', 'kind', 'applicantType', 'legalDays', 'promisedDays', 'mode', 'description', 'keywords', 'materials', 'form', 'fees', 'legalBasis', 'zones'];

/** A one-thing bundle as the catalogue edits it: its form and its members with their field maps. */
export type BundleDetail = ResponseOf<'/api/public/svc/bundles/{code}'>;
export type CertificateType = ItemOf<'/api/public/svc/certificate-types'>;
export type Synonym = ItemOf<'/api/svc/synonyms'>;
export type ImportReport = ResponseOf<'/api/svc/import', 'post'>;
/** An automatic-approval rule as the editor sends it. */
export type AutoRule = BodyOf<'/api/svc/items/{id}/auto-rule', 'put'>['rule'];

// ---- applications ----------------------------------------------------------------------------------

/** An application as the worklist lists it. */
export type Application = ItemOf<'/api/svc/worklist'>;
/** An application with its history and materials. */
export type ApplicationDetail = ResponseOf<'/api/applications/{id}'>;
export type HistoryEntry = ApplicationDetail['history'][number];
export type TraceEntry = NonNullable<Application['auto']>['trace'][number];
export type AppState = Application['state'];
export type StaffAction = BodyOf<'/api/svc/applications/{id}/actions'>['action'];
export type AppStats = ResponseOf<'/api/svc/application-stats'>;
export type Satisfaction = ResponseOf<'/api/svc/satisfaction-stats'>;
export type CalendarEntry = ItemOf<'/api/public/calendar'>;

export const APP_STATES: AppState[] = ['submitted', 'accepted', 'correction_requested', 'resubmitted', 'approved', 'rejected', 'completed', 'withdrawn'];

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

/** A bilingual label in the reader's language. */
export function text2(v: Text2 | undefined, locale: Locale): string {
  if (!v) return '';
  return locale === 'en' ? v.en || v.zh : v.zh || v.en;
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}
