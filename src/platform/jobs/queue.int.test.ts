// The job queue on a real database: running, idempotency, retries with backoff, dead jobs, operator
// retry/cancel, recurring schedules shared by two nodes, take-over of a dead worker's job, lease renewal,
// and the console API. Each test registers its own job names, so tests do not see each other's jobs.
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Client, type TestApp } from '../../test/app';
import { openDatabase, rows, type Database, type Db } from '../db/client';
import { jobs } from './jobs.schema';
import { JobQueue, PermanentJobError, type QueueOptions } from './queue';

const silent = pino({ level: 'silent' });
let t: TestApp;
let db: Db;
const queues: JobQueue[] = [];
const extraDatabases: Database[] = [];

beforeAll(async () => {
  t = await testApp();
  db = t.app.services.database.db;
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});
afterAll(async () => {
  for (const d of extraDatabases) await d.close();
  await t.close();
});

function newQueue(opts: QueueOptions = {}, on: Db = db): JobQueue {
  const q = new JobQueue(on, silent, { pollMs: 20, ...opts });
  queues.push(q);
  return q;
}

async function job(id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('running jobs', () => {
  it('runs an enqueued job once with its payload and records the result', async () => {
    const q = newQueue();
    const seen: unknown[] = [];
    q.register('t.echo', async (payload, ctx) => {
      seen.push({ payload, attempt: ctx.attempt });
      return { doubled: Number(payload.n) * 2 };
    });
    const j = await q.enqueue('t.echo', { n: 21 });
    expect(j.status).toBe('queued');
    await q.drain();
    expect(seen).toEqual([{ payload: { n: 21 }, attempt: 1 }]);
    const row = await job(j.id);
    expect(row).toMatchObject({ status: 'done', attempts: 1, result: { doubled: 42 }, lastError: null, lockedBy: q.workerId, leaseUntil: null });
    expect(row.finishedAt).toBeInstanceOf(Date);
    await q.drain();
    expect(seen).toHaveLength(1);
  });

  it('does not run a job before its run time', async () => {
    const q = newQueue();
    let calls = 0;
    q.register('t.later', async () => void calls++);
    const j = await q.enqueue('t.later', {}, { delaySeconds: 3600 });
    await q.drain();
    expect(calls).toBe(0);
    expect((await job(j.id)).status).toBe('queued');
  });

  it('returns the same job for the same idempotency key and runs it once', async () => {
    const q = newQueue();
    let calls = 0;
    q.register('t.once', async () => void calls++);
    const a = await q.enqueue('t.once', { v: 1 }, { idempotencyKey: 'once-1' });
    const b = await q.enqueue('t.once', { v: 2 }, { idempotencyKey: 'once-1' });
    expect(b.id).toBe(a.id);
    expect(b.payload).toEqual({ v: 1 });
    // Concurrent enqueues with one key still make one row.
    const many = await Promise.all(Array.from({ length: 8 }, () => q.enqueue('t.once', {}, { idempotencyKey: 'once-2' })));
    expect(new Set(many.map((m) => m.id)).size).toBe(1);
    await q.drain();
    expect(calls).toBe(2);
    const again = await q.enqueue('t.once', {}, { idempotencyKey: 'once-1' });
    expect(again).toMatchObject({ id: a.id, status: 'done' });
    await q.drain();
    expect(calls).toBe(2);
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from jobs where idempotency_key in ('once-1', 'once-2')`);
    expect(n).toBe(2);
  });
});

describe('failures', () => {
  it('retries with exponential backoff and ends dead after maxAttempts, keeping the last error', async () => {
    const base = 0.2;
    const q = newQueue({ backoffBaseSeconds: base });
    let calls = 0;
    q.register('t.flaky', async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const j = await q.enqueue('t.flaky', {}, { maxAttempts: 3 });
    let prevRunAt = j.runAt.getTime();
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt > 1) {
        // Not claimable until its run time; then the claim (DB clock) happens at or after it.
        await until('the retry to become due', async () => (await q.pump()) > 0);
        await until('the attempt to finish', async () => (await job(j.id)).status !== 'running');
      } else {
        await q.drain();
      }
      const row = await job(j.id);
      expect(row.status).toBe('queued');
      expect(row.attempts).toBe(attempt);
      expect(row.lastError).toBe(`Error: boom ${attempt}`);
      expect(row.leaseUntil).toBeNull();
      // run_at moves forward by base·2^(attempt-1) with ±20 % jitter, counted from the failure.
      const delay = (row.runAt.getTime() - row.updatedAt.getTime()) / 1000;
      expect(delay).toBeGreaterThanOrEqual(base * 2 ** (attempt - 1) * 0.8 - 0.002);
      expect(delay).toBeLessThanOrEqual(base * 2 ** (attempt - 1) * 1.2 + 0.002);
      expect(row.runAt.getTime()).toBeGreaterThan(prevRunAt);
      prevRunAt = row.runAt.getTime();
    }
    await until('the last attempt', async () => (await q.pump()) > 0);
    await until('the job to go dead', async () => (await job(j.id)).status === 'dead');
    const dead = await job(j.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: boom 3' });
    expect(dead.finishedAt).toBeInstanceOf(Date);
    expect(calls).toBe(3);
    await q.drain();
    expect(calls).toBe(3);
  });

  it('sends a job dead at once on PermanentJobError', async () => {
    const q = newQueue();
    let calls = 0;
    q.register('t.permanent', async () => {
      calls++;
      throw new PermanentJobError('the record is gone');
    });
    const j = await q.enqueue('t.permanent', {}, { maxAttempts: 5 });
    await q.drain();
    expect(await job(j.id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'PermanentJobError: the record is gone' });
    expect(calls).toBe(1);
  });

  it('retry() re-runs a dead job with a fresh attempt budget, and refuses one that is not finished', async () => {
    const q = newQueue();
    let fail = true;
    q.register('t.retry', async () => {
      if (fail) throw new PermanentJobError('not yet');
      return { ok: true };
    });
    const j = await q.enqueue('t.retry');
    await q.drain();
    expect((await job(j.id)).status).toBe('dead');
    fail = false;
    const retried = await q.retry(j.id);
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, lastError: null, finishedAt: null });
    expect(await q.retry(j.id)).toBeNull(); // queued: nothing to retry
    await q.drain();
    expect(await job(j.id)).toMatchObject({ status: 'done', attempts: 1, result: { ok: true } });
  });

  it('cancel() gives up a queued job and nothing else', async () => {
    const q = newQueue();
    let calls = 0;
    q.register('t.cancel', async () => void calls++);
    const j = await q.enqueue('t.cancel', {}, { delaySeconds: 1 });
    const cancelled = await q.cancel(j.id);
    expect(cancelled).toMatchObject({ status: 'dead', lastError: 'cancelled by an operator' });
    expect(await q.cancel(j.id)).toBeNull();
    await t.app.services.database.query(`update jobs set run_at = now() - interval '1 minute' where id = $1`, [j.id]);
    await q.drain();
    expect(calls).toBe(0);
    const done = await q.enqueue('t.cancel');
    await q.drain();
    expect(await q.cancel(done.id)).toBeNull();
    expect(calls).toBe(1);
  });
});

describe('several workers', () => {
  it('enqueues one job per schedule slot when two nodes poll together', async () => {
    // Two "nodes": on PostgreSQL each has its own connection pool; PGlite has one connection by design.
    let second: Db = db;
    const pool = t.app.services.database.pool;
    if (pool) {
      const d = await openDatabase({ databaseUrl: pool.options.connectionString!, poolSize: 4 });
      extraDatabases.push(d);
      second = d.db;
    }
    const runs: string[] = [];
    const nodeA = newQueue();
    const nodeB = newQueue({}, second);
    nodeA.register('t.tick', async (_p, ctx) => void runs.push(`A:${ctx.job.id}`));
    nodeB.register('t.tick', async (_p, ctx) => void runs.push(`B:${ctx.job.id}`));
    await nodeA.schedule('t.tick.hourly', 't.tick', 3600, { every: 'hour' });
    await nodeB.schedule('t.tick.hourly', 't.tick', 3600, { every: 'hour' });
    const slots = 5;
    for (let slot = 1; slot <= slots; slot++) {
      if (slot > 1) {
        // The next slot comes due (instead of waiting an hour).
        await t.app.services.database.query(`update job_schedules set next_run_at = now() - interval '1 millisecond' where name = 't.tick.hourly'`);
      }
      await Promise.all([nodeA.drain(), nodeB.drain(), nodeA.drain(), nodeB.drain()]);
      const made = await db.select().from(jobs).where(eq(jobs.scheduleName, 't.tick.hourly'));
      expect(made, `after slot ${slot}`).toHaveLength(slot);
      expect(made.every((m) => m.status === 'done' && m.attempts === 1 && m.name === 't.tick')).toBe(true);
      expect(made.every((m) => (m.payload as { every: string }).every === 'hour')).toBe(true);
      expect(runs).toHaveLength(slot);
    }
    expect(new Set(runs.map((r) => r.slice(2))).size).toBe(slots);
    const [s] = await rows<{ next_run_at: string; last_run_at: string }>(db, sql`select next_run_at::text, last_run_at::text from job_schedules where name = 't.tick.hourly'`);
    expect(new Date(s.next_run_at).getTime() - Date.now()).toBeGreaterThan(3500_000);
  });

  it('enqueues a due scheduled job even on a node without its handler, for a node that has one', async () => {
    const without = newQueue();
    without.register('t.unrelated', async () => undefined);
    const withHandler = newQueue();
    let calls = 0;
    withHandler.register('t.elsewhere', async () => void calls++);
    await without.schedule('t.elsewhere.daily', 't.elsewhere', 86400);
    await without.drain();
    const [made] = await db.select().from(jobs).where(eq(jobs.scheduleName, 't.elsewhere.daily'));
    expect(made).toMatchObject({ name: 't.elsewhere', status: 'queued' });
    await withHandler.drain();
    expect(calls).toBe(1);
    expect((await job(made.id)).status).toBe('done');
  });

  it('claims again a running job whose worker died (lease expired), but not one whose lease holds', async () => {
    const q = newQueue();
    const ran: number[] = [];
    q.register('t.orphan', async (_p, ctx) => void ran.push(ctx.attempt));
    const orphan = await q.enqueue('t.orphan', { which: 'orphan' });
    const held = await q.enqueue('t.orphan', { which: 'held' });
    // What a worker killed mid-job leaves behind: running, its lease in the past.
    await t.app.services.database.query(
      `update jobs set status = 'running', attempts = 1, locked_by = 'dead-node:1', lease_until = now() - interval '1 second' where id = $1`,
      [orphan.id],
    );
    await t.app.services.database.query(
      `update jobs set status = 'running', attempts = 1, locked_by = 'live-node:2', lease_until = now() + interval '1 hour' where id = $1`,
      [held.id],
    );
    await q.drain();
    expect(ran).toEqual([2]);
    expect(await job(orphan.id)).toMatchObject({ status: 'done', attempts: 2, lockedBy: q.workerId });
    expect(await job(held.id)).toMatchObject({ status: 'running', attempts: 1, lockedBy: 'live-node:2' });
  });

  it('renews the lease of a job that runs longer than the lease, so another worker does not take it over', async () => {
    const lease = 1;
    const a = newQueue({ leaseSeconds: lease });
    const b = newQueue({ leaseSeconds: lease });
    const starts: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    a.register('t.long', async () => {
      starts.push('A');
      await released;
    });
    b.register('t.long', async () => void starts.push('B'));
    const j = await a.enqueue('t.long');
    try {
      expect(await a.pump()).toBe(1);
      await until('A to start', async () => starts.length === 1);
      const firstLease = (await job(j.id)).leaseUntil!.getTime();
      // Keep B polling for well over two lease periods while A's handler still runs.
      const until2 = Date.now() + lease * 2500;
      while (Date.now() < until2) {
        expect(await b.pump()).toBe(0);
        await new Promise((r) => setTimeout(r, 50));
      }
      const row = await job(j.id);
      expect(row).toMatchObject({ status: 'running', lockedBy: a.workerId, attempts: 1 });
      expect(row.leaseUntil!.getTime()).toBeGreaterThan(firstLease);
    } finally {
      release();
    }
    await a.stop();
    expect(await job(j.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(starts).toEqual(['A']);
  });

  it('keeps to its concurrency when pumps overlap', async () => {
    const q = newQueue({ concurrency: 2 });
    let active = 0;
    let peak = 0;
    q.register('t.parallel', async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
    });
    for (let i = 0; i < 6; i++) await q.enqueue('t.parallel', { i });
    const claimed = await Promise.all([q.pump(), q.pump(), q.pump()]);
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(2);
    await q.drain();
    expect(peak).toBe(2);
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from jobs where name = 't.parallel' and status = 'done'`);
    expect(n).toBe(6);
  });
});

