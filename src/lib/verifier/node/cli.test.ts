// `dq code verify` as a real process (`node bin/dq.js`): trust files in every accepted form, payloads
// from the argument and from stdin, each failing step reported, and the exit codes 0 / 1 / 2.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CborFloat, base45Decode, base45Encode, cborEncode, coseSign1Decode, issueCityCode, signTrustList, type CityCodeClaims } from '../index';
import { listKey, makeKey, makeList } from '../testing';
import { DCC_EKU, DCC_EKU_ALT } from '../hc1';
import { SAMPLE_TEST, makeDsc, makeHc1 } from './hc1-testing';

const DQ = path.resolve('bin/dq.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-code-verify-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dq(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [DQ, ...args], { cwd: tmp, env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
const file = (name: string, content: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
};

const T0 = Date.parse('2026-11-27T08:00:00Z') / 1000;
const AT = '2026-11-27T08:00:30Z';
const f: Record<string, string> = {};
let code = '';
let tampered = '';
let hc1 = '';
let hc1Test = '';
let hc1FloatExp = '';
let hc1StringExp = '';
let hc1VaccByTestDsc = '';

beforeAll(async () => {
  const listSigner = await makeKey();
  const other = await makeKey();
  const gaj = await makeKey();
  const list = makeList('CN-370600', [listKey(gaj, 'CN-370600:GAJ')], { nextUpdate: '2026-11-28T00:00:00Z' });
  const jws = await signTrustList(list, listSigner.signer);
  f.jws = file('list.jws', jws + '\n');
  f.apiList = file('list.json', JSON.stringify({ jws, list }));
  f.plainList = file('plain.json', JSON.stringify(list));
  f.pin = file('pin.json', JSON.stringify({ kid: listSigner.kid, jwk: listSigner.jwk }));
  f.otherPin = file('other.json', JSON.stringify(other.jwk));
  const claims: CityCodeClaims = { iss: 'CN-370600:GAJ', sub: 'p7kQ2mZx9TfA1wXy', iat: T0, exp: T0 + 60, cti: 'a1b2c3d4e5f60718', type: 'person', health: 'green', cards: [{ kind: 'bus', ref: 'BU7kQ2mZx9' }] };
  code = await issueCityCode(claims, gaj.signer);
  const msg = coseSign1Decode(base45Decode(code.slice(4)));
  const sig = msg.signature.slice();
  sig[0] ^= 0x80;
  tampered = 'CC1:' + base45Encode(cborEncode([msg.protectedBytes, new Map(), msg.payload, sig]));
  const dsc = await makeDsc({ ekus: [DCC_EKU.vaccination] });
  f.pem = file('dsc.pem', dsc.pem);
  f.b64 = file('dsc.b64', Buffer.from(dsc.der).toString('base64') + '\n');
  const iat = Date.parse('2021-06-01T00:00:00Z') / 1000;
  hc1 = await makeHc1(dsc, { iss: 'DE', iat, exp: iat + 365 * 86400 });
  hc1Test = await makeHc1(dsc, { iss: 'DE', iat, exp: iat + 365 * 86400, dcc: SAMPLE_TEST });
  // exp as a double float (0xfb) with a fraction, iat as a single float (0xfa)
  hc1FloatExp = await makeHc1(dsc, { iss: 'DE', iat: new CborFloat(iat, 32), exp: new CborFloat(iat + 365 * 86400 + 0.5, 64) });
  hc1StringExp = await makeHc1(dsc, { iss: 'DE', iat, exp: '2022-06-01T00:00:00Z' });
  const testOnly = await makeDsc({ ekus: [DCC_EKU_ALT.test], cn: 'DSC test-only' });
  f.testOnlyPem = file('dsc-test-only.pem', testOnly.pem);
  hc1VaccByTestDsc = await makeHc1(testOnly, { iss: 'DE', iat, exp: iat + 365 * 86400 });
});

describe.concurrent('dq code verify', () => {
  it('verifies a city code against a pinned JWS trust list (exit 0) and prints the decision', async () => {
    const r = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', AT, '--json', code]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({ valid: true, scheme: 'city', reason: 'ok', step: null, issuer: 'CN-370600:GAJ', trustList: 'CN-370600#1', warnings: [] });
    expect(d.claims).toMatchObject({ sub: 'p7kQ2mZx9TfA1wXy', health: 'green', cards: [{ kind: 'bus', ref: 'BU7kQ2mZx9' }] });
    const text = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', AT, code]);
    expect(text.stdout).toMatch(/^VALID city — ok/);
  });

  it('reads the payload from stdin and accepts {jws, list} and plain TrustList files (trusted locally, with a warning)', async () => {
    const a = await dq(['code', 'verify', '--trust', f.apiList, '--at', AT, '--json', '-'], code + '\n');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).warnings[0]).toMatch(/signature was not checked/);
    const b = await dq(['code', 'verify', '--trust', f.plainList, '--at', AT, '--json', code]);
    expect(b.code, b.stderr).toBe(0);
    const c = await dq(['code', 'verify', '--trust', f.apiList, '--pin', f.pin, '--at', AT, '--json', code]);
    expect(JSON.parse(c.stdout).warnings).toEqual([]);
  });

  it('reports the failing step with exit 1', async () => {
    const bad = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', AT, '--json', tampered]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, reason: 'bad-signature', step: 'signature' });
    const late = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', '2026-11-27T08:10:00Z', '--json', code]);
    expect(JSON.parse(late.stdout)).toMatchObject({ reason: 'expired', step: 'expiry' });
    const b45 = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', AT, '--json', 'CC1:abc']);
    expect(JSON.parse(b45.stdout)).toMatchObject({ reason: 'bad-base45', step: 'base45' });
    const prefix = await dq(['code', 'verify', '--scheme', 'city', '--trust', f.jws, '--pin', f.pin, '--at', AT, '--json', 'XX1:ABC']);
    expect(JSON.parse(prefix.stdout)).toMatchObject({ reason: 'bad-prefix', step: 'prefix' });
    // stale partner list (nextUpdate 2026-11-28 + 1 day of grace)
    const stale = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--at', '2026-11-29T01:00:00Z', '--skew', '999999', '--json', code]);
    expect(JSON.parse(stale.stdout)).toMatchObject({ reason: 'stale-trust-list', step: 'trust' });
    const own = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.pin, '--own', '--at', '2026-11-29T01:00:00Z', '--skew', '999999', '--json', code]);
    expect(JSON.parse(own.stdout)).toMatchObject({ reason: 'ok' });
  });

  it('refuses a trust list signed by a key other than the pin (exit 1)', async () => {
    const r = await dq(['code', 'verify', '--trust', f.jws, '--pin', f.otherPin, '--at', AT, '--json', code]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trust list refused \(untrusted-partner\)/);
  });

  it('verifies HC1 against PEM and base64 DER signer certificates, with each step', async () => {
    const ok = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', '--json', hc1]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, scheme: 'hc1', issuer: 'DE', claims: { type: 'vaccination' } });
    const b64 = await dq(['code', 'verify', '--scheme', 'hc1', '--trust', f.b64, '--at', '2021-07-01T00:00:00Z', '--json', hc1]);
    expect(b64.code, b64.stderr).toBe(0);
    const exp = await dq(['code', 'verify', '--trust', f.pem, '--at', '2023-07-01T00:00:00Z', '--json', hc1]);
    expect(exp.code).toBe(1);
    expect(JSON.parse(exp.stdout)).toMatchObject({ reason: 'expired', step: 'expiry' });
    const usage = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', '--json', hc1Test]);
    expect(JSON.parse(usage.stdout)).toMatchObject({ reason: 'key-usage', step: 'key-usage' });
    const zlib = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', '--json', 'HC1:' + base45Encode(Uint8Array.of(1, 2, 3))]);
    expect(JSON.parse(zlib.stdout)).toMatchObject({ reason: 'bad-zlib', step: 'zlib' });
  });

  it('HC1: a float exp is valid, a text exp is bad-claims, a vaccination signed by a test-only DSC is key-usage', async () => {
    const ok = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', '--json', hc1FloatExp]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, scheme: 'hc1', reason: 'ok', step: null, claims: { iat: 1622505600, exp: 1654041600, type: 'vaccination' } });
    const text = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', hc1FloatExp]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^VALID hc1 — ok\nmessage: valid EU DCC \(vaccination\)/);
    const str = await dq(['code', 'verify', '--trust', f.pem, '--at', '2021-07-01T00:00:00Z', '--json', hc1StringExp]);
    expect(str.code).toBe(1);
    expect(JSON.parse(str.stdout)).toMatchObject({ valid: false, reason: 'bad-claims', step: 'claims', message: expect.stringMatching(/^hc1 claims: exp \(4\) must be a number of seconds since the epoch, not text/) });
    const usage = await dq(['code', 'verify', '--trust', f.testOnlyPem, '--at', '2021-07-01T00:00:00Z', '--json', hc1VaccByTestDsc]);
    expect(usage.code).toBe(1);
    expect(JSON.parse(usage.stdout)).toMatchObject({ valid: false, reason: 'key-usage', step: 'key-usage', message: expect.stringContaining('may sign only test certificates') });
  });

  it('exits 2 on bad usage', async () => {
    expect((await dq(['code', 'verify', '--trust', f.jws, '--at', 'yesterday', code])).code).toBe(2);
    expect((await dq(['code', 'verify', '--at', AT, code])).code).toBe(2);
    expect((await dq(['code', 'verify', '--trust', path.join(tmp, 'missing'), code])).code).toBe(2);
    const wrongTrust = await dq(['code', 'verify', '--trust', f.jws, '--at', AT, hc1]);
    expect(wrongTrust.code).toBe(2);
    expect(wrongTrust.stderr).toMatch(/signer certificate/);
    expect((await dq(['code', 'verify', '--scheme', 'dcc', '--trust', f.jws, code])).code).toBe(2);
  });
});
