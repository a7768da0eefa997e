// kill -9 of the server (src/test/fixtures/crash-server.ts: the whole application, over real HTTP, on a copy
// of the test template database) during (a) a certificate bulk import, (b) a credit outbox sync and (c) a
// burst of audited writes. Each kill lands at a point the server signals (progress reported by the API, the
// n-th delivery or the n-th acknowledged write), never after a sleep. After the kill, the database is opened
// directly: every acknowledged write is there, nothing is half-applied (an import's rows all-or-nothing per
// batch, a delivery marked delivered only together with its repair's sync, a change only with its audit
// entry) and the audit chain verifies; then a restarted server takes the interrupted job over and finishes.
// Embedded database in a folder on the PGlite project, a database of its own on the PostgreSQL one.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from './app';
import { loadConfig } from './config';
import { demoAuthorityCode } from './modules/credit';
import { verifyAuditChain } from './platform/audit/audit.service';
import { systemActor } from './platform/auth/actor';
import { openDatabase, type Database } from './platform/db/client';
import { addDays } from './platform/calendar';
import { makeCitizenId } from './platform/ids';
import { DEMO_PASSWORD, testDbKind } from './test/app';
import { multipartBody } from './test/multipart';
import { adminQuery, PG_TEMPLATE_DB, TEMPLATE_FILE, testConfigEnv, withDatabase } from './test/template';
import { startWorkerProcess, type WorkerProcess } from './test/worker-process';

const SERVER = path.resolve('src/test/fixtures/crash-server.ts');
const kind = testDbKind();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-kill9-'));
const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups) await c().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- a database, a server on it, a client ----------------------------------------------------------------

interface Target {
  /** What the server's environment needs to find the database. */
  env: Record<string, string>;
  open(): Promise<Database>;
}

/** A copy of the seeded test template: a folder for PGlite, a database of its own on PostgreSQL. */
async function freshTarget(name: string): Promise<Target> {
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const db = `dq_k9_${name}_${randomBytes(4).toString('hex')}`;
    await adminQuery(url, `create database ${db} template ${PG_TEMPLATE_DB}`);
    cleanups.push(() => adminQuery(url, `drop database if exists ${db} with (force)`).then(() => undefined));
    const databaseUrl = withDatabase(url, db);
    return { env: { DATABASE_URL: databaseUrl }, open: () => openDatabase({ databaseUrl, poolSize: 2 }) };
  }
  const dir = path.join(tmp, name);
  const pgdata = path.join(dir, 'pgdata');
  await (await openDatabase({ dataDir: pgdata, loadDataDir: new Blob([fs.readFileSync(TEMPLATE_FILE)]) })).close();
  return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: pgdata }) };
}

/** Open the database (no server may hold an embedded folder meanwhile), run fn, close. */
async function inDatabase<T>(t: Target, fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await t.open();
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, w: WorkerProcess, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (w.child.exitCode !== null || w.child.signalCode !== null) throw new Error(`the server exited (${w.child.exitCode ?? w.child.signalCode}) before ${what}:\n${w.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${w.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startServer(t: Target): Promise<{ w: WorkerProcess; url: string }> {
  const w = startWorkerProcess(SERVER, t.env, children);
  const url = await until('the server to listen', () => w.events.find((e) => e.event === 'listening')?.url as string | undefined, w, 90_000);
  return { w, url };
}

async function kill9(w: WorkerProcess) {
  expect(w.child.kill('SIGKILL')).toBe(true);
  expect(await w.exited).toEqual({ code: null, signal: 'SIGKILL' });
}

async function stop(w: WorkerProcess) {
  w.child.kill('SIGTERM');
  expect(await w.exited, w.stderr()).toEqual({ code: 0, signal: null });
}

/** A signed-in client of the server over real HTTP. */
class Http {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, username: string): Promise<Http> {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('dq_session='))!.split(';')[0];
    return new Http(base, cookie, ((await r.json()) as { csrfToken: string }).csrfToken);
  }

  async call<T = Record<string, unknown>>(method: string, url: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: T }> {
    const r = await fetch(`${this.base}${url}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body !== undefined ? { 'content-type': type } : {}) },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

const count = async (d: Database, sql: string, params: unknown[] = []) => (await d.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params))[0].n;

