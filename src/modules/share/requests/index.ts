export { ShareRequests } from './requests.service';
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { Share } from '..';
export async function requestRoutes(_app: FastifyInstance, _share: Share) {}
export async function seedRequestDemo(_share: Share) {}
export function registerRequestJobs(_queue: JobQueue, _share: Share) {}
export async function ensureRequestSchedules(_queue: JobQueue) {}
