// SD-JWT (RFC 9901) with the SD-JWT VC profile: issuing with salted disclosures, presenting a chosen
// subset with a key-binding JWT, and verifying. Isomorphic: WebCrypto and TextEncoder only, so the
// server issues and verifies with it and the portal builds presentations with the same code.
import { b64uDecode, b64uEncode } from '../verifier/bytes';
import type { Reason } from '../verifier/types';

export const SD_JWT_VC_TYP = 'dc+sd-jwt';
export const KB_JWT_TYP = 'kb+jwt';

const enc = new TextEncoder();
const dec = new TextDecoder();

// base64url (RFC 4648 §5, unpadded) comes from the verifier library.
const b64u = b64uEncode;
const unb64u = b64uDecode;

const b64uJson = (v: unknown) => b64u(enc.encode(JSON.stringify(v)));
function jsonOfB64u(text: string): unknown {
  return JSON.parse(dec.decode(unb64u(text)));
}

async function sha256B64u(text: string): Promise<string> {
  return b64u(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(text))));
}

function randomSalt(): string {
  return b64u(crypto.getRandomValues(new Uint8Array(16)));
}

// ---- JWS (ES256 compact) --------------------------------------------------------------------------

/** Signs `data` with ECDSA P-256 / SHA-256, the signature as r‖s (64 bytes). */
export type Es256Sign = (data: Uint8Array) => Promise<Uint8Array>;

export async function signJws(header: Record<string, unknown>, payload: Record<string, unknown>, sign: Es256Sign): Promise<string> {
  const input = `${b64uJson({ ...header, alg: 'ES256' })}.${b64uJson(payload)}`;
  return `${input}.${b64u(await sign(enc.encode(input)))}`;
}

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Uint8Array;
}

export function decodeJws(jws: string): DecodedJws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new Error('a JWS has three parts');
  const header = jsonOfB64u(parts[0]);
  const payload = jsonOfB64u(parts[1]);
  if (!isObject(header) || !isObject(payload)) throw new Error('JWS header and payload must be JSON objects');
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: unb64u(parts[2]) };
}

export async function importEs256Public(jwk: JsonWebKey): Promise<CryptoKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new Error('not an EC P-256 public key');
  return crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
}

export async function verifyEs256(key: CryptoKey | JsonWebKey, jws: DecodedJws): Promise<boolean> {
  if (jws.header.alg !== 'ES256' || jws.signature.length !== 64) return false;
  const k = isCryptoKey(key) ? key : await importEs256Public(key);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, jws.signature as BufferSource, enc.encode(jws.signingInput) as BufferSource);
}

/** A signer over a WebCrypto private key (the holder's browser key, or a test key). */
export function cryptoKeySigner(privateKey: CryptoKey): Es256Sign {
  return async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data as BufferSource));
}

