// Scenario policies: what a terminal is told when a code passes. A policy is data (a code_policies row):
// the subject fields it discloses, the fields that must be present for a pass, and the health colours it
// refuses. This file holds the vocabulary of fields, the defaults and the one function that applies a policy.
import { maskIdNumber, maskName } from '../../../platform/ids/masking';

export const SCENARIOS = ['bus', 'hospital', 'canteen', 'hall'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const CARD_KINDS = ['social-security', 'medical-insurance', 'bus', 'meal'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** Every field a policy may disclose, with where it comes from. */
export const SUBJECT_FIELDS = {
  name: 'full name (local codes only)',
  nameMasked: 'name masked to the surname (张**)',
  idNumberMasked: 'ID number masked to the first 6 and last 4 characters',
  rideAccount: 'bus account ref (a fused card)',
  insuranceAccount: 'medical-insurance account ref (a fused card)',
  socialSecurityCard: 'social-security card ref (a fused card)',
  mealAccount: 'canteen meal account ref (local codes only)',
  health: 'health colour',
  pseudonym: 'the code subject (a per-person pseudonym)',
} as const;
export type SubjectField = keyof typeof SUBJECT_FIELDS;
export const SUBJECT_FIELD_NAMES = Object.keys(SUBJECT_FIELDS) as SubjectField[];

export interface Policy {
  scenario: Scenario;
  nameZh: string;
  nameEn: string;
  discloses: SubjectField[];
  requires: SubjectField[];
  refuseHealth: ('green' | 'yellow' | 'red')[];
}

export const DEFAULT_POLICIES: Policy[] = [
  { scenario: 'bus', nameZh: '公交闸机', nameEn: 'Bus gate', discloses: ['rideAccount'], requires: ['rideAccount'], refuseHealth: ['red'] },
  { scenario: 'hospital', nameZh: '医院窗口', nameEn: 'Hospital counter', discloses: ['name', 'insuranceAccount', 'health'], requires: ['insuranceAccount'], refuseHealth: [] },
  { scenario: 'canteen', nameZh: '食堂收银', nameEn: 'Canteen till', discloses: ['mealAccount'], requires: ['mealAccount'], refuseHealth: ['red'] },
  { scenario: 'hall', nameZh: '政务大厅窗口', nameEn: 'Service hall desk', discloses: ['nameMasked', 'idNumberMasked', 'health'], requires: [], refuseHealth: [] },
];

/** What is known of the person behind a code: everything for local codes, only the claims for partners'. */
export interface SubjectFacts {
  pseudonym: string;
  health: string;
  name?: string;
  idNumber?: string;
  cards: Partial<Record<CardKind, string>>;
}

/** The subject fields a policy discloses, and the required fields that are missing. */
export function applyPolicy(policy: Pick<Policy, 'discloses' | 'requires'>, facts: SubjectFacts): { subject: Record<string, string>; missing: SubjectField[] } {
  const value = (f: SubjectField): string | undefined => {
    switch (f) {
      case 'name':
        return facts.name;
      case 'nameMasked':
        return facts.name ? maskName(facts.name) : undefined;
      case 'idNumberMasked':
        return facts.idNumber ? maskIdNumber(facts.idNumber) : undefined;
      case 'rideAccount':
        return facts.cards.bus;
      case 'insuranceAccount':
        return facts.cards['medical-insurance'];
      case 'socialSecurityCard':
        return facts.cards['social-security'];
      case 'mealAccount':
        return facts.cards.meal;
      case 'health':
        return facts.health;
      case 'pseudonym':
        return facts.pseudonym;
    }
  };
  const subject: Record<string, string> = {};
  for (const f of policy.discloses) {
    const v = value(f);
    if (v !== undefined) subject[f] = v;
  }
  const missing = policy.requires.filter((f) => value(f) === undefined);
  return { subject, missing };
}
