// Data sharing and exchange (issue 5): the resource catalogue, datasets with quality checks, requests
// with working-day deadlines, and the gateway. Parts are built in dependency order:
// catalogue → data → gateway → requests (an approved request becomes a gateway grant).
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../platform/jobs/queue';
import { ResourceCatalogue, catalogueRoutes, seedCatalogueDemo } from './catalogue';
import { DataStore, dataRoutes, ensureDataSchedules, registerDataJobs, seedDataDemo } from './data';
import type { ShareDeps } from './deps';
import { Gateway, afterRequestsGatewayDemo, ensureGatewaySchedules, gatewayRoutes, registerGatewayJobs, seedGatewayDemo } from './gateway';
import { ShareRequests, ensureRequestSchedules, registerRequestJobs, requestRoutes, seedRequestDemo } from './requests';
export { SHARE } from './share.permissions';
export * from './contracts';
export type { ShareDeps } from './deps';

export interface Share {
  catalogue: ResourceCatalogue;
  data: DataStore;
  gateway: Gateway;
  requests: ShareRequests;
}

export function createShare(deps: ShareDeps): Share {
  const catalogue = new ResourceCatalogue(deps);
  const data = new DataStore({ ...deps, catalogue });
  const gateway = new Gateway({ ...deps, catalogue, data });
  const requests = new ShareRequests({ ...deps, catalogue, gateway });
  return { catalogue, data, gateway, requests };
}

export async function shareRoutes(app: FastifyInstance, share: Share) {
  await catalogueRoutes(app, share);
  await dataRoutes(app, share);
  await gatewayRoutes(app, share);
  await requestRoutes(app, share);
}

export function registerShareJobs(queue: JobQueue, share: Share) {
  registerDataJobs(queue, share);
  registerGatewayJobs(queue, share);
  registerRequestJobs(queue, share);
}

export async function ensureShareSchedules(queue: JobQueue) {
  await ensureDataSchedules(queue);
  await ensureGatewaySchedules(queue);
  await ensureRequestSchedules(queue);
}

/** Demo data in dependency order: resources and members, then their rows, then the gateway, then requests
 *  (approved ones become grants), then a few real gateway calls on those grants so usage is not empty. */
export async function seedShareDemo(share: Share) {
  await seedCatalogueDemo(share);
  await seedDataDemo(share);
  await seedGatewayDemo(share);
  await seedRequestDemo(share);
  await afterRequestsGatewayDemo(share);
}
