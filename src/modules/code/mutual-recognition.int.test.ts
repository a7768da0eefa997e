// Mutual recognition between two cities: two real servers (Qingdao with the default city file, Yantai
// with src/test/fixtures/yantai.json), each on its own test database, talking over real HTTP. Before the
// exchange a Yantai citizen's city code is refused at a Qingdao terminal (unknown-key); each platform then
// registers the other's trust-list URL with the pinned list key; after it the code passes at Qingdao with
// the decision naming Yantai's list, and a Qingdao certificate presentation verifies at Yantai. Then
// Qingdao deactivates Yantai and the code is refused as untrusted-partner.
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app';
import { cryptoKeySigner, presentSdJwt } from '../../lib/sd-jwt';
import { verifyTrustList } from '../../lib/verifier';
import { loadConfig } from '../../config';
import { openTestDatabase } from '../../test/app';
import { testConfigEnv } from '../../test/template';
import { loadCityFile, seedReferenceOrgs } from '../org/org.seed';

const YANTAI_FILE = path.resolve('src/test/fixtures/yantai.json');
const PASSWORD = 'Qingdao@2026';

interface City {
  app: App;
  base: string;
  drop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startCity(cityFile?: string): Promise<City> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig(testConfigEnv({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, DQ_JOBS: '0', ...(cityFile ? { DQ_CITY_FILE: cityFile } : {}) }));
  const { database, drop } = await openTestDatabase();
  const app = await createApp(config, { database });
  // The test database comes from the Qingdao template: give the second city its own reference organisations.
  if (cityFile) await seedReferenceOrgs(app.services.orgs, loadCityFile(cityFile));
  await app.listen();
  return { app, base, drop };
}

