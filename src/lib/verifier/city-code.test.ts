import { describe, expect, it } from 'vitest';
import {
  CITY_CODE_PREFIX,
  TrustStore,
  base45Decode,
  base45Encode,
  cborEncode,
  coseSign1Decode,
  coseSign1Encode,
  issueCityCode,
  verifyCityCode,
  type CityCodeClaims,
} from './index';
import { listKey, makeKey, makeList, makeSource } from './testing';

const T0 = Date.parse('2026-11-27T08:00:00Z') / 1000;
const at = (sec: number) => new Date((T0 + sec) * 1000);

function claims(over: Partial<CityCodeClaims> = {}): CityCodeClaims {
  return {
    iss: 'CN-370200:GAJ',
    sub: 'p-7kQ2mZx9TfA1',
    iat: T0,
    exp: T0 + 60,
    cti: '0123456789abcdef0123456789abcdef',
    type: 'person',
    health: 'green',
    cards: [
      { kind: 'social-security', ref: 'SS-0001' },
      { kind: 'medical-insurance', ref: 'MI-0001' },
      { kind: 'bus', ref: 'BUS-0001' },
    ],
    ...over,
  };
}

async function setup() {
  const listSigner = await makeKey();
  const gaj = await makeKey();
  const hospitalOnly = await makeKey();
  const ownList = makeList('CN-370200', [
    listKey(gaj, 'CN-370200:GAJ', ['city-code']),
    listKey(hospitalOnly, 'CN-370200:WJW', ['certificate']),
  ]);
  const own = await makeSource(ownList, listSigner, { own: true });
  const trust = new TrustStore([own], { at: at(0) });
  return { gaj, hospitalOnly, own, trust, listSigner };
}

