// Electronic seals (issue 4): the platform's own certificate authority, a seal per department, sealing PDFs
// with a visible seal and a PDF signature, verification, and sealed decision documents for the
// service hall.
import { systemActor } from '../../platform/auth/actor';
import { SealService, type SealDeps } from './seal.service';
export { SEAL } from './seal.permissions';
export { sealRoutes } from './seal.routes';
export { SealService, type SealDeps, type SealView, type VerifyReport, type VerifiedSignature } from './seal.service';

export function createSeal(deps: SealDeps): SealService {
  return new SealService(deps);
}

/** The platform CA, made on first start (its key encrypted under the master key). */
export async function seedSealReference(seals: SealService) {
  await seals.ensureCa();
}

/** Demo seals for the departments the demo accounts belong to (idempotent). */
export const DEMO_SEAL_ORGS = ['GAJ', 'MZJ', 'RSJ', 'DSJ'];

export async function seedSealDemo(seals: SealService) {
  const actor = systemActor('seed');
  for (const code of DEMO_SEAL_ORGS) {
    const org = await seals.deps.orgs.byCode(code);
    if (org) await seals.make(actor, org.id, { onlyIfMissing: true });
  }
}
