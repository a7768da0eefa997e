// Datasets behind resources: typed tables, loading (upload, push, pull), quality rules, objections.
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import type { Share } from '..';
import { dataRoutes as routes } from './data.routes';
import { CONNECTORS_JOB, LOAD_JOB } from './data.service';
export { DataStore, LOAD_JOB, CONNECTORS_JOB, tableNameFor, type LoadView, type QualityScore, type ConnectorInput } from './data.service';
export { seedDataDemo, DEMO_COUNTS } from './data.seed';
export { populationRows, legalPersonRows, funeralRows, socialInsuranceRows, prng, type Row } from './generator';
export { derivedRules, type QualityRule } from './quality';

export async function dataRoutes(app: FastifyInstance, share: Share) {
  await routes(app, share.data);
}

export function registerDataJobs(queue: JobQueue, share: Share) {
  queue.register(LOAD_JOB, async (payload) => {
    await share.data.runLoad(String(payload.loadId));
  });
  queue.register(CONNECTORS_JOB, async () => ({ queued: await share.data.runDueConnectors() }));
}

export async function ensureDataSchedules(queue: JobQueue) {
  await queue.schedule('share-data-connectors', CONNECTORS_JOB, 60);
}