describe('city code', () => {
  it('issues a compact code that verifies with its claims, trust list and kid', async () => {
    const { gaj, trust } = await setup();
    const code = await issueCityCode(claims(), gaj.signer);
    expect(code.startsWith(CITY_CODE_PREFIX)).toBe(true);
    expect(code).toMatch(/^CC1:[0-9A-Z $%*+\-./:]+$/);
    expect(code.length).toBeLessThan(330);
    const d = await verifyCityCode(code, { trust, at: at(10) });
    expect(d).toMatchObject({ valid: true, reason: 'ok', scheme: 'city', kid: gaj.kid, issuer: 'CN-370200:GAJ', trustList: 'CN-370200#1' });
    expect(d.claims).toEqual(claims());
  });

  it('refuses each failing step with its own reason', async () => {
    const { gaj, hospitalOnly, trust } = await setup();
    const code = await issueCityCode(claims(), gaj.signer);
    const v = (p: string, o: Partial<Parameters<typeof verifyCityCode>[1]> = {}) => verifyCityCode(p, { trust, at: at(10), ...o }).then((d) => d.reason);

    expect(await v('HC1:' + code.slice(4))).toBe('bad-prefix');
    expect(await v('CC1:abc')).toBe('bad-base45');
    expect(await v('CC1:' + base45Encode(Uint8Array.of(0x84, 0x40)))).toBe('bad-cbor');
    expect(await v('CC1:' + base45Encode(cborEncode([1, 2, 3, 4])))).toBe('bad-cose');
    // tampered: one claim byte changed ('green' 1 → 'red' 3), signature left as it was
    const msg = coseSign1Decode(base45Decode(code.slice(4)));
    const payload = msg.payload.slice();
    const i = payload.findIndex((b, j) => b === 0x02 && payload[j + 1] === 0x01 && payload[j - 1] === 0x01); // {1: 1, 2: 1 ...
    expect(i).toBeGreaterThan(0);
    payload[i + 1] = 0x03;
    const tampered = 'CC1:' + base45Encode(cborEncode([msg.protectedBytes, new Map(), payload, msg.signature]));
    expect(await v(tampered)).toBe('bad-signature');
    // a flipped signature bit
    const sig = msg.signature.slice();
    sig[5] ^= 1;
    expect(await v('CC1:' + base45Encode(cborEncode([msg.protectedBytes, new Map(), msg.payload, sig])))).toBe('bad-signature');

    expect(await v(code, { at: at(60 + 301) })).toBe('expired');
    expect(await v(code, { at: at(60 + 299) })).toBe('ok'); // inside the skew
    expect(await v(code, { at: at(-301) })).toBe('not-yet-valid');
    expect(await v(code, { at: at(-299) })).toBe('ok');
    expect(await v(code, { at: at(61), skewSeconds: 0 })).toBe('expired');
    await expect(verifyCityCode(code, { trust, at: new Date('not a time') })).rejects.toThrow(TypeError);

    const unknown = await makeKey();
    expect(await v(await issueCityCode(claims(), unknown.signer))).toBe('unknown-key');
    expect(await v(await issueCityCode(claims({ iss: 'CN-370200:MZJ' }), gaj.signer))).toBe('wrong-issuer');
    expect(await v(await issueCityCode(claims({ iss: 'CN-370200:WJW' }), hospitalOnly.signer))).toBe('key-usage');

    const used = new Set<string>();
    const seen = (cti: string) => {
      const had = used.has(cti);
      used.add(cti);
      return had;
    };
    expect(await v(code, { seen })).toBe('ok');
    expect(await v(code, { seen })).toBe('replayed');
    expect(await v(await issueCityCode(claims({ cti: 'ff' }), gaj.signer), { seen })).toBe('ok');
  });

  it('refuses malformed claims as bad-claims', async () => {
    const { gaj, trust } = await setup();
    const sign = (payload: Uint8Array) =>
      coseSign1Encode({ protectedHeader: new Map<unknown, unknown>([[1, -7], [4, Uint8Array.from(atob(gaj.kid.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))]]), payload }, gaj.signer.sign).then((b) => 'CC1:' + base45Encode(b));
    const noCity = new Map<number, unknown>([[1, 'CN-370200:GAJ'], [2, 's'], [4, T0 + 60], [6, T0], [7, Uint8Array.of(1)]]);
    expect((await verifyCityCode(await sign(cborEncode(noCity)), { trust, at: at(0) })).reason).toBe('bad-claims');
    const badHealth = new Map(noCity).set(-70001, new Map<number, unknown>([[1, 1], [2, 9], [3, []]]));
    expect((await verifyCityCode(await sign(cborEncode(badHealth)), { trust, at: at(0) })).reason).toBe('bad-claims');
    const ok = new Map(noCity).set(-70001, new Map<number, unknown>([[1, 1], [2, 2], [3, []]]));
    const d = await verifyCityCode(await sign(cborEncode(ok)), { trust, at: at(0) });
    expect(d.reason).toBe('ok');
    expect(d.claims?.health).toBe('yellow');
    // ES256 must be named in the protected header
    const noAlg = await coseSign1Encode({ protectedHeader: new Map<unknown, unknown>([[4, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)]]), payload: cborEncode(ok) }, gaj.signer.sign);
    expect((await verifyCityCode('CC1:' + base45Encode(noAlg), { trust, at: at(0) })).reason).toBe('bad-cose');
    await expect(issueCityCode(claims({ cti: 'XYZ' }), gaj.signer)).rejects.toThrow(/cti/);
    await expect(issueCityCode(claims({ exp: T0 }), gaj.signer)).rejects.toThrow(/exp/);
  });

  it('keeps verifying codes signed by a rotated key inside its window, and refuses outside (key-expired)', async () => {
    const listSigner = await makeKey();
    const oldKey = await makeKey();
    const newKey = await makeKey();
    const list = makeList('CN-370200', [
      listKey(oldKey, 'CN-370200:GAJ', ['city-code'], { notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-11-27T09:00:00Z' }),
      listKey(newKey, 'CN-370200:GAJ', ['city-code'], { notBefore: '2026-11-27T07:00:00Z' }),
    ]);
    const trust = new TrustStore([await makeSource(list, listSigner, { own: true })], { at: at(0) });
    expect((await verifyCityCode(await issueCityCode(claims(), oldKey.signer), { trust, at: at(0) })).reason).toBe('ok');
    expect((await verifyCityCode(await issueCityCode(claims(), newKey.signer), { trust, at: at(0) })).reason).toBe('ok');
    const late = claims({ iat: T0 + 7200, exp: T0 + 7260 });
    const trustLate = new TrustStore(trust.sources, { at: at(7200) });
    expect((await verifyCityCode(await issueCityCode(late, oldKey.signer), { trust: trustLate, at: at(7200) })).reason).toBe('key-expired');
    const early = claims({ iat: T0 - 7200, exp: T0 - 7140 });
    expect((await verifyCityCode(await issueCityCode(early, newKey.signer), { trust: new TrustStore(trust.sources, { at: at(-7200) }), at: at(-7200) })).reason).toBe('key-expired');
  });

  it('trusts a partner city after exchanging lists; warns, then refuses a stale list; refuses an untrusted partner', async () => {
    const { own } = await setup();
    const yantaiListKey = await makeKey();
    const yantaiGaj = await makeKey();
    const yList = makeList('CN-370600', [listKey(yantaiGaj, 'CN-370600:GAJ')], { nextUpdate: '2026-11-27T08:00:00Z' });
    const yantai = await makeSource(yList, yantaiListKey);
    const code = await issueCityCode(claims({ iss: 'CN-370600:GAJ' }), yantaiGaj.signer);
    const verifyAt = (sec: number, sources = [own, yantai]) => verifyCityCode(code, { trust: new TrustStore(sources, { at: at(sec), graceSeconds: 3600 }), at: at(sec), skewSeconds: 1e9 });

    const fresh = await verifyAt(0);
    expect(fresh).toMatchObject({ valid: true, trustList: 'CN-370600#1', warnings: [] });
    const warn = await verifyAt(1800);
    expect(warn.valid).toBe(true);
    expect(warn.warnings[0]).toMatch(/CN-370600#1 was due for update/);
    expect((await verifyAt(3601)).reason).toBe('stale-trust-list');
    expect((await verifyAt(0, [own, { ...yantai, untrusted: { reason: 'partner deactivated' } }])).reason).toBe('untrusted-partner');
    expect((await verifyAt(0, [own])).reason).toBe('unknown-key');
    // Own lists are never stale, whatever their nextUpdate says.
    const ownOld = { ...own, list: { ...own.list, nextUpdate: '2000-01-01T00:00:00Z' } };
    const { gaj } = await setup();
    const ownCode = await issueCityCode(claims(), gaj.signer);
    const ownSrc = { ...ownOld, list: { ...ownOld.list, keys: [listKey(gaj, 'CN-370200:GAJ')] } };
    expect((await verifyCityCode(ownCode, { trust: new TrustStore([ownSrc], { at: at(0) }), at: at(0) })).reason).toBe('ok');
  });
});
