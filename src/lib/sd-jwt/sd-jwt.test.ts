// The SD-JWT library alone: issue → present → verify round trip, the disclosure digests of RFC 9901,
// and random or truncated input that must end in a refusal, never an exception.
import { describe, expect, it } from 'vitest';
import { cryptoKeySigner, issueSdJwt, makeDisclosure, parseDisclosure, parseSdJwt, presentSdJwt, verifySdJwtVc, type KeyResolution } from '.';

async function pair() {
  const kp = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', kp.publicKey);
  return { privateKey: kp.privateKey, jwk: { kty, crv, x, y } as JsonWebKey };
}

const now = Math.floor(Date.now() / 1000);

async function setup() {
  const issuer = await pair();
  const holder = await pair();
  const credential = await issueSdJwt({
    header: { kid: 'k1' },
    claims: { iss: 'CN-370200:GAJ', iat: now, vct: 'urn:dq:cert:test', cnf: { jwk: holder.jwk } },
    disclosable: { given_name: '张', age: 36, adult: true, address: null },
    sign: cryptoKeySigner(issuer.privateKey),
    decoys: 3,
  });
  const resolveKey = (kid: string): KeyResolution => (kid === 'k1' ? { ok: true, key: issuer.jwk, issuer: 'CN-370200:GAJ', trustList: 'CN-370200#1' } : { ok: false, reason: 'unknown-key', message: 'no such key' });
  return { issuer, holder, credential, resolveKey };
}

describe('sd-jwt', () => {
  it('computes a disclosure digest as base64url(SHA-256(ascii(disclosure)))', async () => {
    // RFC 9901 §5.2.1's example disclosure and its digest.
    const d = await makeDisclosure('family_name', 'Möbius', '_26bc4LT-ac6q2KI6cBW5es');
    expect(JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(d.raw.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))))).toEqual(['_26bc4LT-ac6q2KI6cBW5es', 'family_name', 'Möbius']);
    const parsed = await parseDisclosure('WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0');
    expect(parsed).toMatchObject({ salt: '_26bc4LT-ac6q2KI6cBW5es', name: 'family_name', value: 'Möbius', digest: 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0' });
  });

  it('round-trips: only the chosen claims come out, with the key binding checked', async () => {
    const { holder, credential, resolveKey } = await setup();
    const p = await parseSdJwt(credential);
    expect(p.disclosures).toHaveLength(4);
    expect((p.issuer.payload._sd as string[]).length).toBe(7);
    const shown = await presentSdJwt({ credential, disclose: ['age', 'adult'], aud: 'v', nonce: 'n', sign: cryptoKeySigner(holder.privateKey) });
    const r = await verifySdJwtVc(shown, { resolveKey, at: new Date(), nonce: 'n', aud: 'v' });
    expect(r).toMatchObject({ valid: true, reason: 'ok', disclosed: { age: 36, adult: true }, trustList: 'CN-370200#1' });
    expect(r.claims).not.toHaveProperty('_sd');
    expect((await verifySdJwtVc(shown, { resolveKey, at: new Date(), nonce: 'other', aud: 'v' })).reason).toBe('bad-nonce');
    // Dropping a disclosure after signing breaks sd_hash.
    const parts = shown.split('~');
    const dropped = [parts[0], parts[1], parts[parts.length - 1]].join('~');
    expect((await verifySdJwtVc(dropped, { resolveKey, at: new Date(), nonce: 'n', aud: 'v' })).reason).toBe('bad-holder-binding');
    // Issued too long ago for its key-binding JWT.
    const old = await presentSdJwt({ credential, disclose: ['age'], aud: 'v', nonce: 'n', iat: now - 3600, sign: cryptoKeySigner(holder.privateKey) });
    expect((await verifySdJwtVc(old, { resolveKey, at: new Date(), nonce: 'n', aud: 'v' })).reason).toBe('bad-holder-binding');
    // A duplicated disclosure is refused.
    const dup = [parts[0], parts[1], parts[1], ''].join('~');
    expect((await verifySdJwtVc(dup, { resolveKey, at: new Date(), nonce: 'n', aud: 'v' })).reason).toBe('bad-disclosure');
  });

  it('refuses random and truncated input with a reason, never by throwing', async () => {
    const { holder, credential, resolveKey } = await setup();
    const good = await presentSdJwt({ credential, disclose: ['age'], aud: 'v', nonce: 'n', sign: cryptoKeySigner(holder.privateKey) });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    const inputs: string[] = ['', '~', '~~~', '.', 'a.b.c~', good.slice(0, 10)];
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(Math.random() * good.length);
      inputs.push(good.slice(0, n));
      const chars = good.split('');
      chars[n] = alphabet[Math.floor(Math.random() * alphabet.length)];
      inputs.push(chars.join(''));
      inputs.push(Array.from({ length: 1 + (i % 80) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(''));
    }
    for (const text of inputs) {
      const r = await verifySdJwtVc(text, { resolveKey, at: new Date(), nonce: 'n', aud: 'v' });
      if (text !== good) expect(r.valid, text).toBe(false);
      expect(typeof r.reason).toBe('string');
    }
  });
});
