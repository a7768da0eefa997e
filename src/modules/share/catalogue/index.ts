export { ResourceCatalogue } from './catalogue.service';
import type { FastifyInstance } from 'fastify';
import type { Share } from '..';
export async function catalogueRoutes(_app: FastifyInstance, _share: Share) {}
export async function seedCatalogueDemo(_share: Share) {}
