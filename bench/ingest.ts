// Ingest benchmark: a CSV of --rows population-register rows (default 1,000,000, from the data part's
// deterministic generator) is loaded through the platform's import path — the upload is streamed to the
// data folder, then the load job parses it, types and checks every row against the resource's quality
// rules (derived: not null, key unique, ID check digit; the demo's own: accepted gender values, phone
// pattern), stages the rows in chunks and merges them in one transaction (mode full). In the same run the
// same file goes through PostgreSQL's own COPY (psql \copy) into a plain table with the same columns and
// types — the baseline. Printed: rows/s for both, the ratio, and the peak RSS of this process.
//
//   node --import tsx bench/ingest.ts [--rows 1000000] [--postgres URL] [--pglite] [--json]
//
// --postgres: the server (default the local test server); a private database is created and dropped.
// --pglite: run the platform path on embedded PGlite instead (no COPY baseline; use a smaller --rows).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { createServices, seed } from '../src/app';
import { loadConfig } from '../src/config';
import { systemActor } from '../src/platform/auth/actor';
import { adminQuery } from '../src/platform/db/admin';
import { shareMembers } from '../src/modules/share/catalogue/catalogue.schema';
import { loadResourceSeed, parseItem } from '../src/modules/share/catalogue/catalogue.seed';
import { DEMO_RESOURCE_CODES } from '../src/modules/share/catalogue';
import { shareQualityRules } from '../src/modules/share/data/data.schema';
import { populationRows } from '../src/modules/share/data';
import { SQL_TYPE } from '../src/modules/share/data/quality';
import { describeMachine, ratioLine, writeCsvFile } from './common';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' }, pglite: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
const total = Number(args.rows);
const log = (s: string) => process.stderr.write(s + '\n');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-ingest-'));
const file = path.join(dir, 'population.csv');
const machine = describeMachine(log);

const seedPop = loadResourceSeed().find((r) => r.code === DEMO_RESOURCE_CODES.population)!;
const items = seedPop.items.map(parseItem);
const cols = items.map((i) => i.name);

const dbName = `dq_bench_ingest_${process.pid}`;
const u = new URL(args.postgres!);
u.pathname = `/${dbName}`;
let result: Record<string, unknown> = {};
try {
  log(`generating ${total.toLocaleString('en')} rows…`);
  let t = Date.now();
  await writeCsvFile(file, cols, (function* () {
    for (const r of populationRows(total, 20261127)) yield cols.map((c) => r[c]);
  })());
  const bytes = fs.statSync(file).size;
  log(`generated ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  if (!args.pglite) await adminQuery(args.postgres!, `create database ${dbName}`);
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dir, 'data'), ...(args.pglite ? {} : { DATABASE_URL: u.toString() }), DQ_JOBS: '0', LOG_LEVEL: 'warn' });
  const services = await createServices(config);
  await seed(services, { demo: false });
  const { share } = services;
  const actor = systemActor('bench');
  await share.catalogue.ensureOrgMembers('CN-370200');
  const [gaj] = await services.database.db.select().from(shareMembers).where(eq(shareMembers.code, 'GAJ'));
  const { code: _c, provider: _p, subsystem: _s, state: _st, demo: _d, items: _i, ...fields } = seedPop;
  const res = await share.catalogue.create(actor, { ...fields, items, providerSubsystemId: null, relatedCodes: [], providerMemberId: gaj.id } as never, { code: '370200-GAJ-09998' });
  await share.catalogue.publish(actor, res.id);
  await services.database.db.insert(shareQualityRules).values([
    { resourceId: res.id, kind: 'accepted_values', column: 'gender', params: { values: ['男', '女'] }, threshold: 0.01, severity: 'error' },
    { resourceId: res.id, kind: 'pattern', column: 'phone', params: { pattern: '^1[3-9]\\d{9}$' }, threshold: 0.05, severity: 'warning' },
  ]);
  const rules = await share.data.rules(res.id);

  log(`platform import (${services.database.kind}): upload → job → typed, ${rules.length} rules, staged, merged in one transaction…`);
  t = Date.now();
  const load = await share.data.createUpload(actor, res.id, 'full', { fileName: 'population.csv', format: 'csv', stream: fs.createReadStream(file) });
  await share.data.runLoad(load.id);
  const platformMs = Date.now() - t;
  const done = await share.data.getLoad(actor, load.id);
  if (done.state !== 'succeeded' || done.rowsLoaded !== total) throw new Error(`load ended ${done.state}: ${done.error} (${done.rowsLoaded} rows)`);
  const platformRps = Math.round(total / (platformMs / 1000));
  log(`platform: ${total.toLocaleString('en')} rows in ${(platformMs / 1000).toFixed(1)} s — ${platformRps.toLocaleString('en')} rows/s`);

  let copyMs: number | null = null;
  if (!args.pglite) {
    await services.database.query(`create table bench_copy (${items.map((i) => `"${i.name}" ${SQL_TYPE[i.type]}`).join(', ')}, primary key (${items.filter((i) => i.key).map((i) => `"${i.name}"`).join(', ')}))`);
    log('baseline: psql \\copy of the same file into a plain table with the same columns, types and primary key…');
    t = Date.now();
    const psql = spawn('psql', [u.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy bench_copy (${cols.join(', ')}) from '${file}' with (format csv, header true)`], { stdio: ['ignore', 'inherit', 'inherit'] });
    const [code] = (await once(psql, 'exit')) as [number];
    if (code !== 0) throw new Error(`psql exited with ${code}`);
    copyMs = Date.now() - t;
    const [{ n }] = await services.database.query<{ n: number }>('select count(*)::int as n from bench_copy');
    if (n !== total) throw new Error(`COPY loaded ${n} rows`);
    log(`COPY: ${total.toLocaleString('en')} rows in ${(copyMs / 1000).toFixed(1)} s — ${Math.round(total / (copyMs / 1000)).toLocaleString('en')} rows/s`);
  }
  await services.database.close();
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  result = {
    machine,
    database: args.pglite ? 'pglite' : 'postgres',
    rows: total,
    fileMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    rules: rules.length,
    platform: { seconds: platformMs / 1000, rowsPerSecond: platformRps },
    copy: copyMs === null ? null : { seconds: copyMs / 1000, rowsPerSecond: Math.round(total / (copyMs / 1000)) },
    ratio: copyMs === null ? null : Math.round((platformMs / copyMs) * 100) / 100,
    peakRssMiB: maxRssMiB,
  };
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`rows: ${total.toLocaleString('en')} (${result.fileMiB} MiB CSV), ${rules.length} quality rules`);
    console.log(`platform import: ${platformRps.toLocaleString('en')} rows/s (${(platformMs / 1000).toFixed(1)} s)`);
    if (copyMs !== null) console.log(`COPY baseline:   ${Math.round(total / (copyMs / 1000)).toLocaleString('en')} rows/s (${(copyMs / 1000).toFixed(1)} s) — the import takes ${result.ratio}× the COPY time`);
    console.log(`peak RSS: ${maxRssMiB} MiB`);
    if (copyMs !== null) console.log(ratioLine('CSV ingest with quality rules', copyMs / platformMs, 'psql \\copy of the same file'));
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  if (!args.pglite) await adminQuery(args.postgres!, `drop database if exists ${dbName} with (force)`).catch((e: Error) => log(`could not drop ${dbName}: ${e.message}`));
}
