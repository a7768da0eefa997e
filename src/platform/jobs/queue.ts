// A durable job queue in PostgreSQL. Jobs are rows; workers claim due rows with FOR UPDATE SKIP LOCKED
// and hold a lease. A worker that dies (kill -9) stops renewing nothing: its lease simply runs out and the
// job is claimed again, so every job runs at least once. Handlers must therefore be idempotent; the
// idempotency key makes enqueueing idempotent too.
import os from 'node:os';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rows, type Db } from '../db/client';
import { jobSchedules, jobs } from './jobs.schema';

export type JobRow = typeof jobs.$inferSelect;

export interface JobContext {
  job: JobRow;
  /** Attempts so far including this one. */
  attempt: number;
  log: Logger;
}

export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  delaySeconds?: number;
}

export interface QueueOptions {
  /** How long a claimed job may run before another worker may take it over. */
  leaseSeconds?: number;
  pollMs?: number;
  concurrency?: number;
  /** Base of the exponential backoff between attempts. */
  backoffBaseSeconds?: number;
}

export class PermanentJobError extends Error {}

export class JobQueue {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running = 0;
  private stopping = false;
  private active = new Set<Promise<void>>();
  readonly workerId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly backoffBase: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    opts: QueueOptions = {},
  ) {
    this.leaseSeconds = opts.leaseSeconds ?? 300;
    this.pollMs = opts.pollMs ?? 1000;
    this.concurrency = opts.concurrency ?? 2;
    this.backoffBase = opts.backoffBaseSeconds ?? 5;
  }

  register(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new Error(`job handler ${name} registered twice`);
    this.handlers.set(name, handler);
  }

  registeredNames(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Add a job. With an idempotency key, a second call returns the job the first one created. */
  async enqueue(name: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<JobRow> {
    const runAt = opts.runAt ?? new Date(Date.now() + (opts.delaySeconds ?? 0) * 1000);
    const values = {
      name,
      payload,
      idempotencyKey: opts.idempotencyKey ?? null,
      runAt,
      maxAttempts: opts.maxAttempts ?? 5,
    };
    const inserted = await this.db.insert(jobs).values(values).onConflictDoNothing().returning();
    if (inserted[0]) return inserted[0];
    const [existing] = await this.db.select().from(jobs).where(eq(jobs.idempotencyKey, opts.idempotencyKey!));
    return existing;
  }

  /** Declare a recurring job; its next run is kept in the database so restarts do not reset it. */
  async schedule(name: string, jobName: string, everySeconds: number, payload: Record<string, unknown> = {}): Promise<void> {
    await this.db
      .insert(jobSchedules)
      .values({ name, jobName, everySeconds, payload, nextRunAt: new Date() })
      .onConflictDoUpdate({ target: jobSchedules.name, set: { jobName, everySeconds, payload } });
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    const tick = () => {
      this.timer = setTimeout(async () => {
        try {
          await this.runDueSchedules();
          await this.pump();
        } catch (err) {
          this.log.error({ err }, 'job poll failed');
        }
        if (!this.stopping) tick();
      }, this.pollMs);
      this.timer.unref?.();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.active]);
  }

  /** Claim and run what is due now; returns how many jobs were started. Used by the poller and by tests. */
  async pump(): Promise<number> {
    const free = this.concurrency - this.running;
    if (free <= 0) return 0;
    const claimed = await this.claim(free);
    for (const job of claimed) {
      const p = this.execute(job).finally(() => {
        this.active.delete(p);
      });
      this.active.add(p);
    }
    return claimed.length;
  }

  /** Run until nothing is due (tests, CLI). */
  async drain(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      await this.runDueSchedules();
      const n = await this.pump();
      await Promise.allSettled([...this.active]);
      if (n === 0) return;
    }
  }

  private async claim(limit: number): Promise<JobRow[]> {
    const names = this.registeredNames();
    if (names.length === 0) return [];
    const nameList = sql.join(names.map((n) => sql`${n}`), sql`, `);
    // Due queued jobs, and running jobs whose lease expired (their worker died).
    const claimed = await rows<Record<string, unknown>>(
      this.db,
      sql`update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.workerId},
            lease_until = now() + make_interval(secs => ${this.leaseSeconds}), updated_at = now()
          where id in (
            select id from jobs
            where name in (${nameList})
              and ((status = 'queued' and run_at <= now()) or (status = 'running' and lease_until < now()))
            order by run_at
            limit ${limit}
            for update skip locked)
          returning id`,
    );
    if (claimed.length === 0) return [];
    const ids = claimed.map((r) => r.id as string);
    const full = await this.db
      .select()
      .from(jobs)
      .where(sql`${jobs.id} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`);
    this.running += full.length;
    return full;
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.name)!;
    const log = this.log.child({ job: job.name, jobId: job.id, attempt: job.attempts });
    try {
      const result = await handler(job.payload as Record<string, unknown>, { job, attempt: job.attempts, log });
      await this.db
        .update(jobs)
        .set({ status: 'done', result: (result ?? null) as never, leaseUntil: null, finishedAt: new Date(), updatedAt: new Date(), lastError: null })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)));
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const permanent = err instanceof PermanentJobError;
      const dead = permanent || job.attempts >= job.maxAttempts;
      // Exponential backoff with jitter: base * 2^(attempt-1), ±20 %.
      const delay = this.backoffBase * 2 ** (job.attempts - 1) * (0.8 + Math.random() * 0.4);
      log.warn({ err: message, dead }, 'job failed');
      await this.db
        .update(jobs)
        .set({
          status: dead ? 'dead' : 'queued',
          lastError: message.slice(0, 4000),
          runAt: dead ? job.runAt : new Date(Date.now() + delay * 1000),
          leaseUntil: null,
          finishedAt: dead ? new Date() : null,
          updatedAt: new Date(),
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)));
    } finally {
      this.running--;
    }
  }

  private async runDueSchedules(): Promise<void> {
    // Each due schedule advances its next run and enqueues one job keyed by the slot, so two nodes
    // racing on the same schedule create one job.
    const due = await rows<{ name: string; job_name: string; payload: Record<string, unknown>; slot: string }>(
      this.db,
      sql`update job_schedules set last_run_at = now(),
            next_run_at = now() + make_interval(secs => every_seconds)
          where enabled = 1 and next_run_at <= now()
          returning name, job_name, payload, to_char(last_run_at at time zone 'UTC', 'YYYYMMDDHH24MISS') as slot`,
    );
    for (const s of due) {
      if (!this.handlers.has(s.job_name)) continue;
      await this.enqueue(s.job_name, s.payload ?? {}, { idempotencyKey: `schedule:${s.name}:${s.slot}` });
      await this.db.update(jobs).set({ scheduleName: s.name }).where(eq(jobs.idempotencyKey, `schedule:${s.name}:${s.slot}`));
    }
  }

  // ---- console operations -------------------------------------------------------------------

  async retry(id: string): Promise<JobRow | null> {
    const [row] = await this.db
      .update(jobs)
      .set({ status: 'queued', runAt: new Date(), attempts: 0, lastError: null, finishedAt: null, updatedAt: new Date() })
      .where(and(eq(jobs.id, id), sql`${jobs.status} in ('dead', 'done')`))
      .returning();
    return row ?? null;
  }

  async cancel(id: string): Promise<JobRow | null> {
    const [row] = await this.db
      .update(jobs)
      .set({ status: 'dead', lastError: 'cancelled by an operator', finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
      .returning();
    return row ?? null;
  }

  async list(f: { status?: string; name?: string; limit: number; offset: number }): Promise<{ items: JobRow[]; total: number }> {
    const conds: SQL[] = [];
    if (f.status) conds.push(eq(jobs.status, f.status));
    if (f.name) conds.push(eq(jobs.name, f.name));
    const where = conds.length ? and(...conds) : undefined;
    const items = await this.db.select().from(jobs).where(where).orderBy(desc(jobs.createdAt)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(where);
    return { items, total: n };
  }

  async counts(): Promise<Record<string, number>> {
    const r = await this.db.select({ status: jobs.status, n: sql<number>`count(*)::int` }).from(jobs).groupBy(jobs.status);
    return Object.fromEntries(r.map((x) => [x.status, x.n]));
  }

  async schedules() {
    return this.db.select().from(jobSchedules).orderBy(jobSchedules.name);
  }

  /** Remove finished jobs older than the retention window. */
  async purgeFinished(olderThanDays: number): Promise<number> {
    const r = await this.db
      .delete(jobs)
      .where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, new Date(Date.now() - olderThanDays * 86400_000))))
      .returning({ id: jobs.id });
    return r.length;
  }
}
