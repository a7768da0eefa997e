// Liveness, readiness and Prometheus metrics.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type client from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { AppError, errors } from './problem';
import { Binary, Enum, Json, Type, typed } from './schema';

const tags = ['ops'];
const Readiness = Type.Object({ status: Enum(['ready', 'starting', 'unavailable']), database: Enum(['up', 'down']) });
const NotReady = Type.Object(Readiness.properties, { description: 'Not ready: the database is down or start-up has not finished' });

export async function opsRoutes(app: FastifyInstance, deps: { db: Db; metrics: client.Registry; ready: () => boolean; metricsToken?: string }) {
  const api = typed(app);

  api.get(
    '/healthz',
    { config: { auth: 'public' }, schema: { tags, summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  // 503 carries the same shape as 200 (which part is not ready), not a problem: load balancers read it.
  api.get(
    '/readyz',
    { config: { auth: 'public' }, schema: { tags, summary: 'The database answers and start-up has finished', response: { 200: Readiness, 503: NotReady } } },
    async (req, reply) => {
      try {
        await deps.db.execute(sql`select 1`);
      } catch (err) {
        req.log.warn({ err }, 'readiness: database down');
        return reply.code(503).send({ status: 'unavailable', database: 'down' });
      }
      if (!deps.ready()) return reply.code(503).send({ status: 'starting', database: 'up' });
      return { status: 'ready', database: 'up' } as const;
    },
  );

  // The OpenAPI document at the address the contract names (Swagger UI also serves it under /api/docs).
  api.get(
    '/api/openapi.json',
    { config: { auth: 'public' }, schema: { hide: true, summary: 'The OpenAPI 3.1 document of this API', response: { 200: Json } } },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );

  // Per-route timings tell an attacker what is slow: a token (DQ_METRICS_TOKEN) or a loopback client only.
  api.get(
    '/metrics',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Prometheus metrics',
        description: 'Send `Authorization: Bearer <DQ_METRICS_TOKEN>`; without a configured token only clients on the loopback address may read it.',
        hide: false,
        response: { 200: Binary('text/plain', 'Metrics in the Prometheus text exposition format (text/plain; version=0.0.4)') },
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