async function chainIntact(d: Database) {
  const v = await verifyAuditChain(d.db);
  expect(v, JSON.stringify(v.breaks)).toMatchObject({ ok: true, broken: 0 });
  return v;
}

describe(`kill -9 of the server (${kind})`, () => {
  it('(a) during a certificate bulk import: whole batches only, then the job resumes after the last one and issues every row once', { timeout: 150_000 }, async () => {
    const t = await freshTarget('import');
    const ROWS = 20_000;
    const BATCH = 1000; // the import commits every 1,000 rows (certificates.service.ts)
    const lines = ['number,holderName,holderCode,issuedOn,sex,ethnicity,birthDate,address'];
    for (let i = 0; i < ROWS; i++) {
      const birth = addDays('1980-01-01', Math.floor(i / 900));
      lines.push(`K9-${i},某${i},${makeCitizenId('370202', birth, i % 900)},2025-01-01,男,汉,${birth},青岛市市南区`);
    }
    const first = await startServer(t);
    const gaj = await Http.login(first.url, 'gaj_officer');
    const types = (await gaj.call<{ items: { id: string; nameZh: string }[] }>('GET', '/api/cert/types')).body.items;
    const m = multipartBody({ typeId: types.find((x) => x.nameZh === '居民身份证')!.id }, { name: 'k9.csv', type: 'text/csv', content: Buffer.from(lines.join('\n')) });
    const up = await gaj.call<{ id: string; state: string }>('POST', '/api/cert/imports', m.body, m.type);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const importId = up.body.id;

    // Kill as soon as the server reports a committed batch.
    const seen = await until(
      'the first committed batch',
      async () => {
        const r = (await gaj.call<{ rowsRead: number; state: string }>('GET', `/api/cert/imports/${importId}`)).body;
        return r.rowsRead >= BATCH ? r : undefined;
      },
      first.w,
    );
    await kill9(first.w);
    expect(seen.state, 'the import finished before the kill: make the file longer').toBe('running');

    const mid = await inDatabase(t, async (d) => {
      const [imp] = await d.query<{ state: string; rows_read: number; rows_issued: number; last_row: number }>('select state, rows_read, rows_issued, last_row from cert_imports where id = $1', [importId]);
      const issued = await count(d, 'cert_certificates where import_id = $1', [importId]);
      await chainIntact(d);
      return { ...imp, issued, uploadAudited: await count(d, `audit_log where action = 'cert.import.upload' and entity_id = $1`, [importId]) };
    });
    expect(mid.uploadAudited).toBe(1); // the acknowledged upload, with its audit entry
    expect(mid.state).toBe('running');
    expect(mid.rows_read).toBeGreaterThanOrEqual(seen.rowsRead); // what the server reported stays
    expect(mid.rows_read).toBeLessThan(ROWS);
    expect(mid.rows_read % BATCH).toBe(0); // whole batches only
    expect(mid.last_row).toBe(mid.rows_read + 1); // the header is row 1
    expect(mid.issued).toBe(mid.rows_read);
    expect(mid.rows_issued).toBe(mid.rows_read);

    // A new server takes the job over once the dead one's lease runs out, and resumes after the last batch.
    const second = await startServer(t);
    const gaj2 = await Http.login(second.url, 'gaj_officer');
    const done = await until(
      'the import to finish',
      async () => {
        const r = (await gaj2.call<{ state: string }>('GET', `/api/cert/imports/${importId}`)).body;
        return r.state === 'running' || r.state === 'queued' ? undefined : r;
      },
      second.w,
      90_000,
    );
    expect(done).toMatchObject({ state: 'succeeded', rowsRead: ROWS, rowsIssued: ROWS, rowsDuplicate: 0, rowsRejected: 0 });
    await stop(second.w);

    await inDatabase(t, async (d) => {
      expect(await count(d, 'cert_certificates where import_id = $1', [importId])).toBe(ROWS);
      expect((await d.query<{ n: number }>('select count(distinct number)::int as n from cert_certificates where import_id = $1', [importId]))[0].n).toBe(ROWS);
      expect(await count(d, `audit_log where action = 'cert.import.finish' and entity_id = $1`, [importId])).toBe(1);
      const [job] = await d.query<{ status: string; attempts: number }>(`select status, attempts from jobs where idempotency_key = $1`, [`cert-import:${importId}`]);
      // At least the attempt the kill cut short and the one that finished; on a busy machine a lease can
      // lapse once more and a third attempt resumes — the counts above prove every row was issued once.
      expect(job.status).toBe('done');
      expect(job.attempts).toBeGreaterThanOrEqual(2);
      await chainIntact(d);
    });
  });

  it('(b) during a credit outbox sync: a repair is synced exactly when its delivery is recorded, and every delivery lands after the restart', { timeout: 150_000 }, async () => {
    const t = await freshTarget('outbox');
    const REPAIRS = 16;
    const ACK_BEFORE_KILL = 6;
    // The linked system: answers the first deliveries, holds the next one open and signals the kill.
    const received: { key: string; body: Record<string, unknown> }[] = [];
    let holding = true;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) as Record<string, unknown> });
        if (holding && received.length > ACK_BEFORE_KILL) return; // no answer: the server waits on it when killed
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    cleanups.push(async () => {
      receiver.closeAllConnections();
      await new Promise((ok) => receiver.close(ok));
    });

    // Acknowledged before the server starts: REPAIRS approved repairs, each with one delivery in the outbox.
    const repairIds = await setUpApprovedRepairs(t, REPAIRS, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sync`);

    const first = await startServer(t);
    await until('the held delivery', () => (received.length > ACK_BEFORE_KILL ? true : undefined), first.w);
    await kill9(first.w);
    // Every delivery the linked system saw by now but that was not recorded as delivered may come again.
    const receivedAtKill = received.length;
    holding = false;

    const mid = await inDatabase(t, async (d) => {
      const outbox = await d.query<{ id: string; repair_id: string; status: string }>('select id, repair_id, status from credit_outbox where repair_id = any($1::uuid[])', [repairIds]);
      const repairs = await d.query<{ id: string; state: string }>('select id, state from credit_repairs where id = any($1::uuid[])', [repairIds]);
      const syncAudits = await d.query<{ entity_id: string }>(`select entity_id from audit_log where action = 'credit.repair.sync' and entity_id = any($1::text[])`, [repairIds]);
      const withdrawn = await count(d, `credit_records where status = 'repaired' and id in (select penalty_id from credit_repairs where id = any($1::uuid[]))`, [repairIds]);
      await chainIntact(d);
      return { outbox, repairs, syncAudits, withdrawn };
    });
    // Every approval is still there: its penalty withdrawn, its delivery in the outbox.
    expect(mid.withdrawn).toBe(REPAIRS);
    expect(mid.outbox.map((o) => o.repair_id).sort()).toEqual([...repairIds].sort());
    const delivered = mid.outbox.filter((o) => o.status === 'delivered');
    const receivedKeys = new Set(received.map((r) => r.key));
    // Delivered only what the linked system acknowledged (all of it but what a second worker had in hand);
    // the held one is still reserved.
    for (const o of delivered) expect(receivedKeys.has(o.id)).toBe(true);
    expect(delivered.length).toBeLessThanOrEqual(ACK_BEFORE_KILL);
    expect(delivered.length).toBeGreaterThanOrEqual(ACK_BEFORE_KILL - 1);
    expect(mid.outbox.find((o) => o.id === received[ACK_BEFORE_KILL].key)?.status).toBe('sending');
    // Nothing half-applied: a repair is synced (with its audit entry) exactly when its delivery is recorded.
    const deliveredRepairs = new Set(delivered.map((o) => o.repair_id));
    for (const r of mid.repairs) expect(r.state, r.id).toBe(deliveredRepairs.has(r.id) ? 'synced' : 'withdrawn');
    expect(mid.syncAudits.map((a) => a.entity_id).sort()).toEqual([...deliveredRepairs].sort());

    const second = await startServer(t);
    const admin = await Http.login(second.url, 'admin');
    await until(
      'every delivery to land',
      async () => ((await admin.call<{ total: number }>('GET', '/api/credit/outbox?status=delivered&limit=1')).body.total === REPAIRS ? true : undefined),
      second.w,
      90_000,
    );
    await stop(second.w);

    await inDatabase(t, async (d) => {
      const outbox = await d.query<{ id: string; status: string }>('select id, status from credit_outbox where repair_id = any($1::uuid[])', [repairIds]);
      expect(outbox).toHaveLength(REPAIRS);
      expect(outbox.every((o) => o.status === 'delivered')).toBe(true);
      expect(await count(d, `credit_repairs where state = 'synced' and id = any($1::uuid[])`, [repairIds])).toBe(REPAIRS);
      // One sync entry per repair: the deliveries recorded before the kill were not repeated.
      const syncs = await d.query<{ entity_id: string }>(`select entity_id from audit_log where action = 'credit.repair.sync' and entity_id = any($1::text[])`, [repairIds]);
      expect(syncs.map((s) => s.entity_id).sort()).toEqual([...repairIds].sort());
      // At least once: every delivery reached the linked system, a repeat carries the same key and body.
      expect(new Set(received.map((r) => r.key))).toEqual(new Set(outbox.map((o) => o.id)));
      const byKey = new Map<string, string>();
      for (const r of received) {
        const b = JSON.stringify(r.body);
        expect(byKey.get(r.key) ?? b).toBe(b);
        byKey.set(r.key, b);
      }
      expect(received.length - byKey.size).toBeLessThanOrEqual(receivedAtKill - delivered.length);
      await chainIntact(d);
    });
  });

  it('(c) during a burst of audited writes: every acknowledged change is there, each change only with its audit entry, and the chain verifies', { timeout: 150_000 }, async () => {
    const t = await freshTarget('writes');
    const parentId = await inDatabase(t, async (d) => (await d.query<{ id: string }>(`select id from organisations where code = 'GAJ'`))[0].id);
    const prefix = `K9${randomBytes(3).toString('hex').toUpperCase()}`;
    const ACKS_BEFORE_KILL = 60;
    const first = await startServer(t);
    const admin = await Http.login(first.url, 'admin');

    const created = new Map<string, string>(); // code → id, acknowledged
    const renamed = new Map<string, string>(); // id → name, acknowledged
    let acks = 0;
    let n = 0;
    let killing = false;
    const writer = async () => {
      while (!killing) {
        const code = `${prefix}-${++n}`;
        try {
          const c = await admin.call<{ id: string }>('POST', '/api/orgs', { code, kind: 'subunit', name: `单位 ${code}`, parentId });
          if (c.status !== 201) throw new Error(`create ${code}: ${c.status} ${JSON.stringify(c.body)}`);
          created.set(code, c.body.id);
          acks++;
          if (killing) return;
          const name = `单位 ${code} 改名`;
          const p = await admin.call('PATCH', `/api/orgs/${c.body.id}`, { name });
          if (p.status !== 200) throw new Error(`rename ${code}: ${p.status} ${JSON.stringify(p.body)}`);
          renamed.set(c.body.id, name);
          acks++;
        } catch (err) {
          if (killing) return; // the connection died with the server: not acknowledged
          throw err;
        }
      }
    };
    // Eight writers keep requests in flight; the server is killed with the sixtieth acknowledgement.
    const writers = Array.from({ length: 8 }, writer);
    await until('enough acknowledged writes', () => (acks >= ACKS_BEFORE_KILL ? true : undefined), first.w);
    killing = true;
    await kill9(first.w);
    await Promise.all(writers);
    const acknowledged = { created: new Map(created), renamed: new Map(renamed) };
    expect(acknowledged.created.size).toBeGreaterThan(20);
    expect(n).toBeGreaterThan(acknowledged.created.size); // some requests were in flight, unanswered

    await inDatabase(t, async (d) => {
      const orgs = await d.query<{ id: string; code: string; name: string }>('select id, code, name from organisations where code like $1', [`${prefix}-%`]);
      const audits = await d.query<{ action: string; entity_id: string; name: string }>(
        `select action, entity_id, summary->'after'->>'name' as name from audit_log where action in ('org.create', 'org.update') and entity_id = any($1::text[])`,
        [orgs.map((o) => o.id)],
      );
      const byCode = new Map(orgs.map((o) => [o.code, o]));
      // Every acknowledged creation and rename is stored.
      for (const [code, id] of acknowledged.created) expect(byCode.get(code)?.id, code).toBe(id);
      for (const [id, name] of acknowledged.renamed) expect(orgs.find((o) => o.id === id)?.name).toBe(name);
      // Each stored organisation has exactly one creation entry, and its name is renamed exactly when a rename entry exists.
      for (const o of orgs) {
        expect(audits.filter((a) => a.entity_id === o.id && a.action === 'org.create')).toHaveLength(1);
        const updates = audits.filter((a) => a.entity_id === o.id && a.action === 'org.update');
        expect(updates.map((u) => u.name)).toEqual(o.name.endsWith('改名') ? [o.name] : []);
      }
      await chainIntact(d);
    });

    // The restarted server appends to the same chain.
    const second = await startServer(t);
    const admin2 = await Http.login(second.url, 'admin');
    expect((await admin2.call('POST', '/api/orgs', { code: `${prefix}-after`, kind: 'subunit', name: '重启之后', parentId })).status).toBe(201);
    const verified = await admin2.call<{ ok: boolean; broken: number }>('GET', '/api/audit/verify');
    expect(verified.body).toMatchObject({ ok: true, broken: 0 });
    await stop(second.w);
    await inDatabase(t, chainIntact);
  });
});

/**
 * REPAIRS published penalties of the demo enterprise, each repaired through the service (applied for,
 * proof uploaded, submitted, accepted, approved) with one linked endpoint configured: REPAIRS deliveries
 * pending in the outbox and their delivery jobs queued. Runs in this process on the target database.
 */
async function setUpApprovedRepairs(t: Target, n: number, endpointUrl: string): Promise<string[]> {
  const s = await createServices(loadConfig(testConfigEnv(t.env)));
  try {
    const db = s.database;
    const [ent] = await db.query<{ id: string; org_id: string }>(`select id, org_id from users where username = 'ent_demo'`);
    const [officer] = await db.query<{ id: string }>(`select id from users where username = 'gaj_officer'`);
    const entActor = (await s.auth.loadActor(ent.id, 'session'))!;
    const gajActor = (await s.auth.loadActor(officer.id, 'session'))!;
    const company = (await s.orgs.byId(ent.org_id))!;
    const gaj = (await s.orgs.byCode('GAJ'))!;
    const authority = { code: gaj.creditCode ?? demoAuthorityCode(gaj.divisionCode, gaj.code), name: gaj.name };
    await s.repairs.putEndpoints(systemActor('test'), [{ name: '市信用平台', url: endpointUrl, enabled: true }]);
    const decided = addDays(s.credit.today(), -200);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const docNo = `青公（消）罚决字〔2025〕${9100 + i}号`;
      const created = await s.credit.seedRecord(
        'penalty',
        {
          CF_XDR_MC: company.name,
          CF_XDR_LB: '法人及非法人组织',
          CF_XDR_SHXYM: company.creditCode!,
          CF_FRDB: '李明',
          CF_WSH: docNo,
          CF_WFXW: '违反消防安全管理规定',
          CF_SY: '经营场所疏散通道堵塞',
          CF_YJ: '《中华人民共和国消防法》第六十条第一款',
          CF_CFLB: '罚款',
          CF_NR: '罚款人民币伍仟元',
          CF_NR_FK: '0.5',
          CF_JDRQ: decided,
          CF_YXQ: addDays(decided, 30),
          CF_CFJG: authority.name,
          CF_CFJGDM: authority.code,
          CF_SJLY: authority.name,
          CF_SJLYDM: authority.code,
        },
        gaj.id,
      );
      expect(created).toBe(true);
      const [p] = await db.query<{ id: string }>(`select id from credit_records where doc_no = $1`, [docNo]);
      const r = await s.repairs.create(entActor, { penaltyId: p.id, commitmentAccepted: true, statement: '罚款已缴清' });
      await s.repairs.uploadMaterial(entActor, r.id, 'performance_proof', { stream: Readable.from([Buffer.from('%PDF-1.4\n% proof\n%%EOF\n')]), fileName: 'proof.pdf', contentType: 'application/pdf' });
      await s.repairs.act(entActor, r.id, 'submit', null);
      await s.repairs.act(gajActor, r.id, 'accept', null);
      await s.repairs.act(gajActor, r.id, 'approve', '已履行处罚义务');
      ids.push(r.id);
    }
    expect(await count(db, `credit_outbox where status = 'pending'`)).toBe(n);
    return ids;
  } finally {
    await s.queue.stop();
    await s.database.close();
  }
}
