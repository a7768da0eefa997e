// The city code end to end through HTTP: issuing, the scan API's decisions and reasons, freezing, terminal
// keys, scenario policies, the person's scan log and the bureau's statistics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es256Signer, issueCityCode, kidOf, signTrustList, type CityCodeClaims, type TrustList } from '../../../lib/verifier';
import { systemActor } from '../../../platform/auth/actor';
import { testApp, type Client, type TestApp } from '../../../test/app';

let t: TestApp;
let dsj: Client;
let zhang: Client;
let li: Client;
const keys: Record<string, { id: string; key: string }> = {};

async function makeTerminal(scenario: string, name = `${scenario} terminal`) {
  const r = await dsj.post('/api/code/terminals', { name, place: `${name} place`, district: '市南区', scenario });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json().id as string, key: r.json().key as string };
}

const scanWith = (key: string, payload: string) => t.inject({ method: 'POST', url: '/api/code/scan', headers: { 'x-api-key': key }, payload: { payload } });
async function scan(scenario: string, payload: string) {
  const r = await scanWith(keys[scenario].key, payload);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}
async function codeOf(c: Client): Promise<string> {
  const r = await c.get('/api/code/me');
  expect(r.statusCode, r.body).toBe(200);
  return r.json().payload;
}
async function userId(username: string) {
  return (await t.app.services.auth.findByUsername(username))!.id;
}
/** A code with chosen claims, signed by the bureau's real city-code key. */
async function craft(patch: Partial<CityCodeClaims>, username = 'citizen_zhang') {
  const codes = t.app.services.code.cityCodes;
  const signer = await t.app.services.code.trust.signer('DSJ', 'city-code');
  const now = Math.floor(Date.now() / 1000);
  const claims: CityCodeClaims = { iss: signer.issuer, sub: codes.subjectFor(await userId(username)), iat: now, exp: now + 60, cti: Math.random().toString(16).slice(2, 14).padEnd(12, '0'), type: 'person', health: 'green', cards: [], ...patch };
  return issueCityCode(claims, signer);
}

beforeAll(async () => {
  t = await testApp();
  dsj = await t.login('dsj_officer');
  zhang = await t.login('citizen_zhang');
  li = await t.login('parent_li');
  for (const s of ['bus', 'hospital', 'canteen', 'hall']) keys[s] = await makeTerminal(s);
}, 120_000);
afterAll(async () => t?.close());

describe('issuing', () => {
  it('gives a signed CC1 code with expiry, refresh time and fused cards, never the ID number', async () => {
    const r = await zhang.get('/api/code/me');
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.payload).toMatch(/^CC1:[0-9A-Z $%*+\-./:]+$/);
    expect(b.frozen).toBe(false);
    const life = (Date.parse(b.expiresAt) - Date.parse(b.issuedAt)) / 1000;
    expect(life).toBe(60);
    expect(Date.parse(b.refreshAfter)).toBeLessThan(Date.parse(b.expiresAt));
    expect(b.cards.map((c: { kind: string }) => c.kind)).toEqual(['social-security', 'medical-insurance', 'bus', 'meal']);
    expect(b.issuer).toBe(t.app.services.code.trust.issuerId('DSJ'));
    expect(r.body).not.toContain('370202');
    // Stable pseudonym, fresh one-time id each call.
    const again = (await zhang.get('/api/code/me')).json();
    expect(again.subject).toBe(b.subject);
    expect(again.payload).not.toBe(b.payload);
  });

  it('refuses anonymous callers and terminal keys', async () => {
    expect((await t.anonymous().get('/api/code/me')).statusCode).toBe(401);
    const r = await t.inject({ method: 'GET', url: '/api/code/me', headers: { 'x-api-key': keys.bus.key } });
    expect(r.statusCode).toBe(403);
  });
});

