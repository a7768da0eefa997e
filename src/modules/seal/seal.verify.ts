// Verifying any PDF: every signature's signer, time, integrity, whole-document coverage and chain to
// this platform's CA (any CA it ever had), and whether its seal was revoked.
import { eq } from 'drizzle-orm';
import { sha256Of } from '../../platform/files/blobs';
import { errors } from '../../platform/http/problem';
import { checkDetached } from './cms';
import { findSignatures } from './pdf-sign';
import { fromPem, nameAttribute, parseCertificate, signedByCa } from './pki';
import type { SealCore } from './seal.core';
import type { VerifiedSignature, VerifyReport } from './seal.model';
import { sealSeals } from './seal.schema';

export class SealVerifier {
  constructor(private readonly core: SealCore) {}

  // ---- verification ----------------------------------------------------------------------------------------

  async verify(bytes: Buffer): Promise<VerifyReport> {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw errors.field('/body/file', 'the file is not a PDF');
    const cas = await this.core.allCas();
    const out: VerifiedSignature[] = [];
    for (const found of findSignatures(bytes)) {
      const base: VerifiedSignature = { signer: null, org: null, signedAt: null, intact: false, coversWholeDocument: found.coversWholeDocument, chainTrusted: false, revoked: false, serial: null, sealId: null, byteRange: found.byteRange };
      if (!found.contents) {
        out.push({ ...base, reason: 'unreadable', detail: found.problem });
        continue;
      }
      const c = checkDetached(found.contents, found.signedBytes);
      const v: VerifiedSignature = { ...base, signedAt: c.signingTime?.toISOString() ?? null, intact: c.digestMatches && c.signatureValid };
      let cert: ReturnType<typeof parseCertificate> | null = null;
      if (c.signerCertDer) {
        cert = parseCertificate(c.signerCertDer);
        v.signer = nameAttribute(cert.subject, 'CN');
        v.org = nameAttribute(cert.subject, 'O');
        v.serial = Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
      }
      const reasons: [NonNullable<VerifiedSignature['reason']>, string][] = [];
      if (c.problem) reasons.push(['unreadable', c.problem]);
      else if (!c.digestMatches) reasons.push(['modified', 'the signed bytes changed after sealing']);
      else if (!c.signatureValid) reasons.push(['bad-signature', 'the signature does not verify with the signer certificate']);
      if (!found.coversWholeDocument) reasons.push(['not-whole-document', 'bytes were added or removed outside the signed range']);
      if (cert && c.signerCertDer) {
        let chained = false;
        for (const ca of cas) if (await signedByCa(c.signerCertDer, fromPem(ca.certPem))) chained = true;
        const at = c.signingTime ?? new Date();
        const validThen = at >= cert.notBefore.value && at <= cert.notAfter.value;
        const [seal] = v.serial ? await this.core.db.select().from(sealSeals).where(eq(sealSeals.serial, v.serial)) : [];
        v.sealId = seal?.id ?? null;
        v.revoked = seal?.state === 'revoked';
        if (!chained) reasons.push(['unknown-issuer', "the signer's certificate was not issued by this platform's CA"]);
        else if (!validThen) reasons.push(['certificate-not-valid-then', 'the seal certificate was not valid at the signing time']);
        else if (v.revoked) reasons.push(['seal-revoked', `the seal was revoked${seal?.revokedAt ? ` on ${seal.revokedAt.toISOString()}` : ''}`]);
        v.chainTrusted = chained && validThen && !v.revoked;
      } else if (!c.problem) reasons.push(['unknown-issuer', 'the signature carries no signer certificate']);
      if (reasons.length) [v.reason, v.detail] = reasons[0];
      out.push(v);
    }
    return { documentSha256: sha256Of(bytes), size: bytes.length, signatures: out };
  }
}
