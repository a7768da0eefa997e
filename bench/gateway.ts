// Gateway benchmark: key lookups through the sharing gateway at 10 million population rows, against the
// same lookup as a bare indexed SELECT on the same connection pool, in one run, on PostgreSQL.
//
//   node --import tsx bench/gateway.ts [--postgres URL] [--rows 10000000] [--duration 15] [--connections 16] [--json]
//
// --postgres: the server to use (default the local one); a private database is created and dropped.
// The application runs in a child process (this file again, BENCH_ROLE=app) so the load generator
// (autocannon, in this process) does not share its event loop. Steps:
//   1. the app starts on the scratch database with the demo data (catalogue, datasets, requests, grants);
//   2. the population register's dataset table is emptied and filled with --rows rows from the data part's
//      generator, streamed as CSV into PostgreSQL's COPY (psql \copy) — the load time is printed;
//   3. a grant for RSJ pension-audit on every field (quota and rate out of the way) and a gateway key;
//   4. gateway: GET /api/share/gateway/<code>/records/<id number> over HTTP with the key, a different
//      existing ID number per request — API-key authentication, grant check, rate and quota counters,
//      masking, the operational record and its audit entry on every call;
//   5. the same with auditCalls = 'refusals' (operational records only for served calls);
//   6. baseline: `select <fields> from <table> where id_number = $1` on the app's own pool, the same number
//      of concurrent clients, the same ID numbers, for the same duration, in the child.
// Figures: lookups/s, p50/p99 ms, and gateway/baseline ratios.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { adminQuery } from '../src/platform/db/admin';
import { ask, describeMachine, ratioLine, type Msg } from './common';

const role = process.env.BENCH_ROLE;
if (role === 'app') await serveApp();
else await main();

// ---- the application (child process) ------------------------------------------------------------------

