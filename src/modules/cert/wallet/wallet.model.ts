// What the wallet's rooms share: constants, codes people type, the effective status of a certificate,
// the verifier's answer and the check of a holder's public key.
import { randomInt } from 'node:crypto';
import type { Reason } from '../../../lib/verifier/types';
import type { IssuerKeys } from '../../code';
import type { ModuleDeps } from '../../deps';
import type { CertificateReader, CertificateRecord } from '../contracts';
import { shanghaiDayEndEpoch, shanghaiDayStartEpoch } from './fields';

export type WalletDeps = ModuleDeps & { trust: IssuerKeys; certificates: CertificateReader };

export const CREDENTIAL_CONTEXT = 'wallet.credential';
export const PRESENTATION_CONTEXT = 'wallet.presentation';
export const REQUEST_PREFIX = 'DQVR:';
export const HANDLE_PREFIX = 'DQVP:';
export const REQUEST_TTL_SECONDS = 10 * 60;
export const HANDLE_TTL_SECONDS = 5 * 60;
export const MAX_PRESENTATION_CHARS = 64 * 1024;
/** Unambiguous characters for codes people type (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export type EffectiveStatus = 'valid' | 'suspended' | 'revoked' | 'expired' | 'not-yet-valid';

export function effectiveStatus(rec: CertificateRecord, at = new Date()): EffectiveStatus {
  if (rec.status !== 'valid') return rec.status;
  const now = at.getTime() / 1000;
  if (rec.validUntil && shanghaiDayEndEpoch(rec.validUntil) < now) return 'expired';
  if (shanghaiDayStartEpoch(rec.validFrom) > now) return 'not-yet-valid';
  return 'valid';
}

export interface VerificationAnswer {
  valid: boolean;
  reason: Reason;
  message: string;
  issuer?: string;
  issuerName?: string;
  kid?: string;
  trustList?: string;
  certificate?: { name: string; nameEn?: string; type: string; identifier?: string; vct?: string };
  disclosed: Record<string, unknown>;
  /** Labels of the disclosed fields ([zh, en]) when the certificate type is known here. */
  labels: Record<string, [string, string]>;
  warnings: string[];
  verifiedAt: string;
}

export function holderJwkProblem(jwk: unknown): string | null {
  if (typeof jwk !== 'object' || jwk === null) return 'must be a JWK object';
  const k = jwk as Record<string, unknown>;
  if ('d' in k) return 'must be a public key: never send the private part';
  if (k.kty !== 'EC' || k.crv !== 'P-256') return 'must be an EC P-256 key';
  if (typeof k.x !== 'string' || typeof k.y !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(k.x) || !/^[A-Za-z0-9_-]{43}$/.test(k.y)) return 'x and y must be 32-byte base64url coordinates';
  return null;
}
