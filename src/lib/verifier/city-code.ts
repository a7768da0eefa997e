// The city code (一码通城): `CC1:` + Base45(COSE_Sign1(CWT)). docs/specs/city-code.md is its standard;
// this file is the reference implementation of issuing and of the verification algorithm (§ Verification).
import { base45Decode, base45Encode } from './base45';
import { b64uDecode, b64uEncode, hexDecode, hexEncode } from './bytes';
import { cborDecode, cborEncode } from './cbor';
import { COSE, coseSign1Decode, coseSign1Encode, sigStructure } from './cose';
import { DecodeError } from './errors';
import { requireSubtle, verifyEs256 } from './keys';
import type { TrustStore } from './trust';
import type { Decision, Reason } from './types';

export const CITY_CODE_PREFIX = 'CC1:';
export const DEFAULT_SKEW_SECONDS = 300;

/** CWT claim keys (RFC 8392) and the private city-code claim (private-use range, below -65536). */
export const CWT = { iss: 1, sub: 2, exp: 4, iat: 6, cti: 7 } as const;
export const CITY_CLAIM = -70001;
/** Keys inside the city-code claim map. */
export const CITY = { type: 1, health: 2, cards: 3 } as const;

export type HealthColour = 'green' | 'yellow' | 'red';
export type CardKind = 'social-security' | 'medical-insurance' | 'bus';

export interface CityCodeClaims {
  iss: string;
  sub: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  /** One-time id, hex (1 to 32 bytes). */
  cti: string;
  type: 'person';
  health: HealthColour;
  cards: { kind: CardKind; ref: string }[];
}

// Small integers on the wire keep the QR code small; the spec's tables list them.
const TYPE_CODES: Record<CityCodeClaims['type'], number> = { person: 1 };
const HEALTH_CODES: Record<HealthColour, number> = { green: 1, yellow: 2, red: 3 };
const CARD_CODES: Record<CardKind, number> = { 'social-security': 1, 'medical-insurance': 2, bus: 3 };
const invert = <K extends string>(m: Record<K, number>) => new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
const TYPE_NAMES = invert(TYPE_CODES);
const HEALTH_NAMES = invert(HEALTH_CODES);
const CARD_NAMES = invert(CARD_CODES);

export const MAX_CARDS = 8;
export const MAX_TEXT = 64;

function claimsProblem(c: CityCodeClaims): string | null {
  const text = (s: unknown) => typeof s === 'string' && s.length > 0 && s.length <= MAX_TEXT;
  if (!text(c.iss)) return `iss must be 1 to ${MAX_TEXT} characters`;
  if (!text(c.sub)) return `sub must be 1 to ${MAX_TEXT} characters`;
  if (!Number.isSafeInteger(c.iat) || c.iat < 0) return 'iat must be a non-negative integer (seconds)';
  if (!Number.isSafeInteger(c.exp) || c.exp <= c.iat) return 'exp must be an integer after iat';
  if (typeof c.cti !== 'string' || !/^(?:[0-9a-f]{2}){1,32}$/.test(c.cti)) return 'cti must be 1 to 32 bytes of lowercase hex';
  if (!(c.type in TYPE_CODES)) return `type ${String(c.type)} is not known`;
  if (!(c.health in HEALTH_CODES)) return `health ${String(c.health)} is not known`;
  if (!Array.isArray(c.cards) || c.cards.length > MAX_CARDS) return `cards must be an array of at most ${MAX_CARDS}`;
  for (const card of c.cards) {
    if (!card || !(card.kind in CARD_CODES) || !text(card.ref)) return `cards: each needs a known kind and a ref of 1 to ${MAX_TEXT} characters`;
  }
  return null;
}

export function encodeCityClaims(c: CityCodeClaims): Uint8Array {
  const problem = claimsProblem(c);
  if (problem) throw new TypeError(`city code claims: ${problem}`);
  const city = new Map<number, unknown>([
    [CITY.type, TYPE_CODES[c.type]],
    [CITY.health, HEALTH_CODES[c.health]],
    [CITY.cards, c.cards.map((k) => [CARD_CODES[k.kind], k.ref])],
  ]);
  return cborEncode(
    new Map<number, unknown>([
      [CWT.iss, c.iss],
      [CWT.sub, c.sub],
      [CWT.exp, c.exp],
      [CWT.iat, c.iat],
      [CWT.cti, hexDecode(c.cti)],
      [CITY_CLAIM, city],
    ]),
  );
}

/** Decode and check the CWT claims (bad-cbor when not CBOR, bad-claims when not a city code). Unknown
 *  claims are ignored, so later versions may add claims without breaking version-1 verifiers. */
