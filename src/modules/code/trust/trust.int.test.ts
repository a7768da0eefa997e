// The trust part over HTTP and through the service, with real keys: key creation races, encryption at
// rest, rotation that keeps earlier codes verifying until the old key's end date (and not after), the
// signed list and its pin, seq, and partner platforms served by a real local HTTP server (refresh, a
// failing fetch keeping the last good list, lower seq refused, stale after grace, pin mismatch, deactivation).
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign as nodeSign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCityCode, kidOf, signTrustList, type TrustList, TrustStore, verifyCityCode, verifyTrustList } from '../../../lib/verifier';
import { decrypt } from '../../../platform/crypto/secrets';
import { rows } from '../../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { REFRESH_JOB, TrustService } from '.';

let t: TestApp;
let bureau: Client;
let citizen: Client;
const trust = () => t.app.services.code.trust;
const db = () => t.app.services.database.db;

/** A partner platform simulated outside the app: its own list key, lists it signs, a server that serves them. */
class FakePartner {
  readonly key: KeyObject;
  readonly jwk: JsonWebKey;
  kid = '';
  body: { status: number; text: string } = { status: 200, text: '' };
  server!: http.Server;
  url = '';
  issuerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  issuerKid = '';
  constructor(readonly platformId = 'CN-370700') {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.key = privateKey;
    const j = publicKey.export({ format: 'jwk' }) as JsonWebKey;
    this.jwk = { kty: j.kty, crv: j.crv, x: j.x, y: j.y };
  }
  async start() {
    this.kid = await kidOf(this.jwk);
    const ij = this.issuerKey.publicKey.export({ format: 'jwk' }) as JsonWebKey;
    this.issuerKid = await kidOf({ kty: ij.kty, crv: ij.crv, x: ij.x, y: ij.y });
    this.server = http.createServer((_req, res) => {
      res.writeHead(this.body.status, { 'content-type': 'application/jose' });
      res.end(this.body.text);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/trust/list`;
  }
  list(seq: number, nextUpdate = new Date(Date.now() + 86400_000)): TrustList {
    const ij = this.issuerKey.publicKey.export({ format: 'jwk' }) as JsonWebKey;
    return {
      version: 1,
      platform: { id: this.platformId, name: '潍坊市', url: 'http://weifang.example' },
      seq,
      issuedAt: new Date(nextUpdate.getTime() - 86400_000).toISOString(),
      nextUpdate: nextUpdate.toISOString(),
      keys: [{ kid: this.issuerKid, issuer: `${this.platformId}:DSJ`, issuerName: '潍坊市大数据局', uses: ['city-code'], jwk: { kty: ij.kty, crv: ij.crv, x: ij.x, y: ij.y }, notBefore: '2026-01-01T00:00:00Z', notAfter: null }],
    };
  }
  async sign(list: TrustList, key: KeyObject = this.key, kid = this.kid) {
    return signTrustList(list, { kid, sign: async (d) => new Uint8Array(nodeSign('sha256', d, { key, dsaEncoding: 'ieee-p1363' })) });
  }
  async serve(list: TrustList, key?: KeyObject, kid?: string) {
    this.body = { status: 200, text: await this.sign(list, key, kid) };
  }
  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

beforeAll(async () => {
  t = await testApp();
  [bureau, citizen] = await Promise.all([t.login('dsj_officer'), t.login('citizen_zhang')]);
});
afterAll(async () => {
  await t?.close();
});

describe('who may call', () => {
  it('serves the list, list key and JWKS anonymously; manage routes refuse citizens and anonymous callers', async () => {
    const anon = t.anonymous();
    for (const url of ['/api/trust/jwks', '/api/trust/list', '/api/trust/list-key']) expect((await anon.get(url)).statusCode, url).toBe(200);
    for (const url of ['/api/trust/keys', '/api/trust/partners', '/api/trust/settings', '/api/trust/sources']) expect((await anon.get(url)).statusCode, url).toBe(401);
    for (const url of ['/api/trust/keys', '/api/trust/partners', '/api/trust/settings']) expect((await citizen.get(url)).statusCode, url).toBe(403);
    expect((await citizen.post('/api/trust/keys/rotate', { orgCode: 'GAJ', use: 'city-code' })).statusCode).toBe(403);
    expect((await citizen.post('/api/trust/partners', { name: 'x', url: 'http://127.0.0.1:1/', pinnedJwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } })).statusCode).toBe(403);
    expect((await citizen.get('/api/trust/sources')).statusCode).toBe(200);
    expect((await bureau.get('/api/trust/keys')).statusCode).toBe(200);
  });

  it('answers bad input with problem+json naming the field', async () => {
    const r = await bureau.post('/api/trust/keys/rotate', { orgCode: 'GAJ', use: 'signing' });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(r.json().errors)).toContain('use');
    const unknownOrg = await bureau.post('/api/trust/keys/rotate', { orgCode: 'NOPE', use: 'city-code' });
    expect(unknownOrg.statusCode).toBe(422);
    expect(unknownOrg.json().errors[0].path).toBe('/body/orgCode');
    const noSource = await bureau.post('/api/trust/partners', { name: 'x', pinnedJwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json().errors[0].path).toBe('/body/url');
  });
});

describe('issuing keys', () => {
  it('two services racing for a missing key create one key and both sign with it', async () => {
    const a = new TrustService(trust().deps);
    const b = new TrustService(trust().deps);
    const [sa, sb] = await Promise.all([a.signer('MZJ', 'status-list'), b.signer('MZJ', 'status-list')]);
    expect(sa.kid).toBe(sb.kid);
    expect(sa.issuer).toBe('CN-370200:MZJ');
    const n = await rows<{ n: number }>(db(), sql`select count(*)::int as n from trust_keys where org_code = 'MZJ' and use = 'status-list' and state = 'current'`);
    expect(n[0].n).toBe(1);
    // The new key is in the published list at once.
    const { list } = await trust().published();
    expect(list.keys.map((k) => k.kid)).toContain(sa.kid);
  });

  it('keeps the private key encrypted at rest, bound to its kid', async () => {
    const s = await trust().signer('GAJ', 'certificate');
    const [row] = await rows<{ private_key: string; public_jwk: JsonWebKey }>(db(), sql`select private_key, public_jwk from trust_keys where kid = ${s.kid}`);
    expect(row.private_key.startsWith('v1.')).toBe(true);
    expect(() => createPrivateKey({ key: Buffer.from(row.private_key, 'base64'), format: 'der', type: 'pkcs8' })).toThrow();
    expect(JSON.stringify(row.public_jwk)).not.toContain('"d"');
    // Decrypting under another kid's context fails (a ciphertext cannot be moved to another row).
    expect(() => decrypt(t.config.masterKey, row.private_key, 'trust-key:other')).toThrow();
    const pkcs8 = Buffer.from(decrypt(t.config.masterKey, row.private_key, `trust-key:${s.kid}`), 'base64');
    const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
    expect(jwk.x).toBe(row.public_jwk.x);
    // The stored ciphertext does not contain the clear key material.
    expect(row.private_key).not.toContain(pkcs8.toString('base64').slice(40, 80));
    expect(row.private_key).not.toContain(String(jwk.d));
    // The kid is the library's (SHA-256 of the SPKI, first 8 bytes).
    expect(await kidOf(row.public_jwk)).toBe(s.kid);
  });

  it('rotation: codes signed before keep verifying until the old key ends, and are refused after', async () => {
    const old = await trust().signer('DSJ', 'city-code');
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: old.issuer, sub: 'p-test-1', iat: now, exp: now + 60, cti: randomBytes(8).toString('hex'), type: 'person' as const, health: 'green' as const, cards: [] };
    const code = await issueCityCode(claims, old);
    const first = await verifyCityCode(code, { trust: await trust().trustStore(), at: new Date() });
    expect(first.valid, first.message).toBe(true);

    const before = (await trust().published()).list.seq;
    const r = await bureau.post('/api/trust/keys/rotate', { orgCode: 'DSJ', use: 'city-code' });
    expect(r.statusCode).toBe(201);
    const { key, retired } = r.json();
    expect(retired.kid).toBe(old.kid);
    expect(key.kid).not.toBe(old.kid);
    expect(key.state).toBe('current');
    // Overlap for city-code keys defaults to a day.
    expect(Date.parse(retired.notAfter) - Date.now()).toBeGreaterThan(86400_000 - 60_000);
    expect((await trust().signer('DSJ', 'city-code')).kid).toBe(key.kid);

    const after = await trust().published();
    expect(after.list.seq).toBeGreaterThan(before);
    expect(after.list.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([old.kid, key.kid]));
    const jwks = (await t.anonymous().get('/api/trust/jwks')).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([old.kid, key.kid]));

    // The code issued before rotation still passes.
    const d = await verifyCityCode(code, { trust: await trust().trustStore(), at: new Date() });
    expect(d.valid, d.message).toBe(true);
    expect(d.kid).toBe(old.kid);
    expect(d.trustList).toBe(after.listId);

    // A code from the old key dated after its end date is refused (key-expired).
    const end = Math.floor(Date.parse(retired.notAfter) / 1000) + 10;
    const late = await issueCityCode({ ...claims, iat: end, exp: end + 60, cti: randomBytes(8).toString('hex') }, old);
    const lateDecision = await verifyCityCode(late, { trust: await trust().trustStore(new Date(end * 1000)), at: new Date(end * 1000) });
    expect(lateDecision.reason).toBe('key-expired');

    // Once the end date has passed the key leaves the list: the old code's key is then unknown.
    await db().execute(sql`update trust_keys set not_after = now() - interval '1 second' where kid = ${old.kid}`);
    const rep = await trust().republishIfDue();
    expect(rep.published).toBe(true);
    trust().forget();
    expect((await trust().published()).list.keys.map((k) => k.kid)).not.toContain(old.kid);
    expect((await verifyCityCode(code, { trust: await trust().trustStore(), at: new Date() })).reason).toBe('unknown-key');

    const keys = (await bureau.get('/api/trust/keys?orgCode=DSJ&use=city-code')).json();
    expect(keys.items.map((k: { kid: string; state: string }) => [k.kid, k.state])).toEqual(expect.arrayContaining([[old.kid, 'expired'], [key.kid, 'current']]));
    const audit = await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where action = 'trust.key.rotate' and entity_id = ${key.id}`);
    expect(audit[0].n).toBe(1);
  });
});

