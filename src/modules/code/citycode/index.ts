// The personal dynamic city code (一码通城): issuing, scanning terminals, the scan API, freezing and the
// person's scan history (issue 4, part "citycode").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import { CityCodeService, PURGE_SEEN_JOB } from './citycode.service';
import { registerCityCodeRoutes } from './citycode.routes';
export { CityCodeService, type CityCodeDeps, type CityCodeSettings, type ScanResult } from './citycode.service';

export async function cityCodeRoutes(app: FastifyInstance, codes: CityCodeService) {
  await registerCityCodeRoutes(app, codes);
}

export function registerCityCodeJobs(queue: JobQueue, codes: CityCodeService) {
  queue.register(PURGE_SEEN_JOB, async () => ({ removed: await codes.purgeSeen() }));
}

export async function ensureCityCodeSchedules(queue: JobQueue) {
  await queue.schedule('code.citycode.purge-seen.10min', PURGE_SEEN_JOB, 600);
}

/** Demo citizens (and the demo enterprise user) get their fused cards; elder_wang's health is yellow. */
export async function seedCityCodeDemo(codes: CityCodeService) {
  await codes.policies();
  const health: Record<string, 'green' | 'yellow'> = { citizen_zhang: 'green', elder_wang: 'yellow', parent_li: 'green', ent_demo: 'green' };
  for (const [username, colour] of Object.entries(health)) {
    const u = await codes.deps.auth.findByUsername(username);
    if (u) await codes.fuseDemoCards(u.id, colour);
  }
}
