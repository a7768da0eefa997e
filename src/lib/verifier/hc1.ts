// EU Digital COVID Certificate (`HC1:`) adapter, from the EU eHealth Network specifications (Electronic
// Health Certificates, v1.x): prefix → Base45 → zlib → COSE_Sign1 → CWT (hcert claim -260) →
// signature against the signer certificates (the trust anchors) → validity → extended key usage.
// It answers with the same Decision (and reason codes) as the city code.
import { base45Decode } from './base45';
import { b64uEncode, buf } from './bytes';
import { CborSimple, CborTag, cborDecode } from './cbor';
import { COSE, coseKid, coseSign1Decode, sigStructure } from './cose';
import { DEFAULT_SKEW_SECONDS } from './city-code';
import { checkDccSchema, describeValue, type DccType } from './dcc-schema';
import { DecodeError } from './errors';
import { importEs256PublicKey, isCryptoKey, requireSubtle, verifyEs256 } from './keys';
import type { Decision, Reason } from './types';
import { zlibInflate } from './zlib';

export const HC1_PREFIX = 'HC1:';
/** CWT claim holding the health certificate container, and its key for the EU DCC v1 payload. */
export const HCERT_CLAIM = -260;
export const EU_DCC_V1 = 1;
/** Extended key usage OIDs restricting a DSC to certificate types (eHN DCC technical specification,
 *  DSC profile). A DSC listing none of them (or no EKU at all) may sign every type. */
export const DCC_EKU = {
  test: '1.3.6.1.4.1.1847.2021.1.1',
  vaccination: '1.3.6.1.4.1.1847.2021.1.2',
  recovery: '1.3.6.1.4.1.1847.2021.1.3',
} as const satisfies Record<DccType, string>;
/** The alternative arc for the same three usages (same meanings). */
export const DCC_EKU_ALT = {
  test: '1.3.6.1.4.1.0.1847.2021.1.1',
  vaccination: '1.3.6.1.4.1.0.1847.2021.1.2',
  recovery: '1.3.6.1.4.1.0.1847.2021.1.3',
} as const satisfies Record<DccType, string>;
const EKU_TYPE = new Map<string, DccType>(
  [DCC_EKU, DCC_EKU_ALT].flatMap((arc) => (Object.entries(arc) as [DccType, string][]).map(([type, oid]) => [oid, type] as const)),
);

/** The certificate types a DSC with these extended key usages may sign: the union of the DCC usages
 *  it lists (either arc), or every type when it lists none (other EKUs such as serverAuth don't count). */
export function dccTypesAllowed(keyUsage: readonly string[] | undefined): DccType[] {
  const listed = new Set((keyUsage ?? []).map((o) => EKU_TYPE.get(o)).filter((t): t is DccType => !!t));
  return (['vaccination', 'test', 'recovery'] as const).filter((t) => !listed.size || listed.has(t));
}
/** A DCC is a few kilobytes; anything inflating far beyond is refused. */
export const MAX_HC1_INFLATED = 64 * 1024;

export type { DccType };

export interface Hc1Signer {
  /** base64url of the first 8 bytes of SHA-256 over the signer certificate's DER. */
  kid: string;
  /** EC P-256 (ES256) or RSA (PS256) public key. */
  publicKey: CryptoKey | JsonWebKey;
  certDer?: Uint8Array;
  /** Extended key usage OIDs of the certificate (restrict the DCC types it may sign: dccTypesAllowed). */
  keyUsage?: string[];
  /** Certificate validity: a DCC issued outside it is refused (`key-expired`). ISO times. */
  notBefore?: string;
  notAfter?: string;
  /** Shown as the issuer when the CWT carries no `iss` (e.g. the certificate's subject). */
  subject?: string;
}

export interface Hc1Claims {
  iss?: string;
  iat: number;
  exp: number;
  type: DccType;
  /** The EU DCC payload (JSON schema of the eHN), as plain JSON. */
  dcc: Record<string, unknown>;
  [k: string]: unknown;
}

/** CBOR data as plain JSON: maps to objects, byte strings to base64url, tags to their content.
 *  `raw` keeps byte strings, simple values and bigints as they are (for the schema check, which must
 *  tell a byte string from text). */
function toJson(v: unknown, raw = false): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJson(x, raw)]));
  if (Array.isArray(v)) return v.map((x) => toJson(x, raw));
  if (v instanceof CborTag) return toJson(v.value, raw);
  if (raw) return v;
  if (v instanceof Uint8Array) return b64uEncode(v);
  if (v instanceof CborSimple) return v.value;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** A CWT NumericDate (RFC 8392): an integer or a float (half, single, double), bare or inside tag 1
 *  (epoch date); truncated toward zero to whole seconds. Anything else is refused, naming the claim. */
function numericDate(v: unknown, claim: string): number {
  const n = v instanceof CborTag && v.tag === 1 ? v.value : v;
  const x = typeof n === 'bigint' ? Number(n) : n;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    const what = v instanceof CborTag && v.tag === 1 ? `tag 1 around ${describeValue(n)}` : describeValue(v);
    throw new DecodeError('bad-claims', `hc1 claims: ${claim} must be a number of seconds since the epoch, not ${what}`);
  }
  return Math.trunc(x) || 0;
}

