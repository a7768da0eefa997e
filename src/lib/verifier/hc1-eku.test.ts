// DSC extended key usage (eHN DCC technical specification, DSC profile): every combination of the DCC
// usage OIDs (both arcs, and a non-DCC usage) × every certificate type. Each case builds a real DSC,
// signs a real HCERT with it and verifies it: valid exactly when the type is among the usages listed
// (their union), or when the DSC lists no DCC usage at all.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DCC_EKU, DCC_EKU_ALT, dccTypesAllowed, verifyHc1, type DccType } from './index';
import { SAMPLE_DCC, makeDsc, makeHc1 } from './node/hc1-testing';
import { parseSignerCertificates } from './node/signer-certs';

const IAT = Date.parse('2021-06-01T00:00:00Z') / 1000;
const EXP = IAT + 365 * 86400;
const AT = new Date('2021-07-01T00:00:00Z');
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const { test: T, vaccination: V, recovery: R } = DCC_EKU;
const { test: T_ALT, vaccination: V_ALT, recovery: R_ALT } = DCC_EKU_ALT;

/** name, the DSC's EKU OIDs (undefined: no extension), the types it may sign. */
const COMBOS: [string, string[] | undefined, DccType[]][] = [
  ['no EKU extension', undefined, ['vaccination', 'test', 'recovery']],
  ['serverAuth only', [SERVER_AUTH], ['vaccination', 'test', 'recovery']],
  ['test', [T], ['test']],
  ['vaccination', [V], ['vaccination']],
  ['recovery', [R], ['recovery']],
  ['test + vaccination', [T, V], ['test', 'vaccination']],
  ['test + recovery', [T, R], ['test', 'recovery']],
  ['vaccination + recovery', [V, R], ['vaccination', 'recovery']],
  ['all three', [T, V, R], ['vaccination', 'test', 'recovery']],
  ['alt test', [T_ALT], ['test']],
  ['alt vaccination', [V_ALT], ['vaccination']],
  ['alt recovery', [R_ALT], ['recovery']],
  ['test + alt vaccination', [T, V_ALT], ['test', 'vaccination']],
  ['alt test + recovery', [T_ALT, R], ['test', 'recovery']],
  ['vaccination + alt vaccination', [V, V_ALT], ['vaccination']],
  ['serverAuth + recovery', [SERVER_AUTH, R], ['recovery']],
];
const TYPES: DccType[] = ['vaccination', 'test', 'recovery'];
const CASES = COMBOS.flatMap(([name, ekus, allowed]) => TYPES.map((type) => [name, ekus, type, allowed.includes(type)] as const));

describe.concurrent('HC1: DSC extended key usage', () => {
  it.each(CASES)('DSC with %s signing a %s certificate', async (_name, ekus, type, valid) => {
    const dsc = await makeDsc({ ekus });
    // The builder writes a standard extendedKeyUsage extension (node's own X.509 parser reads it back).
    expect(new X509Certificate(dsc.pem).keyUsage ?? []).toEqual(ekus ?? []);
    const signers = await parseSignerCertificates(dsc.pem);
    expect(signers[0].keyUsage).toEqual(ekus ?? []);
    const hc1 = await makeHc1(dsc, { iss: 'DE', iat: IAT, exp: EXP, dcc: SAMPLE_DCC[type] });
    const d = await verifyHc1(hc1, { signers, at: AT });
    if (valid) {
      expect(d, d.message).toMatchObject({ valid: true, reason: 'ok', claims: { type } });
    } else {
      expect(d).toMatchObject({ valid: false, reason: 'key-usage', kid: dsc.kid, claims: { type } });
      expect(d.message).toContain(`a ${type} certificate`);
      expect(d.message).toContain(`may sign only ${dccTypesAllowed(ekus).join(', ')} certificates`);
    }
  });

  it('derives the allowed types as the union of the listed DCC usages', () => {
    expect(CASES.length).toBe(COMBOS.length * 3);
    for (const [, ekus, allowed] of COMBOS) expect(new Set(dccTypesAllowed(ekus))).toEqual(new Set(allowed));
  });
});
