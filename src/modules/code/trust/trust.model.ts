// The trust part's vocabulary: key uses, job names, settings and their defaults, the row types and the
// views the routes answer with. The service's rooms (keys, list, partners) and its façade share these.
import type { KeyUse, TrustList, TrustListState } from '../../../lib/verifier';
import type { trustKeys, trustLists, trustPartners } from './trust.schema';

export const ISSUING_USES: KeyUse[] = ['city-code', 'certificate', 'status-list'];
/** The list-signing key's use (never in the list itself; partners pin it). */
export const LIST_USE = 'trust-list';
export const REFRESH_JOB = 'trust.partners.refresh';
export const REPUBLISH_JOB = 'trust.list.republish';
export const SETTINGS_KEY = 'trust.settings';
/** Serialises publications (seq) and key creation of one platform across nodes. */
export const LOCK_BASE = 7_040_000;

export interface TrustSettings {
  /** How long a rotated key keeps verifying, per use (seconds). */
  overlapSeconds: Record<KeyUse, number>;
  /** nextUpdate = issuedAt + this. */
  listValiditySeconds: number;
  /** After a partner list's nextUpdate: warn this long, then stop trusting it. */
  graceSeconds: number;
  /** How often each partner's list is fetched again. */
  refreshIntervalSeconds: number;
  fetchTimeoutMs: number;
  maxListBytes: number;
}

/** A change to the settings: any of them, and any of the per-use overlaps (the rest are kept). */
export type TrustSettingsPatch = Partial<Omit<TrustSettings, 'overlapSeconds'>> & { overlapSeconds?: Partial<Record<KeyUse, number>> };

const FIVE_YEARS = 5 * 365 * 86400;
export const DEFAULT_TRUST_SETTINGS: TrustSettings = {
  overlapSeconds: { 'city-code': 86400, certificate: FIVE_YEARS, 'status-list': FIVE_YEARS },
  listValiditySeconds: 86400,
  graceSeconds: 86400,
  refreshIntervalSeconds: 3600,
  fetchTimeoutMs: 10_000,
  maxListBytes: 1024 * 1024,
};

export type KeyRow = typeof trustKeys.$inferSelect;
export type PartnerRow = typeof trustPartners.$inferSelect;
export type ListRow = typeof trustLists.$inferSelect;

export interface KeyView {
  id: string;
  orgCode: string;
  orgName: string | null;
  orgNameEn: string | null;
  issuer: string;
  use: KeyUse | typeof LIST_USE;
  kid: string;
  /** current: signing now; retired: verifying until notAfter; expired: past notAfter (no longer listed). */
  state: 'current' | 'retired' | 'expired';
  notBefore: string;
  notAfter: string | null;
  createdAt: string;
  publicJwk: JsonWebKey;
}

export type PartnerState = TrustListState | 'untrusted';

export interface PartnerView {
  id: string;
  name: string;
  url: string | null;
  platformId: string;
  platformName: string;
  pinnedKid: string;
  pinnedJwk: JsonWebKey;
  state: PartnerState;
  /** Why the partner is untrusted (deactivated, pin-mismatch). */
  untrustedReason: string | null;
  active: boolean;
  seq: number;
  listId: string;
  issuedAt: string;
  nextUpdate: string;
  keyCount: number;
  issuers: string[];
  lastFetchedAt: string | null;
  acceptedAt: string;
  lastError: string | null;
  lastErrorAt: string | null;
  createdAt: string;
  deactivatedAt: string | null;
}

export interface PublishedList {
  jws: string;
  list: TrustList;
  listId: string;
  signerKid: string;
}

export interface RegisterPartnerInput {
  name: string;
  url?: string;
  trustListJws?: string;
  pinnedJwk: JsonWebKey;
}

export interface RefreshOutcome {
  partnerId: string;
  outcome: 'updated' | 'unchanged' | 'failed' | 'untrusted';
  seq: number;
  error?: string;
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const publicOnly = (jwk: JsonWebKey): JsonWebKey => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
export const KEY_CACHE_MS = 10 * 60_000;
export const CURRENT_CACHE_MS = 60_000;
export const SOURCES_CACHE_MS = 5_000;
