// The `dq` command line, run as real processes (`node bin/dq.js …`) on real folders: usage and exit codes,
// the life of an embedded database (migrate, seed, user add, audit verify, backup, restore, tampering),
// the one-process-per-folder rule against a running server, and pg_dump backups when PostgreSQL is at hand.
// Embedded database only as a vitest project: the PostgreSQL part uses TEST_DATABASE_URL when it is set.
// The groups are independent and run concurrently to keep the file short.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { openDatabase } from './platform/db/client';
import { adminQuery, TEMPLATE_FILE, withDatabase } from './test/template';

const DQ = path.resolve('bin/dq.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-cli-'));
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// A clean environment: no DATA_DIR/DATABASE_URL leaking in from the shell, logs quiet.
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...extra };
  return env;
}

function start(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [DQ, ...args], { cwd: tmp, env: baseEnv(env) });
  children.push(child);
  return child;
}

function dq(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const json = (r: Run) => {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
};
const show = (r: Run) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

describe.concurrent('dq', () => {
  it('answers usage questions and usage errors with the documented exit codes', { timeout: 120_000 }, async ({ expect }) => {
    const [help, unknown, missing, nothing, badKind] = await Promise.all([
      dq(['--help']),
      dq(['frobnicate']),
      dq(['backup']),
      dq([]),
      dq(['--data-dir', path.join(tmp, 'never'), 'user', 'add', '--username', 'abc', '--password', 'Str0ng#Password', '--role', 'admin', '--kind', 'robot']),
    ]);
    const notABackup = path.join(tmp, 'not-a-backup.txt');
    fs.writeFileSync(notABackup, 'hello');
    const [wrongFile, noFolder] = await Promise.all([
      dq(['--data-dir', path.join(tmp, 'c'), 'restore', '--from', notABackup]),
      dq(['--data-dir', path.join(tmp, 'typo'), 'audit', 'verify']),
    ]);
    expect(wrongFile.code, show(wrongFile)).toBe(1);
    expect(wrongFile.stderr).toMatch(/not an embedded-database backup/);
    expect(fs.existsSync(path.join(tmp, 'c'))).toBe(false);
    expect(noFolder.code, show(noFolder)).toBe(1);
    expect(noFolder.stderr).toMatch(/no database in/);
    expect(fs.existsSync(path.join(tmp, 'typo', 'pgdata'))).toBe(false);
    expect(help.code, show(help)).toBe(0);
    for (const c of ['serve', 'migrate', 'seed', 'user', 'audit', 'backup', 'restore']) expect(help.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--out <file>' not specified/);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Usage: dq/);
    expect(badKind.code, show(badKind)).toBe(2);
    expect(badKind.stderr).toMatch(/--kind must be citizen, enterprise or staff/);
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false); // refused before touching anything
  });

  it('takes an embedded database through migrate, seed, user add, verify, backup, restore and tampering', { timeout: 300_000 }, async ({ expect }) => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const backup = path.join(tmp, 'backups', 'a.dqbackup');

    const migrated = await dq(['--data-dir', a, 'migrate', '--json']);
    expect(migrated.code, show(migrated)).toBe(0);
    expect(json(migrated)).toMatchObject({ ok: true, applied: expect.any(Number), database: path.join(a, 'pgdata') });
    expect(json(migrated).applied).toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(path.join(a, 'dq.pid'))).toBe(false); // the folder lock is released

    const seeded = await dq(['--data-dir', a, 'seed', '--demo', '--json']);
    expect(seeded.code, show(seeded)).toBe(0);
    expect(json(seeded)).toMatchObject({ ok: true, reference: { created: expect.any(Number) }, demo: { seeded: true } });
    expect(json(seeded).demo).toMatchObject({ accounts: expect.arrayContaining(['admin', 'gaj_officer', 'auditor', 'citizen_zhang']) });

    // The weak password is refused before the database (and its folder lock) is touched, so it can run
    // alongside; two commands that both open the folder could not.
    const [added, weak] = await Promise.all([
      dq(['--data-dir', a, 'user', 'add', '--username', 'root.admin', '--password', 'Qd#2026-secure', '--role', 'admin', '--org', 'DSJ', '--name', '首席管理员', '--json']),
      dq(['--data-dir', a, 'user', 'add', '--username', 'weakling', '--password', 'password', '--role', 'admin', '--org', 'DSJ']),
    ]);
    expect(added.code, show(added)).toBe(0);
    expect(json(added)).toMatchObject({ username: 'root.admin', displayName: '首席管理员', kind: 'staff', roles: ['admin'] });
    expect(JSON.stringify(json(added))).not.toMatch(/Qd#2026|argon2/);
    expect(weak.code, show(weak)).toBe(1);
    expect(weak.stderr).toMatch(/--password: must be at least 10 characters/);
    const verified = await dq(['--data-dir', a, 'audit', 'verify', '--json']);
    expect(verified.code, show(verified)).toBe(0);
    const chain = json(verified) as { ok: boolean; checked: number; headSeq: number };
    expect(chain.ok).toBe(true);
    expect(chain.checked).toBeGreaterThan(60);

    const backedUp = await dq(['--data-dir', a, 'backup', '--out', backup, '--json']);
    expect(backedUp.code, show(backedUp)).toBe(0);
    expect(json(backedUp)).toMatchObject({ ok: true, file: backup, format: 'pglite-datadir+gzip', bytes: fs.statSync(backup).size });
    expect(fs.readFileSync(backup).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(fs.existsSync(`${backup}.partial`)).toBe(false);

    const restored = await dq(['--data-dir', b, 'restore', '--from', backup, '--json']);
    expect(restored.code, show(restored)).toBe(0);
    const r = json(restored);
    expect(r).toMatchObject({ ok: true, auditIntact: true, auditEntries: chain.checked });

    // Compare with the source folder directly (no dq process is running on it now).
    const source = await openDatabase({ dataDir: path.join(a, 'pgdata') });
    let tamperedSeq: number;
    let afterDeleted: number;
    let remaining: number;
    try {
      const usersInA = (await source.query<{ n: number }>('select count(*)::int as n from users'))[0].n;
      expect(usersInA).toBe(17); // twelve demo accounts, four gateway service accounts (the demo data-sharing calls) and root.admin; not the refused ones
      expect(r.users).toBe(usersInA);
      // Tamper with the source: disable the append-only trigger and rewrite one entry.
      tamperedSeq = (await source.query<{ s: number }>(`select seq::int as s from audit_log where action = 'user.create' order by seq limit 1`))[0].s;
      await source.query('alter table audit_log disable trigger user');
      await source.query(`update audit_log set actor_name = 'mallory' where seq = $1`, [tamperedSeq]);
      // And delete a later one: verification reports both and checks every entry.
      const seqs = (await source.query<{ s: number }>('select seq::int as s from audit_log order by seq')).map((x) => x.s);
      const victim = seqs[seqs.length - 10];
      afterDeleted = seqs[seqs.length - 9];
      await source.query('delete from audit_log where seq = $1', [victim]);
      await source.query('alter table audit_log enable trigger user');
      remaining = seqs.length - 1;
    } finally {
      await source.close();
    }

    const [broken, refused] = await Promise.all([dq(['--data-dir', a, 'audit', 'verify']), dq(['--data-dir', b, 'restore', '--from', backup])]);
    expect(broken.code, show(broken)).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`^entry ${tamperedSeq} \\(edited\\): its content does not match its hash`, 'm'));
    expect(broken.stdout).toMatch(new RegExp(`^entry ${afterDeleted} \\(deleted\\): its previous-hash matches no entry`, 'm'));
    expect(broken.stdout).toMatch(new RegExp(`^audit chain BROKEN at entry ${tamperedSeq} \\(edited\\): 2 broken entries \\(1 edited, 1 deleted\\) among ${remaining} entries checked`, 'm'));
    expect(broken.stderr).not.toMatch(/verified \d+\//); // progress goes to a terminal only
    expect(refused.code, show(refused)).toBe(1);
    expect(refused.stderr).toMatch(/is not empty; pass --force/);

    const brokenJson = await dq(['--data-dir', a, 'audit', 'verify', '--json']);
    expect(brokenJson.code, show(brokenJson)).toBe(1);
    const report = json(brokenJson) as { breaks: { seq: number; reason: string }[] };
    expect(report.breaks.map((x) => [x.seq, x.reason])).toEqual([
      [tamperedSeq, 'edited'],
      [afterDeleted, 'deleted'],
    ]);
    expect(report).toMatchObject({ ok: false, checked: remaining, broken: 2, byReason: { edited: 1, deleted: 1 }, brokenAt: report.breaks[0] });
    expect(report).not.toHaveProperty('nextCursor');

    // (--force, which keeps the old folder aside, is covered in src/platform/db/backup.test.ts.)
  });

  it("refuses other commands on a running server's folder, and lets them in once it stops", { timeout: 300_000 }, async ({ expect }) => {
    const s = path.join(tmp, 'served');
    // Start from the test suite's template (a migrated, seeded embedded database in `dq backup` format).
    const restored = await dq(['--data-dir', s, 'restore', '--from', TEMPLATE_FILE, '--json']);
    expect(restored.code, show(restored)).toBe(0);
    expect(json(restored)).toMatchObject({ ok: true, users: 16, auditIntact: true });
    const server = start(['--data-dir', s, 'serve'], { PORT: '0', HOST: '127.0.0.1' });
    let out = '';
    let err = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 240_000;
    while (!/Listening: (http:\/\/\S+)/.test(out)) {
      if (server.exitCode !== null) throw new Error(`server exited ${server.exitCode}:\n${out}\n${err}`);
      if (Date.now() > deadline) throw new Error(`server did not start:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const base = /Listening: (http:\/\/\S+)/.exec(out)![1];
    expect(out).not.toMatch(/localhost:0\//);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(fs.readFileSync(path.join(s, 'dq.pid'), 'utf8').split('\n')[0]).toBe(String(server.pid));

    const [migrate, backup, secondServer] = await Promise.all([
      dq(['--data-dir', s, 'migrate', '--json']),
      dq(['--data-dir', s, 'backup', '--out', path.join(tmp, 'x.tgz')]),
      dq(['serve', '--data-dir', s, '--port', '0']),
    ]);
    for (const r of [migrate, backup, secondServer]) {
      expect(r.code, show(r)).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`a server \\(pid ${server.pid}\\) is using`));
    }
    expect(json(migrate)).toMatchObject({ ok: false, error: expect.stringMatching(/a server/) });
    expect(backup.stdout).toBe('');
    expect(fs.existsSync(path.join(tmp, 'x.tgz'))).toBe(false);
    expect((await fetch(`${base}/readyz`)).status).toBe(200); // still serving

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(s, 'dq.pid'))).toBe(false);

    // A pid file left by a process that no longer exists (kill -9) does not lock the folder for ever.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(s, 'dq.pid'), `${gone.stdout}\nserve\n`);
    const after = await dq(['--data-dir', s, 'audit', 'verify', '--json']);
    expect(after.code, show(after)).toBe(0);
    expect(json(after)).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(s, 'dq.pid'))).toBe(false);
  });

  const pgUrl = process.env.TEST_DATABASE_URL;
  const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;
  it.skipIf(!pgUrl || !hasPgDump)('backs up PostgreSQL with pg_dump and restores it into an empty database', { timeout: 120_000 }, async ({ expect }) => {
    const src = `dq_cli_${randomBytes(4).toString('hex')}`;
    const dst = `${src}_restored`;
    await adminQuery(pgUrl!, `create database ${src}`);
    await adminQuery(pgUrl!, `create database ${dst}`);
    try {
      const srcUrl = withDatabase(pgUrl!, src);
      const dstUrl = withDatabase(pgUrl!, dst);
      const seeded = await dq(['seed', '--json'], { DATABASE_URL: srcUrl });
      expect(seeded.code, show(seeded)).toBe(0);

      const file = path.join(tmp, 'pg.dump');
      const backedUp = await dq(['backup', '--out', file, '--json'], { DATABASE_URL: srcUrl });
      expect(backedUp.code, show(backedUp)).toBe(0);
      expect(json(backedUp)).toMatchObject({ ok: true, format: 'pg_dump-custom', bytes: fs.statSync(file).size });
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
      const listing = spawnSync('pg_restore', ['--list', file], { encoding: 'utf8' });
      expect(listing.stdout).toMatch(/TABLE DATA public audit_log/);
      expect(listing.stdout).toMatch(/TRIGGER public audit_log audit_log_no_update_delete/);

      const restored = await dq(['restore', '--from', file, '--json'], { DATABASE_URL: dstUrl });
      expect(restored.code, show(restored)).toBe(0);
      const r = json(restored);
      expect(r).toMatchObject({ ok: true, users: 0, auditIntact: true });
      const source = new pg.Client({ connectionString: srcUrl });
      await source.connect();
      const [{ n }] = (await source.query<{ n: number }>('select count(*)::int as n from audit_log')).rows;
      await source.end();
      expect(n).toBeGreaterThanOrEqual(60);
      expect(r.auditEntries).toBe(n);
      const again = await dq(['restore', '--from', file], { DATABASE_URL: dstUrl });
      expect(again.code, show(again)).toBe(1);
      expect(again.stderr).toMatch(/already has \d+ tables; pass --force/);
      // The append-only trigger came back with the data.
      await expect(adminQuery(dstUrl, 'delete from audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await adminQuery(pgUrl!, `drop database if exists ${src} with (force)`);
      await adminQuery(pgUrl!, `drop database if exists ${dst} with (force)`);
    }
  });
});