async function serveApp() {
  const { createApp, seed } = await import('../src/app');
  const { loadConfig } = await import('../src/config');
  const { systemActor } = await import('../src/platform/auth/actor');
  const { inTransaction } = await import('../src/platform/db/client');
  const { csvField } = await import('../src/platform/files');
  const dataPart = await import('../src/modules/share/data');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-gw-'));
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: process.env.BENCH_DATABASE_URL!, HOST: '127.0.0.1', PORT: '0', DQ_JOBS: '0', LOG_LEVEL: 'warn' });
  const app = await createApp(config);
  await seed(app.services, { demo: true });
  await app.listen();
  const addr = app.fastify.server.address();
  const share = app.services.share;
  const database = app.services.database;
  const pool = database.pool!;
  const send = (m: Msg) => process.send!(m);
  const stop = async () => {
    await app.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());

  let table = '';
  let fields: string[] = [];

  process.on('message', async (m: Msg) => {
    try {
      if (m.type === 'prepare') {
        const rowsWanted = Number(m.rows);
        const [pop] = await database.query<{ id: string; code: string }>(
          `select r.id, r.code from share_resources r join share_members m on m.id = r.provider_member_id
           where m.code = 'GAJ' and r.state = 'published' and r.items @> '[{"name":"id_number"}]'::jsonb order by r.code limit 1`,
        );
        const shape = (await share.data.shape(pop.id))!;
        fields = shape.items.map((i) => i.name);
        table = await share.data.tableOf(pop.id);
        // COPY the generator's rows into the dataset table (emptied first: the demo rows would collide).
        const t0 = Date.now();
        await database.query(`truncate ${table}`);
        const cols = shape.items.map((i) => i.name);
        const psql = spawn('psql', [process.env.BENCH_DATABASE_URL!, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ${table} (${cols.join(', ')}) from stdin with (format csv)`], { stdio: ['pipe', 'inherit', 'inherit'] });
        const exited = once(psql, 'exit');
        let buf = '';
        let n = 0;
        for await (const r of dataPart.populationRows(rowsWanted, 20261127)) {
          buf += cols.map((c) => csvField((r as Record<string, unknown>)[c])).join(',') + '\n';
          n++;
          if (buf.length > 1 << 20) {
            if (!psql.stdin.write(buf)) await once(psql.stdin, 'drain');
            buf = '';
          }
        }
        psql.stdin.end(buf);
        const [code] = (await exited) as [number];
        if (code !== 0) throw new Error(`psql \\copy exited with ${code}`);
        const loadMs = Date.now() - t0;
        const t1 = Date.now();
        await database.query(`analyze ${table}`);
        await database.query(`update share_datasets set row_count = $1 where resource_id = $2`, [n, pop.id]);
        const analyzeMs = Date.now() - t1;
        // A grant for pension-audit on every field, and its key.
        const [sub] = await database.query<{ id: string }>(`select s.id from share_subsystems s join share_members m on m.id = s.member_id where m.code = 'RSJ' and s.code = 'pension-audit'`);
        await inTransaction(database.db, (tx) =>
          share.gateway.createGrant(tx, { requestId: null, consumerSubsystemId: sub.id, resourceId: pop.id, fields, rowFilter: [], purpose: 'benchmark', quotaPerDay: 2_000_000_000, ratePerMinute: 2_000_000_000, expiresAt: new Date(Date.now() + 86400_000) }, null),
        );
        const key = await share.gateway.issueKey(systemActor('bench'), sub.id);
        // Existing ID numbers to look up, spread over the table.
        // A block sample of about 0.2 % (at least ~2,000 rows, so a small quick-size table still yields some).
        const percent = Math.min(100, Math.max(0.2, (2000 * 100) / n));
        const ids = (await database.query<{ id_number: string }>(`select id_number from ${table} tablesample system (${percent}) limit 20000`)).map((r) => r.id_number);
        if (!ids.length) throw new Error(`the sample of ${table} is empty`);
        const [{ size }] = await database.query<{ size: string }>(`select pg_size_pretty(pg_total_relation_size('${table}')) as size`);
        send({ type: 'prepared', code: pop.code, key: key.key, ids, rows: n, loadMs, analyzeMs, table, size });
      } else if (m.type === 'audit') {
        share.gateway.options.auditCalls = m.mode as 'all' | 'refusals';
        send({ type: 'ok' });
      } else if (m.type === 'baseline') {
        const ids = m.ids as string[];
        const connections = Number(m.connections);
        let until = 0; // set after the warm-up, so the measured window is the full duration
        const text = `select ${fields.join(', ')} from ${table} where id_number = $1`;
        const lat: number[] = [];
        let i = 0;
        let misses = 0;
        const worker = async () => {
          while (Date.now() < until) {
            const id = ids[i++ % ids.length];
            const s = performance.now();
            const r = await pool.query(text, [id]);
            lat.push(performance.now() - s);
            if (r.rowCount !== 1) misses++;
          }
        };
        // Warm-up, not counted.
        const warmUntil = Date.now() + 2000;
        while (Date.now() < warmUntil) await pool.query(text, [ids[i++ % ids.length]]);
        lat.length = 0;
        until = Date.now() + Number(m.duration) * 1000;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: connections }, worker));
        const secs = (performance.now() - t0) / 1000;
        lat.sort((a, b) => a - b);
        const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
        send({ type: 'baseline', rps: lat.length / secs, p50: pct(50), p99: pct(99), requests: lat.length, misses });
      } else if (m.type === 'count') {
        const [c] = await database.query<{ n: number }>(`select count(*)::int as n from share_calls`);
        const [a] = await database.query<{ n: number }>(`select count(*)::int as n from audit_log where entity_type = 'share_call'`);
        send({ type: 'count', calls: c.n, audits: a.n });
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
  send({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0, database: database.kind });
}

// ---- the run (parent) ------------------------------------------------------------------------------------

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  bad: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      rows: { type: 'string', default: '10000000' },
      duration: { type: 'string', default: '15' },
      connections: { type: 'string', default: '16' },
      json: { type: 'boolean', default: false },
    },
  });
  const rows = Math.max(1000, Number(values.rows));
  const duration = Math.min(300, Math.max(2, Number(values.duration)));
  const connections = Math.min(256, Math.max(1, Number(values.connections)));
  const log = (s: string) => process.stderr.write(s + '\n');
  const machine = describeMachine(log);

  const name = `dq_bench_gw_${process.pid}`;
  const u = new URL(values.postgres!);
  u.pathname = `/${name}`;
  await adminQuery(values.postgres!, `create database ${name}`);
  let child: ChildProcess | null = null;
  try {
    log('starting the application on PostgreSQL with the demo data…');
    child = fork(new URL(import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_ROLE: 'app', BENCH_DATABASE_URL: u.toString() }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<Msg>((resolve, reject) => {
      child!.once('message', (m: Msg) => resolve(m));
      child!.once('exit', (code) => reject(new Error(`app exited with ${code} before it was ready`)));
    });
    const base = `http://127.0.0.1:${ready.port}`;
    log(`loading ${rows.toLocaleString('en')} population rows (generator → COPY)…`);
    const prep = await ask(child, { type: 'prepare', rows }, 'prepared');
    const ids = prep.ids as string[];
    log(`loaded ${Number(prep.rows).toLocaleString('en')} rows in ${(Number(prep.loadMs) / 1000).toFixed(1)} s (${Math.round(Number(prep.rows) / (Number(prep.loadMs) / 1000)).toLocaleString('en')} rows/s; analyze ${(Number(prep.analyzeMs) / 1000).toFixed(1)} s; table ${prep.size}); ${ids.length} ID numbers to look up`);
    const headers = { authorization: `Bearer ${prep.key}` };
    const url = (id: string) => `/api/share/gateway/${prep.code}/records/${id}`;
    // Sanity: one lookup answers a masked record.
    const probe = await fetch(base + url(ids[0]), { headers });
    const body = (await probe.json()) as { record?: Record<string, unknown> };
    if (probe.status !== 200 || !body.record || !/^\d{6}\*+/.test(String(body.record.id_number))) throw new Error(`probe answered ${probe.status} ${JSON.stringify(body)}`);
    log(`probe: ${JSON.stringify(body.record)}`);

    const gatewayRun = async (label: string): Promise<Figure> => {
      let i = 0;
      const opts = {
        url: base,
        connections,
        headers,
        timeout: 10,
        requests: [{ method: 'GET' as const, setupRequest: (req: { path?: string }) => ({ ...req, path: url(ids[i++ % ids.length]) }) }],
      };
      await autocannon({ ...opts, duration: 2 });
      const r = await autocannon({ ...opts, duration });
      return { name: label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, bad: r.non2xx + r.errors };
    };
    const figures: Figure[] = [];
    log(`gateway lookups, ${connections} connections, ${duration} s (audit every call)…`);
    figures.push(await gatewayRun('gateway lookup (HTTP, key, masking, record + audit entry per call)'));
    await ask(child, { type: 'audit', mode: 'refusals' }, 'ok');
    log('gateway lookups (audit refusals only)…');
    figures.push(await gatewayRun('gateway lookup (HTTP, key, masking, record; audit refusals only)'));
    log('baseline: bare SELECT on the app pool…');
    const b = await ask(child, { type: 'baseline', ids, connections, duration }, 'baseline');
    figures.push({ name: 'baseline: select … where id_number = $1 (same pool)', rps: Number(b.rps), p50: Number(b.p50), p99: Number(b.p99), requests: Number(b.requests), bad: Number(b.misses) });
    const counts = await ask(child, { type: 'count' }, 'count');
    const baseline = figures[figures.length - 1];
    if (values.json) {
      process.stdout.write(JSON.stringify({ machine, rows: prep.rows, loadMs: prep.loadMs, connections, duration, figures: figures.map((f) => ({ ...f, ratio: f.rps / baseline.rps })), records: counts }, null, 2) + '\n');
    } else {
      const head = ['run', 'lookups/s', 'p50 ms', 'p99 ms', 'requests', 'ratio', 'status'];
      const rowsOut = figures.map((f) => [f.name, f.rps.toFixed(0), f.p50.toFixed(2), f.p99.toFixed(2), String(f.requests), (f.rps / baseline.rps).toFixed(3), f.bad ? `${f.bad} bad` : 'ok']);
      const widths = head.map((h, i) => Math.max(h.length, ...rowsOut.map((r) => r[i].length)));
      const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
      process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rowsOut.map(line)].join('\n') + '\n');
      for (const f of figures) if (f !== baseline) process.stdout.write(ratioLine(f.name, f.rps / baseline.rps, 'bare indexed select on the same pool') + '\n');
      process.stdout.write(`operational records written: ${counts.calls}; audit entries for calls: ${counts.audits}\n`);
    }
    for (const f of figures) if (f.bad) process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await adminQuery(values.postgres!, `drop database if exists ${name} with (force)`);
  }
}
