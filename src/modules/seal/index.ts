// Electronic seals (issue 4): the platform's own certificate authority, a seal per department, sealing PDFs
// with a visible seal and a PAdES signature, verification, and sealed decision documents for the
// service hall.
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '../deps';
import type { ApplicationService } from '../svc/applications';
export { SEAL } from './seal.permissions';

/** The service hall's applications: approved ones get a sealed decision document. */
export type SealDeps = ModuleDeps & { applications: ApplicationService };

export class SealService {
  constructor(readonly deps: SealDeps) {}
}

export function createSeal(deps: SealDeps): SealService {
  return new SealService(deps);
}

export async function sealRoutes(_app: FastifyInstance, _seals: SealService) {}
export async function seedSealReference(_seals: SealService) {}
export async function seedSealDemo(_seals: SealService) {}
