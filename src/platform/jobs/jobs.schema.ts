// The durable job queue: rows claimed with FOR UPDATE SKIP LOCKED, so it runs on one node or many.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull().default({}),
    /** queued | running | done | dead */
    status: text('status').notNull().default('queued'),
    /** At most one job per key is ever created: enqueueing the same key again returns the first job. */
    idempotencyKey: text('idempotency_key'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    /** A running job whose lease has passed is taken again: the worker that held it has died. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    result: jsonb('result'),
    scheduleName: text('schedule_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_idempotency_uq').on(t.idempotencyKey),
    index('jobs_due_idx').on(t.runAt).where(sql`status = 'queued'`),
    index('jobs_lease_idx').on(t.leaseUntil).where(sql`status = 'running'`),
    index('jobs_status_created_idx').on(t.status, t.createdAt),
    index('jobs_name_idx').on(t.name, t.createdAt),
  ],
);

export const jobSchedules = pgTable('job_schedules', {
  name: text('name').primaryKey(),
  jobName: text('job_name').notNull(),
  payload: jsonb('payload').notNull().default({}),
  everySeconds: integer('every_seconds').notNull(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  enabled: integer('enabled').notNull().default(1),
});
