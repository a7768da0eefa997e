// Issuing keys, this platform's signed trust list and JWKS, and partner platforms (issue 4, part "trust").
import type { FastifyInstance } from 'fastify';
import type { KeyUse, TrustSource } from '../../../lib/verifier';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { ModuleDeps } from '../../deps';
import type { IssuerKeys, IssuerSigner } from '../contracts';

export class TrustService implements IssuerKeys {
  readonly platformId: string;
  constructor(readonly deps: ModuleDeps) {
    this.platformId = 'CN-000000';
  }
  issuerId(orgCode: string): string {
    return `${this.platformId}:${orgCode}`;
  }
  async signer(_orgCode: string, _use: KeyUse): Promise<IssuerSigner> {
    throw new Error('trust part not built yet');
  }
  async trustSources(): Promise<TrustSource[]> {
    return [];
  }
}

export async function trustRoutes(_app: FastifyInstance, _trust: TrustService) {}
export function registerTrustJobs(_queue: JobQueue, _trust: TrustService) {}
export async function ensureTrustSchedules(_queue: JobQueue) {}
export async function seedTrustReference(_trust: TrustService) {}
export async function seedTrustDemo(_trust: TrustService) {}
