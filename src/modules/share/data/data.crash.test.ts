// An upload killed mid-load is never half-applied: a real worker process (crash-worker.ts) on a real
// embedded-database folder is killed with SIGKILL while the load's rows are being staged; the dataset is
// then exactly as before (checked by opening the folder), and a new process takes the job over after the
// lease ends and loads the whole file (every update and every insert, nothing twice).
// Embedded database only: the folder is the point; the merge is the same single transaction on PostgreSQL.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../platform/db/client';
import { startWorkerProcess } from '../../../test/worker-process';

const WORKER = path.resolve('src/modules/share/data/crash-worker.ts');
const ROWS = 60_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-share-crash-'));
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function start(phase: 'start' | 'resume') {
  return startWorkerProcess(WORKER, { DATA_DIR: tmp, PHASE: phase, ROWS: String(ROWS) }, children);
}

async function datasetState() {
  const database = await openDatabase({ dataDir: path.join(tmp, 'pgdata') });
  try {
    const [ds] = await database.query<{ table_name: string; row_count: string }>(`select table_name, row_count::text from share_datasets d join share_resources r on r.id = d.resource_id where r.code = '370200-GAJ-09999'`);
    const [{ n }] = await database.query<{ n: number }>(`select count(*)::int as n from ${ds.table_name}`);
    const [{ renamed }] = await database.query<{ renamed: number }>(`select count(*)::int as renamed from ${ds.table_name} where name like '%甲'`);
    const [load] = await database.query<{ state: string; rows_read: number }>(`select state, rows_read from share_loads where file_name = 'big.csv'`);
    return { rowCount: Number(ds.row_count), count: n, renamed, load };
  } finally {
    await database.close();
  }
}

it('a load killed while staging leaves the dataset unchanged; the restarted job loads it whole', { timeout: 300_000 }, async () => {
  const first = start('start');
  const deadline = Date.now() + 200_000;
  while (!first.events.some((e) => e.event === 'progress' && Number(e.rowsRead) > 0)) {
    if (first.child.exitCode !== null) throw new Error(`worker exited early:\n${first.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no progress:\n${first.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(first.child.kill('SIGKILL')).toBe(true);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(first.events.some((e) => e.event === 'finished')).toBe(false);

  // The folder after the kill: the baseline only, the load caught mid-way.
  const mid = await datasetState();
  expect(mid).toMatchObject({ rowCount: 1000, count: 1000, renamed: 0 });
  expect(mid.load.state).toBe('running');
  expect(mid.load.rows_read).toBeGreaterThan(0);
  expect(mid.load.rows_read).toBeLessThan(ROWS);

  const second = start('resume');
  const done = await Promise.race([second.exited, new Promise<never>((_, no) => setTimeout(() => no(new Error(`resume did not finish:\n${second.stderr()}`)), 250_000))]);
  expect(done, second.stderr()).toEqual({ code: 0, signal: null });
  const fin = second.events.find((e) => e.event === 'finished')!;
  expect(fin).toMatchObject({ state: 'succeeded', rowsRead: ROWS, rowsInserted: ROWS - 1000, rowsUpdated: 1000, rowCount: ROWS, count: ROWS, renamed: 1000 });
});
