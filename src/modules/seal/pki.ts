// The platform's small certificate authority: RSA keys made with WebCrypto, X.509 certificates built
// and signed with pkijs. RSA (not ECDSA) because every PDF verifier we care about (poppler/NSS, Acrobat,
// pdf.js-based viewers) handles RSA PKCS#1 v1.5 signatures; the CA key is 3072 bits, seal keys 2048.
// (@peculiar/x509 would need the reflect-metadata polyfill installed globally; pkijs needs nothing.)
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const crypto = webcrypto as unknown as Crypto;
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto }));

export const RSA_SIGN: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

const OIDS = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  C: '2.5.4.6',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
};
const SHORT_NAME: Record<string, string> = { [OIDS.CN]: 'CN', [OIDS.O]: 'O', [OIDS.C]: 'C', '2.5.4.11': 'OU', '2.5.4.7': 'L', '2.5.4.8': 'ST' };

/** KeyUsage bits (RFC 5280 §4.2.1.3), bit 0 first. */
const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

export interface IssuedKey {
  certPem: string;
  certDer: Uint8Array;
  serial: string;
  /** PKCS#8 DER of the private key (the caller encrypts it before it is stored). */
  pkcs8: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

const toAb = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
const dayMs = 86_400_000;

async function rsaKeyPair(bits: number): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ ...RSA_SIGN, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']);
}

/** A positive 16-byte serial (RFC 5280: at most 20 octets, positive). */
function randomSerial(): Uint8Array {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] & 0x7f) | 0x10;
  return b;
}

function name(parts: { CN: string; O: string; C: string }): pkijs.RelativeDistinguishedNames {
  // One attribute per RDN (C, O, CN in that order). pkijs would put every attribute into a single
  // multi-valued RDN, so the Name is encoded here and read back (pkijs then keeps these exact bytes).
  const atvs = [
    new pkijs.AttributeTypeAndValue({ type: OIDS.C, value: new asn1js.PrintableString({ value: parts.C }) }),
    new pkijs.AttributeTypeAndValue({ type: OIDS.O, value: new asn1js.Utf8String({ value: parts.O }) }),
    new pkijs.AttributeTypeAndValue({ type: OIDS.CN, value: new asn1js.Utf8String({ value: parts.CN }) }),
  ];
  const der = new asn1js.Sequence({ value: atvs.map((a) => new asn1js.Set({ value: [a.toSchema()] })) }).toBER(false);
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

// UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: d });

function keyUsage(bits: string[]): pkijs.Extension {
  let value = 0;
  for (const b of bits) value |= 1 << (15 - KEY_USAGE_BITS.indexOf(b));
  const bytes = value & 0xff ? new Uint8Array([value >> 8, value & 0xff]) : new Uint8Array([value >> 8]);
  const last = bytes[bytes.length - 1];
  let unused = 0;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  const bitString = new asn1js.BitString({ valueHex: toAb(bytes), unusedBits: unused });
  return new pkijs.Extension({ extnID: OIDS.keyUsage, critical: true, extnValue: bitString.toBER(false), parsedValue: bitString });
}

function keyIdOf(spki: pkijs.PublicKeyInfo): Uint8Array {
  // Method (1) of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits.
  return new Uint8Array(createHash('sha1').update(Buffer.from(spki.subjectPublicKey.valueBlock.valueHexView)).digest());
}

async function build(input: {
  subject: { CN: string; O: string; C: string };
  issuer: pkijs.RelativeDistinguishedNames | null;
  notBefore: Date;
  notAfter: Date;
  keys: CryptoKeyPair;
  signingKey: CryptoKey;
  ca: boolean;
  usage: string[];
  authorityKeyId: Uint8Array | null;
}): Promise<IssuedKey> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomSerial();
  cert.serialNumber = new asn1js.Integer({ valueHex: toAb(serial) });
  const subject = name(input.subject);
  cert.subject = subject;
  cert.issuer = input.issuer ?? name(input.subject);
  cert.notBefore = time(input.notBefore);
  cert.notAfter = time(input.notAfter);
  await cert.subjectPublicKeyInfo.importKey(input.keys.publicKey);
  const bc = new pkijs.BasicConstraints(input.ca ? { cA: true, pathLenConstraint: 0 } : {});
  const ski = new asn1js.OctetString({ valueHex: toAb(keyIdOf(cert.subjectPublicKeyInfo)) });
  cert.extensions = [
    new pkijs.Extension({ extnID: OIDS.basicConstraints, critical: true, extnValue: bc.toSchema().toBER(false), parsedValue: bc }),
    keyUsage(input.usage),
    new pkijs.Extension({ extnID: OIDS.subjectKeyIdentifier, critical: false, extnValue: ski.toBER(false), parsedValue: ski }),
  ];
  if (input.authorityKeyId) {
    const aki = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toAb(input.authorityKeyId) }) });
    cert.extensions.push(new pkijs.Extension({ extnID: OIDS.authorityKeyIdentifier, critical: false, extnValue: aki.toSchema().toBER(false), parsedValue: aki }));
  }
  await cert.sign(input.signingKey, 'SHA-256');
  const certDer = new Uint8Array(cert.toSchema(true).toBER(false));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', input.keys.privateKey));
  return { certPem: toPem(certDer), certDer, serial: Buffer.from(serial).toString('hex'), pkcs8, notBefore: input.notBefore, notAfter: input.notAfter };
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

