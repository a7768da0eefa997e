// Trust lists and the trust store. A trust list is a JWS compact (ES256, typ `dq-trust-list+jwt`) over
// a TrustList; a partner's list is accepted only when signed by the key this platform pinned for that
// partner. The trust store answers "may this kid sign this kind of token issued at this time?".
import { b64uDecode, b64uEncode, utf8 } from './bytes';
import { DecodeError } from './errors';
import { importEs256PublicKey, kidOf, publicEcJwk, requireSubtle, verifyEs256 } from './keys';
import type { KeyUse, Reason, TrustList, TrustListKey, TrustListState, TrustSource } from './types';

export const TRUST_LIST_TYP = 'dq-trust-list+jwt';
const KEY_USES: readonly KeyUse[] = ['city-code', 'certificate', 'status-list'];
export const DEFAULT_GRACE_SECONDS = 86_400;

export interface ListSigner {
  kid: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export async function signTrustList(list: TrustList, signer: ListSigner): Promise<string> {
  const problem = trustListProblem(list);
  if (problem) throw new TypeError(`trust list: ${problem}`);
  const header = b64uEncode(utf8.encode(JSON.stringify({ alg: 'ES256', typ: TRUST_LIST_TYP, kid: signer.kid })));
  const body = b64uEncode(utf8.encode(JSON.stringify(list)));
  const input = `${header}.${body}`;
  const sig = await signer.sign(utf8.encode(input));
  return `${input}.${b64uEncode(sig)}`;
}

type Verified = { ok: true; list: TrustList; signerKid: string } | { ok: false; reason: Reason; message: string };

function parseJsonPart(part: string, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(b64uDecode(part)));
  } catch {
    throw new DecodeError('bad-jws', `trust list: the ${what} is not base64url JSON`);
  }
}

/** Verify a trust list JWS against the pinned key(s) only: the header's kid must name a pinned key. */
export async function verifyTrustList(jws: string, pinned: JsonWebKey | JsonWebKey[]): Promise<Verified> {
  requireSubtle();
  try {
    if (typeof jws !== 'string') return { ok: false, reason: 'bad-jws', message: 'trust list: not a string' };
    const parts = jws.trim().split('.');
    if (parts.length !== 3) return { ok: false, reason: 'bad-jws', message: 'trust list: a JWS compact has three parts' };
    const header = parseJsonPart(parts[0], 'header') as Record<string, unknown> | null;
    if (!header || typeof header !== 'object' || Array.isArray(header)) return { ok: false, reason: 'bad-jws', message: 'trust list: header is not an object' };
    if (header.alg !== 'ES256') return { ok: false, reason: 'bad-jws', message: `trust list: alg ${String(header.alg)}, expected ES256` };
    if (header.typ !== TRUST_LIST_TYP) return { ok: false, reason: 'bad-jws', message: `trust list: typ ${String(header.typ)}, expected ${TRUST_LIST_TYP}` };
    if (typeof header.kid !== 'string') return { ok: false, reason: 'bad-jws', message: 'trust list: header has no kid' };
    if (Array.isArray(header.crit)) return { ok: false, reason: 'bad-jws', message: 'trust list: critical header parameters are not understood' };
    const pins = Array.isArray(pinned) ? pinned : [pinned];
    let pin: JsonWebKey | undefined;
    for (const p of pins) {
      if ((await kidOf(p).catch(() => '')) === header.kid) pin = p;
    }
    if (!pin) return { ok: false, reason: 'untrusted-partner', message: `trust list: signed by key ${header.kid}, which is not the pinned key` };
    const sig = b64uDecode(parts[2]);
    const key = await importEs256PublicKey(pin);
    if (!(await verifyEs256(key, sig, utf8.encode(`${parts[0]}.${parts[1]}`)))) {
      return { ok: false, reason: 'bad-signature', message: 'trust list: the signature does not verify with the pinned key' };
    }
    const list = parseJsonPart(parts[1], 'body');
    const problem = trustListProblem(list);
    if (problem) return { ok: false, reason: 'bad-claims', message: `trust list: ${problem}` };
    // A kid is derived from its key; a list naming a key under another key's kid is refused.
    for (const k of (list as TrustList).keys) {
      const derived = await kidOf(k.jwk).catch(() => null);
      if (derived !== k.kid) return { ok: false, reason: 'bad-claims', message: `trust list: key ${k.kid} does not match its jwk (kid ${derived ?? 'invalid key'})` };
    }
    return { ok: true, list: list as TrustList, signerKid: header.kid };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, reason: err.step, message: err.message };
    return { ok: false, reason: 'bad-jws', message: `trust list: ${err instanceof Error ? err.message : String(err)}` };
  }
}

const isDate = (s: unknown) => typeof s === 'string' && !Number.isNaN(Date.parse(s));
const isStr = (s: unknown) => typeof s === 'string' && s.length > 0;

