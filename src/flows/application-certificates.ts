// An application that consumes a certificate: the applicant picks a certificate from their wallet for
// a material of a service-hall application. It spans two modules, so it is a flow: the service hall
// asks through its CertificateWallet port, the wallet answers through its public consent methods, and
// this file translates between the two; neither module knows the other.
import type { WalletService } from '../modules/cert';
import type { CertificateWallet, WalletAnswer } from '../modules/svc';

type Consents = Pick<WalletService, 'consentToUse' | 'latestConsent'>;

/**
 * The service hall's certificate wallet, served by the holder's wallet: choosing a certificate is the
 * consent. The wallet's consent is the hall's resolved certificate and its refusals are among the hall's
 * reasons; the compiler checks that both still hold.
 */
export function applicationCertificates(wallet: Consents): CertificateWallet {
  return {
    available: true,
    async resolve(holderUserId, ref): Promise<WalletAnswer> {
      const a = await wallet.consentToUse(holderUserId, { certificateTypeName: ref.certificateTypeName, certificateId: ref.certificateId });
      return a.ok ? { ok: true, certificate: a.consent } : a;
    },
    describe: (holderUserId, certificateId) => wallet.latestConsent(holderUserId, certificateId),
  };
}
