// Tests only: real EU DCC signer certificates (X.509 built with pkijs, issued by a test CSCA) and real
// HC1 payloads built the way a member state's issuer builds them (CWT → COSE_Sign1 → zlib → Base45).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { base45Encode } from '../base45';
import { b64uDecode, buf } from '../bytes';
import { cborEncode } from '../cbor';
import { COSE, coseSign1Encode } from '../cose';
import { HCERT_CLAIM } from '../hc1';
import { kidOfDer } from '../keys';
import { zlibDeflate } from '../zlib';

pkijs.setEngine('verifier-tests', new pkijs.CryptoEngine({ name: 'verifier-tests', crypto: globalThis.crypto }));

export interface TestDsc {
  kid: string;
  der: Uint8Array;
  pem: string;
  privateKey: CryptoKey;
  alg: 'ES256' | 'PS256';
}

function rdn(cn: string, c: string): pkijs.RelativeDistinguishedNames {
  const atvs = [
    new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: c }) }),
    new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
  ];
  const der = new asn1js.Sequence({ value: atvs.map((a) => new asn1js.Set({ value: [a.toSchema()] })) }).toBER(false);
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

let csca: Promise<CryptoKeyPair> | undefined;

/** A DSC issued by the test CSCA. `ekus`: the extended key usage OIDs to list (any combination, DCC or
 *  not); absent or empty: no extendedKeyUsage extension at all. */
export async function makeDsc(opts: { alg?: 'ES256' | 'PS256'; ekus?: string[]; notBefore?: Date; notAfter?: Date; cn?: string } = {}): Promise<TestDsc> {
  const alg = opts.alg ?? 'ES256';
  const params =
    alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSA-PSS', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  csca ??= crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: Math.floor(Math.random() * 1e9) + 1 });
  cert.issuer = rdn('CSCA test', 'DE');
  cert.subject = rdn(opts.cn ?? 'DSC test', 'DE');
  cert.notBefore = new pkijs.Time({ type: 0, value: opts.notBefore ?? new Date('2021-01-01T00:00:00Z') });
  cert.notAfter = new pkijs.Time({ type: 0, value: opts.notAfter ?? new Date('2031-01-01T00:00:00Z') });
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  if (opts.ekus?.length) {
    const eku = new pkijs.ExtKeyUsage({ keyPurposes: opts.ekus });
    cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.37', critical: false, extnValue: eku.toSchema().toBER(false), parsedValue: eku })];
  }
  await cert.sign((await csca).privateKey, 'SHA-256');
  const der = new Uint8Array(cert.toSchema(true).toBER(false));
  const b64 = Buffer.from(der).toString('base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  return { kid: await kidOfDer(der), der, pem, privateKey: keys.privateKey, alg };
}

export const SAMPLE_VACCINATION = {
  ver: '1.3.0',
  nam: { fn: 'Mustermann', gn: 'Erika', fnt: 'MUSTERMANN', gnt: 'ERIKA' },
  dob: '1964-08-12',
  v: [{ tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 2, dt: '2021-05-29', co: 'DE', is: 'Robert Koch-Institut', ci: 'URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W' }],
};
export const SAMPLE_TEST = {
  ver: '1.3.0',
  nam: { fn: 'Mustermann', gn: 'Erika', fnt: 'MUSTERMANN', gnt: 'ERIKA' },
  dob: '1964-08-12',
  t: [{ tg: '840539006', tt: 'LP6464-4', sc: '2021-05-30T10:12:22Z', tr: '260415000', tc: 'Testzentrum', co: 'DE', is: 'Robert Koch-Institut', ci: 'URN:UVCI:01DE/TZ12345/ABC#1' }],
};

export const SAMPLE_RECOVERY = {
  ver: '1.3.0',
  nam: { fn: 'Mustermann', gn: 'Erika', fnt: 'MUSTERMANN', gnt: 'ERIKA' },
  dob: '1964-08-12',
  r: [{ tg: '840539006', fr: '2021-04-21', co: 'DE', is: 'Robert Koch-Institut', df: '2021-05-01', du: '2021-10-21', ci: 'URN:UVCI:01DE/5CWLU12RNOB9RXSEOP6FG8#W' }],
};
/** The sample payload of each certificate type. */
export const SAMPLE_DCC = { vaccination: SAMPLE_VACCINATION, test: SAMPLE_TEST, recovery: SAMPLE_RECOVERY } as const;

/** An HC1 payload signed by `dsc` (the DCC JSON becomes text-keyed CBOR maps). `iat` and `exp` are
 *  written as given (a number, a CborFloat of a chosen width, a CborTag, even text; undefined leaves
 *  the claim out). `kidIn: 'both'` puts the kid in the protected header and `unprotectedKid` (default:
 *  eight zero bytes) in the unprotected one. */
export async function makeHc1(
  dsc: TestDsc,
  claims: { iss?: string; iat: unknown; exp: unknown; dcc?: Record<string, unknown> },
  opts: { kidIn?: 'protected' | 'unprotected' | 'both'; unprotectedKid?: Uint8Array; tagged?: boolean; compress?: boolean } = {},
): Promise<string> {
  const kid = b64uDecode(dsc.kid);
  const cwt = new Map<number, unknown>([
    ...(claims.iss ? ([[1, claims.iss]] as [number, unknown][]) : []),
    ...(claims.exp === undefined ? [] : ([[4, claims.exp]] as [number, unknown][])),
    ...(claims.iat === undefined ? [] : ([[6, claims.iat]] as [number, unknown][])),
    [HCERT_CLAIM, new Map([[1, claims.dcc ?? SAMPLE_VACCINATION]])],
  ]);
  const algId = dsc.alg === 'ES256' ? COSE.ES256 : COSE.PS256;
  const kidIn = opts.kidIn ?? 'protected';
  const protectedHeader = new Map<unknown, unknown>([[COSE.alg, algId], ...(kidIn !== 'unprotected' ? ([[COSE.kid, kid]] as [unknown, unknown][]) : [])]);
  const unprotectedKid = kidIn === 'both' ? (opts.unprotectedKid ?? new Uint8Array(8)) : kid;
  const unprotectedHeader = new Map<unknown, unknown>(kidIn !== 'protected' ? [[COSE.kid, unprotectedKid]] : []);
  const sign = async (tbs: Uint8Array) =>
    new Uint8Array(await crypto.subtle.sign(dsc.alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSA-PSS', saltLength: 32 }, dsc.privateKey, buf(tbs)));
  const cose = await coseSign1Encode({ protectedHeader, unprotectedHeader, payload: cborEncode(cwt) }, sign, { tagged: opts.tagged ?? true });
  return 'HC1:' + base45Encode(opts.compress === false ? cose : await zlibDeflate(cose));
}
