// One code for the city (issue 4, capability CODE): the trust part (issuing keys, trust lists, partner
// platforms) and the city code (dynamic personal QR codes, terminals, scans). The offline verifier they
// share lives in src/lib/verifier.
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../platform/jobs/queue';
import type { ModuleDeps } from '../deps';
import { CityCodeService, cityCodeRoutes, ensureCityCodeSchedules, registerCityCodeJobs, seedCityCodeDemo } from './citycode';
import { TrustService, ensureTrustSchedules, registerTrustJobs, seedTrustDemo, seedTrustReference, trustRoutes } from './trust';
export { CODE } from './code.permissions';
export type { IssuerKeys, IssuerSigner } from './contracts';

export interface Code {
  trust: TrustService;
  cityCodes: CityCodeService;
}

export function createCode(deps: ModuleDeps): Code {
  const trust = new TrustService(deps);
  const cityCodes = new CityCodeService({ ...deps, trust });
  return { trust, cityCodes };
}

export async function codeRoutes(app: FastifyInstance, code: Code) {
  await trustRoutes(app, code.trust);
  await cityCodeRoutes(app, code.cityCodes);
}

export function registerCodeJobs(queue: JobQueue, code: Code) {
  registerTrustJobs(queue, code.trust);
  registerCityCodeJobs(queue, code.cityCodes);
}

export async function ensureCodeSchedules(queue: JobQueue) {
  await ensureTrustSchedules(queue);
  await ensureCityCodeSchedules(queue);
}

/** Reference data (always): this platform's first issuing keys and its signed trust list. */
export async function seedCodeReference(code: Code) {
  await seedTrustReference(code.trust);
}

export async function seedCodeDemo(code: Code) {
  await seedTrustDemo(code.trust);
  await seedCityCodeDemo(code.cityCodes);
}
