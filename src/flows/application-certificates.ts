// An application that consumes a certificate: the applicant picks a certificate from their wallet for
// a material of a service-hall application. It spans two modules, so it is a flow: the service hall
// asks through its CertificateWallet port, the wallet answers through its public consent methods, and
// this file translates between the two; neither module knows the other.
import type { CertificateConsent, WalletService } from '../modules/cert';
import type { CertificateWallet, ResolvedCertificate } from '../modules/svc';

type Consents = Pick<WalletService, 'consentToUse' | 'latestConsent'>;

const resolved = (c: CertificateConsent): ResolvedCertificate => ({
  certificateTypeName: c.certificateTypeName,
  certificateId: c.certificateId,
  holderUserId: c.holderUserId,
  issuer: c.issuer,
  identifier: c.identifier,
  validUntil: c.validUntil,
  verifiedAt: c.verifiedAt,
});

/** The service hall's certificate wallet, served by the holder's wallet: choosing a certificate is the consent. */
export function applicationCertificates(wallet: Consents): CertificateWallet {
  return {
    available: true,
    async resolve(holderUserId, ref) {
      const a = await wallet.consentToUse(holderUserId, { certificateTypeName: ref.certificateTypeName, certificateId: ref.certificateId });
      return a.ok ? { ok: true, certificate: resolved(a.consent) } : { ok: false, reason: a.reason, message: a.message };
    },
    async describe(holderUserId, certificateId) {
      const c = await wallet.latestConsent(holderUserId, certificateId);
      return c ? resolved(c) : null;
    },
  };
}
