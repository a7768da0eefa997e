// Electronic certificates (issue 4, capability CERT): types and issuance with status lists (part
// "certificates"), and the holder's wallet with SD-JWT VC presentations and verification (part "wallet").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../platform/jobs/queue';
import type { IssuerKeys } from '../code';
import type { ModuleDeps } from '../deps';
import { CertificateService, certificateRoutes, ensureCertificateSchedules, registerCertificateJobs, seedCertificateDemo, seedCertificateReference } from './certificates';
import { WalletService, ensureWalletSchedules, registerWalletJobs, seedWalletDemo, walletRoutes } from './wallet';
export { CERT } from './cert.permissions';
export * from './contracts';
export type { CertificateConsent, ConsentAnswer, ConsentRequest, WalletService } from './wallet';

export interface Cert {
  certificates: CertificateService;
  wallet: WalletService;
}

export function createCert(deps: ModuleDeps & { trust: IssuerKeys }): Cert {
  const certificates = new CertificateService(deps);
  const wallet = new WalletService({ ...deps, certificates });
  return { certificates, wallet };
}

export async function certRoutes(app: FastifyInstance, cert: Cert) {
  await certificateRoutes(app, cert.certificates);
  await walletRoutes(app, cert.wallet);
}

export function registerCertJobs(queue: JobQueue, cert: Cert) {
  registerCertificateJobs(queue, cert.certificates);
  registerWalletJobs(queue, cert.wallet);
}

export async function ensureCertSchedules(queue: JobQueue) {
  await ensureCertificateSchedules(queue);
  await ensureWalletSchedules(queue);
}

/** Reference data (always): the certificate types. */
export async function seedCertReference(cert: Cert) {
  await seedCertificateReference(cert.certificates);
}

export async function seedCertDemo(cert: Cert) {
  await seedCertificateDemo(cert.certificates);
  await seedWalletDemo(cert.wallet);
}
