// kill -9 in the middle of a job: a real worker process (src/test/fixtures/job-worker.ts) on a real
// embedded-database folder is killed while its job runs; a new process on the same folder must recover
// the database and, once the dead worker's lease has run out, run the job again to completion.
// Embedded database only (the folder is the point); the same lease logic is covered on PostgreSQL by
// queue.int.test.ts.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { jobs } from './jobs.schema';
import { startWorkerProcess, type WorkerProcess } from '../../test/worker-process';

const FIXTURE = path.resolve('src/test/fixtures/job-worker.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-crash-'));
const dataDir = path.join(tmp, 'data');
const lineFile = path.join(tmp, 'lines.txt');
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Worker = WorkerProcess;

function startWorker(sleepMs: number): Worker {
  return startWorkerProcess(FIXTURE, { DATA_DIR: dataDir, LINE_FILE: lineFile, SLEEP_MS: String(sleepMs), LEASE_SECONDS: '2' }, children);
}

const lines = () => (fs.existsSync(lineFile) ? fs.readFileSync(lineFile, 'utf8').trim().split('\n').filter(Boolean) : []);

async function waitFor(what: string, cond: () => boolean, w: Worker, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (w.child.exitCode !== null) throw new Error(`worker exited (${w.child.exitCode}) before ${what}:\n${w.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${w.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('finishes a job after its worker is killed with SIGKILL mid-run, on the recovered database folder', { timeout: 120_000 }, async () => {
  // First worker: the job would sleep for a minute; kill it as soon as it is running.
  const first = startWorker(60_000);
  await waitFor('the job to start', () => lines().length === 1, first, 90_000);
  const started = first.events.find((e) => e.event === 'started')!;
  expect(started).toMatchObject({ status: 'queued', attempts: 0 });
  expect(lines()).toEqual([`${first.child.pid} 1`]);
  // A heartbeat or two lands while the job runs, so the kill can hit the database mid-write.
  await new Promise((r) => setTimeout(r, 800));
  expect(first.child.kill('SIGKILL')).toBe(true);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(first.events.some((e) => e.event === 'finished')).toBe(false);

  // Second worker on the same folder: it opens (recovers) the database, finds the same job by its
  // idempotency key still "running" under the dead worker's lease, and takes it over once the lease ends.
  const second = startWorker(100);
  const result = await Promise.race([
    second.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`second worker did not finish:\n${second.stderr()}`)), 90_000)),
  ]);
  expect(result, second.stderr()).toEqual({ code: 0, signal: null });
  const again = second.events.find((e) => e.event === 'started')!;
  expect(again).toMatchObject({ jobId: started.jobId, status: 'running', attempts: 1 });
  const finished = second.events.find((e) => e.event === 'finished')!;
  expect(finished).toMatchObject({ jobId: started.jobId, status: 'done', lastError: null });
  expect(finished.attempts).toBeGreaterThanOrEqual(2);
  expect(finished.result).toMatchObject({ pid: second.child.pid, label: 'crash-test' });
  expect(lines()).toEqual([`${first.child.pid} 1`, `${second.child.pid} 2`]);

  // The folder opens cleanly afterwards too, with exactly one row for the job.
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pgdata') });
  try {
    const rowsForKey = await database.db.select().from(jobs).where(eq(jobs.idempotencyKey, 'fixture:crash-test'));
    expect(rowsForKey).toHaveLength(1);
    expect(rowsForKey[0]).toMatchObject({ id: started.jobId, status: 'done', attempts: 2, leaseUntil: null });
    const [{ ok }] = await database.query<{ ok: number }>('select count(*)::int as ok from drizzle.__drizzle_migrations');
    expect(ok).toBeGreaterThan(0);
  } finally {
    await database.close();
  }
});