/** What is wrong with a trust list's shape, or null when it is well formed. */
export function trustListProblem(list: unknown): string | null {
  if (!list || typeof list !== 'object' || Array.isArray(list)) return 'not an object';
  const l = list as Record<string, unknown>;
  if (l.version !== 1) return `version ${String(l.version)} is not supported (expected 1)`;
  const p = l.platform as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object' || !isStr(p.id) || !isStr(p.name) || typeof p.url !== 'string') return 'platform must have id, name and url';
  if (!Number.isSafeInteger(l.seq) || (l.seq as number) < 0) return 'seq must be a non-negative integer';
  if (!isDate(l.issuedAt) || !isDate(l.nextUpdate)) return 'issuedAt and nextUpdate must be dates';
  if (!Array.isArray(l.keys)) return 'keys must be an array';
  for (const [i, k] of (l.keys as unknown[]).entries()) {
    const key = k as Record<string, unknown>;
    if (!key || typeof key !== 'object') return `keys[${i}] is not an object`;
    if (!isStr(key.kid) || !isStr(key.issuer) || typeof key.issuerName !== 'string') return `keys[${i}] needs kid, issuer and issuerName`;
    if (!Array.isArray(key.uses) || !key.uses.every((u) => KEY_USES.includes(u as KeyUse))) return `keys[${i}].uses must list ${KEY_USES.join(', ')}`;
    const jwk = key.jwk as Record<string, unknown> | undefined;
    if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !isStr(jwk.x) || !isStr(jwk.y)) return `keys[${i}].jwk must be a P-256 public key`;
    if ('d' in jwk) return `keys[${i}].jwk contains a private key`;
    if (!isDate(key.notBefore) || !(key.notAfter === null || isDate(key.notAfter))) return `keys[${i}] notBefore/notAfter must be dates (notAfter may be null)`;
    // A platform vouches only for its own issuers: a partner cannot list keys for another platform's issuer.
    if (!(key.issuer as string).startsWith(`${p.id as string}:`)) return `keys[${i}].issuer ${String(key.issuer)} is not an issuer of platform ${String(p.id)}`;
  }
  return null;
}

/** fresh until nextUpdate, warn for graceSeconds after it, stale from then on. */
export function trustListState(list: TrustList, at: Date, graceSeconds: number = DEFAULT_GRACE_SECONDS): TrustListState {
  const next = Date.parse(list.nextUpdate);
  const t = at.getTime();
  if (t <= next) return 'fresh';
  if (t <= next + graceSeconds * 1000) return 'warn';
  return 'stale';
}

export type Resolved = { ok: true; key: TrustListKey; source: TrustSource; warnings: string[] } | { ok: false; reason: Reason; message: string };

/** Every trust list a verifier holds, consulted by kid. Own lists come first and are never stale. */
export class TrustStore {
  readonly at: Date;
  readonly graceSeconds: number;
  private readonly byKid = new Map<string, { key: TrustListKey; source: TrustSource }[]>();
  private readonly cryptoKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    readonly sources: TrustSource[],
    opts: { at: Date; graceSeconds?: number },
  ) {
    this.at = opts.at;
    this.graceSeconds = opts.graceSeconds ?? DEFAULT_GRACE_SECONDS;
    // Own lists first, then trusted partners, then untrusted ones: the first usable entry wins.
    const rank = (s: TrustSource) => (s.own ? 0 : s.untrusted ? 2 : 1);
    const ordered = [...sources].sort((a, b) => rank(a) - rank(b));
    for (const source of ordered) {
      for (const key of source.list.keys) {
        const list = this.byKid.get(key.kid) ?? [];
        list.push({ key, source });
        this.byKid.set(key.kid, list);
      }
    }
  }

  /** The state of a source's list now (own lists are always fresh). */
  stateOf(source: TrustSource): TrustListState {
    return source.own ? 'fresh' : trustListState(source.list, this.at, this.graceSeconds);
  }

  resolve(kid: string, use: KeyUse, issuedAt: Date): Resolved {
    const entries = this.byKid.get(kid);
    if (!entries?.length) return { ok: false, reason: 'unknown-key', message: `no trust list held names key ${kid}` };
    // Prefer an entry that is trusted and not stale; otherwise report the best entry's problem.
    const usable = entries.find((e) => !e.source.untrusted && this.stateOf(e.source) !== 'stale');
    const { key, source } = usable ?? entries[0];
    if (source.untrusted) {
      return { ok: false, reason: 'untrusted-partner', message: `key ${kid} is listed by ${source.listId}, which this platform no longer trusts: ${source.untrusted.reason}` };
    }
    const state = this.stateOf(source);
    if (state === 'stale') {
      return { ok: false, reason: 'stale-trust-list', message: `trust list ${source.listId} was due for update at ${source.list.nextUpdate} and is past its grace period` };
    }
    const warnings: string[] = [];
    if (state === 'warn') warnings.push(`trust list ${source.listId} was due for update at ${source.list.nextUpdate}; it stops being trusted after the grace period of ${this.graceSeconds} s`);
    if (!key.uses.includes(use)) return { ok: false, reason: 'key-usage', message: `key ${kid} may sign ${key.uses.join(', ') || 'nothing'}, not ${use}` };
    const t = issuedAt.getTime();
    if (Number.isNaN(t) || t < Date.parse(key.notBefore) || (key.notAfter !== null && t > Date.parse(key.notAfter))) {
      return { ok: false, reason: 'key-expired', message: `key ${kid} signs for ${key.notBefore} to ${key.notAfter ?? 'open end'}; the token was issued at ${Number.isNaN(t) ? 'an invalid time' : issuedAt.toISOString()}` };
    }
    return { ok: true, key, source, warnings };
  }

  /** The WebCrypto verification key of a trust-list key (imported once per store). */
  cryptoKey(key: TrustListKey): Promise<CryptoKey> {
    const id = `${key.kid}|${key.jwk.x}|${key.jwk.y}`;
    let k = this.cryptoKeys.get(id);
    if (!k) {
      k = importEs256PublicKey(publicEcJwk(key.jwk));
      this.cryptoKeys.set(id, k);
    }
    return k;
  }
}
