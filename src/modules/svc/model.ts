// The catalogue's vocabulary: item kinds, applicant types, handling modes, fees, and the item definition
// that is snapshotted on publication.
import type { FormDefinition } from './form';
import type { Material } from './materials';

export const ITEM_KINDS = {
  licence: { zh: '行政许可', en: 'Administrative licence', code: 'XK' },
  confirmation: { zh: '行政确认', en: 'Administrative confirmation', code: 'QR' },
  payment: { zh: '行政给付', en: 'Administrative payment', code: 'JF' },
  public_service: { zh: '公共服务', en: 'Public service', code: 'GG' },
  other_power: { zh: '其他行政权力', en: 'Other administrative power', code: 'QT' },
} as const;
export type ItemKind = keyof typeof ITEM_KINDS;
export const ITEM_KIND_CODES = Object.keys(ITEM_KINDS) as ItemKind[];

export const APPLICANT_TYPES = {
  person: { zh: '自然人', en: 'Person' },
  enterprise: { zh: '法人', en: 'Enterprise' },
  both: { zh: '自然人、法人', en: 'Person or enterprise' },
} as const;
export type ApplicantType = keyof typeof APPLICANT_TYPES;
export const APPLICANT_TYPE_CODES = Object.keys(APPLICANT_TYPES) as ApplicantType[];

export const HANDLING_MODES = {
  auto: { zh: '秒批', en: 'Automatic approval' },
  immediate: { zh: '即办', en: 'Immediate' },
  online: { zh: '全程网办', en: 'Fully online' },
  counter: { zh: '窗口', en: 'At the counter' },
  no_action: { zh: '无感认证', en: 'No-action authentication' },
} as const;
export type HandlingMode = keyof typeof HANDLING_MODES;
export const HANDLING_MODE_CODES = Object.keys(HANDLING_MODES) as HandlingMode[];

export const ITEM_STATUSES = ['draft', 'published', 'retired'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface Fees {
  free: boolean;
  items: { name: string; amountYuan: number; basis: string }[];
}

/** What staff edit and what a published version freezes. */
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

export const EDITABLE_KEYS: (keyof ItemDefinition)[] = ['name', 'kind', 'applicantType', 'legalDays', 'promisedDays', 'mode', 'description', 'keywords', 'materials', 'form', 'fees', 'legalBasis', 'zones'];

/** Look a label (Chinese or English) or code up in one of the vocabularies. */
export function codeOf<T extends string>(vocab: Record<T, { zh: string; en: string }>, text: string): T | null {
  const s = text.trim();
  for (const [code, v] of Object.entries(vocab) as [T, { zh: string; en: string }][]) {
    if (s === code || s === v.zh || s.toLowerCase() === v.en.toLowerCase()) return code;
  }
  return null;
}

/** Applicant column of the reference CSV: 自然人, 法人, or both (自然人/法人, 自然人、法人, both). */
export function applicantOf(text: string): ApplicantType | null {
  const s = text.trim();
  const direct = codeOf(APPLICANT_TYPES, s);
  if (direct) return direct;
  const p = /自然人|个人|person/i.test(s);
  const e = /法人|企业|enterprise/i.test(s);
  return p && e ? 'both' : p ? 'person' : e ? 'enterprise' : null;
}
