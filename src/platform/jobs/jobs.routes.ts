// Jobs in the console: what is queued, running, finished and dead, with retry and cancel.
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../audit/audit.service';
import { P } from '../auth/permissions';
import { inTransaction, type Db } from '../db/client';
import { errors } from '../http/problem';
import { AnyJson, Defaulted, Dict, Enum, IdParams, Nullable, Page, PageQuery, Str, Timestamp, Type, typed } from '../http/schema';
import type { JobQueue } from './queue';

const tags = ['jobs'];

/** A job's input: an object of the handler's own keys (a jsonb column, typed unknown by drizzle). */
const JobPayload = Type.Unsafe<unknown>({ type: 'object', additionalProperties: true, description: "The job's input (the handler's own keys)" });

const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  payload: JobPayload,
  status: Type.String({ description: 'queued | running | done | dead' }),
  idempotencyKey: Nullable(Type.String()),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  leaseUntil: Nullable(Timestamp),
  lockedBy: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  result: Type.Unsafe<unknown>({ ...AnyJson, description: 'What the handler returned (null until it has finished)' }),
  scheduleName: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});

const ScheduleSchema = Type.Object({
  name: Type.String(),
  jobName: Type.String(),
  payload: JobPayload,
  everySeconds: Type.Integer(),
  nextRunAt: Timestamp,
  lastRunAt: Nullable(Timestamp),
  enabled: Type.Integer({ description: '1 when the schedule runs, 0 when paused' }),
});

const JobSummary = Type.Object({
  counts: Dict(Type.Integer()),
  schedules: Type.Array(ScheduleSchema),
  handlers: Type.Array(Type.String(), { description: 'Job names this process has a handler for' }),
});

export async function jobsRoutes(app: FastifyInstance, deps: { db: Db; queue: JobQueue }) {
  const { queue } = deps;
  const api = typed(app);

  api.get(
    '/api/jobs',
    {
      config: { auth: P.jobsRead },
      schema: {
        tags,
        summary: 'Jobs, newest first, by status and name',
        querystring: Defaulted({ status: Type.Optional(Enum(['queued', 'running', 'done', 'dead'])), name: Type.Optional(Str(100)), ...PageQuery }),
        response: { 200: Page(JobSchema) },
      },
    },
    async (req) => ({ ...(await queue.list(req.query)), limit: req.query.limit, offset: req.query.offset }),
  );

  api.get(
    '/api/jobs/summary',
    { config: { auth: P.jobsRead }, schema: { tags, summary: 'Jobs by status, the schedules and the registered handlers', response: { 200: JobSummary } } },
    async () => ({
      counts: await queue.counts(),
      schedules: await queue.schedules(),
      handlers: queue.registeredNames(),
    }),
  );

  // The state change and its audit entry land together, or not at all.
  api.post(
    '/api/jobs/:id/retry',
    { config: { auth: P.jobsManage }, schema: { tags, summary: 'Run a dead or finished job again', params: IdParams, response: { 200: JobSchema } } },
    (req) =>
      inTransaction(deps.db, async (tx) => {
        const job = await queue.retry(req.params.id, tx);
        if (!job) throw (await queue.exists(req.params.id, tx)) ? errors.conflict('only dead or finished jobs can be retried') : errors.notFound('job');
        await recordAudit(tx, req.actor!, { action: 'job.retry', entityType: 'job', entityId: job.id, note: { name: job.name } });
        return job;
      }),
  );

  api.post(
    '/api/jobs/:id/cancel',
    { config: { auth: P.jobsManage }, schema: { tags, summary: 'Cancel a queued job (it goes dead)', params: IdParams, response: { 200: JobSchema } } },
    (req) =>
      inTransaction(deps.db, async (tx) => {
        const job = await queue.cancel(req.params.id, tx);
        if (!job) throw (await queue.exists(req.params.id, tx)) ? errors.conflict('only queued jobs can be cancelled') : errors.notFound('job');
        await recordAudit(tx, req.actor!, { action: 'job.cancel', entityType: 'job', entityId: job.id, note: { name: job.name } });
        return job;
      }),
  );
}