describe('the console API', () => {
  let admin: Client;
  let auditor: Client;
  beforeAll(async () => {
    admin = await t.login('admin');
    auditor = await t.login('auditor');
  });

  it('lists jobs with filters, summarises them, and retries and cancels with audit entries', async () => {
    const q = newQueue();
    q.register('t.api.dead', async () => {
      throw new PermanentJobError('bad payload');
    });
    const dead = await q.enqueue('t.api.dead');
    await q.drain();
    // Nobody handles this one: it stays queued.
    const queued = await q.enqueue('t.api.waiting', {}, { delaySeconds: 3600 });

    const list = await admin.get('/api/jobs?status=dead&name=t.api.dead');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, limit: 50, offset: 0, items: [{ id: dead.id, status: 'dead', lastError: 'PermanentJobError: bad payload' }] });
    const all = (await admin.get('/api/jobs?limit=200')).json();
    expect(all.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([dead.id, queued.id]));
    const page = (await admin.get('/api/jobs?limit=1&offset=1')).json();
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(all.total);
    expect((await admin.get('/api/jobs?status=stuck')).statusCode).toBe(400);

    const summary = await auditor.get('/api/jobs/summary');
    expect(summary.statusCode).toBe(200);
    const s = summary.json();
    expect(s.counts.dead).toBeGreaterThanOrEqual(1);
    expect(s.counts.queued).toBeGreaterThanOrEqual(1);
    expect(s.handlers).toEqual(expect.arrayContaining(['audit.verify', 'jobs.purge', 'sessions.purge']));
    expect(Array.isArray(s.schedules)).toBe(true);

    // The auditor may look, not touch.
    expect((await auditor.post(`/api/jobs/${dead.id}/retry`)).statusCode).toBe(403);

    const retried = await admin.post(`/api/jobs/${dead.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: dead.id, status: 'queued', attempts: 0 });
    const again = await admin.post(`/api/jobs/${dead.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 409, type: expect.stringMatching(/conflict$/), detail: expect.stringMatching(/retried/) });

    const cancelled = await admin.post(`/api/jobs/${queued.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: queued.id, status: 'dead', lastError: 'cancelled by an operator' });
    const cancelAgain = await admin.post(`/api/jobs/${queued.id}/cancel`);
    expect(cancelAgain.statusCode).toBe(409);
    expect(cancelAgain.headers['content-type']).toMatch(/application\/problem\+json/);

    const missing = await admin.post('/api/jobs/00000000-0000-4000-8000-000000000000/cancel');
    expect(missing.statusCode).toBe(404);

    const trail = (await admin.get('/api/audit?entityType=job&limit=10')).json();
    expect(trail.items.map((e: { action: string; entityId: string }) => `${e.action}:${e.entityId}`)).toEqual([`job.cancel:${queued.id}`, `job.retry:${dead.id}`]);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });
});