export function fromPem(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toAb(der));
}

/** Seconds are enough in a certificate; drop the milliseconds so what we store equals what it says. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** The root: a self-signed CA certificate that may only sign certificates and CRLs. */
export async function makeRootCa(input: { cityName: string; now?: Date; years?: number }): Promise<IssuedKey> {
  const now = input.now ?? new Date();
  const keys = await rsaKeyPair(3072);
  return build({
    subject: { CN: `${input.cityName}电子印章根证书`, O: input.cityName, C: 'CN' },
    issuer: null,
    notBefore: wholeSeconds(now.getTime() - 60_000),
    notAfter: wholeSeconds(now.getTime() + (input.years ?? 20) * 365 * dayMs),
    keys,
    signingKey: keys.privateKey,
    ca: true,
    usage: ['keyCertSign', 'cRLSign'],
    authorityKeyId: null,
  });
}

export async function importSigningKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', toAb(pkcs8), RSA_SIGN, false, ['sign']);
}

/** A seal certificate for a department: CN = department name, O = city; for signing documents only. */
export async function issueSealCertificate(input: { caCertDer: Uint8Array; caPkcs8: Uint8Array; departmentName: string; cityName: string; now?: Date; years?: number }): Promise<IssuedKey> {
  const now = input.now ?? new Date();
  const ca = parseCertificate(input.caCertDer);
  const caKey = await importSigningKey(input.caPkcs8);
  const keys = await rsaKeyPair(2048);
  // Never beyond the CA's own end: a chain is only as valid as its shortest link.
  const wanted = now.getTime() + (input.years ?? 3) * 365 * dayMs;
  return build({
    subject: { CN: input.departmentName, O: input.cityName, C: 'CN' },
    issuer: ca.subject,
    notBefore: wholeSeconds(now.getTime() - 60_000),
    notAfter: wholeSeconds(Math.min(wanted, ca.notAfter.value.getTime())),
    keys,
    signingKey: caKey,
    ca: false,
    usage: ['digitalSignature', 'nonRepudiation'],
    authorityKeyId: keyIdOf(ca.subjectPublicKeyInfo),
  });
}

export function nameToString(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map((tv) => `${SHORT_NAME[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`)
    .reverse()
    .join(', ');
}

export function nameAttribute(n: pkijs.RelativeDistinguishedNames, short: 'CN' | 'O'): string | null {
  const tv = n.typesAndValues.find((t) => t.type === OIDS[short]);
  return tv ? String((tv.value.valueBlock as { value?: unknown }).value ?? '') : null;
}

export interface CertificateDetails {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  keyUsage: string[];
  sha256Fingerprint: string;
}

export function certificateDetails(der: Uint8Array): CertificateDetails {
  const c = parseCertificate(der);
  const ku = c.extensions?.find((e) => e.extnID === OIDS.keyUsage);
  const usage: string[] = [];
  if (ku) {
    const bits = asn1js.fromBER(ku.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
    const bytes = bits.valueBlock.valueHexView;
    KEY_USAGE_BITS.forEach((n, i) => {
      if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) usage.push(n);
    });
  }
  const rsa = c.subjectPublicKeyInfo.parsedKey as pkijs.RSAPublicKey | undefined;
  const bits = rsa ? rsa.modulus.valueBlock.valueHexView.length * 8 - (rsa.modulus.valueBlock.valueHexView[0] === 0 ? 8 : 0) : 0;
  return {
    subject: nameToString(c.subject),
    issuer: nameToString(c.issuer),
    serial: Buffer.from(c.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: c.notBefore.value.toISOString(),
    notAfter: c.notAfter.value.toISOString(),
    keyAlgorithm: bits ? `RSA ${bits}` : c.subjectPublicKeyInfo.algorithm.algorithmId,
    keyUsage: usage,
    sha256Fingerprint: createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':'),
  };
}

/** True when `certDer` names the CA as issuer and its signature verifies with the CA's key. */
export async function signedByCa(certDer: Uint8Array, caCertDer: Uint8Array): Promise<boolean> {
  try {
    const cert = parseCertificate(certDer);
    const ca = parseCertificate(caCertDer);
    if (!cert.issuer.isEqual(ca.subject)) return false;
    return await cert.verify(ca);
  } catch {
    return false;
  }
}
