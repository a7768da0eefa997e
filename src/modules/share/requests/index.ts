// Requests for shared data: the workflow with working-day deadlines and escalation, settings, dashboard.
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { Share } from '..';
import { requestRoutes as routes } from './requests.routes';
import { ESCALATION_JOB } from './requests.service';
export { ShareRequests, ESCALATION_JOB, DEFAULT_SETTINGS, OPEN_STATES, REQUEST_STATES, type RequestSettings, type RequestState } from './requests.service';
export { seedRequestDemo } from './requests.seed';
export type { RequestDirectory, MemberInfo, ResourceInfo, SubsystemInfo, ProviderLevel } from './directory';

export async function requestRoutes(app: FastifyInstance, share: Share) {
  await routes(app, share.requests);
}

/** The escalation sweep: idempotent, so a missed or repeated run is harmless. */
export function registerRequestJobs(queue: JobQueue, share: Share) {
  queue.register(ESCALATION_JOB, async () => share.requests.escalate());
}

export async function ensureRequestSchedules(queue: JobQueue) {
  await queue.schedule('share.requests.escalate.hourly', ESCALATION_JOB, 3600);
}
