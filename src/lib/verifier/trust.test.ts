import { describe, expect, it } from 'vitest';
import { TRUST_LIST_TYP, TrustStore, b64uDecode, b64uEncode, signTrustList, trustListState, verifyTrustList } from './index';
import { listKey, makeKey, makeList, makeSource } from './testing';

describe('trust lists', () => {
  it('sign and verify against the pinned key only', async () => {
    const listSigner = await makeKey();
    const other = await makeKey();
    const issuer = await makeKey();
    const list = makeList('CN-370200', [listKey(issuer, 'CN-370200:GAJ', ['city-code', 'certificate'])]);
    const jws = await signTrustList(list, listSigner.signer);
    const header = JSON.parse(new TextDecoder().decode(b64uDecode(jws.split('.')[0])));
    expect(header).toEqual({ alg: 'ES256', typ: TRUST_LIST_TYP, kid: listSigner.kid });

    const ok = await verifyTrustList(jws, listSigner.jwk);
    expect(ok).toEqual({ ok: true, list, signerKid: listSigner.kid });
    expect((await verifyTrustList(jws, [other.jwk, listSigner.jwk])).ok).toBe(true);
    // Not pinned: refused even though the list is well signed by its own key.
    expect(await verifyTrustList(jws, other.jwk)).toMatchObject({ ok: false, reason: 'untrusted-partner' });
    // The same kid in the header but signed by another key.
    const forged = await signTrustList(list, { kid: listSigner.kid, sign: other.signer.sign });
    expect(await verifyTrustList(forged, listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-signature' });
    // A changed body.
    const [h, , s] = jws.split('.');
    const changed = b64uEncode(new TextEncoder().encode(JSON.stringify({ ...list, seq: 99 })));
    expect(await verifyTrustList(`${h}.${changed}.${s}`, listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(await verifyTrustList('a.b', listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-jws' });
    expect(await verifyTrustList('!!.b.c', listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-jws' });
  });

  it('refuses a wrong version, a kid that is not its key, and another platform\'s issuer', async () => {
    const listSigner = await makeKey();
    const k = await makeKey();
    const k2 = await makeKey();
    const v2 = { ...makeList('CN-370200', []), version: 2 as unknown as 1 };
    await expect(signTrustList(v2, listSigner.signer)).rejects.toThrow(/version/);
    const sign = async (body: unknown) => {
      const enc = (o: unknown) => b64uEncode(new TextEncoder().encode(JSON.stringify(o)));
      const input = `${enc({ alg: 'ES256', typ: TRUST_LIST_TYP, kid: listSigner.kid })}.${enc(body)}`;
      return `${input}.${b64uEncode(await listSigner.signer.sign(new TextEncoder().encode(input)))}`;
    };
    expect(await verifyTrustList(await sign(v2), listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-claims' });
    const mismatched = makeList('CN-370200', [{ ...listKey(k, 'CN-370200:GAJ'), jwk: k2.jwk }]);
    expect(await verifyTrustList(await sign(mismatched), listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-claims' });
    const foreign = makeList('CN-370600', [listKey(k, 'CN-370200:GAJ')]);
    expect(await verifyTrustList(await sign(foreign), listSigner.jwk)).toMatchObject({ ok: false, reason: 'bad-claims', message: expect.stringMatching(/not an issuer of platform/) });
  });

  it('states freshness: fresh until nextUpdate, warn inside the grace period, stale after', () => {
    const list = makeList('CN-370600', [], { nextUpdate: '2026-11-27T08:00:00Z' });
    expect(trustListState(list, new Date('2026-11-27T08:00:00Z'), 60)).toBe('fresh');
    expect(trustListState(list, new Date('2026-11-27T08:00:30Z'), 60)).toBe('warn');
    expect(trustListState(list, new Date('2026-11-27T08:01:01Z'), 60)).toBe('stale');
    expect(trustListState(list, new Date('2026-11-28T07:59:00Z'))).toBe('warn'); // default grace 86400 s
  });

  it('resolves keys: own before partners, usage and validity window', async () => {
    const listSigner = await makeKey();
    const k = await makeKey();
    const own = await makeSource(makeList('CN-370200', [listKey(k, 'CN-370200:GAJ', ['certificate'], { notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-06-01T00:00:00Z' })]), listSigner, { own: true });
    const store = new TrustStore([own], { at: new Date('2026-03-01T00:00:00Z') });
    const r = store.resolve(k.kid, 'certificate', new Date('2026-03-01T00:00:00Z'));
    expect(r).toMatchObject({ ok: true, source: { listId: 'CN-370200#1' }, warnings: [] });
    expect(store.resolve(k.kid, 'city-code', new Date('2026-03-01T00:00:00Z'))).toMatchObject({ ok: false, reason: 'key-usage' });
    expect(store.resolve(k.kid, 'certificate', new Date('2026-07-01T00:00:00Z'))).toMatchObject({ ok: false, reason: 'key-expired' });
    expect(store.resolve(k.kid, 'certificate', new Date('2025-07-01T00:00:00Z'))).toMatchObject({ ok: false, reason: 'key-expired' });
    expect(store.resolve('AAAAAAAAAAA', 'certificate', new Date())).toMatchObject({ ok: false, reason: 'unknown-key' });
    // A trusted copy wins over an untrusted one holding the same kid.
    const partnerSigner = await makeKey();
    const partnerList = makeList('CN-370600', [listKey(k, 'CN-370600:GAJ', ['certificate'])]);
    const untrusted = await makeSource(partnerList, partnerSigner, { untrusted: { reason: 'pin mismatch' } });
    const store2 = new TrustStore([untrusted, own], { at: new Date('2026-03-01T00:00:00Z') });
    expect(store2.resolve(k.kid, 'certificate', new Date('2026-03-01T00:00:00Z'))).toMatchObject({ ok: true, source: { own: true } });
  });
});