/** An ISO time for messages; seconds beyond what a Date holds are shown as they are. */
function isoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds} s after the epoch` : d.toISOString();
}

function decodeHc1Claims(payload: Uint8Array): Hc1Claims {
  const m = cborDecode(payload);
  const bad = (msg: string): never => {
    throw new DecodeError('bad-claims', `hc1 claims: ${msg}`);
  };
  if (!(m instanceof Map)) return bad('the CWT is not a map');
  const iss = m.get(1);
  if (iss !== undefined && typeof iss !== 'string') bad('iss (1) must be text');
  const exp = numericDate(m.get(4), 'exp (4)');
  const iat = numericDate(m.get(6), 'iat (6)');
  const hcert = m.get(HCERT_CLAIM);
  if (!(hcert instanceof Map)) return bad(`claim ${HCERT_CLAIM} (hcert) is missing`);
  const dcc = hcert.get(EU_DCC_V1);
  if (!(dcc instanceof Map)) return bad('hcert has no EU DCC v1 payload (key 1)');
  const schema = checkDccSchema(toJson(dcc, true));
  if (!schema.ok) return bad(`DCC payload ${schema.pointer || '(root)'}: ${schema.message}`);
  return { ...(iss === undefined ? {} : { iss: iss as string }), iat, exp, type: schema.type, dcc: toJson(dcc) as Record<string, unknown> };
}

async function verifyWith(signer: Hc1Signer, alg: number, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    if (alg === COSE.ES256) {
      const key = isCryptoKey(signer.publicKey) ? signer.publicKey : await importEs256PublicKey(signer.publicKey);
      if (key.algorithm.name !== 'ECDSA') return false;
      return await verifyEs256(key, signature, data);
    }
    // PS256: RSASSA-PSS, SHA-256, salt length 32 (the hash length).
    let key: CryptoKey;
    if (isCryptoKey(signer.publicKey)) {
      if (signer.publicKey.algorithm.name !== 'RSA-PSS') return false;
      key = signer.publicKey;
    } else {
      const { kty, n, e } = signer.publicKey;
      if (kty !== 'RSA') return false;
      key = await crypto.subtle.importKey('jwk', { kty, n, e, ext: true }, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
    }
    return await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, key, buf(signature), buf(data));
  } catch {
    return false;
  }
}

export interface VerifyHc1Options {
  signers: Hc1Signer[];
  at: Date;
  skewSeconds?: number;
}

export async function verifyHc1(payload: string, opts: VerifyHc1Options): Promise<Decision<Hc1Claims>> {
  const warnings: string[] = [];
  const refuse = (reason: Reason, message: string, extra: Partial<Decision<Hc1Claims>> = {}): Decision<Hc1Claims> => ({
    valid: false,
    scheme: 'hc1',
    reason,
    message,
    warnings,
    ...extra,
  });
  // A clock that is not a date would let every time check pass.
  if (!(opts.at instanceof Date) || Number.isNaN(opts.at.getTime())) throw new TypeError('verification time (at) must be a valid Date');
  requireSubtle();
  if (typeof payload !== 'string' || !payload.startsWith(HC1_PREFIX)) return refuse('bad-prefix', `the payload does not start with ${HC1_PREFIX}`);
  let cose: ReturnType<typeof coseSign1Decode>;
  let claims: Hc1Claims;
  let kid: string;
  let alg: number;
  try {
    const compressed = base45Decode(payload.slice(HC1_PREFIX.length));
    const bytes = await zlibInflate(compressed, MAX_HC1_INFLATED);
    // The DCC allows the kid in either header; when both carry it, the protected one counts.
    cose = coseSign1Decode(bytes, { sameLabelInBoth: 'protected-wins' });
    const a = cose.protectedHeader.get(COSE.alg);
    if (a !== COSE.ES256 && a !== COSE.PS256) throw new DecodeError('bad-cose', `cose: alg ${String(a)} is not ES256 (-7) or PS256 (-37), or is not in the protected header`);
    alg = a;
    const k = coseKid(cose);
    if (!k) throw new DecodeError('bad-cose', 'cose: no kid in the protected or unprotected header');
    kid = b64uEncode(k);
    claims = decodeHc1Claims(cose.payload);
  } catch (err) {
    if (err instanceof DecodeError) return refuse(err.step, err.message);
    throw err;
  }
  const candidates = opts.signers.filter((s) => s.kid === kid);
  if (!candidates.length) return refuse('unknown-key', `no signer certificate has kid ${kid}`, { kid, issuer: claims.iss });
  const tbs = sigStructure(cose.protectedBytes, cose.payload);
  let signer: Hc1Signer | undefined;
  for (const c of candidates) {
    if (await verifyWith(c, alg, cose.signature, tbs)) {
      signer = c;
      break;
    }
  }
  const where = { kid, issuer: claims.iss ?? candidates[0].subject };
  if (!signer) return refuse('bad-signature', `the signature does not verify with the signer certificate ${kid}`, where);
  const issuedAt = claims.iat * 1000;
  if ((signer.notBefore && issuedAt < Date.parse(signer.notBefore)) || (signer.notAfter && issuedAt > Date.parse(signer.notAfter))) {
    return refuse('key-expired', `the signer certificate is valid ${signer.notBefore ?? '…'} to ${signer.notAfter ?? '…'}; the DCC was issued at ${isoTime(claims.iat)}`, { ...where, claims });
  }
  const now = opts.at.getTime() / 1000;
  const skew = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (now > claims.exp + skew) return refuse('expired', `the DCC expired at ${isoTime(claims.exp)}`, { ...where, claims });
  if (claims.iat > now + skew) return refuse('not-yet-valid', `the DCC was issued at ${isoTime(claims.iat)}, in the future`, { ...where, claims });
  const allowed = dccTypesAllowed(signer.keyUsage);
  if (!allowed.includes(claims.type)) {
    return refuse('key-usage', `a ${claims.type} certificate, but its signer certificate (DSC) may sign only ${allowed.join(', ')} certificates (extended key usage)`, { ...where, claims });
  }
  return { valid: true, scheme: 'hc1', reason: 'ok', message: `valid EU DCC (${claims.type})`, ...where, claims, warnings };
}
