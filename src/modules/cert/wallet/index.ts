// The holder's wallet: claiming certificates, SD-JWT VC credentials bound to a browser-held key,
// presentations, the verifier API, and certificates used in service-hall applications
// (issue 4, part "wallet").
import type { JobQueue } from '../../../platform/jobs/queue';
import type { WalletService } from './wallet.service';
export { WalletService, effectiveStatus, type WalletDeps, type VerificationAnswer, type CertificateConsent, type ConsentAnswer, type ConsentRequest } from './wallet.service';
export { walletRoutes } from './wallet.routes';

const PURGE_JOB = 'wallet.purge-expired';

export function registerWalletJobs(queue: JobQueue, wallet: WalletService) {
  queue.register(PURGE_JOB, async () => ({ purged: await wallet.purgeExpired() }));
}

export async function ensureWalletSchedules(queue: JobQueue) {
  await queue.schedule('wallet.purge-expired.hourly', PURGE_JOB, 3600);
}

/**
 * Claiming is what the wallet demo shows, so demo holders start with nothing claimed — except
 * citizen_zhang's housing-fund deposit certificate, which the service-hall demo (the renter withdrawal)
 * uses as a material straight away.
 */
export async function seedWalletDemo(wallet: WalletService) {
  await wallet.seedDemoHolding('citizen_zhang', '住房公积金缴存证明');
}
