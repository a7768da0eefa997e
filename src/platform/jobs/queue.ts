// A durable job queue in PostgreSQL. Jobs are rows; workers claim due rows with FOR UPDATE SKIP LOCKED
// and hold a lease, which they renew while the handler runs. A worker that dies (kill -9) stops renewing:
// its lease simply runs out and the job is claimed again, so every job runs at least once. Handlers must
// therefore be idempotent; the idempotency key makes enqueueing idempotent too.
import os from 'node:os';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { inTransaction, rows, type Db, type DbOrTx } from '../db/client';
import { jobSchedules, jobs } from './jobs.schema';

export type JobRow = typeof jobs.$inferSelect;

export interface JobContext {
  job: JobRow;
  /** Attempts so far including this one. */
  attempt: number;
  log: Logger;
  /** Aborted when this worker lost the job's lease (another worker may be running it now). */
  signal: AbortSignal;
}

export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  delaySeconds?: number;
}

export interface QueueOptions {
  /**
   * How long a claimed job stays reserved without news from its worker. A live worker renews the lease
   * every third of it while the handler runs, so this bounds how long a crashed worker's job waits, not
   * how long a job may run.
   */
  leaseSeconds?: number;
  pollMs?: number;
  concurrency?: number;
  /** Base of the exponential backoff between attempts. */
  backoffBaseSeconds?: number;
}

/** Throw from a handler when retrying cannot help (bad payload, missing record): the job goes dead at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

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
    // Reserve the slots before the claim query, so that two overlapping pumps (the poller and a drain)
    // never claim more than the concurrency allows.
    this.running += free;
    let claimed: JobRow[] = [];
    try {
      claimed = await this.claim(free);
    } finally {
      this.running -= free - claimed.length;
    }
    for (const job of claimed) {
      // A failed status update (database gone mid-shutdown) leaves the job running under a lease that
      // runs out, so it is claimed again later; it must not become an unhandled rejection.
      const p = this.execute(job)
        .catch((err: unknown) => this.log.error({ err, jobId: job.id }, 'could not record the outcome of a job'))
        .finally(() => {
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
      // A full queue claims nothing: that means "come back when the running jobs finish", not "done".
      const busy = this.active.size > 0;
      const n = await this.pump();
      await Promise.allSettled([...this.active]);
      if (n === 0 && !busy) return;
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
    return full;
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.name)!;
    const log = this.log.child({ job: job.name, jobId: job.id, attempt: job.attempts });
    const lost = new AbortController();
    // Heartbeat: keep the lease while the handler runs, so a long job is not taken over by another worker.
    const heartbeat = setInterval(() => {
      this.renewLease(job.id)
        .then((kept) => {
          if (!kept && !lost.signal.aborted) {
            log.warn('job lease lost: another worker may have taken the job over');
            lost.abort(new Error('job lease lost'));
          }
        })
        .catch((err: unknown) => log.warn({ err }, 'job lease renewal failed'));
    }, Math.max(50, (this.leaseSeconds * 1000) / 3));
    heartbeat.unref?.();
    try {
      const result = await handler(job.payload as Record<string, unknown>, { job, attempt: job.attempts, log, signal: lost.signal });
      clearInterval(heartbeat);
      await this.db
        .update(jobs)
        .set({ status: 'done', result: (result ?? null) as never, leaseUntil: null, finishedAt: new Date(), updatedAt: new Date(), lastError: null })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)));
    } catch (err) {
      clearInterval(heartbeat);
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
      clearInterval(heartbeat);
      this.running--;
    }
  }

  /** Extend the lease of a job this worker runs; false when the job is no longer ours. */
  private async renewLease(id: string): Promise<boolean> {
    const r = await this.db
      .update(jobs)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${this.leaseSeconds})` })
      .where(and(eq(jobs.id, id), eq(jobs.lockedBy, this.workerId), eq(jobs.status, 'running')))
      .returning({ id: jobs.id });
    return r.length > 0;
  }

  private async runDueSchedules(): Promise<void> {
    // Each due schedule advances its next run and enqueues one job keyed by the slot it was due for, in
    // one transaction: two nodes racing on the same schedule create one job (the loser skips the locked
    // row, or sees it already advanced), and a crash between the two steps loses no slot. The job is
    // enqueued even when this node has no handler for it: a node that has one will run it.
    const [anyDue] = await rows<{ n: number }>(this.db, sql`select 1 as n from job_schedules where enabled = 1 and next_run_at <= now() limit 1`);
    if (!anyDue) return;
    await inTransaction(this.db, async (tx) => {
      const due = await rows<{ name: string; job_name: string; payload: Record<string, unknown> | null; slot: string }>(
        tx,
        sql`select name, job_name, payload, to_char(next_run_at at time zone 'UTC', 'YYYYMMDD"T"HH24MISS.US') as slot
            from job_schedules
            where enabled = 1 and next_run_at <= now()
            for update skip locked`,
      );
      for (const s of due) {
        await tx.execute(
          sql`update job_schedules set last_run_at = now(), next_run_at = now() + make_interval(secs => every_seconds) where name = ${s.name}`,
        );
        await tx
          .insert(jobs)
          .values({ name: s.job_name, payload: s.payload ?? {}, idempotencyKey: `schedule:${s.name}:${s.slot}`, scheduleName: s.name })
          .onConflictDoNothing();
      }
    });
  }

  // ---- console operations -------------------------------------------------------------------

  /** Queue a dead or finished job again with a fresh attempt budget; null when it is in another state. */
  async retry(id: string, tx: DbOrTx = this.db): Promise<JobRow | null> {
    const [row] = await tx
      .update(jobs)
      .set({ status: 'queued', runAt: new Date(), attempts: 0, lastError: null, finishedAt: null, updatedAt: new Date() })
      .where(and(eq(jobs.id, id), sql`${jobs.status} in ('dead', 'done')`))
      .returning();
    return row ?? null;
  }

  /** Give up a job that has not started; null when it is not queued. */
  async cancel(id: string, tx: DbOrTx = this.db): Promise<JobRow | null> {
    const [row] = await tx
      .update(jobs)
      .set({ status: 'dead', lastError: 'cancelled by an operator', finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
      .returning();
    return row ?? null;
  }

  async exists(id: string, tx: DbOrTx = this.db): Promise<boolean> {
    const [row] = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, id));
    return !!row;
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
