// EU DCC signer certificates (DSCs) for the HC1 adapter, parsed with pkijs (which, unlike
// @peculiar/x509, needs no reflect-metadata polyfill). Node side only (the CLI and the server): the
// browser-facing verifier takes the pre-parsed Hc1Signer this returns.
import * as pkijs from 'pkijs';
import { buf } from '../bytes';
import type { Hc1Signer } from '../hc1';
import { kidOfDer } from '../keys';

const EKU_OID = '2.5.29.37';
const SHORT_NAME: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST' };

function nameString(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues.map((tv) => `${SHORT_NAME[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`).join(', ');
}

export class SignerCertificateError extends Error {
  override readonly name = 'SignerCertificateError';
}

async function importPublicKey(spki: Uint8Array): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('spki', buf(spki), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  } catch {
    // Not a P-256 key: RSA for PS256 (other EC curves are not used by EU DCC signers with ES256).
    try {
      return await crypto.subtle.importKey('spki', buf(spki), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
    } catch {
      throw new SignerCertificateError('the certificate key is neither EC P-256 nor RSA');
    }
  }
}

/** One signer from a certificate's DER. kid = first 8 bytes of SHA-256 over the DER (EU DCC rule). */
export async function signerFromDer(der: Uint8Array): Promise<Hc1Signer> {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(buf(der));
  } catch (err) {
    throw new SignerCertificateError(`not an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  const eku = cert.extensions?.find((e) => e.extnID === EKU_OID)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  return {
    kid: await kidOfDer(der),
    publicKey: await importPublicKey(spki),
    certDer: der,
    keyUsage: eku?.keyPurposes ?? [],
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    subject: nameString(cert.subject),
  };
}

/** Parse signer certificates from PEM text (one or more CERTIFICATE blocks) or base64 DER (one per
 *  line, as the EU gateway's DSC lists carry them), or raw DER bytes. */
export async function parseSignerCertificates(input: string | Uint8Array): Promise<Hc1Signer[]> {
  if (input instanceof Uint8Array) {
    // Raw DER starts with a SEQUENCE; anything else is text.
    if (input[0] === 0x30) return [await signerFromDer(input)];
    input = new TextDecoder().decode(input);
  }
  const pems = [...input.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]);
  const blocks = pems.length ? pems : input.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!blocks.length) throw new SignerCertificateError('no certificate found (expected PEM or base64 DER)');
  const out: Hc1Signer[] = [];
  for (const b of blocks) {
    const b64 = b.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new SignerCertificateError('a certificate is not base64 (expected PEM or base64 DER)');
    out.push(await signerFromDer(new Uint8Array(Buffer.from(b64, 'base64'))));
  }
  return out;
}
