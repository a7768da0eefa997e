import { describe, expect, it } from 'vitest';
import { DCC_EKU, base45Decode, base45Encode, cborEncode, coseSign1Decode, coseSign1Encode, detectScheme, verifyHc1, zlibDeflate, zlibInflate, type Hc1Signer } from './index';
import { SAMPLE_TEST, makeDsc, makeHc1 } from './node/hc1-testing';
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

  it('refuses text that is not a certificate', async () => {
    await expect(parseSignerCertificates('hello')).rejects.toThrow(/base64|certificate/);
    await expect(parseSignerCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).rejects.toThrow(/X.509/);
  });
});
