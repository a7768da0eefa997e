// The sharing gateway part: grants, consumer keys, masked calls, quotas, operational records, exports.
import type { FastifyInstance } from 'fastify';
import { PermanentJobError, type JobQueue } from '../../../platform/jobs/queue';
import type { Share } from '..';
import { registerGatewayRoutes } from './gateway.routes';
import { EXPORT_JOB, EXPORT_SWEEP_JOB } from './gateway.service';
export { Gateway, grantState, EXPORT_JOB, EXPORT_SWEEP_JOB, type GrantRow, type CallOutcome, type CallInput } from './gateway.service';
export { MASKING_RULES, rowMasker } from './masking';
export { bindingHash, requestHash } from './gateway.hash';
export { seedGatewayDemo, afterRequestsGatewayDemo } from './gateway.seed';

export async function gatewayRoutes(app: FastifyInstance, share: Share) {
  await registerGatewayRoutes(app, share.gateway);
}

export function registerGatewayJobs(queue: JobQueue, share: Share) {
  queue.register(EXPORT_JOB, async (payload) => {
    const id = payload.exportId;
    if (typeof id !== 'string') throw new PermanentJobError('exportId missing');
    return share.gateway.runExport(id);
  });
  queue.register(EXPORT_SWEEP_JOB, async () => share.gateway.sweep());
}

/** Hourly: expire old export files, purge old rate-limit minutes. (To be called from ensureShareSchedules.) */
export async function ensureGatewaySchedules(queue: JobQueue) {
  await queue.schedule('share-gateway-sweep', EXPORT_SWEEP_JOB, 3600);
}