describe('this platform\'s trust list', () => {
  it('verifies with the published list key, fails with another pin, and is the same bytes until a change', async () => {
    const anon = t.anonymous();
    const a = (await anon.get('/api/trust/list')).json();
    const bare = await anon.get('/api/trust/list', { accept: 'application/jose' });
    expect(bare.headers['content-type']).toContain('application/jose');
    expect(bare.body).toBe(a.jws);
    expect((await anon.get('/api/trust/list')).json().jws).toBe(a.jws);
    // Caches revalidate: the same list answers 304 to its ETag.
    const etag = (await anon.get('/api/trust/list')).headers.etag as string;
    expect((await anon.get('/api/trust/list', { 'if-none-match': etag })).statusCode).toBe(304);
    const pin = (await anon.get('/api/trust/list-key')).json();
    expect(pin.kid).toBe(await kidOf(pin));
    const ok = await verifyTrustList(a.jws, pin);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.list.platform.id).toBe('CN-370200');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as JsonWebKey;
    const bad = await verifyTrustList(a.jws, other);
    expect(bad.ok).toBe(false);
    // The list key never appears in the list, and nothing private does.
    expect(a.list.keys.map((k: { kid: string }) => k.kid)).not.toContain(pin.kid);
    expect(a.jws).not.toMatch(/"d":/);
  });

  it('increases seq with every publication and only republishes when due', async () => {
    const s1 = (await trust().published()).list.seq;
    const p = await trust().publish('test');
    expect(p.list.seq).toBe(s1 + 1);
    expect((await trust().republishIfDue()).published).toBe(false);
    const later = new Date(Date.parse(p.list.nextUpdate) - 3600_000);
    const r = await trust().republishIfDue(later);
    expect(r).toEqual({ published: true, seq: s1 + 2 });
    expect(Date.parse((await trust().published()).list.nextUpdate) - Date.parse((await trust().published()).list.issuedAt)).toBe(86400_000);
  });
});

