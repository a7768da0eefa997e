// Certificate types, issuance (form, bulk import, API), GB/T 36904 identifiers and Token Status Lists
// (issue 4, part "certificates").
import type { JobQueue } from '../../../platform/jobs/queue';
import { CertificateService, IMPORT_JOB } from './certificates.service';

export { CertificateService, IMPORT_JOB, STATUS_LIST_SIZE, type CertificatesDeps } from './certificates.service';
export { certificateRoutes } from './certificates.routes';
export { seedCertificateDemo, seedCertificateReference } from './certificates.seed';

export function registerCertificateJobs(queue: JobQueue, certs: CertificateService) {
  queue.register(IMPORT_JOB, async (p) => certs.runImport(String(p.importId)));
}

/** Imports run when uploaded; nothing is periodic (status list tokens are rebuilt on demand). */
export async function ensureCertificateSchedules(_queue: JobQueue) {}
