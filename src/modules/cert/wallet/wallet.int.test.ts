// The wallet over HTTP: claiming only one's own certificates, SD-JWT VC credentials bound to a holder
// key, presentations verified by the verifier API with each refusal reason, one-time handles, the
// holder's view of who verified what, an independent SD-JWT VC library accepting our presentations,
// and a wallet certificate used as a service-hall material.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoKeySigner, decodeJws, issueSdJwt, makeDisclosure, parseSdJwt, presentSdJwt, verifyEs256 } from '../../../lib/sd-jwt';
import { b64uDecode, b64uEncode } from '../../../lib/verifier/bytes';
import { systemActor } from '../../../platform/auth/actor';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { svcItems } from '../../svc/svc.schema';

let t: TestApp;
let zhang: Client;
let wang: Client;
let dsj: Client;
let zhangName = '';

interface Holder {
  privateKey: CryptoKey;
  jwk: JsonWebKey;
}

async function newHolderKey(): Promise<Holder> {
  const kp = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', kp.publicKey);
  return { privateKey: kp.privateKey, jwk: { kty, crv, x, y } };
}

/** Claims the holder's certificate of a type and gets its credential for `holder`'s key. */
async function credentialFor(c: Client, typeName: string, holder: Holder) {
  const list = (await c.get('/api/wallet/claimable')).json().items as { certificateId: string; typeName: string }[];
  const cert = list.find((x) => x.typeName === typeName);
  expect(cert, `${typeName} claimable`).toBeTruthy();
  const claim = await c.post('/api/wallet/claim', { certificateId: cert!.certificateId });
  expect([200, 201]).toContain(claim.statusCode);
  const r = await c.post(`/api/wallet/certificates/${claim.json().id}/credential`, { holderJwk: holder.jwk });
  expect(r.statusCode, r.body).toBe(200);
  return { holdingId: claim.json().id as string, certificateId: cert!.certificateId, credential: r.json().credential as string };
}

async function newRequest(fields: string[], purpose = '测试核验') {
  const r = await dsj.post('/api/cert/verifier/requests', { fields, purpose });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; nonce: string; requestCode: string; audience: string };
}

async function present(c: Client, credential: string, holder: Holder, code: string, disclose: string[], tweak: { nonce?: string; aud?: string } = {}) {
  const req = (await c.get(`/api/wallet/requests/${code}`)).json();
  return presentSdJwt({ credential, disclose, aud: tweak.aud ?? req.audience, nonce: tweak.nonce ?? req.nonce, sign: cryptoKeySigner(holder.privateKey) });
}

const verify = (body: Record<string, unknown>) => dsj.post('/api/cert/verifier/verify', body);

beforeAll(async () => {
  t = await testApp();
  zhang = await t.login('citizen_zhang');
  wang = await t.login('elder_wang');
  dsj = await t.login('dsj_officer');
  zhangName = (await t.app.services.auth.findByUsername('citizen_zhang'))!.displayName;
});
afterAll(() => t.close());

