// Liveness, readiness and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

export async function opsRoutes(app: FastifyInstance, deps: { db: Db; metrics: client.Registry; ready: () => boolean }) {
  app.get(
    '/healthz',
    { config: { auth: 'public' }, schema: { tags: ['ops'], summary: 'The process is alive', response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }),
  );

  app.get('/readyz', { config: { auth: 'public' }, schema: { tags: ['ops'], summary: 'The database answers and start-up has finished' } }, async (req, reply) => {
    try {
      await deps.db.execute(sql`select 1`);
    } catch (err) {
      req.log.warn({ err }, 'readiness: database down');
      return reply.code(503).send({ status: 'unavailable', database: 'down' });
    }
    if (!deps.ready()) return reply.code(503).send({ status: 'starting', database: 'up' });
    return { status: 'ready', database: 'up' };
  });

  // The OpenAPI document at the address the contract names (Swagger UI also serves it under /api/docs).
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  app.get('/metrics', { config: { auth: 'public' }, schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });
}
