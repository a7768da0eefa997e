// The data resource catalogue and the exchange directory.
import type { FastifyInstance } from 'fastify';
import type { Share } from '..';
import { catalogueRoutes as routes } from './catalogue.routes';
export { ResourceCatalogue, type Member, type Subsystem, type ResourceView, type ResourceSummary, type ResourceFields } from './catalogue.service';
export { seedCatalogueDemo, DEMO_RESOURCE_CODES, CITY_INSTANCE, EXTERNAL_MEMBERS } from './catalogue.seed';

export async function catalogueRoutes(app: FastifyInstance, share: Share) {
  await routes(app, share.catalogue);
}
