// CMS SignedData for PDF signatures (RFC 5652, detached): made with pkijs for a PAdES baseline-B
// signature (signed attributes contentType, messageDigest, signingTime and ESS signing-certificate-v2),
// and read back for verification, where the signature over the signed attributes is checked with Node's
// own crypto so no library decides for us what "valid" means.
import { createHash, createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

const HASH_OF: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

const toAb = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toAb(der));
}

/** ESS SigningCertificateV2 { certs: [ESSCertIDv2 { certHash (SHA-256, the default algorithm), issuerSerial }] }. */
function signingCertificateV2(cert: pkijs.Certificate, certDer: Uint8Array): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames with one directoryName ([4] EXPLICIT Name)
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toAb(createHash('sha256').update(certDer).digest()) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * A detached CMS SignedData over a document whose SHA-256 is `digest`, signed by `key` for `certDer`
 * (RSA, SHA-256), carrying the signer's and the CA's certificates. Returns the DER of the ContentInfo.
 */
export async function signDetached(input: { digest: Uint8Array; certDer: Uint8Array; chainDer: Uint8Array[]; key: CryptoKey; signingTime: Date }): Promise<Uint8Array> {
  const cert = parseCertificate(input.certDer);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: input.signingTime })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toAb(input.digest) })] }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(cert, input.certDer)] }),
    ],
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs,
      }),
    ],
    certificates: [cert, ...input.chainDer.map(parseCertificate)],
  });
  await signedData.sign(input.key, 0, 'SHA-256');
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

export interface ParsedSignature {
  /** The signer's certificate (DER) as found in the CMS by issuer and serial. */
  signerCertDer: Uint8Array | null;
  /** Every certificate the CMS carries. */
  certificatesDer: Uint8Array[];
  signingTime: Date | null;
  /** True when messageDigest equals the digest of the signed byte ranges. */
  digestMatches: boolean;
  /** True when the signature over the signed attributes verifies with the signer certificate's key. */
  signatureValid: boolean;
  /** Why the CMS could not be checked at all, if so. */
  problem?: string;
}

function certDer(c: pkijs.Certificate): Uint8Array {
  return new Uint8Array(c.toSchema().toBER(false));
}

/** Read a detached SignedData and check it against the signed bytes (the PDF's byte ranges, concatenated). */
export function checkDetached(cmsDer: Uint8Array, signedBytes: Buffer): ParsedSignature {
  const none: ParsedSignature = { signerCertDer: null, certificatesDer: [], signingTime: null, digestMatches: false, signatureValid: false };
  let signedData: pkijs.SignedData;
  try {
    const asn = asn1js.fromBER(toAb(cmsDer));
    if (asn.offset === -1) return { ...none, problem: 'the signature is not DER/BER' };
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== OID.signedData) return { ...none, problem: 'the signature is not CMS SignedData' };
    signedData = new pkijs.SignedData({ schema: ci.content });
  } catch (e) {
    return { ...none, problem: `the signature cannot be parsed: ${(e as Error).message}` };
  }
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificatesDer = certs.map(certDer);
  const si = signedData.signerInfos[0];
  if (!si) return { ...none, certificatesDer, problem: 'the signature has no signer' };
  const sid = si.sid as pkijs.IssuerAndSerialNumber;
  const signer = certs.find((c) => sid instanceof pkijs.IssuerAndSerialNumber && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  const signerCertDer = signer ? certDer(signer) : null;
  const hash = HASH_OF[si.digestAlgorithm.algorithmId];
  if (!hash) return { ...none, signerCertDer, certificatesDer, problem: `unsupported digest algorithm ${si.digestAlgorithm.algorithmId}` };
  const attrs = si.signedAttrs?.attributes ?? [];
  const attr = (oid: string) => attrs.find((a) => a.type === oid)?.values[0];
  const md = attr(OID.messageDigest) as asn1js.OctetString | undefined;
  const st = attr(OID.signingTime) as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  const signingTime = st && 'toDate' in st ? st.toDate() : null;
  if (!si.signedAttrs || !md) return { ...none, signerCertDer, certificatesDer, signingTime, problem: 'the signature has no signed attributes with a message digest' };
  const digest = createHash(hash).update(signedBytes).digest();
  const digestMatches = Buffer.from(md.valueBlock.valueHexView).equals(digest);
  let signatureValid = false;
  if (signerCertDer) {
    // The signature covers the DER of the signed attributes as a SET OF (tag 0x31), not as [0] IMPLICIT.
    const encoded = Buffer.from(si.signedAttrs.encodedValue);
    encoded[0] = 0x31;
    try {
      const spki = Buffer.from(signer!.subjectPublicKeyInfo.toSchema().toBER(false));
      const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const sigAlg = si.signatureAlgorithm.algorithmId;
      // rsaEncryption and sha*WithRSAEncryption both mean PKCS#1 v1.5 with the digest algorithm above.
      if (sigAlg === OID.rsaEncryption || sigAlg.startsWith('1.2.840.113549.1.1.')) {
        signatureValid = nodeVerify(hash, encoded, key, Buffer.from(si.signature.valueBlock.valueHexView));
      }
    } catch {
      signatureValid = false;
    }
  }
  return { signerCertDer, certificatesDer, signingTime, digestMatches, signatureValid };
}
