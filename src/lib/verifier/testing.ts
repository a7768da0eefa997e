// Test fixtures for the verifier's own tests and for other parts' tests: real P-256 keys, signed trust
// lists and trust sources. Not re-exported from index.ts (nothing in production needs it).
import { es256Signer, kidOf, publicEcJwk } from './keys';
import { signTrustList, verifyTrustList } from './trust';
import type { KeyUse, TrustList, TrustListKey, TrustSource } from './types';

export interface TestKey {
  kid: string;
  jwk: JsonWebKey;
  privateKey: CryptoKey;
  signer: { kid: string; sign(data: Uint8Array): Promise<Uint8Array> };
}

export async function makeKey(): Promise<TestKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = publicEcJwk(await crypto.subtle.exportKey('jwk', pair.publicKey));
  const kid = await kidOf(jwk);
  return { kid, jwk, privateKey: pair.privateKey, signer: es256Signer(kid, pair.privateKey) };
}

export function listKey(k: TestKey, issuer: string, uses: KeyUse[] = ['city-code'], window: { notBefore?: string; notAfter?: string | null } = {}): TrustListKey {
  return {
    kid: k.kid,
    issuer,
    issuerName: issuer,
    uses,
    jwk: k.jwk,
    notBefore: window.notBefore ?? '2020-01-01T00:00:00Z',
    notAfter: window.notAfter === undefined ? null : window.notAfter,
  };
}

export function makeList(platformId: string, keys: TrustListKey[], opts: { seq?: number; issuedAt?: string; nextUpdate?: string } = {}): TrustList {
  return {
    version: 1,
    platform: { id: platformId, name: platformId, url: `https://${platformId.toLowerCase()}.example/api/trust/list` },
    seq: opts.seq ?? 1,
    issuedAt: opts.issuedAt ?? '2026-01-01T00:00:00Z',
    nextUpdate: opts.nextUpdate ?? '2099-01-01T00:00:00Z',
    keys,
  };
}

/** Sign a list with `listKey`, verify it against that pin, and wrap it as a trust source. */
export async function makeSource(list: TrustList, listKey: TestKey, opts: { own?: boolean; untrusted?: { reason: string } } = {}): Promise<TrustSource & { jws: string }> {
  const jws = await signTrustList(list, listKey.signer);
  const v = await verifyTrustList(jws, listKey.jwk);
  if (!v.ok) throw new Error(`test trust list does not verify: ${v.message}`);
  return { list: v.list, listId: `${list.platform.id}#${list.seq}`, signerKid: v.signerKid, own: opts.own ?? false, ...(opts.untrusted ? { untrusted: opts.untrusted } : {}), jws };
}