/** A signed-in user over real HTTP: session cookie and CSRF token. */
class Session {
  private constructor(
    readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}
  static async login(base: string, username: string): Promise<Session> {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    expect(r.status, `login ${username}`).toBe(200);
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return new Session(base, cookie, (await r.json()).csrfToken);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many routes, read field by field
  async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
    const r = await fetch(this.base + url, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  }
  get = (url: string) => this.call('GET', url);
  post = (url: string, body?: unknown) => this.call('POST', url, body ?? {});
  delete = (url: string) => this.call('DELETE', url);
}

const getJson = async (url: string) => {
  const r = await fetch(url);
  expect(r.status, url).toBe(200);
  return r.json();
};

let qd: City;
let yt: City;
let qdBureau: Session;
let ytBureau: Session;
let ytCitizen: Session;
let qdCitizen: Session;
let qdTerminalKey = '';
let ytPartnerAtQd = '';

async function scanAtQingdao(payload: string) {
  const r = await fetch(`${qd.base}/api/code/scan`, { method: 'POST', headers: { 'x-api-key': qdTerminalKey, 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });
  expect(r.status).toBe(200);
  return r.json();
}
const yantaiCode = async () => {
  const r = await ytCitizen.get('/api/code/me');
  expect(r.status).toBe(200);
  return r.json.payload as string;
};

beforeAll(async () => {
  // One after the other: both build their apps on one small machine.
  qd = await startCity();
  yt = await startCity(YANTAI_FILE);
  [qdBureau, ytBureau, ytCitizen, qdCitizen] = await Promise.all([
    Session.login(qd.base, 'dsj_officer'),
    Session.login(yt.base, 'dsj_officer'),
    Session.login(yt.base, 'citizen_zhang'),
    Session.login(qd.base, 'citizen_zhang'),
  ]);
  const t = await qdBureau.post('/api/code/terminals', { name: '市民中心窗口 1', place: '青岛市民中心', scenario: 'hall' });
  expect(t.status, JSON.stringify(t.json)).toBe(201);
  qdTerminalKey = t.json.key;
}, 240_000);

afterAll(async () => {
  for (const c of [qd, yt]) {
    if (!c) continue;
    await c.app.close();
    await c.drop().catch(() => undefined);
  }
});

describe('two cities', () => {
  it('publish lists for their own platforms', async () => {
    const a = await getJson(`${qd.base}/api/trust/list`);
    const b = await getJson(`${yt.base}/api/trust/list`);
    expect(a.list.platform).toMatchObject({ id: 'CN-370200', name: '青岛市', url: qd.base });
    expect(b.list.platform).toMatchObject({ id: 'CN-370600', name: '烟台市', url: yt.base });
    // Each list verifies only with its own platform's pinned key.
    const [pa, pb] = await Promise.all([getJson(`${qd.base}/api/trust/list-key`), getJson(`${yt.base}/api/trust/list-key`)]);
    expect(pa.kid).not.toBe(pb.kid);
    expect((await verifyTrustList(b.jws, pb)).ok).toBe(true);
    expect((await verifyTrustList(b.jws, pa)).ok).toBe(false);
  });

  it("refuses a Yantai code at a Qingdao terminal before the exchange (unknown-key)", async () => {
    const payload = await yantaiCode();
    const d = await scanAtQingdao(payload);
    expect(d.decision).toBe('refuse');
    expect(d.reason).toBe('unknown-key');
  });

  it('after exchanging trust lists, a Yantai code passes at Qingdao naming the Yantai list, and a Qingdao certificate verifies at Yantai', async () => {
    // Qingdao's citizen holds a certificate issued (and its status list signed) before the exchange.
    const holderKp = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', holderKp.publicKey);
    const claimable = (await qdCitizen.get('/api/wallet/claimable')).json.items as { certificateId: string; typeName: string }[];
    const cert = claimable.find((c) => c.typeName === '居民身份证') ?? claimable[0];
    expect(cert, 'a claimable certificate').toBeTruthy();
    const claim = await qdCitizen.post('/api/wallet/claim', { certificateId: cert.certificateId });
    expect([200, 201]).toContain(claim.status);
    const cred = await qdCitizen.post(`/api/wallet/certificates/${claim.json.id}/credential`, { holderJwk: { kty, crv, x, y } });
    expect(cred.status, JSON.stringify(cred.json)).toBe(200);
    const credential = cred.json.credential as string;
    const statusUri = JSON.parse(Buffer.from(credential.split('~')[0].split('.')[1], 'base64url').toString()).status.status_list.uri as string;
    expect(statusUri.startsWith(qd.base)).toBe(true);
    expect((await fetch(statusUri)).status).toBe(200);

    // The exchange: each registers the other's list URL, pinning the key published at /api/trust/list-key.
    const ytPin = await getJson(`${yt.base}/api/trust/list-key`);
    const qdPin = await getJson(`${qd.base}/api/trust/list-key`);
    const atQd = await qdBureau.post('/api/trust/partners', { name: '烟台市', url: `${yt.base}/api/trust/list`, pinnedJwk: ytPin });
    expect(atQd.status, JSON.stringify(atQd.json)).toBe(201);
    expect(atQd.json).toMatchObject({ platformId: 'CN-370600', state: 'fresh', pinnedKid: ytPin.kid });
    ytPartnerAtQd = atQd.json.id;
    const atYt = await ytBureau.post('/api/trust/partners', { name: '青岛市', url: `${qd.base}/api/trust/list`, pinnedJwk: qdPin });
    expect(atYt.status, JSON.stringify(atYt.json)).toBe(201);
    expect(atYt.json.platformId).toBe('CN-370200');

    // The city code.
    qd.app.services.code.cityCodes.invalidateTrust();
    const payload = await yantaiCode();
    const d = await scanAtQingdao(payload);
    expect(d.decision, JSON.stringify(d)).toBe('pass');
    expect(d.reason).toBe('ok');
    const ytList = await getJson(`${yt.base}/api/trust/list`);
    expect(d.trustList).toBe(`CN-370600#${ytList.list.seq}`);
    expect(d.issuer).toMatch(/^CN-370600:/);
    expect(ytList.list.keys.map((k: { kid: string }) => k.kid)).toContain(d.kid);
    // The same code again is a replay, as for local codes.
    expect((await scanAtQingdao(payload)).reason).toBe('replayed');

    // The certificate: a Yantai verifier asks, the Qingdao holder presents, Yantai verifies through its partner list.
    const req = await ytBureau.post('/api/cert/verifier/requests', { fields: ['holder_name'], purpose: '异地办事身份核验' });
    expect(req.status, JSON.stringify(req.json)).toBe(201);
    const presentation = await presentSdJwt({ credential, disclose: ['holder_name'], aud: req.json.audience, nonce: req.json.nonce, sign: cryptoKeySigner(holderKp.privateKey) });
    const v = await ytBureau.post('/api/cert/verifier/verify', { requestId: req.json.id, presentation });
    expect(v.status, JSON.stringify(v.json)).toBe(200);
    expect(v.json.valid, JSON.stringify(v.json)).toBe(true);
    const qdList = await getJson(`${qd.base}/api/trust/list`);
    expect(v.json.trustList).toBe(`CN-370200#${qdList.list.seq}`);
    expect(Object.keys(v.json.disclosed)).toEqual(['holder_name']);
  });

  it('after Qingdao deactivates Yantai, Yantai codes are refused as untrusted-partner', async () => {
    const r = await qdBureau.delete(`/api/trust/partners/${ytPartnerAtQd}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ active: false, state: 'untrusted' });
    qd.app.services.code.cityCodes.invalidateTrust();
    const d = await scanAtQingdao(await yantaiCode());
    expect(d.decision).toBe('refuse');
    expect(d.reason).toBe('untrusted-partner');
    expect(d.trustList ?? null).toBeNull();
  });
});