function isCryptoKey(k: unknown): k is CryptoKey {
  return typeof CryptoKey !== 'undefined' && k instanceof CryptoKey;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- disclosures ----------------------------------------------------------------------------------

export interface Disclosure {
  /** The base64url text as it travels (`~`-separated). */
  raw: string;
  /** base64url(SHA-256(raw)): what the issuer put in `_sd`. */
  digest: string;
  salt: string;
  name: string;
  value: unknown;
}

export async function makeDisclosure(name: string, value: unknown, salt = randomSalt()): Promise<Disclosure> {
  const raw = b64uJson([salt, name, value]);
  return { raw, digest: await sha256B64u(raw), salt, name, value };
}

export async function parseDisclosure(raw: string): Promise<Disclosure> {
  const arr = jsonOfB64u(raw);
  if (!Array.isArray(arr) || arr.length !== 3 || typeof arr[0] !== 'string' || typeof arr[1] !== 'string') throw new Error('an object-property disclosure is [salt, name, value]');
  return { raw, digest: await sha256B64u(raw), salt: arr[0], name: arr[1], value: arr[2] };
}

// ---- issuing --------------------------------------------------------------------------------------

export interface IssueInput {
  /** Goes into the protected header next to alg and typ (e.g. kid). */
  header: Record<string, unknown>;
  /** Claims always visible (iss, iat, vct, cnf, status…). Must not contain `_sd` or `_sd_alg`. */
  claims: Record<string, unknown>;
  /** Claims each in its own disclosure. */
  disclosable: Record<string, unknown>;
  sign: Es256Sign;
  /** Decoy digests hide how many claims there are (RFC 9901 §4.2.5). */
  decoys?: number;
}

/** The issued SD-JWT `<issuer JWT>~<disclosure>~…~` with every disclosure. */
export async function issueSdJwt(input: IssueInput): Promise<string> {
  const disclosures = await Promise.all(Object.entries(input.disclosable).map(([k, v]) => makeDisclosure(k, v)));
  const digests = disclosures.map((d) => d.digest);
  for (let i = 0; i < (input.decoys ?? 0); i++) digests.push(await sha256B64u(randomSalt()));
  digests.sort(); // sorted, so the order says nothing about the claims
  const payload = { ...input.claims, _sd: digests, _sd_alg: 'sha-256' };
  const jwt = await signJws({ typ: SD_JWT_VC_TYP, ...input.header }, payload, input.sign);
  return `${jwt}~${disclosures.map((d) => `${d.raw}~`).join('')}`;
}

// ---- parsing --------------------------------------------------------------------------------------

export interface ParsedSdJwt {
  jwt: string;
  issuer: DecodedJws;
  disclosures: Disclosure[];
  /** The key-binding JWT, when the text is a presentation. */
  kbJwt: string | null;
  /** `<issuer JWT>~<disclosures>~`: what `sd_hash` covers. */
  sdJwtPart: string;
}

export async function parseSdJwt(text: string): Promise<ParsedSdJwt> {
  const parts = text.trim().split('~');
  if (parts.length < 2) throw new Error('an SD-JWT is `<JWT>~[<disclosure>~]*[<KB-JWT>]`');
  const jwt = parts[0];
  const kb = parts[parts.length - 1];
  const disclosureTexts = parts.slice(1, -1);
  if (disclosureTexts.some((d) => d === '')) throw new Error('empty disclosure');
  const issuer = decodeJws(jwt);
  const disclosures = await Promise.all(disclosureTexts.map(parseDisclosure));
  return { jwt, issuer, disclosures, kbJwt: kb === '' ? null : kb, sdJwtPart: `${jwt}~${disclosureTexts.map((d) => `${d}~`).join('')}` };
}

/** The claims of an issued SD-JWT with every disclosure it carries applied (for the holder's own view). */
export async function disclosedClaims(text: string): Promise<{ claims: Record<string, unknown>; disclosed: Record<string, unknown> }> {
  const p = await parseSdJwt(text);
  const disclosed = Object.fromEntries(p.disclosures.map((d) => [d.name, d.value]));
  return { claims: p.issuer.payload, disclosed };
}

// ---- presenting -----------------------------------------------------------------------------------

export interface PresentInput {
  /** The issued SD-JWT (all disclosures). */
  credential: string;
  /** Claim names to disclose; the others are left out. */
  disclose: string[];
  aud: string;
  nonce: string;
  /** Seconds since the epoch (defaults to now). */
  iat?: number;
  /** The holder's key (the one in `cnf.jwk`). */
  sign: Es256Sign;
}

export async function presentSdJwt(input: PresentInput): Promise<string> {
  const p = await parseSdJwt(input.credential);
  const wanted = new Set(input.disclose);
  const chosen = p.disclosures.filter((d) => wanted.has(d.name));
  const sdJwtPart = `${p.jwt}~${chosen.map((d) => `${d.raw}~`).join('')}`;
  const kb = await signJws(
    { typ: KB_JWT_TYP },
    { iat: input.iat ?? Math.floor(Date.now() / 1000), aud: input.aud, nonce: input.nonce, sd_hash: await sha256B64u(sdJwtPart) },
    input.sign,
  );
  return sdJwtPart + kb;
}

// ---- verifying ------------------------------------------------------------------------------------

export type KeyResolution = { ok: true; key: JsonWebKey; issuer: string; trustList?: string; warnings?: string[] } | { ok: false; reason: Reason; message: string };

export interface VerifyOptions {
  /** Finds the issuer's key (a trust store lookup for use `certificate`) for the header's kid. */
  resolveKey: (kid: string, issuedAt: Date) => KeyResolution | Promise<KeyResolution>;
  at: Date;
  skewSeconds?: number;
  /** Holder binding: the verifier's nonce and audience. Required for presentations. */
  nonce: string;
  aud: string;
  /** How old a key-binding JWT may be (default 600 s). */
  maxKbAgeSeconds?: number;
}

export interface SdJwtVcResult {
  valid: boolean;
  reason: Reason;
  message: string;
  issuer?: string;
  kid?: string;
  trustList?: string;
  /** The always-visible claims (without `_sd`). */
  claims?: Record<string, unknown>;
  /** Only what the holder disclosed. */
  disclosed?: Record<string, unknown>;
  warnings: string[];
}

const fail = (reason: Reason, message: string, extra: Partial<SdJwtVcResult> = {}): SdJwtVcResult => ({ valid: false, reason, message, warnings: [], ...extra });

/**
 * Checks a presentation in this order: structure, typ, issuer key (trust), issuer signature, disclosures
 * against `_sd`, validity window, key binding (signature with `cnf.jwk`, `sd_hash`), then nonce and
 * audience. Status (revocation) is the caller's next step: it needs the status list.
 */
export async function verifySdJwtVc(text: string, opts: VerifyOptions): Promise<SdJwtVcResult> {
  let p: ParsedSdJwt;
  try {
    p = await parseSdJwt(text);
  } catch (e) {
    return fail('bad-jws', `not an SD-JWT: ${(e as Error).message}`);
  }
  const { header, payload } = p.issuer;
  if (header.typ !== SD_JWT_VC_TYP) return fail('bad-jws', `header typ must be ${SD_JWT_VC_TYP}`);
  if (header.alg !== 'ES256') return fail('bad-jws', 'only ES256 is accepted');
  if (typeof header.kid !== 'string') return fail('bad-jws', 'header kid is missing');
  if (typeof payload.iss !== 'string' || typeof payload.vct !== 'string' || typeof payload.iat !== 'number') return fail('bad-claims', 'iss, vct and iat are required');
  if (payload._sd_alg !== undefined && payload._sd_alg !== 'sha-256') return fail('bad-claims', 'only _sd_alg sha-256 is supported');
  const kid = header.kid;
  const resolved = await opts.resolveKey(kid, new Date(payload.iat * 1000));
  if (!resolved.ok) return fail(resolved.reason, resolved.message, { kid, issuer: payload.iss });
  const base = { kid, issuer: payload.iss, trustList: resolved.trustList, warnings: resolved.warnings ?? [] };
  if (resolved.issuer !== payload.iss) return { ...fail('wrong-issuer', `the key ${kid} belongs to ${resolved.issuer}, not ${payload.iss}`), ...base, valid: false };
  if (!(await verifyEs256(resolved.key, p.issuer))) return { ...base, valid: false, reason: 'bad-signature', message: 'the issuer signature does not verify' };

  // Disclosures: each digest must be one the issuer signed, each at most once, no name clashes.
  const sd = Array.isArray(payload._sd) ? (payload._sd as unknown[]) : [];
  const seen = new Set<string>();
  const disclosed: Record<string, unknown> = {};
  for (const d of p.disclosures) {
    if (!sd.includes(d.digest)) return { ...base, valid: false, reason: 'bad-disclosure', message: `disclosure of "${d.name}" is not one the issuer signed` };
    if (seen.has(d.digest)) return { ...base, valid: false, reason: 'bad-disclosure', message: `disclosure of "${d.name}" appears twice` };
    seen.add(d.digest);
    if (d.name === '_sd' || d.name === '...' || d.name in payload || d.name in disclosed) return { ...base, valid: false, reason: 'bad-disclosure', message: `disclosure name "${d.name}" clashes with another claim` };
    disclosed[d.name] = d.value;
  }

  const now = opts.at.getTime() / 1000;
  const skew = opts.skewSeconds ?? 300;
  if (typeof payload.nbf === 'number' && payload.nbf > now + skew) return { ...base, valid: false, reason: 'not-yet-valid', message: `valid from ${new Date(payload.nbf * 1000).toISOString()}` };
  if (typeof payload.exp === 'number' && payload.exp < now - skew) return { ...base, valid: false, reason: 'expired', message: `expired at ${new Date(payload.exp * 1000).toISOString()}` };

  // Holder binding.
  const cnf = payload.cnf as { jwk?: JsonWebKey } | undefined;
  if (!cnf?.jwk) return { ...base, valid: false, reason: 'bad-holder-binding', message: 'the credential names no holder key (cnf.jwk)' };
  if (!p.kbJwt) return { ...base, valid: false, reason: 'bad-holder-binding', message: 'the presentation carries no key-binding JWT' };
  let kb: DecodedJws;
  try {
    kb = decodeJws(p.kbJwt);
  } catch (e) {
    return { ...base, valid: false, reason: 'bad-holder-binding', message: `key-binding JWT unreadable: ${(e as Error).message}` };
  }
  if (kb.header.typ !== KB_JWT_TYP) return { ...base, valid: false, reason: 'bad-holder-binding', message: `key-binding JWT typ must be ${KB_JWT_TYP}` };
  let kbOk = false;
  try {
    kbOk = await verifyEs256(cnf.jwk, kb);
  } catch {
    kbOk = false;
  }
  if (!kbOk) return { ...base, valid: false, reason: 'bad-holder-binding', message: 'the key-binding JWT is not signed by the holder key' };
  if (kb.payload.sd_hash !== (await sha256B64u(p.sdJwtPart))) return { ...base, valid: false, reason: 'bad-holder-binding', message: 'sd_hash does not match the presented disclosures' };
  const kbIat = kb.payload.iat;
  if (typeof kbIat !== 'number' || kbIat > now + skew || kbIat < now - skew - (opts.maxKbAgeSeconds ?? 600)) return { ...base, valid: false, reason: 'bad-holder-binding', message: 'the key-binding JWT is too old or from the future' };
  if (kb.payload.nonce !== opts.nonce) return { ...base, valid: false, reason: 'bad-nonce', message: 'the nonce is not the one this request issued' };
  if (kb.payload.aud !== opts.aud) return { ...base, valid: false, reason: 'bad-nonce', message: `the audience is not ${opts.aud}` };

  const claims = Object.fromEntries(Object.entries(payload).filter(([k]) => k !== '_sd' && k !== '_sd_alg'));
  return { ...base, valid: true, reason: 'ok', message: 'the presentation is valid', claims, disclosed };
}
