// The holder's wallet: claiming certificates, SD-JWT VC credentials bound to a browser-held key,
// presentations, the verifier API, and certificates used in service-hall applications
// (issue 4, part "wallet").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { IssuerKeys } from '../../code/contracts';
import type { ModuleDeps } from '../../deps';
import { NoCertificateWallet, type CertificateWallet } from '../../svc/applications/ports';
import type { CertificateReader } from '../contracts';

export type WalletDeps = ModuleDeps & { trust: IssuerKeys; certificates: CertificateReader };

export class WalletService {
  constructor(readonly deps: WalletDeps) {}
  /** The service hall's port: resolves a certificate the applicant holds (with consent) for a material. */
  applicationWallet(): CertificateWallet {
    return new NoCertificateWallet();
  }
}

export async function walletRoutes(_app: FastifyInstance, _wallet: WalletService) {}
export function registerWalletJobs(_queue: JobQueue, _wallet: WalletService) {}
export async function ensureWalletSchedules(_queue: JobQueue) {}
export async function seedWalletDemo(_wallet: WalletService) {}
