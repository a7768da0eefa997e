// Liveness, readiness and Prometheus metrics.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { AppError, errors } from './problem';

export async function opsRoutes(app: FastifyInstance, deps: { db: Db; metrics: client.Registry; ready: () => boolean; metricsToken?: string }) {
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

  // Per-route timings tell an attacker what is slow: a token (DQ_METRICS_TOKEN) or a loopback client only.
  app.get(
    '/metrics',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics',
        description: 'Send `Authorization: Bearer <DQ_METRICS_TOKEN>`; without a configured token only clients on the loopback address may read it.',
        hide: false,
      },
    },
    async (req, reply) => {
      const token = deps.metricsToken;
      if (token) {
        const sent = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
        if (!sameSecret(sent, token)) {
          reply.header('www-authenticate', 'Bearer realm="metrics"');
          throw new AppError(401, 'unauthorized', 'Authentication required', 'send the metrics token: Authorization: Bearer <DQ_METRICS_TOKEN>');
        }
      } else if (!isLoopback(req.ip)) {
        throw errors.forbidden('metrics are served to loopback clients only; set DQ_METRICS_TOKEN to scrape from elsewhere');
      }
      reply.type(deps.metrics.contentType);
      return deps.metrics.metrics();
    },
  );
}

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
