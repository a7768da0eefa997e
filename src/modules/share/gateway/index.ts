export { Gateway } from './gateway.service';
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { Share } from '..';
export async function gatewayRoutes(_app: FastifyInstance, _share: Share) {}
export async function seedGatewayDemo(_share: Share) {}
export function registerGatewayJobs(_queue: JobQueue, _share: Share) {}