describe('partner platforms', () => {
  let fake: FakePartner;
  let partnerId: string;
  beforeAll(async () => {
    fake = new FakePartner();
    await fake.start();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const partner = async () => (await bureau.get(`/api/trust/partners/${partnerId}`)).json();
  const resolveFake = async () => (await trust().trustStore()).resolve(fake.issuerKid, 'city-code', new Date());

  it('refuses a list that fails the pin, and our own list', async () => {
    await fake.serve(fake.list(5));
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as JsonWebKey;
    const r = await bureau.post('/api/trust/partners', { name: '潍坊', url: fake.url, pinnedJwk: { kty: 'EC', crv: 'P-256', x: other.x, y: other.y } });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('/body/pinnedJwk');
    const own = await trust().published();
    const ownPin = (await t.anonymous().get('/api/trust/list-key')).json();
    const r2 = await bureau.post('/api/trust/partners', { name: 'self', trustListJws: own.jws, pinnedJwk: ownPin });
    expect(r2.statusCode).toBe(422);
  });

  it('registers by URL with the pin; the partner key then resolves, naming the partner list', async () => {
    expect((await resolveFake()).ok).toBe(false);
    const r = await bureau.post('/api/trust/partners', { name: '潍坊', url: fake.url, pinnedJwk: { ...fake.jwk, kid: fake.kid } });
    expect(r.statusCode, r.body).toBe(201);
    partnerId = r.json().id;
    expect(r.json()).toMatchObject({ platformId: 'CN-370700', seq: 5, state: 'fresh', active: true, pinnedKid: fake.kid, issuers: ['CN-370700:DSJ'] });
    const res = await resolveFake();
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.source.listId).toBe('CN-370700#5');
    const dup = await bureau.post('/api/trust/partners', { name: 'again', url: fake.url, pinnedJwk: fake.jwk });
    expect(dup.statusCode).toBe(409);
    const sources = (await bureau.get('/api/trust/sources')).json().items;
    expect(sources[0].own).toBe(true);
    const src = sources.find((s: { listId: string }) => s.listId === 'CN-370700#5');
    expect((await verifyTrustList(src.jws, fake.jwk)).ok).toBe(true);
    expect((await partner()).list.keys[0].kid).toBe(fake.issuerKid);
  });

  it('refreshes to a higher seq, keeps the last good list when a fetch fails, and refuses a lower seq', async () => {
    await fake.serve(fake.list(6));
    const up = await bureau.post(`/api/trust/partners/${partnerId}/refresh`);
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ seq: 6, lastError: null });

    fake.body = { status: 500, text: 'down' };
    const down = (await bureau.post(`/api/trust/partners/${partnerId}/refresh`)).json();
    expect(down.seq).toBe(6);
    expect(down.lastError).toContain('HTTP 500');
    expect(down.state).toBe('fresh');
    expect((await resolveFake()).ok).toBe(true);

    await fake.serve(fake.list(4));
    const lower = (await bureau.post(`/api/trust/partners/${partnerId}/refresh`)).json();
    expect(lower.seq).toBe(6);
    expect(lower.lastError).toContain('lower');

    const audit = await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where entity_type = 'trust_partner' and entity_id = ${partnerId}`);
    expect(audit[0].n).toBeGreaterThanOrEqual(4);
  });

  it('the scheduled job refreshes partners whose interval has passed, idempotently', async () => {
    await fake.serve(fake.list(7));
    await db().execute(sql`update trust_partners set last_fetched_at = now() - interval '2 hours' where id = ${partnerId}::uuid`);
    await t.app.services.queue.enqueue(REFRESH_JOB);
    await t.app.services.queue.drain();
    expect((await partner()).seq).toBe(7);
    // Just fetched: a second run does not fetch it again.
    const again = await trust().refreshDue();
    expect(again.checked).toBe(0);
  });

  it('a list past nextUpdate warns during the grace period, then is stale and not trusted', async () => {
    await fake.serve(fake.list(8, new Date(Date.now() - 3600_000)));
    const r = (await bureau.post(`/api/trust/partners/${partnerId}/refresh`)).json();
    expect(r).toMatchObject({ seq: 8, state: 'warn' });
    const warn = await resolveFake();
    expect(warn.ok).toBe(true);
    if (warn.ok) expect(warn.warnings.length).toBe(1);
    expect((await bureau.put('/api/trust/settings', { graceSeconds: 600 })).statusCode).toBe(200);
    expect((await partner()).state).toBe('stale');
    const stale = await resolveFake();
    expect(stale.ok === false && stale.reason).toBe('stale-trust-list');
    await bureau.put('/api/trust/settings', { graceSeconds: 86400 });
    await fake.serve(fake.list(9));
    expect((await bureau.post(`/api/trust/partners/${partnerId}/refresh`)).json().state).toBe('fresh');
  });

  it('a list signed by another key makes the partner untrusted; the last good list stays, naming why', async () => {
    const impostor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ij = impostor.publicKey.export({ format: 'jwk' }) as JsonWebKey;
    await fake.serve(fake.list(10), impostor.privateKey, await kidOf({ kty: ij.kty, crv: ij.crv, x: ij.x, y: ij.y }));
    const r = (await bureau.post(`/api/trust/partners/${partnerId}/refresh`)).json();
    expect(r.state).toBe('untrusted');
    expect(r.untrustedReason).toContain('pin-mismatch');
    expect(r.seq).toBe(9);
    const res = await resolveFake();
    expect(res.ok === false && res.reason).toBe('untrusted-partner');
    // The trust sources carry the reason, so every decision can say why.
    const sources = await trust().trustSources();
    expect(sources.find((s) => s.listId === 'CN-370700#9')?.untrusted?.reason).toContain('pin-mismatch');
  });

  it('a list from another key presented under the pinned kid fails the signature check and is refused', async () => {
    const impostor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await fake.sign(fake.list(20), impostor.privateKey, fake.kid);
    const v = await verifyTrustList(forged, fake.jwk);
    expect(v.ok === false && v.reason).toBe('bad-signature');
    const r = await bureau.post('/api/trust/partners', { name: 'forged', trustListJws: forged, pinnedJwk: fake.jwk });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('/body/trustListJws');
  });

  it('deactivation: the partner stays listed as untrusted, and can be registered again', async () => {
    const d = await bureau.delete(`/api/trust/partners/${partnerId}`);
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ active: false, state: 'untrusted', untrustedReason: 'deactivated' });
    expect(((await resolveFake()) as { reason?: string }).reason).toBe('untrusted-partner');
    // Re-registration by upload (no URL): trusted again.
    await fake.serve(fake.list(11));
    const r = await bureau.post('/api/trust/partners', { name: '潍坊（上传）', trustListJws: fake.body.text, pinnedJwk: fake.jwk });
    expect(r.statusCode, r.body).toBe(201);
    expect((await resolveFake()).ok).toBe(true);
    // Refreshing an upload-only partner needs the new list.
    const noUrl = await bureau.post(`/api/trust/partners/${r.json().id}/refresh`);
    expect(noUrl.statusCode).toBe(400);
    const up = await bureau.post(`/api/trust/partners/${r.json().id}/refresh`, { trustListJws: await fake.sign(fake.list(12)) });
    expect(up.json().seq).toBe(12);
    const list = (await bureau.get('/api/trust/partners?active=false')).json();
    expect(list.items.map((p: { id: string }) => p.id)).toContain(partnerId);
  });
});

describe('trust store', () => {
  it('is built with the grace setting and names the list in decisions', async () => {
    const store = await trust().trustStore();
    expect(store).toBeInstanceOf(TrustStore);
    expect(store.graceSeconds).toBe(86400);
  });
});
