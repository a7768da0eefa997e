// The city code's vocabulary: settings and their defaults, cache times, the terminal row and its view,
// the scan result, and the pseudonym encoding. The service's rooms and its façade share these.
import type { CityCodeClaims, Reason } from '../../../lib/verifier';
import type { ModuleDeps } from '../../deps';
import type { IssuerKeys } from '../contracts';
import type { codeTerminals } from './citycode.schema';
import type { Scenario, SubjectField } from './policies';

export type CityCodeDeps = ModuleDeps & { trust: IssuerKeys };

export const PURGE_SEEN_JOB = 'code.citycode.purge-seen';

export interface CityCodeSettings {
  /** The organisation whose city-code key signs (the bureau). */
  issuerOrgCode: string;
  /** Lifetime of one code. */
  validitySeconds: number;
  /** Clock skew tolerated between the issuer and the terminal. */
  skewSeconds: number;
}
export const DEFAULT_CODE_SETTINGS: CityCodeSettings = { issuerOrgCode: 'DSJ', validitySeconds: 60, skewSeconds: 300 };
export const SETTINGS_KEY = 'code.citycode.settings';
/** How long a built trust store (and a terminal looked up by key) is reused. */
export const CACHE_MS = 5_000;
/** Policy fields that come from the fused cards (the cards are read only when a policy needs one). */
export const CARD_FIELDS: SubjectField[] = ['rideAccount', 'insuranceAccount', 'socialSecurityCard', 'mealAccount'];
export const CLAIM_CARDS: CityCodeClaims['cards'][number]['kind'][] = ['social-security', 'medical-insurance', 'bus'];

export type TerminalRow = typeof codeTerminals.$inferSelect;

export interface ScanResult {
  decision: 'pass' | 'refuse';
  reason: Reason;
  message: string;
  scenario: Scenario;
  terminal: { id: string; name: string; place: string };
  subject: Record<string, string>;
  issuer: string | null;
  kid: string | null;
  trustList: string | null;
  warnings: string[];
  local: boolean;
  at: string;
}

/** One line of the person's scan log ("where was my code scanned"). */
export interface ScanLogEntry {
  id: number;
  at: string;
  terminalName: string;
  scenario: string;
  place: string;
  district: string | null;
  decision: string;
  reason: string;
}

export const terminalView = (t: TerminalRow) => ({
  id: t.id,
  name: t.name,
  place: t.place,
  district: t.district,
  ownerOrgId: t.ownerOrgId,
  scenario: t.scenario,
  active: t.active,
  keyPrefix: t.keyPrefix,
  createdAt: t.createdAt.toISOString(),
  deactivatedAt: t.deactivatedAt?.toISOString() ?? null,
});

const RFC4648 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += RFC4648[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += RFC4648[(value << (5 - bits)) & 31];
  return out;
}