describe('scan decisions', () => {
  it('passes a fresh code, then refuses the same code as a replay', async () => {
    const code = await codeOf(zhang);
    const first = await scan('hall', code);
    expect(first).toMatchObject({ decision: 'pass', reason: 'ok', scenario: 'hall', issuer: t.app.services.code.trust.issuerId('DSJ'), local: true });
    expect(first.kid).toBeTruthy();
    expect(first.trustList).toMatch(/#\d+$/);
    const second = await scan('hall', code);
    expect(second).toMatchObject({ decision: 'refuse', reason: 'replayed' });
  });

  it('refuses a tampered code', async () => {
    const code = await codeOf(zhang);
    // Flip one character of the signature end of the payload to another Base45 character.
    const i = code.length - 5;
    const flipped = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    const r = await scan('hall', flipped);
    expect(r.decision).toBe('refuse');
    expect(['bad-signature', 'bad-base45', 'bad-cbor', 'bad-cose']).toContain(r.reason);
    const notOurs = await scan('hall', 'HELLO');
    expect(notOurs).toMatchObject({ decision: 'refuse', reason: 'bad-prefix' });
  });

  it('answers random, truncated and mangled payloads with a refusal and its reason, never a 500', async () => {
    const code = await codeOf(zhang);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    const inputs = [
      ...Array.from({ length: 25 }, (_, i) => code.slice(0, 4 + Math.floor(((code.length - 4) * i) / 25))),
      ...Array.from({ length: 25 }, () => 'CC1:' + Array.from({ length: 1 + Math.floor(rnd() * 300) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')),
      ...Array.from({ length: 10 }, () => {
        const i = 4 + Math.floor(rnd() * (code.length - 4));
        // Always a different character: a "mutation" that leaves the code as it was would be a valid scan.
        const others = alphabet.replace(code[i], '');
        return code.slice(0, i) + others[Math.floor(rnd() * others.length)] + code.slice(i + 1);
      }),
      'CC1:',
      'CC1:' + 'Z'.repeat(4000),
      'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH',
    ];
    const reasons = new Set<string>();
    for (const payload of inputs) {
      const r = await scanWith(keys.hall.key, payload);
      expect(r.statusCode, `${payload.slice(0, 40)}… → ${r.body}`).toBe(200);
      const b = r.json();
      expect(b.decision, payload).toBe('refuse');
      reasons.add(b.reason);
    }
    expect(reasons.has('ok')).toBe(false);
    expect([...reasons].every((x) => /^[a-z][a-z0-9-]+$/.test(x))).toBe(true);
    const tooLong = await scanWith(keys.hall.key, 'CC1:' + 'A'.repeat(5000));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('payload');
  });

  it('refuses expired and not-yet-valid codes beyond the skew (a setting), and passes inside it', async () => {
    // A small skew keeps the crafted times inside the issuing key's validity (it was made when the database was seeded).
    expect((await zhang.put('/api/code/settings', { skewSeconds: 2 })).statusCode).toBe(403);
    expect((await dsj.put('/api/code/settings', { skewSeconds: 2 })).statusCode).toBe(200);
    // The crafted times must fall inside the key's validity: wait until the key is at least 10 s old.
    const keyList = (await dsj.get('/api/trust/keys?orgCode=DSJ&use=city-code&state=current')).json();
    const notBefore = Math.max(...keyList.items.map((x: { notBefore: string }) => Date.parse(x.notBefore)));
    const age = Date.now() - notBefore;
    if (age < 10_000) await new Promise((r) => setTimeout(r, 10_000 - age));
    const now = Math.floor(Date.now() / 1000);
    expect(await scan('hall', await craft({ iat: now - 8, exp: now - 5 }))).toMatchObject({ decision: 'refuse', reason: 'expired' });
    expect(await scan('hall', await craft({ iat: now + 10, exp: now + 70 }))).toMatchObject({ decision: 'refuse', reason: 'not-yet-valid' });
    expect((await dsj.put('/api/code/settings', { skewSeconds: 300 })).statusCode).toBe(200);
    expect(await scan('hall', await craft({ iat: now - 8, exp: now - 5 }))).toMatchObject({ decision: 'pass', reason: 'ok' });
    expect(await scan('hall', await craft({ iat: now + 10, exp: now + 70 }))).toMatchObject({ decision: 'pass', reason: 'ok' });
  });

  it('refuses a code whose issuer is not the key\'s, and a code signed by an unknown key', async () => {
    expect(await scan('hall', await craft({ iss: t.app.services.code.trust.issuerId('GAJ') }))).toMatchObject({ decision: 'refuse', reason: 'wrong-issuer' });
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const kid = await kidOf(await crypto.subtle.exportKey('jwk', pair.publicKey));
    const now = Math.floor(Date.now() / 1000);
    const rogue = await issueCityCode(
      { iss: t.app.services.code.trust.issuerId('DSJ'), sub: 'ROGUE', iat: now, exp: now + 60, cti: 'abcdef012345', type: 'person', health: 'green', cards: [] },
      es256Signer(kid, pair.privateKey),
    );
    expect(await scan('hall', rogue)).toMatchObject({ decision: 'refuse', reason: 'unknown-key' });
  });

  it('tells each scenario what its policy allows', async () => {
    const bus = await scan('bus', await codeOf(zhang));
    expect(bus.decision).toBe('pass');
    expect(Object.keys(bus.subject)).toEqual(['rideAccount']);
    expect(bus.subject.rideAccount).toMatch(/^BUS-QD-/);

    const hospital = await scan('hospital', await codeOf(zhang));
    expect(hospital.subject).toMatchObject({ name: '张示例', health: 'green' });
    expect(hospital.subject.insuranceAccount).toMatch(/^MI-3702-/);

    const canteen = await scan('canteen', await codeOf(zhang));
    expect(Object.keys(canteen.subject)).toEqual(['mealAccount']);

    const hall = await scan('hall', await codeOf(zhang));
    expect(hall.subject.nameMasked).toBe('张**');
    expect(hall.subject.name).toBeUndefined();
    expect(hall.subject.idNumberMasked).toMatch(/^370202\*{8}[0-9X]{4}$/);
  });

  it('refuses by policy: a red health status on the bus, a missing bus account', async () => {
    const wang = await t.login('elder_wang');
    await t.app.services.code.cityCodes.setHealth(systemActor('test'), await userId('elder_wang'), 'red');
    const red = await scan('bus', await codeOf(wang));
    expect(red).toMatchObject({ decision: 'refuse', reason: 'scenario-not-allowed', subject: {} });
    // The hospital still takes a red code.
    expect((await scan('hospital', await codeOf(wang))).decision).toBe('pass');
    // An account without fused cards (admin) has no ride account.
    const admin = await t.login('admin');
    expect(await scan('bus', await codeOf(admin))).toMatchObject({ decision: 'refuse', reason: 'scenario-not-allowed' });
  });

  it('lets the bureau change a policy (data, not code)', async () => {
    const p = await dsj.put('/api/code/policies/canteen', { discloses: ['mealAccount', 'nameMasked'], requires: ['mealAccount'], refuseHealth: [] });
    expect(p.statusCode, p.body).toBe(200);
    const r = await scan('canteen', await codeOf(zhang));
    expect(r.subject).toMatchObject({ nameMasked: '张**' });
    const bad = await dsj.put('/api/code/policies/canteen', { discloses: ['mealAccount'], requires: ['name'], refuseHealth: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/requires/0');
    expect((await zhang.put('/api/code/policies/canteen', { discloses: [], requires: [], refuseHealth: [] })).statusCode).toBe(403);
  });
});

describe('partner platforms', () => {
  it('passes a registered partner city\'s code on signature, trust, time and replay; the subject is only what its claims carry', async () => {
    const gen = async () => (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const pub = async (k: CryptoKeyPair) => {
      const j = await crypto.subtle.exportKey('jwk', k.publicKey);
      return { kty: j.kty, crv: j.crv, x: j.x, y: j.y } as JsonWebKey;
    };
    const listKey = await gen();
    const codeKey = await gen();
    const listJwk = await pub(listKey);
    const codeJwk = await pub(codeKey);
    const codeKid = await kidOf(codeJwk);
    const now = new Date();
    const list: TrustList = {
      version: 1,
      platform: { id: 'CN-370600', name: '烟台市', url: 'https://yantai.example' },
      seq: 1,
      issuedAt: now.toISOString(),
      nextUpdate: new Date(now.getTime() + 86_400_000).toISOString(),
      keys: [{ kid: codeKid, issuer: 'CN-370600:DSJ', issuerName: '烟台市大数据局', uses: ['city-code'], jwk: codeJwk, notBefore: new Date(now.getTime() - 3600_000).toISOString(), notAfter: null }],
    };
    const jws = await signTrustList(list, es256Signer(await kidOf(listJwk), listKey.privateKey));
    const reg = await dsj.post('/api/trust/partners', { name: '烟台（测试）', trustListJws: jws, pinnedJwk: listJwk });
    expect(reg.statusCode, reg.body).toBe(201);
    t.app.services.code.cityCodes.invalidateTrust();

    const at = Math.floor(Date.now() / 1000);
    const partnerCode = (cti: string) =>
      issueCityCode({ iss: 'CN-370600:DSJ', sub: 'YT-PSEUDONYM-1', iat: at, exp: at + 60, cti, type: 'person', health: 'green', cards: [{ kind: 'bus', ref: 'YT-BUS-0001' }] }, es256Signer(codeKid, codeKey.privateKey));
    const code = await partnerCode('0a0b0c0d0e0f');
    const bus = await scan('bus', code);
    expect(bus).toMatchObject({ decision: 'pass', reason: 'ok', issuer: 'CN-370600:DSJ', kid: codeKid, trustList: 'CN-370600#1', local: false, subject: { rideAccount: 'YT-BUS-0001' } });
    expect(await scan('bus', code)).toMatchObject({ decision: 'refuse', reason: 'replayed' });
    // The hall is told only what the claims carry: no name or ID number from another city.
    const hall = await scan('hall', await partnerCode('1a1b1c1d1e1f'));
    expect(hall).toMatchObject({ decision: 'pass', subject: { health: 'green' } });
    expect(hall.subject.nameMasked).toBeUndefined();
    // The canteen needs a meal account only this platform holds.
    expect(await scan('canteen', await partnerCode('2a2b2c2d2e2f'))).toMatchObject({ decision: 'refuse', reason: 'scenario-not-allowed' });
  });
});

describe('freezing', () => {
  it('refuses codes at once when frozen, including codes issued before; unfreezing needs the password', async () => {
    const before = await codeOf(li);
    const unused = await codeOf(li);
    expect((await li.post('/api/code/me/freeze')).statusCode).toBe(200);
    expect(await scan('hall', before)).toMatchObject({ decision: 'refuse', reason: 'frozen' });
    const me = (await li.get('/api/code/me')).json();
    expect(me).toMatchObject({ frozen: true, payload: null });
    expect((await li.post('/api/code/me/freeze')).statusCode).toBe(409);

    const wrong = await li.post('/api/code/me/unfreeze', { password: 'not-my-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('/password');
    expect((await li.post('/api/code/me/unfreeze', { password: 'Qingdao@2026' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    // A code from before the freeze stays dead (a lost phone's screenshot); a new one passes.
    expect(await scan('hall', unused)).toMatchObject({ decision: 'refuse', reason: 'frozen' });
    expect(await scan('hall', await codeOf(li))).toMatchObject({ decision: 'pass' });
  });
});

describe('terminals', () => {
  it('stops a deactivated terminal\'s key, and a new key brings it back', async () => {
    const term = await makeTerminal('bus', 'gate 7');
    expect((await scanWith(term.key, await codeOf(zhang))).statusCode).toBe(200);
    // A patch that changes nothing (found by the fuzzer: it was a 500) answers the terminal as it is.
    const same = await dsj.patch(`/api/code/terminals/${term.id}`, { active: true });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ id: term.id, active: true });
    const off = await dsj.patch(`/api/code/terminals/${term.id}`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await scanWith(term.key, await codeOf(zhang))).statusCode).toBe(401);
    const rotated = await dsj.post(`/api/code/terminals/${term.id}/key`);
    expect(rotated.statusCode).toBe(201);
    expect((await scanWith(rotated.json().key, await codeOf(zhang))).json().decision).toBe('pass');
  });

  it('refuses the wrong callers', async () => {
    expect((await zhang.post('/api/code/scan', { payload: 'CC1:X' })).statusCode).toBe(403);
    expect((await t.anonymous().post('/api/code/scan', { payload: 'CC1:X' })).statusCode).toBe(401);
    expect((await zhang.get('/api/code/terminals')).statusCode).toBe(403);
    expect((await zhang.post('/api/code/terminals', { name: 'x', place: 'y', scenario: 'bus' })).statusCode).toBe(403);
    // A bureau officer holds no terminal key: scanning needs one.
    const admin = await t.login('admin');
    expect((await admin.post('/api/code/scan', { payload: 'CC1:X' })).statusCode).toBe(403);
    // Bad input names the field.
    const bad = await dsj.post('/api/code/terminals', { name: 'x', place: 'y', scenario: 'airport' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('scenario');
    const list = await dsj.get('/api/code/terminals?scenario=bus');
    expect(list.json().items.every((x: { scenario: string }) => x.scenario === 'bus')).toBe(true);
    expect(list.json().items[0]).not.toHaveProperty('key');
  });

  it('tells a terminal its own scenario and policy', async () => {
    const r = await t.inject({ method: 'GET', url: '/api/code/terminal', headers: { 'x-api-key': keys.hall.key } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ terminal: { scenario: 'hall' }, policy: { scenario: 'hall', discloses: ['nameMasked', 'idNumberMasked', 'health'] } });
    expect(r.json().skewSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('scan log and statistics', () => {
  it('shows a person where their code was scanned, and nobody else\'s', async () => {
    const mine = (await zhang.get('/api/code/me/scans?limit=200')).json();
    expect(mine.total).toBeGreaterThan(5);
    expect(mine.items[0]).toMatchObject({ terminalName: expect.any(String), scenario: expect.any(String), place: expect.any(String), decision: expect.stringMatching(/pass|refuse/) });
    expect(mine.items.some((s: { reason: string }) => s.reason === 'replayed')).toBe(true);
    const lis = (await li.get('/api/code/me/scans?limit=200')).json();
    expect(lis.items.every((s: { reason: string }) => ['frozen', 'ok'].includes(s.reason))).toBe(true);
    expect(lis.total).toBe(3);
    expect((await t.anonymous().get('/api/code/me/scans')).statusCode).toBe(401);
  });

  it('gives the bureau scans by scenario, reason and day; not citizens', async () => {
    const r = await dsj.get('/api/code/stats?days=7');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.total.pass).toBeGreaterThan(0);
    expect(s.total.refuse).toBeGreaterThan(0);
    expect(s.byScenario.map((x: { scenario: string }) => x.scenario)).toEqual(['bus', 'canteen', 'hall', 'hospital']);
    expect(s.byReason.find((x: { reason: string }) => x.reason === 'replayed').n).toBeGreaterThanOrEqual(1);
    expect(s.byDay).toHaveLength(1);
    expect((await zhang.get('/api/code/stats')).statusCode).toBe(403);
  });

  it('purges one-time ids once their codes can no longer pass', async () => {
    const codes = t.app.services.code.cityCodes;
    const later = new Date(Date.now() + 3600_000);
    const removed = await codes.purgeSeen(later);
    expect(removed).toBeGreaterThan(0);
    expect(await codes.purgeSeen(later)).toBe(0);
  });
});
