import { describe, expect, it } from 'vitest';
import {
  CborFloat,
  CborTag,
  DCC_EKU,
  DCC_EKU_ALT,
  base45Decode,
  base45Encode,
  cborEncode,
  coseSign1Decode,
  coseSign1Encode,
  detectScheme,
  verifyHc1,
  zlibDeflate,
  zlibInflate,
  type Hc1Signer,
} from './index';
import { SAMPLE_RECOVERY, SAMPLE_TEST, SAMPLE_VACCINATION, makeDsc, makeHc1 } from './node/hc1-testing';
import { parseSignerCertificates, signerFromDer } from './node/signer-certs';

const IAT = Date.parse('2021-06-01T00:00:00Z') / 1000;
const EXP = IAT + 365 * 86400;
const AT = new Date('2021-07-01T00:00:00Z');

describe('EU DCC (HC1) adapter', () => {
  it('verifies a real HC1 payload against its signer certificate (PEM or base64 DER), kid in either header', async () => {
    const dsc = await makeDsc();
    const fromPem = await parseSignerCertificates(dsc.pem);
    const fromB64 = await parseSignerCertificates(Buffer.from(dsc.der).toString('base64') + '\n');
    expect(fromPem[0].kid).toBe(dsc.kid);
    expect(fromB64[0].kid).toBe(dsc.kid);
    expect(fromPem[0].subject).toBe("C=DE, CN=DSC test");
    for (const kidIn of ['protected', 'unprotected'] as const) {
      for (const tagged of [true, false]) {
        const hc1 = await makeHc1(dsc, { iss: 'DE', iat: IAT, exp: EXP }, { kidIn, tagged });
        expect(detectScheme(hc1)).toBe('hc1');
        const d = await verifyHc1(hc1, { signers: fromPem, at: AT });
        expect(d).toMatchObject({ valid: true, reason: 'ok', scheme: 'hc1', issuer: 'DE', kid: dsc.kid });
        expect(d.claims?.type).toBe('vaccination');
        expect((d.claims?.dcc as { nam: { fn: string } }).nam.fn).toBe('Mustermann');
      }
    }
  });

  it('verifies PS256 (RSA-PSS) signers', async () => {
    const dsc = await makeDsc({ alg: 'PS256' });
    const signers = await parseSignerCertificates(dsc.pem);
    expect((await verifyHc1(await makeHc1(dsc, { iss: 'FR', iat: IAT, exp: EXP }), { signers, at: AT })).reason).toBe('ok');
  });

  it('reports the step that failed', async () => {
    const dsc = await makeDsc();
    const other = await makeDsc();
    const signers = [await signerFromDer(dsc.der)];
    const good = await makeHc1(dsc, { iss: 'DE', iat: IAT, exp: EXP });
    const reason = async (p: string, s: Hc1Signer[] = signers, at = AT) => (await verifyHc1(p, { signers: s, at })).reason;
    expect(await reason('HC2:' + good.slice(4))).toBe('bad-prefix');
    expect(await reason('HC1:not base45')).toBe('bad-base45');
    expect(await reason(await makeHc1(dsc, { iss: 'DE', iat: IAT, exp: EXP }, { compress: false }))).toBe('bad-zlib');
    expect(await reason('HC1:' + base45Encode(await zlibDeflate(Uint8Array.of(0x84, 0x01))))).toBe('bad-cbor');
    expect(await reason('HC1:' + base45Encode(await zlibDeflate(cborEncode(['a', 'b']))))).toBe('bad-cose');
    // COSE_Sign1 around a payload without the hcert claim
    const noHcert = await coseSign1Encode({ protectedHeader: new Map<unknown, unknown>([[1, -7], [4, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)]]), payload: cborEncode(new Map([[4, EXP], [6, IAT]])) }, async () => new Uint8Array(64));
    expect(await reason('HC1:' + base45Encode(await zlibDeflate(noHcert)))).toBe('bad-claims');
    // signed by another key under the same kid: the signature step fails
    expect(await reason(good, [{ ...signers[0], publicKey: (await signerFromDer(other.der)).publicKey }])).toBe('bad-signature');
    // a changed payload byte
    const cose = coseSign1Decode(await zlibInflate(base45Decode(good.slice(4))));
    const payload = cose.payload.slice();
    const at = new TextDecoder('latin1').decode(payload).indexOf('Mustermann');
    payload[at] = 'N'.charCodeAt(0);
    const tampered = 'HC1:' + base45Encode(await zlibDeflate(cborEncode([cose.protectedBytes, cose.unprotectedHeader, payload, cose.signature])));
    expect(await reason(tampered)).toBe('bad-signature');
    expect(await reason(good, [await signerFromDer(other.der)])).toBe('unknown-key');
    expect(await reason(good, signers, new Date((EXP + 301) * 1000))).toBe('expired');
    expect(await reason(good, signers, new Date((IAT - 301) * 1000))).toBe('not-yet-valid');
  });

  it('restricts signers by the DCC extended key usages (key-usage) and by certificate validity (key-expired)', async () => {
    const vaccOnly = await makeDsc({ ekus: [DCC_EKU.vaccination] });
    const signers = await parseSignerCertificates(vaccOnly.pem);
    expect(signers[0].keyUsage).toEqual([DCC_EKU.vaccination]);
    expect((await verifyHc1(await makeHc1(vaccOnly, { iat: IAT, exp: EXP }), { signers, at: AT })).reason).toBe('ok');
    const test = await makeHc1(vaccOnly, { iat: IAT, exp: EXP, dcc: SAMPLE_TEST });
    expect((await verifyHc1(test, { signers, at: AT })).reason).toBe('key-usage');
    // A certificate with no DCC EKU may sign every type.
    const any = await makeDsc({ ekus: ['1.3.6.1.5.5.7.3.4'] });
    expect((await verifyHc1(await makeHc1(any, { iat: IAT, exp: EXP, dcc: SAMPLE_TEST }), { signers: await parseSignerCertificates(any.pem), at: AT })).reason).toBe('ok');
    const old = await makeDsc({ notBefore: new Date('2019-01-01T00:00:00Z'), notAfter: new Date('2020-01-01T00:00:00Z') });
    expect((await verifyHc1(await makeHc1(old, { iat: IAT, exp: EXP }), { signers: await parseSignerCertificates(old.pem), at: AT })).reason).toBe('key-expired');
  });

  it('refuses a vaccination certificate signed by a test-only DSC (alternative arc)', async () => {
    const testOnly = await makeDsc({ ekus: [DCC_EKU_ALT.test] });
    const signers = await parseSignerCertificates(testOnly.pem);
    const d = await verifyHc1(await makeHc1(testOnly, { iss: 'DE', iat: IAT, exp: EXP }), { signers, at: AT });
    expect(d).toMatchObject({ valid: false, reason: 'key-usage', claims: { type: 'vaccination' } });
    expect(d.message).toBe('a vaccination certificate, but its signer certificate (DSC) may sign only test certificates (extended key usage)');
  });

  it('takes the kid from the protected header when both headers carry one', async () => {
    const dsc = await makeDsc();
    const signers = await parseSignerCertificates(dsc.pem);
    const d = await verifyHc1(await makeHc1(dsc, { iat: IAT, exp: EXP }, { kidIn: 'both', unprotectedKid: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) }), { signers, at: AT });
    expect(d).toMatchObject({ valid: true, reason: 'ok', kid: dsc.kid });
  });

  it('reads exp and iat as any CBOR number (int, half/single/double float, tag 1), truncated to seconds', async () => {
    const dsc = await makeDsc();
    const signers = await parseSignerCertificates(dsc.pem);
    const claimsOf = async (iat: unknown, exp: unknown) => {
      const d = await verifyHc1(await makeHc1(dsc, { iat, exp }), { signers, at: AT });
      expect(d, d.message).toMatchObject({ valid: true, reason: 'ok' });
      return [d.claims!.iat, d.claims!.exp];
    };
    // 1656633600 (2022-07-01) and 1622505600 (2021-06-01) are exact in a single float.
    expect(await claimsOf(new CborFloat(IAT, 32), new CborFloat(1656633600, 32))).toEqual([IAT, 1656633600]);
    expect(await claimsOf(new CborFloat(IAT + 0.75, 64), new CborFloat(EXP + 0.999, 64))).toEqual([IAT, EXP]);
    expect(await claimsOf(IAT + 0.5, EXP - 0.5)).toEqual([IAT, EXP - 1]);
    expect(await claimsOf(new CborTag(1, IAT), new CborTag(1, new CborFloat(EXP + 0.25, 64)))).toEqual([IAT, EXP]);
    // A half float holds only small numbers: iat 2048 lies before the certificate, so the time check
    // runs (and refuses) on the decoded value.
    const half = await verifyHc1(await makeHc1(dsc, { iat: new CborFloat(2048, 16), exp: EXP }), { signers, at: AT });
    expect(half).toMatchObject({ reason: 'key-expired', claims: { iat: 2048 } });
    // A float exp in the past still expires.
    expect((await verifyHc1(await makeHc1(dsc, { iat: IAT, exp: new CborFloat(IAT + 10.5, 64) }), { signers, at: AT })).reason).toBe('expired');
  });

  it('refuses exp or iat that are not numbers (bad-claims naming the claim)', async () => {
    const dsc = await makeDsc();
    const signers = await parseSignerCertificates(dsc.pem);
    const cases: [unknown, unknown, RegExp][] = [
      [IAT, String(EXP), /exp \(4\) must be a number of seconds since the epoch, not text/],
      [IAT, Uint8Array.of(1, 2), /exp \(4\) .* not a byte string/],
      [IAT, new Map([[1, EXP]]), /exp \(4\) .* not a map/],
      [IAT, NaN, /exp \(4\) .* not NaN/],
      [IAT, new CborFloat(Infinity, 16), /exp \(4\) .* not an infinite number/],
      [IAT, undefined, /exp \(4\) .* not missing/],
      [IAT, true, /exp \(4\) .* not a boolean/],
      [IAT, new CborTag(1, '2022-07-01'), /exp \(4\) .* not tag 1 around text/],
      [IAT, new CborTag(0, '2022-07-01T00:00:00Z'), /exp \(4\) .* not tag 0/],
      ['2021-06-01', EXP, /iat \(6\) .* not text/],
      [new CborFloat(NaN, 32), EXP, /iat \(6\) .* not NaN/],
    ];
    for (const [iat, exp, message] of cases) {
      const d = await verifyHc1(await makeHc1(dsc, { iat, exp }), { signers, at: AT });
      expect(d.reason).toBe('bad-claims');
      expect(d.message).toMatch(message);
    }
  });

  it('checks the payload against the DCC schema 1.3.0: structure only, any 1.x version, extra members allowed', async () => {
    const dsc = await makeDsc();
    const signers = await parseSignerCertificates(dsc.pem);
    const verify = async (dcc: Record<string, unknown>) => verifyHc1(await makeHc1(dsc, { iss: 'DE', iat: IAT, exp: EXP, dcc }), { signers, at: AT });
    for (const ver of ['1.0.0', '1.2.1', '1.3.0', '1.9.12']) expect((await verify({ ...SAMPLE_VACCINATION, ver })).reason).toBe('ok');
    const extra = await verify({ ...SAMPLE_VACCINATION, xx: { national: true }, nam: { ...SAMPLE_VACCINATION.nam, extra: 1 }, v: [{ ...SAMPLE_VACCINATION.v[0], vendorField: 'x' }] });
    expect(extra).toMatchObject({ valid: true, claims: { dcc: { xx: { national: true } } } });
    // Codes outside the value sets, a partial date of birth, a test without a testing centre, recovery.
    expect((await verify({ ...SAMPLE_VACCINATION, dob: '1964', v: [{ ...SAMPLE_VACCINATION.v[0], mp: 'NOT-IN-VALUESET', co: 'ZZ' }] })).reason).toBe('ok');
    const { tc: _tc, ...noTc } = SAMPLE_TEST.t[0];
    expect((await verify({ ...SAMPLE_TEST, t: [noTc] })).claims?.type).toBe('test');
    expect((await verify(SAMPLE_RECOVERY)).claims?.type).toBe('recovery');

    const refused: [Record<string, unknown>, string][] = [
      [{ ...SAMPLE_VACCINATION, ver: '2.0.0' }, 'DCC payload /ver: schema version 2.0.0 is not supported'],
      [{ ...SAMPLE_VACCINATION, ver: undefined }, 'DCC payload /ver: is required'],
      [{ ...SAMPLE_VACCINATION, nam: { fn: 'Mustermann' } }, 'DCC payload /nam/fnt: is required'],
      [{ ...SAMPLE_VACCINATION, nam: { ...SAMPLE_VACCINATION.nam, gn: Uint8Array.of(0x45) } }, 'DCC payload /nam/gn: must be text, not a byte string'],
      [{ ...SAMPLE_VACCINATION, dob: '12.08.1964' }, 'DCC payload /dob:'],
      [{ ...SAMPLE_VACCINATION, t: SAMPLE_TEST.t }, 'DCC payload /t: the DCC holds v and t'],
      [{ ...SAMPLE_VACCINATION, v: [] }, 'DCC payload /v: must be a non-empty array'],
      [{ ver: '1.3.0', nam: SAMPLE_VACCINATION.nam, dob: '1964-08-12' }, 'DCC payload (root): the DCC must hold one of v'],
      [{ ...SAMPLE_VACCINATION, v: [{ ...SAMPLE_VACCINATION.v[0], dn: undefined }] }, 'DCC payload /v/0/dn: is required'],
      [{ ...SAMPLE_VACCINATION, v: [{ ...SAMPLE_VACCINATION.v[0], sd: 1.5 }] }, 'DCC payload /v/0/sd: must be an integer ≥ 1, not 1.5'],
      [{ ...SAMPLE_TEST, t: [{ ...SAMPLE_TEST.t[0], sc: 1622505600 }] }, 'DCC payload /t/0/sc: must be text, not a number'],
      [{ ...SAMPLE_RECOVERY, r: [{ ...SAMPLE_RECOVERY.r[0], du: undefined }] }, 'DCC payload /r/0/du: is required'],
    ];
    for (const [dcc, message] of refused) {
      const d = await verify(dcc);
      expect(d.reason, message).toBe('bad-claims');
      expect(d.message).toContain(message);
    }
  });

  it('refuses text that is not a certificate', async () => {
    await expect(parseSignerCertificates('hello')).rejects.toThrow(/base64|certificate/);
    await expect(parseSignerCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).rejects.toThrow(/X.509/);
  });
});
