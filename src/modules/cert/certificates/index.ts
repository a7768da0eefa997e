// Certificate types, issuance (form, bulk import, API), GB/T 36904 identifiers and Token Status Lists
// (issue 4, part "certificates").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { IssuerKeys } from '../../code/contracts';
import type { ModuleDeps } from '../../deps';
import type { CertificateReader, CertificateRecord, CertificateTypeInfo } from '../contracts';

export type CertificatesDeps = ModuleDeps & { trust: IssuerKeys };

export class CertificateService implements CertificateReader {
  constructor(readonly deps: CertificatesDeps) {}
  async get(_id: string): Promise<CertificateRecord | null> {
    return null;
  }
  async byHolderCode(_holderCode: string): Promise<CertificateRecord[]> {
    return [];
  }
  async typeByName(_nameZh: string): Promise<CertificateTypeInfo | null> {
    return null;
  }
}

export async function certificateRoutes(_app: FastifyInstance, _certs: CertificateService) {}
export function registerCertificateJobs(_queue: JobQueue, _certs: CertificateService) {}
export async function ensureCertificateSchedules(_queue: JobQueue) {}
export async function seedCertificateReference(_certs: CertificateService) {}
export async function seedCertificateDemo(_certs: CertificateService) {}
