// `dq code verify`: the offline verifier on the command line. Reads a trust file (a trust list, or EU
// DCC signer certificates) and a payload, and prints the Decision with the step that failed.
import fs from 'node:fs';
import { verifyCityCode } from '../city-code';
import { b64uDecode, utf8 } from '../bytes';
import { detectScheme } from '../detect';
import { verifyHc1, type Hc1Signer } from '../hc1';
import { kidOf } from '../keys';
import { TrustStore, trustListProblem, verifyTrustList } from '../trust';
import type { Decision, Reason, TrustList, TrustSource } from '../types';
import { SignerCertificateError, parseSignerCertificates } from './signer-certs';

/** Bad usage (exit 2): the caller maps it to the CLI's usage error. */
export class VerifyUsageError extends Error {}
/** The trust file was readable but refused (exit 1). */
export class TrustFileError extends Error {}

/** Which verification step a reason belongs to (the issue's list: prefix, base45, zlib, COSE
 *  structure, signature, expiry, key usage; plus claims, trust and replay). */
export function stepOf(reason: Reason): string | null {
  const steps: Partial<Record<Reason, string>> = {
    'bad-prefix': 'prefix',
    'bad-base45': 'base45',
    'bad-zlib': 'zlib',
    'bad-cbor': 'cose',
    'bad-cose': 'cose',
    'bad-claims': 'claims',
    'bad-jws': 'trust',
    'unknown-key': 'trust',
    'untrusted-issuer': 'trust',
    'untrusted-partner': 'trust',
    'stale-trust-list': 'trust',
    'key-expired': 'trust',
    'wrong-issuer': 'issuer',
    'bad-signature': 'signature',
    expired: 'expiry',
    'not-yet-valid': 'expiry',
    'key-usage': 'key-usage',
    replayed: 'replay',
  };
  return reason === 'ok' ? null : (steps[reason] ?? reason);
}

type Trust = { kind: 'list'; sources: TrustSource[]; warnings: string[] } | { kind: 'signers'; signers: Hc1Signer[] };

const JWS_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

async function readJwk(file: string): Promise<JsonWebKey[]> {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new VerifyUsageError(`--pin ${file}: not a readable JSON file (${(err as Error).message})`);
  }
  // A JWK, { jwk } as /api/trust/list-key answers, or a JWKS { keys: [...] }.
  const o = v as { kty?: string; jwk?: JsonWebKey; keys?: JsonWebKey[] };
  const jwks = o?.kty ? [o as JsonWebKey] : o?.jwk ? [o.jwk] : Array.isArray(o?.keys) ? o.keys : [];
  if (!jwks.length) throw new VerifyUsageError(`--pin ${file}: expected a JWK, {"jwk": …} or a JWKS`);
  return jwks;
}

/** A list taken as trusted because the operator named the file (no pin): shape and kids still checked. */
async function localList(list: unknown, file: string): Promise<TrustList> {
  const problem = trustListProblem(list);
  if (problem) throw new TrustFileError(`--trust ${file}: not a valid trust list: ${problem}`);
  for (const k of (list as TrustList).keys) {
    if ((await kidOf(k.jwk).catch(() => null)) !== k.kid) throw new TrustFileError(`--trust ${file}: key ${k.kid} does not match its jwk`);
  }
  return list as TrustList;
}

async function listFromJws(jws: string, file: string, pins: JsonWebKey[] | null): Promise<{ list: TrustList; signerKid: string; verified: boolean }> {
  if (pins) {
    const v = await verifyTrustList(jws, pins);
    if (!v.ok) throw new TrustFileError(`--trust ${file}: trust list refused (${v.reason}): ${v.message}`);
    return { list: v.list, signerKid: v.signerKid, verified: true };
  }
  const [h, body] = jws.split('.');
  let header: { kid?: string };
  let list: unknown;
  try {
    header = JSON.parse(utf8.decode(b64uDecode(h)));
    list = JSON.parse(utf8.decode(b64uDecode(body)));
  } catch {
    throw new TrustFileError(`--trust ${file}: the JWS is not base64url JSON`);
  }
  return { list: await localList(list, file), signerKid: String(header.kid ?? ''), verified: false };
}

/** Read --trust: a JWS trust list, `{ jws, list }` (GET /api/trust/list), a JSON TrustList, an array of
 *  TrustSource (GET /api/trust/sources), PEM certificates, or base64 DER certificates. */
