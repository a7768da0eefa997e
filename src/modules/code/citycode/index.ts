// The personal dynamic city code (一码通城): issuing, scanning terminals, the scan API, freezing and the
// person's scan history (issue 4, part "citycode").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { ModuleDeps } from '../../deps';
import type { IssuerKeys } from '../contracts';

export type CityCodeDeps = ModuleDeps & { trust: IssuerKeys };

export class CityCodeService {
  constructor(readonly deps: CityCodeDeps) {}
}

export async function cityCodeRoutes(_app: FastifyInstance, _codes: CityCodeService) {}
export function registerCityCodeJobs(_queue: JobQueue, _codes: CityCodeService) {}
export async function ensureCityCodeSchedules(_queue: JobQueue) {}
export async function seedCityCodeDemo(_codes: CityCodeService) {}
