// Jobs in the console: what is queued, running, finished and dead, with retry and cancel.
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../audit/audit.service';
import { P } from '../auth/permissions';
import { inTransaction, type Db } from '../db/client';
import { limitOffsetQuery, uuidParam } from '../http/paging';
import { errors } from '../http/problem';
import type { JobQueue } from './queue';

export async function jobsRoutes(app: FastifyInstance, deps: { db: Db; queue: JobQueue }) {
  const { queue } = deps;
  app.get<{ Querystring: { status?: string; name?: string; limit: number; offset: number } }>(
    '/api/jobs',
    {
      config: { auth: P.jobsRead },
      schema: {
        tags: ['jobs'],
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['queued', 'running', 'done', 'dead'] }, name: { type: 'string', maxLength: 100 }, ...limitOffsetQuery },
        },
      },
    },
    async (req) => ({ ...(await queue.list(req.query)), limit: req.query.limit, offset: req.query.offset }),
  );

  app.get('/api/jobs/summary', { config: { auth: P.jobsRead }, schema: { tags: ['jobs'] } }, async () => ({
    counts: await queue.counts(),
    schedules: await queue.schedules(),
    handlers: queue.registeredNames(),
  }));

  // The state change and its audit entry land together, or not at all.
  app.post<{ Params: { id: string } }>('/api/jobs/:id/retry', { config: { auth: P.jobsManage }, schema: { tags: ['jobs'], params: uuidParam } }, (req) =>
    inTransaction(deps.db, async (tx) => {
      const job = await queue.retry(req.params.id, tx);
      if (!job) throw (await queue.exists(req.params.id, tx)) ? errors.conflict('only dead or finished jobs can be retried') : errors.notFound('job');
      await recordAudit(tx, req.actor!, { action: 'job.retry', entityType: 'job', entityId: job.id, note: { name: job.name } });
      return job;
    }),
  );

  app.post<{ Params: { id: string } }>('/api/jobs/:id/cancel', { config: { auth: P.jobsManage }, schema: { tags: ['jobs'], params: uuidParam } }, (req) =>
    inTransaction(deps.db, async (tx) => {
      const job = await queue.cancel(req.params.id, tx);
      if (!job) throw (await queue.exists(req.params.id, tx)) ? errors.conflict('only queued jobs can be cancelled') : errors.notFound('job');
      await recordAudit(tx, req.actor!, { action: 'job.cancel', entityType: 'job', entityId: job.id, note: { name: job.name } });
      return job;
    }),
  );
}
