// Certificate import benchmark: a CSV of --rows 居民身份证 rows (default 200,000, generated with valid ID
// numbers) goes through the platform's import path — the upload is streamed to the data folder, then the
// import runs (the job's body, called directly): every row is validated (ID check digit, dates, the type's
// fields), holder codes are encrypted and blind-indexed, serials and status-list slots are taken in ranges,
// GB/T 36904 identifiers are built, and rows are inserted 1,000 at a time with the import's progress. In
// the same run the same file is parsed and inserted with plain multi-row INSERTs (1,000 rows a statement)
// into a bare table with the same columns as text — the baseline. Printed: rows/s for both, the ratio,
// and the peak RSS of this process.
//
//   node --import tsx bench/cert-import.ts [--rows 200000] [--postgres URL] [--pglite] [--json]
//
// --postgres: the server (default the local test server); a private database is created and dropped.
// --pglite: run both on embedded PGlite instead (use a smaller --rows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { eq } from 'drizzle-orm';
import { createServices, seed } from '../src/app';
import { loadConfig } from '../src/config';
import { systemActor } from '../src/platform/auth/actor';
import { adminQuery } from '../src/platform/db/admin';
import { makeCitizenId } from '../src/platform/ids';
import { certTypes } from '../src/modules/cert/certificates/certificates.schema';
import { describeMachine, ratioLine, writeCsvFile } from './common';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' }, pglite: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
const total = Number(args.rows);
const log = (s: string) => process.stderr.write(s + '\n');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-cert-'));
const file = path.join(dir, 'certificates.csv');
const machine = describeMachine(log);

const COLUMNS = ['number', 'holderName', 'holderCode', 'issuedOn', 'validFrom', 'validUntil', 'jurisdiction', 'sex', 'ethnicity', 'birthDate', 'address'];
const DIVISIONS = ['370202', '370203', '370211', '370212', '370213', '370214'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

/** Deterministic rows: distinct ID numbers (division × birth date × sequence), every field valid. */
function* certificateRows(): Generator<string[]> {
  for (let i = 0; i < total; i++) {
    const division = DIVISIONS[i % DIVISIONS.length];
    const day = Math.floor(i / DIVISIONS.length / 900);
    const birth = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const seq = 100 + (Math.floor(i / DIVISIONS.length) % 900);
    const id = makeCitizenId(division, birth, seq);
    yield [`B${String(i).padStart(9, '0')}`, `${SURNAMES[i % SURNAMES.length]}测试${i % 1000}`, id, '2025-06-01', '', '2045-06-01', '', seq % 2 ? '男' : '女', '汉', birth, `青岛市测试路${i % 500}号`];
  }
}

const dbName = `dq_bench_cert_${process.pid}`;
const u = new URL(args.postgres!);
u.pathname = `/${dbName}`;
let result: Record<string, unknown> = {};
try {
  log(`generating ${total.toLocaleString('en')} rows…`);
  let t = Date.now();
  await writeCsvFile(file, COLUMNS, certificateRows());
  const bytes = fs.statSync(file).size;
  log(`generated ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  if (!args.pglite) await adminQuery(args.postgres!, `create database ${dbName}`);
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dir, 'data'), ...(args.pglite ? {} : { DATABASE_URL: u.toString() }), DQ_JOBS: '0', LOG_LEVEL: 'warn' });
  const services = await createServices(config);
  await seed(services, { demo: false });
  const certs = services.cert.certificates;
  const [type] = await services.database.db.select().from(certTypes).where(eq(certTypes.nameZh, '居民身份证'));
  const actor = systemActor('bench');

  // ---- the platform path ----
  peakRss = process.memoryUsage().rss;
  t = Date.now();
  const imp = await certs.createImport(actor, type.id, { fileName: 'certificates.csv', format: 'csv', stream: fs.createReadStream(file) });
  const done = await certs.runImport(imp.id, { actor });
  const platformMs = Date.now() - t;
  const platformRss = peakRss;
  if (done.state !== 'succeeded' || done.rowsIssued !== total) throw new Error(`import ended ${done.state}: ${done.rowsIssued} issued, ${done.rowsRejected} rejected, ${done.error ?? ''}`);
  log(`platform import: ${total.toLocaleString('en')} rows in ${(platformMs / 1000).toFixed(1)} s`);

  // ---- the baseline: parse the same file, plain multi-row INSERTs into a bare table ----
  await services.database.query(`create table bench_plain_certs (${COLUMNS.map((c) => `"${c}" text`).join(', ')})`);
  peakRss = process.memoryUsage().rss;
  t = Date.now();
  const parser = fs.createReadStream(file).pipe(parseCsv({ from_line: 2 }));
  let batch: string[][] = [];
  const flush = async () => {
    if (!batch.length) return;
    const params: string[] = [];
    const tuples = batch.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await services.database.query(`insert into bench_plain_certs values ${tuples.join(', ')}`, params);
    batch = [];
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    batch.push(record);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  const plainMs = Date.now() - t;
  const plainRss = peakRss;
  const [{ n }] = await services.database.query<{ n: number }>(`select count(*)::int as n from bench_plain_certs`);
  if (n !== total) throw new Error(`baseline inserted ${n} rows`);
  log(`plain insert: ${total.toLocaleString('en')} rows in ${(plainMs / 1000).toFixed(1)} s`);

  const platformRate = Math.round((total / platformMs) * 1000);
  const plainRate = Math.round((total / plainMs) * 1000);
  result = {
    machine,
    database: args.pglite ? 'pglite' : 'postgres',
    rows: total,
    fileMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    platform: { rowsPerSecond: platformRate, seconds: platformMs / 1000, peakRssMiB: Math.round(platformRss / 2 ** 20) },
    plainInsert: { rowsPerSecond: plainRate, seconds: plainMs / 1000, peakRssMiB: Math.round(plainRss / 2 ** 20) },
    ratio: Math.round((platformRate / plainRate) * 100) / 100,
  };
  await services.queue.stop();
  await services.database.close();
} finally {
  clearInterval(sampler);
  if (!args.pglite) await adminQuery(args.postgres!, `drop database if exists ${dbName} with (force)`).catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
else {
  const r = result as { platform: { rowsPerSecond: number; peakRssMiB: number }; plainInsert: { rowsPerSecond: number; peakRssMiB: number }; ratio: number; rows: number; database: string };
  console.log(`certificate import, ${r.rows.toLocaleString('en')} rows on ${r.database}`);
  console.log(`  platform import (validate, encrypt, identifiers, status slots): ${r.platform.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${r.platform.peakRssMiB} MiB`);
  console.log(`  plain multi-row INSERT into a bare table:                    ${r.plainInsert.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${r.plainInsert.peakRssMiB} MiB`);
  console.log(ratioLine('certificate bulk import', r.platform.rowsPerSecond / r.plainInsert.rowsPerSecond, 'plain multi-row INSERT of the same rows'));
}
