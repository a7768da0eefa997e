// A worker process for the interrupted-load test (data.crash.test.ts): opens an embedded database folder,
// makes sure a small published resource exists with a baseline of rows, and in phase "start" uploads a
// large CSV whose load job it then runs (the test kills it with SIGKILL while rows are being staged); in
// phase "resume" it only runs the queue, so the dead worker's job is taken over once its lease ends.
//
//   DATA_DIR=… PHASE=start|resume ROWS=… node --import tsx src/modules/share/data/crash-worker.ts
//
// stdout: JSON lines {"event":"prepared",loadId}, {"event":"progress",rowsRead}, {"event":"finished",…}.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createServices, seed } from '../../../app';
import { loadConfig } from '../../../config';
import { systemActor } from '../../../platform/auth/actor';
import { csvField } from '../../../platform/files';
import { JobQueue } from '../../../platform/jobs/queue';
import { shareMembers } from '../catalogue/catalogue.schema';
import { shareDatasets, shareLoads } from './data.schema';
import { LOAD_JOB } from './data.service';
import { populationRows } from './generator';

export const CRASH_RESOURCE_CODE = '370200-GAJ-09999';
const ITEMS = ['id_number|公民身份号码|string|k,p:id_number', 'name|姓名|string|r,p:name', 'gender|性别|string|r', 'birth_date|出生日期|date|', 'district_code|行政区划代码|string|r', 'updated_at|更新时间|datetime|r,c'];

const say = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + '\n');
const phase = process.env.PHASE ?? 'start';
const rowsWanted = Number(process.env.ROWS ?? '100000');
const dataDir = process.env.DATA_DIR!;
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', DQ_JOBS: '0' });
const services = await createServices(config);
const db = services.database.db;
const { share } = services;
const actor = systemActor('crash-test');

let resourceId: string;
if (phase === 'start') {
  await seed(services, { demo: false });
  await share.catalogue.ensureOrgMembers('CN-370200');
  const [gaj] = await db.select().from(shareMembers).where(eq(shareMembers.code, 'GAJ'));
  const { parseItem } = await import('../catalogue/catalogue.seed');
  const r = await share.catalogue.create(
    actor,
    {
      name: '人口测试库',
      summary: '中断测试',
      category: 'departmental',
      classification: '测试',
      format: 'table',
      items: ITEMS.map(parseItem),
      sharingType: 'conditional',
      sharingCondition: '测试',
      sharingMethod: 'interface',
      openingType: 'none',
      updateCycle: 'daily',
      grade: 'general',
      legalBasis: '测试',
      providerMemberId: gaj.id,
    } as never,
    { code: CRASH_RESOURCE_CODE },
  );
  await share.catalogue.publish(actor, r.id);
  resourceId = r.id;
  // Baseline: 1,000 rows in the dataset.
  const base = [...populationRows(1000, 5)].map((p) => Object.fromEntries(ITEMS.map((s) => s.split('|')[0]).map((c) => [c, p[c]])));
  await share.data.pushBatch(actor, resourceId, { batchId: 'baseline', mode: 'full', rows: base });
  // The big file: the same 1,000 people renamed (updates) and rowsWanted − 1,000 more (inserts).
  const file = path.join(dataDir, 'big.csv');
  const out = fs.createWriteStream(file);
  const cols = ITEMS.map((s) => s.split('|')[0]);
  out.write(cols.join(',') + '\n');
  let i = 0;
  for (const p of populationRows(rowsWanted, 5)) {
    if (i++ < 1000) p.name = `${p.name}甲`;
    if (!out.write(cols.map((c) => csvField(p[c])).join(',') + '\n')) await new Promise<void>((ok) => out.once('drain', () => ok()));
  }
  await new Promise<void>((ok) => out.end(() => ok()));
  const load = await share.data.createUpload(actor, resourceId, 'incremental', { fileName: 'big.csv', format: 'csv', stream: fs.createReadStream(file) });
  say({ event: 'prepared', loadId: load.id, resourceId });
}

const queue = new JobQueue(db, services.log.child({ component: 'crash-worker' }), { leaseSeconds: 2, pollMs: 100, concurrency: 1 });
queue.register(LOAD_JOB, async (payload) => {
  await share.data.runLoad(String(payload.loadId));
});
queue.start();
let lastRead = -1;
for (;;) {
  const [l] = await db.select().from(shareLoads).where(eq(shareLoads.fileName, 'big.csv'));
  if (l && l.rowsRead !== lastRead) {
    lastRead = l.rowsRead;
    say({ event: 'progress', rowsRead: l.rowsRead, state: l.state });
  }
  if (l && (l.state === 'succeeded' || l.state === 'failed' || l.state === 'rejected')) {
    await queue.stop();
    const [ds] = await db.select().from(shareDatasets).where(eq(shareDatasets.resourceId, l.resourceId));
    const [{ n }] = await services.database.query<{ n: number }>(`select count(*)::int as n from ${ds.tableName}`);
    const [{ renamed }] = await services.database.query<{ renamed: number }>(`select count(*)::int as renamed from ${ds.tableName} where name like '%甲'`);
    await services.database.close();
    say({ event: 'finished', state: l.state, error: l.error, rowsRead: l.rowsRead, rowsInserted: l.rowsInserted, rowsUpdated: l.rowsUpdated, rowCount: ds.rowCount, count: n, renamed });
    process.exit(0);
  }
  await new Promise((r) => setTimeout(r, 50));
}
