// Key helpers: the kid of a public key (the EU DCC rule: first 8 bytes of SHA-256 over the
// SubjectPublicKeyInfo DER, here in base64url) and importing public JWKs for ES256 verification.
import { b64uEncode, buf } from './bytes';

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Only the public members of an EC JWK (so a private JWK passed in never leaks into a list). */
export function publicEcJwk(jwk: JsonWebKey): JsonWebKey {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

export async function importEs256PublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...publicEcJwk(jwk), ext: true }, ES256, true, ['verify']);
}

export async function spkiOf(key: JsonWebKey | CryptoKey): Promise<Uint8Array> {
  const k = isCryptoKey(key) ? key : await importEs256PublicKey(key);
  return new Uint8Array(await crypto.subtle.exportKey('spki', k));
}

/** base64url of the first 8 bytes of SHA-256 over the key's SPKI DER. */
export async function kidOf(jwk: JsonWebKey): Promise<string> {
  return kidOfDer(await spkiOf(jwk));
}

/** base64url of the first 8 bytes of SHA-256 over DER bytes (an SPKI, or an EU DCC signer certificate). */
export async function kidOfDer(der: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', buf(der)));
  return b64uEncode(h.subarray(0, 8));
}

/** ES256 verification of a raw r‖s signature; a malformed signature is simply false. */
export async function verifyEs256(key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(signature), buf(data));
  } catch {
    return false;
  }
}

/** A signer from a WebCrypto private key (tests, the CLI, and any platform holding a key in memory). */
export function es256Signer(kid: string, privateKey: CryptoKey): { kid: string; sign(data: Uint8Array): Promise<Uint8Array> } {
  return {
    kid,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, buf(data))),
  };
}

export function isCryptoKey(k: unknown): k is CryptoKey {
  return typeof k === 'object' && k !== null && 'algorithm' in k && 'type' in k && 'usages' in k;
}

/** WebCrypto's subtle API exists only in secure contexts (HTTPS or localhost). Without it every
 *  signature would look bad; say what is wrong instead. */
export function requireSubtle(): void {
  if (!globalThis.crypto?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available: serve the page over HTTPS or from localhost');
}