export function decodeCityClaims(payload: Uint8Array): CityCodeClaims {
  const m = cborDecode(payload);
  const bad = (msg: string): never => {
    throw new DecodeError('bad-claims', `city code claims: ${msg}`);
  };
  if (!(m instanceof Map)) return bad('the CWT is not a map');
  const city = m.get(CITY_CLAIM);
  if (!(city instanceof Map)) return bad(`claim ${CITY_CLAIM} (city code) is missing`);
  const cti = m.get(CWT.cti);
  if (!(cti instanceof Uint8Array) || cti.length < 1 || cti.length > 32) return bad('cti must be 1 to 32 bytes');
  const cards = city.get(CITY.cards);
  if (!Array.isArray(cards)) return bad('cards must be an array');
  const claims: CityCodeClaims = {
    iss: m.get(CWT.iss) as string,
    sub: m.get(CWT.sub) as string,
    iat: m.get(CWT.iat) as number,
    exp: m.get(CWT.exp) as number,
    cti: hexEncode(cti),
    type: TYPE_NAMES.get(city.get(CITY.type) as number) as 'person',
    health: HEALTH_NAMES.get(city.get(CITY.health) as number) as HealthColour,
    cards: cards.map((c) => {
      if (!Array.isArray(c) || c.length !== 2) return bad('each card is [kind, ref]');
      return { kind: CARD_NAMES.get(c[0] as number) as CardKind, ref: c[1] as string };
    }),
  };
  const problem = claimsProblem(claims);
  if (problem) bad(problem);
  return claims;
}

export interface CodeSigner {
  /** base64url kid of the signing key (8 bytes). */
  kid: string;
  /** ES256 over `data`, r‖s (64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export async function issueCityCode(claims: CityCodeClaims, signer: CodeSigner): Promise<string> {
  const kid = b64uDecode(signer.kid);
  const cose = await coseSign1Encode(
    {
      protectedHeader: new Map<number, unknown>([
        [COSE.alg, COSE.ES256],
        [COSE.kid, kid],
      ]),
      payload: encodeCityClaims(claims),
    },
    (tbs) => signer.sign(tbs),
  );
  return CITY_CODE_PREFIX + base45Encode(cose);
}

export interface VerifyCityCodeOptions {
  trust: TrustStore;
  at: Date;
  skewSeconds?: number;
  /** Records the one-time id; true when it was already used (the code is then a replay). */
  seen?: (cti: string, exp: number) => boolean | Promise<boolean>;
}

/** The verification algorithm of docs/specs/city-code.md § Verification, step by step. */
export async function verifyCityCode(payload: string, opts: VerifyCityCodeOptions): Promise<Decision<CityCodeClaims>> {
  const warnings: string[] = [];
  const refuse = (reason: Reason, message: string, extra: Partial<Decision<CityCodeClaims>> = {}): Decision<CityCodeClaims> => ({
    valid: false,
    scheme: 'city',
    reason,
    message,
    warnings,
    ...extra,
  });
  // A clock that is not a date would let every time check pass.
  if (!(opts.at instanceof Date) || Number.isNaN(opts.at.getTime())) throw new TypeError('verification time (at) must be a valid Date');
  requireSubtle();
  // 1. prefix
  if (typeof payload !== 'string' || !payload.startsWith(CITY_CODE_PREFIX)) return refuse('bad-prefix', `the code does not start with ${CITY_CODE_PREFIX}`);
  let claims: CityCodeClaims;
  let kid: string;
  let cose: ReturnType<typeof coseSign1Decode>;
  try {
    // 2. Base45, 3. COSE_Sign1, 4. claims
    const bytes = base45Decode(payload.slice(CITY_CODE_PREFIX.length));
    cose = coseSign1Decode(bytes);
    if (cose.protectedHeader.get(COSE.alg) !== COSE.ES256) throw new DecodeError('bad-cose', 'cose: the protected header must name alg ES256 (-7)');
    const kidBytes = cose.protectedHeader.get(COSE.kid);
    if (!(kidBytes instanceof Uint8Array) || kidBytes.length !== 8) {
      throw new DecodeError('bad-cose', 'cose: the protected header must carry an 8-byte kid');
    }
    kid = b64uEncode(kidBytes);
    claims = decodeCityClaims(cose.payload);
  } catch (err) {
    if (err instanceof DecodeError) return refuse(err.step, err.message);
    throw err;
  }
  // 5. the key: known, trusted, fresh list, may sign city codes, valid when the code was issued
  const resolved = opts.trust.resolve(kid, 'city-code', new Date(claims.iat * 1000));
  if (!resolved.ok) return refuse(resolved.reason, resolved.message, { kid, issuer: claims.iss });
  warnings.push(...resolved.warnings);
  const where = { kid, issuer: claims.iss, trustList: resolved.source.listId };
  // 6. the issuer the code names is the issuer the list names for the key
  if (resolved.key.issuer !== claims.iss) {
    return refuse('wrong-issuer', `the code names issuer ${claims.iss}, but key ${kid} belongs to ${resolved.key.issuer}`, where);
  }
  // 7. signature
  const key = await opts.trust.cryptoKey(resolved.key).catch(() => null);
  if (!key || !(await verifyEs256(key, cose.signature, sigStructure(cose.protectedBytes, cose.payload)))) {
    return refuse('bad-signature', `the signature does not verify with key ${kid}`, where);
  }
  // 8. time window, with clock skew both ways
  const now = opts.at.getTime() / 1000;
  const skew = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (now > claims.exp + skew) return refuse('expired', `the code expired at ${new Date(claims.exp * 1000).toISOString()}`, { ...where, claims });
  if (claims.iat > now + skew) return refuse('not-yet-valid', `the code was issued at ${new Date(claims.iat * 1000).toISOString()}, in the future`, { ...where, claims });
  // 9. one-time id
  if (opts.seen && (await opts.seen(claims.cti, claims.exp))) return refuse('replayed', `the code ${claims.cti} was already used`, { ...where, claims });
  return { valid: true, scheme: 'city', reason: 'ok', message: 'valid city code', ...where, claims, warnings };
}