describe('claim', () => {
  it('lists only certificates whose holder code is my verified ID number, and claims idempotently', async () => {
    const mine = (await zhang.get('/api/wallet/claimable')).json().items as { certificateId: string; typeName: string; holderCodeMasked: string; status: string }[];
    expect(mine.map((c) => c.typeName)).toEqual(expect.arrayContaining(['居民身份证', '机动车驾驶证', '居住证']));
    expect(mine.every((c) => c.holderCodeMasked.includes('*'))).toBe(true);
    expect(mine.find((c) => c.typeName === '居住证')!.status).toBe('expired');
    const wangs = (await wang.get('/api/wallet/claimable')).json().items as { certificateId: string }[];
    expect(wangs.length).toBeGreaterThan(0);
    expect(wangs.some((w) => mine.some((m) => m.certificateId === w.certificateId))).toBe(false);
    // Another person's certificate cannot be claimed (same answer as a missing one).
    expect((await zhang.post('/api/wallet/claim', { certificateId: wangs[0].certificateId })).statusCode).toBe(404);
    // Not a certificate id at all: a 400 naming the field, not a lookup.
    const bad = await zhang.post('/api/wallet/claim', { certificateId: 'not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/body/certificateId');
    const id = mine.find((c) => c.typeName === '居民身份证')!.certificateId;
    const first = await zhang.post('/api/wallet/claim', { certificateId: id });
    expect(first.statusCode).toBe(201);
    const again = await zhang.post('/api/wallet/claim', { certificateId: id });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const wallet = (await zhang.get('/api/wallet/certificates')).json();
    expect(wallet.items.filter((c: { certificateId: string }) => c.certificateId === id)).toHaveLength(1);
    expect(wallet.items[0].status).toBe('valid');
    // Someone else's holding is invisible.
    expect((await wang.get(`/api/wallet/certificates/${first.json().id}`)).statusCode).toBe(404);
  });

  it('lets an enterprise user claim by the organisation credit code', async () => {
    const ent = await t.login('ent_demo');
    const items = (await ent.get('/api/wallet/claimable')).json().items as { certificateId: string; typeName: string }[];
    const licence = items.find((c) => c.typeName === '营业执照');
    expect(licence).toBeTruthy();
    expect((await ent.post('/api/wallet/claim', { certificateId: licence!.certificateId })).statusCode).toBe(201);
    expect(items.some((c) => c.typeName === '居民身份证')).toBe(false);
  });

  it('refuses anonymous callers and staff wallets', async () => {
    expect((await t.anonymous().get('/api/wallet/claimable')).statusCode).toBe(401);
    expect((await dsj.get('/api/wallet/claimable')).statusCode).toBe(403);
  });
});

describe('credential and presentation', () => {
  let holder: Holder;
  let credential = '';
  let holdingId = '';
  beforeAll(async () => {
    holder = await newHolderKey();
    ({ credential, holdingId } = await credentialFor(zhang, '居民身份证', holder));
  });

  it('issues an SD-JWT VC bound to the holder key, with the type fields and holder metadata disclosable', async () => {
    const p = await parseSdJwt(credential);
    expect(p.issuer.header).toMatchObject({ alg: 'ES256', typ: 'dc+sd-jwt' });
    const pl = p.issuer.payload;
    expect(pl.vct).toMatch(/^urn:dq:cert:/);
    expect(pl.cnf).toEqual({ jwk: holder.jwk });
    expect(pl._sd_alg).toBe('sha-256');
    expect(pl.cert_name).toBe('居民身份证');
    expect(pl.identifier).toMatch(/^1\.2\.156\.3005\.2\./);
    expect((pl.status as { status_list: { idx: number; uri: string } }).status_list.uri).toMatch(/\/api\/cert\/status-lists\//);
    expect(pl).not.toHaveProperty('holder_code');
    expect(JSON.stringify(pl)).not.toContain('香港中路');
    const names = p.disclosures.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['holder_name', 'holder_code', 'number', 'birthDate', 'address', 'sex']));
    // Every disclosure's digest is signed, plus decoys.
    expect((pl._sd as string[]).length).toBeGreaterThan(p.disclosures.length);
    // The same browser key gets the same credential back; a new key gets its own.
    const again = (await zhang.post(`/api/wallet/certificates/${holdingId}/credential`, { holderJwk: holder.jwk })).json();
    expect(again.credential).toBe(credential);
    const other = await newHolderKey();
    expect((await zhang.post(`/api/wallet/certificates/${holdingId}/credential`, { holderJwk: other.jwk })).json().credential).not.toBe(credential);
    // A private key is refused by name.
    const bad = await zhang.post(`/api/wallet/certificates/${holdingId}/credential`, { holderJwk: { ...holder.jwk, d: 'AAAA' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/body/holderJwk');
  });

  it('verifies a presentation and answers with only the chosen fields; the holder sees who verified', async () => {
    const req = await newRequest(['holder_name', 'birthDate']);
    const shown = await zhang.get(`/api/wallet/requests/DQVR:${req.requestCode}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ fields: ['holder_name', 'birthDate'], purpose: '测试核验', nonce: req.nonce });
    const presentation = await present(zhang, credential, holder, req.requestCode, ['holder_name', 'birthDate']);
    const r = await verify({ requestId: req.id, presentation });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    expect(d).toMatchObject({ valid: true, reason: 'ok', certificate: { name: '居民身份证' } });
    expect(Object.keys(d.disclosed).sort()).toEqual(['birthDate', 'holder_name']);
    expect(d.disclosed.holder_name).toBe(zhangName);
    expect(d.labels.birthDate[0]).toBeTruthy();
    expect(d.trustList).toMatch(/^CN-\d{6}#\d+$/);
    // The same request cannot be answered twice.
    expect((await verify({ requestId: req.id, presentation })).json().reason).toBe('replayed');
    const seen = (await zhang.get('/api/wallet/verifications')).json();
    expect(seen.items[0]).toMatchObject({ valid: true, certificateName: '居民身份证', purpose: '测试核验' });
    expect(seen.items[0].fields.sort()).toEqual(['birthDate', 'holder_name']);
    expect(seen.items[0].verifierOrg).toBeTruthy();
    expect((await wang.get('/api/wallet/verifications')).json().items).toHaveLength(0);
    // Show (the request opened twice: once to look, once to present) and verify are in the audit trail.
    const audit = await t.app.services.database.query<{ action: string }>(`select action from audit_log where entity_id = $1 order by seq`, [req.id]);
    expect(audit.map((a) => a.action)).toEqual(['wallet.request', 'wallet.show.request', 'wallet.show.request', 'wallet.verify', 'wallet.verify']);
  });

  it('discloses less than asked when the holder unticks a field', async () => {
    const req = await newRequest(['holder_name', 'address']);
    const d = (await verify({ requestId: req.id, presentation: await present(zhang, credential, holder, req.requestCode, ['holder_name']) })).json();
    expect(d.valid).toBe(true);
    expect(d.disclosed).toEqual({ holder_name: zhangName });
  });

  it('refuses a tampered disclosure', async () => {
    const req = await newRequest(['holder_name']);
    const good = await present(zhang, credential, holder, req.requestCode, ['holder_name']);
    const parts = good.split('~');
    const forged = await makeDisclosure('holder_name', '李冒充');
    parts[1] = forged.raw;
    const d = (await verify({ requestId: req.id, presentation: parts.join('~') })).json();
    expect(d).toMatchObject({ valid: false, reason: 'bad-disclosure' });
    expect(d.disclosed).toEqual({});
  });

  it('refuses a wrong nonce or audience', async () => {
    const req = await newRequest(['holder_name']);
    expect((await verify({ requestId: req.id, presentation: await present(zhang, credential, holder, req.requestCode, ['holder_name'], { nonce: 'other-nonce' }) })).json().reason).toBe('bad-nonce');
    expect((await verify({ requestId: req.id, presentation: await present(zhang, credential, holder, req.requestCode, ['holder_name'], { aud: 'CN-370200:EVIL#verifier' }) })).json().reason).toBe('bad-nonce');
  });

  it('refuses a key-binding JWT signed by another key, and a presentation without one', async () => {
    const req = await newRequest(['holder_name']);
    const thief = await newHolderKey();
    expect((await verify({ requestId: req.id, presentation: await present(zhang, credential, thief, req.requestCode, ['holder_name']) })).json().reason).toBe('bad-holder-binding');
    const bare = credential.split('~').slice(0, 2).join('~') + '~';
    expect((await verify({ requestId: req.id, presentation: bare })).json().reason).toBe('bad-holder-binding');
  });

  it('refuses an issuer no trust list names', async () => {
    const req = await newRequest(['holder_name']);
    const rogue = await newHolderKey();
    const pl = (await parseSdJwt(credential)).issuer.payload;
    const { _sd, _sd_alg, ...claims } = pl;
    void _sd;
    void _sd_alg;
    const fake = await issueSdJwt({ header: { kid: 'rogue-kid-0001' }, claims, disclosable: { holder_name: zhangName }, sign: cryptoKeySigner(rogue.privateKey) });
    const d = (await verify({ requestId: req.id, presentation: await present(zhang, fake, holder, req.requestCode, ['holder_name']) })).json();
    expect(d.reason).toBe('unknown-key');
    // A re-signed payload under the real kid fails the signature check.
    const parts = credential.split('~');
    const jws = decodeJws(parts[0]);
    const forgedPayload = b64uEncode(new TextEncoder().encode(JSON.stringify({ ...jws.payload, cert_name: '结婚证' })));
    const head = parts[0].split('.')[0];
    const tampered = [`${head}.${forgedPayload}.${parts[0].split('.')[2]}`, ...parts.slice(1)].join('~');
    const req2 = await newRequest(['holder_name']);
    expect((await verify({ requestId: req2.id, presentation: await present(zhang, tampered, holder, req2.requestCode, ['holder_name']) })).json().reason).toBe('bad-signature');
  });

  it('gives a one-time handle for a parked presentation; reuse is a replay', async () => {
    const req = await newRequest(['holder_name', 'address', 'birthDate', 'sex', 'ethnicity', 'number']);
    const presentation = await present(zhang, credential, holder, req.requestCode, ['holder_name', 'address', 'birthDate', 'sex', 'ethnicity', 'number']);
    const up = await zhang.post('/api/wallet/presentations', { presentation });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().qr).toBe(`DQVP:${up.json().handle}`);
    const d = (await verify({ requestId: req.id, handle: up.json().qr })).json();
    expect(d.valid).toBe(true);
    expect(Object.keys(d.disclosed)).toHaveLength(6);
    const req2 = await newRequest(['holder_name']);
    expect((await verify({ requestId: req2.id, handle: up.json().handle })).json().reason).toBe('replayed');
    expect((await zhang.post('/api/wallet/presentations', { presentation: 'not a presentation at all' })).statusCode).toBe(400);
  });

  it('lets an independent SD-JWT VC library verify our presentation (issuer key, KB nonce, disclosed claims)', async () => {
    const req = await newRequest(['holder_name', 'birthDate']);
    const presentation = await present(zhang, credential, holder, req.requestCode, ['holder_name', 'birthDate']);
    const kid = String(decodeJws(credential.split('~')[0]).header.kid);
    // The published trust list, read when a key is needed (the status-list key is created on first use).
    const keyOf = async (k: string) => (await t.app.services.code.trust.trustSources()).flatMap((s) => s.list.keys).find((x) => x.kid === k)!.jwk;
    const verifyWith = async (jwk: JsonWebKey, data: string, sig: string) => {
      const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, b64uDecode(sig) as BufferSource, new TextEncoder().encode(data));
    };
    const statusUri = ((await parseSdJwt(credential)).issuer.payload.status as { status_list: { uri: string } }).status_list.uri;
    const sdjwt = new SDJwtVcInstance({
      hasher: async (data, alg) => {
        expect(alg).toBe('sha-256');
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
        return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      },
      verifier: async (data, sig) => verifyWith(await keyOf(kid), data, sig),
      kbVerifier: (data, sig, payload) => verifyWith((payload.cnf as { jwk: JsonWebKey }).jwk, data, sig),
      statusListFetcher: async (uri) => {
        expect(uri).toBe(statusUri);
        const r = await t.inject({ method: 'GET', url: new URL(uri).pathname, headers: { accept: 'application/statuslist+jwt' } });
        expect(r.statusCode).toBe(200);
        return r.body.trim().startsWith('{') ? r.json().jwt : r.body.trim();
      },
      statusVerifier: async (data, sig) => {
        const skid = String(decodeJws(`${data}.${sig}`).header.kid);
        return verifyWith(await keyOf(skid), data, sig);
      },
    });
    const out = await sdjwt.verify(presentation, { keyBindingNonce: req.nonce });
    expect(out.kb?.payload.aud).toBe(req.audience);
    const claims = (await sdjwt.getClaims(presentation)) as Record<string, unknown>;
    expect(claims.holder_name).toBe(zhangName);
    expect(claims.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(claims).not.toHaveProperty('address');
    await expect(sdjwt.verify(presentation, { keyBindingNonce: 'wrong' })).rejects.toThrow();
    // And our verifier agrees on the same presentation's signature with the published key.
    expect(await verifyEs256(await keyOf(kid), decodeJws(credential.split('~')[0]))).toBe(true);
  });
});

describe('status and validity', () => {
  it('refuses a revoked, a suspended and an expired certificate each with its reason', async () => {
    const holder = await newHolderKey();
    const licence = await credentialFor(zhang, '机动车驾驶证', holder);
    await t.app.services.cert.certificates.changeStatus(systemActor('test'), licence.certificateId, 'revoke', 'test revocation');
    let req = await newRequest(['holder_name']);
    expect((await verify({ requestId: req.id, presentation: await present(zhang, licence.credential, holder, req.requestCode, ['holder_name']) })).json().reason).toBe('revoked');
    // No new credential for a revoked certificate.
    expect((await zhang.post(`/api/wallet/certificates/${licence.holdingId}/credential`, { holderJwk: (await newHolderKey()).jwk })).statusCode).toBe(409);

    const job = await credentialFor(zhang, '就业创业证', holder);
    req = await newRequest(['holder_name']);
    expect((await verify({ requestId: req.id, presentation: await present(zhang, job.credential, holder, req.requestCode, ['holder_name']) })).json().reason).toBe('suspended');

    const residence = await credentialFor(zhang, '居住证', holder);
    req = await newRequest(['holder_name']);
    const d = (await verify({ requestId: req.id, presentation: await present(zhang, residence.credential, holder, req.requestCode, ['holder_name']) })).json();
    expect(d.reason).toBe('expired');
    expect(d.disclosed).toEqual({});
  });
});

describe('who may verify', () => {
  it('lets a terminal API key (role code_terminal, cert.verify) ask and verify', async () => {
    const term = await dsj.post('/api/code/terminals', { name: 'wallet desk', place: 'hall', district: '市南区', scenario: 'hall' });
    expect(term.statusCode, term.body).toBe(201);
    const key = term.json().key as string;
    const asKey = (url: string, payload: Record<string, unknown>) => t.inject({ method: 'POST', url, headers: { 'x-api-key': key }, payload });
    const req = await asKey('/api/cert/verifier/requests', { fields: ['holder_name'], purpose: '窗口核验' });
    expect(req.statusCode, req.body).toBe(201);
    const holder = await newHolderKey();
    const { credential } = await credentialFor(zhang, '居民身份证', holder);
    const presentation = await present(zhang, credential, holder, req.json().requestCode, ['holder_name']);
    const d = await asKey('/api/cert/verifier/verify', { requestId: req.json().id, presentation });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ valid: true, disclosed: { holder_name: zhangName } });
    // Without the key (or a session) the verifier routes answer 401.
    expect((await t.anonymous().post('/api/cert/verifier/verify', { requestId: req.json().id, presentation })).statusCode).toBe(401);
  });

  it('refuses citizens (403) and anonymous callers (401) on the verifier routes, and another organisation request (404)', async () => {
    expect((await zhang.post('/api/cert/verifier/requests', { fields: ['holder_name'], purpose: 'x' })).statusCode).toBe(403);
    expect((await zhang.post('/api/cert/verifier/verify', { requestId: '00000000-0000-4000-8000-000000000000', handle: 'ABCD' })).statusCode).toBe(403);
    expect((await t.anonymous().post('/api/cert/verifier/requests', { fields: ['holder_name'], purpose: 'x' })).statusCode).toBe(401);
    const req = await newRequest(['holder_name']);
    const gaj = await t.login('gaj_officer');
    expect((await gaj.post('/api/cert/verifier/verify', { requestId: req.id, handle: 'ABCDEFGH' })).statusCode).toBe(404);
    const bad = await dsj.post('/api/cert/verifier/requests', { fields: [], purpose: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toMatch(/fields/);
    expect((await dsj.post('/api/cert/verifier/verify', { requestId: req.id })).statusCode).toBe(400);
  });
});

describe('service hall', () => {
  it('accepts a claimed certificate as a material and shows the officer it was verified; refuses one not held', async () => {
    const [item] = await t.app.services.database.db.select().from(svcItems).where(eq(svcItems.name, '住房公积金提取（租房）'));
    const created = await zhang.post('/api/applications', { itemId: item.id });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const mine = (await zhang.get('/api/wallet/claimable')).json().items as { certificateId: string; typeName: string }[];
    const idCard = mine.find((c) => c.typeName === '居民身份证')!;
    const wangsId = ((await wang.get('/api/wallet/claimable')).json().items as { certificateId: string; typeName: string }[]).find((c) => c.typeName === '居民身份证')!;
    const notMine = await zhang.post(`/api/applications/${id}/certificates`, { materialKey: 'idCard', certificateTypeName: '居民身份证', certificateId: wangsId.certificateId });
    expect(notMine.statusCode).toBe(422);
    expect(notMine.json().type).toMatch(/not-holder/);
    await zhang.post('/api/wallet/claim', { certificateId: idCard.certificateId });
    const ok = await zhang.post(`/api/applications/${id}/certificates`, { materialKey: 'idCard', certificateTypeName: '居民身份证', certificateId: idCard.certificateId });
    expect(ok.statusCode, ok.body).toBe(201);
    const view = (await zhang.get(`/api/applications/${id}`)).json();
    const m = view.materials.find((x: { key: string }) => x.key === 'idCard');
    expect(m.kind).toBe('certificate');
    expect(m.certificate).toMatchObject({ certificateTypeName: '居民身份证', identifier: expect.stringMatching(/^1\.2\.156\.3005\.2\./), issuer: expect.any(String) });
    expect(Date.parse(m.certificate.verifiedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});
