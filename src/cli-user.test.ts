// `dq user add` on a fresh installation, as a new operator types it: the username as the argument and
// no --org. A staff account then belongs to the city-level bureau the city file names; an enterprise
// account still needs its organisation. Real processes on a real (embedded) database folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from './platform/auth/passwords';
import { openDatabase } from './platform/db/client';

const DQ = path.resolve('bin/dq.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-cli-user-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dq(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [DQ, ...args], { cwd: tmp, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('dq user add on a fresh install', () => {
  it('creates the first administrator without --org, in the city-level bureau, able to sign in', { timeout: 180_000 }, async () => {
    const dir = path.join(tmp, 'fresh');
    const password = 'Harbour#Tide-77';
    const added = await dq(['--data-dir', dir, 'user', 'add', 'alice', '--role', 'admin', '--password', password, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const out = JSON.parse(added.stdout) as { username: string; kind: string; roles: string[]; org: { code: string; name: string } | null };
    expect(out).toMatchObject({ username: 'alice', kind: 'staff', roles: ['admin'], org: { code: 'DSJ', name: '市大数据发展管理局' } });

    // The same name twice and no name are usage errors (refused before the folder is opened, so they run
    // alongside); an enterprise account without its organisation is refused.
    const [twice, enterprise, none] = await Promise.all([
      dq(['--data-dir', dir, 'user', 'add', 'bob', '--username', 'carol', '--role', 'admin', '--password', password]),
      dq(['--data-dir', dir, 'user', 'add', 'ent.bob', '--kind', 'enterprise', '--role', 'enterprise_user', '--password', password]),
      dq(['--data-dir', dir, 'user', 'add', '--role', 'admin', '--password', password]),
    ]);
    expect(twice.code, twice.stderr).toBe(2);
    expect(twice.stderr).toMatch(/given twice/);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/give the username/);
    expect(enterprise.code, enterprise.stderr).toBe(1);
    expect(enterprise.stderr).toMatch(/--org/);

    // What landed: alice, in DSJ, with a password hash that verifies.
    const db = await openDatabase({ dataDir: path.join(dir, 'pgdata') });
    try {
      const rows = await db.query<{ username: string; code: string; password_hash: string }>(
        `select u.username, o.code, u.password_hash from users u join organisations o on o.id = u.org_id where u.username in ('alice', 'ent.bob', 'bob', 'carol')`,
      );
      expect(rows.map((r) => [r.username, r.code])).toEqual([['alice', 'DSJ']]);
      expect(await verifyPassword(rows[0].password_hash, password)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