export async function readTrustFile(file: string, opts: { pin?: string; own?: boolean }): Promise<Trust> {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new VerifyUsageError(`--trust ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const text = raw.trim();
  if (text.includes('-----BEGIN CERTIFICATE-----')) return { kind: 'signers', signers: await certs(text, file) };
  const pins = opts.pin ? await readJwk(opts.pin) : null;
  const warnings: string[] = [];
  const source = async (jwsOrList: string | unknown, extra: Partial<TrustSource> = {}): Promise<TrustSource> => {
    let list: TrustList;
    let signerKid = '';
    if (typeof jwsOrList === 'string') {
      const r = await listFromJws(jwsOrList, file, pins);
      list = r.list;
      signerKid = r.signerKid;
      if (!r.verified) warnings.push(`trust list ${list.platform.id}#${list.seq} taken from ${file} as trusted locally: its signature was not checked (give --pin to check it)`);
    } else {
      list = await localList(jwsOrList, file);
      warnings.push(`trust list ${list.platform.id}#${list.seq} taken from ${file} as trusted locally (unsigned JSON)`);
    }
    return { list, listId: `${list.platform.id}#${list.seq}`, signerKid, own: !!opts.own, ...extra };
  };
  if (JWS_RE.test(text)) return { kind: 'list', sources: [await source(text)], warnings };
  if (text.startsWith('{') || text.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new TrustFileError(`--trust ${file}: not valid JSON (${(err as Error).message})`);
    }
    const items = Array.isArray(v) ? v : Array.isArray((v as { items?: unknown[] }).items) ? (v as { items: unknown[] }).items : Array.isArray((v as { sources?: unknown[] }).sources) ? (v as { sources: unknown[] }).sources : [v];
    const sources: TrustSource[] = [];
    for (const it of items) {
      const o = it as { jws?: unknown; list?: unknown; own?: boolean; untrusted?: { reason: string }; version?: unknown };
      const extra: Partial<TrustSource> = {
        ...(typeof o.own === 'boolean' ? { own: o.own || !!opts.own } : {}),
        ...(o.untrusted ? { untrusted: o.untrusted } : {}),
      };
      if (typeof o.jws === 'string') sources.push(await source(o.jws, extra));
      else if (o.list) sources.push(await source(o.list, extra));
      else if (o.version !== undefined) sources.push(await source(o));
      else throw new TrustFileError(`--trust ${file}: expected a trust list, {"jws": …}, or a list of trust sources`);
    }
    if (!sources.length) throw new TrustFileError(`--trust ${file}: no trust list in the file`);
    return { kind: 'list', sources, warnings };
  }
  return { kind: 'signers', signers: await certs(text, file) };
}

async function certs(text: string, file: string): Promise<Hc1Signer[]> {
  try {
    return await parseSignerCertificates(text);
  } catch (err) {
    if (err instanceof SignerCertificateError) throw new TrustFileError(`--trust ${file}: ${err.message} (expected a trust list, or a PEM or base64 DER signer certificate)`);
    throw err;
  }
}

export interface VerifyCommandOptions {
  scheme: 'auto' | 'city' | 'hc1';
  trust: string;
  at?: string;
  pin?: string;
  own?: boolean;
  skew?: string;
  grace?: string;
}

export type VerifyOutput = Decision<unknown> & { step: string | null; at: string };

export async function runVerify(payloadArg: string, o: VerifyCommandOptions, readStdin: () => Promise<string>): Promise<VerifyOutput> {
  if (!['auto', 'city', 'hc1'].includes(o.scheme)) throw new VerifyUsageError('--scheme must be auto, city or hc1');
  const at = o.at ? new Date(o.at) : new Date();
  if (Number.isNaN(at.getTime()) || (o.at && !/^\d{4}-\d{2}-\d{2}T/.test(o.at))) throw new VerifyUsageError(`--at ${o.at}: expected an ISO time such as 2026-11-27T08:00:00Z`);
  const num = (v: string | undefined, name: string, def: number) => {
    if (v === undefined) return def;
    if (!/^\d+$/.test(v)) throw new VerifyUsageError(`${name} must be a whole number of seconds`);
    return Number(v);
  };
  const skewSeconds = num(o.skew, '--skew', 300);
  const graceSeconds = num(o.grace, '--grace', 86_400);
  let payload = payloadArg === '-' ? await readStdin() : payloadArg;
  payload = payload.replace(/^[\s]+/, '').replace(/[\r\n\t]+$/, '');
  if (!payload) throw new VerifyUsageError('no payload given (pass it as the argument, or - to read it from stdin)');
  const trust = await readTrustFile(o.trust, { pin: o.pin, own: o.own });
  const scheme = o.scheme === 'auto' ? (detectScheme(payload) ?? (trust.kind === 'signers' ? 'hc1' : 'city')) : o.scheme;
  let d: Decision<unknown>;
  if (scheme === 'sd-jwt-vc') {
    d = { valid: false, scheme: 'sd-jwt-vc', reason: 'bad-prefix', message: 'SD-JWT VC presentations are verified by the certificate verifier (POST /api/cert/verifier/verify), not by this command', warnings: [] };
  } else if (scheme === 'city') {
    if (trust.kind !== 'list') throw new VerifyUsageError('a city code needs --trust with a trust list, not a certificate');
    d = await verifyCityCode(payload, { trust: new TrustStore(trust.sources, { at, graceSeconds }), at, skewSeconds });
    d.warnings.unshift(...trust.warnings);
  } else {
    if (trust.kind !== 'signers') throw new VerifyUsageError('an HC1 payload needs --trust with a PEM or base64 DER signer certificate, not a trust list');
    d = await verifyHc1(payload, { signers: trust.signers, at, skewSeconds });
  }
  return { ...d, step: stepOf(d.reason), at: at.toISOString() };
}

export function formatDecision(d: VerifyOutput): string {
  const lines = [
    `${d.valid ? 'VALID' : 'INVALID'} ${d.scheme} — ${d.reason}${d.step ? ` (failed step: ${d.step})` : ''}`,
    `message: ${d.message}`,
    ...(d.issuer ? [`issuer: ${d.issuer}`] : []),
    ...(d.kid ? [`kid: ${d.kid}`] : []),
    ...(d.trustList ? [`trust list: ${d.trustList}`] : []),
    `verified at: ${d.at}`,
    ...d.warnings.map((w) => `warning: ${w}`),
    ...(d.claims ? [`claims: ${JSON.stringify(d.claims, null, 2)}`] : []),
  ];
  return lines.join('\n');
}
