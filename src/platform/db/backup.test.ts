// Embedded-database backups in-process: a backup restores into a new folder with the same data, a
// restore refuses to overwrite without force, and a failed restore leaves the existing folder as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupDatabase, backupFormat, restoreDatabase } from './backup';
import { openDatabase, type Database } from './client';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-backup-'));
const source = path.join(tmp, 'source');
let db: Database;

beforeAll(async () => {
  db = await openDatabase({ dataDir: source });
  await db.query('create table things (id int primary key, name text not null)');
  await db.query(`insert into things select i, 'thing ' || i from generate_series(1, 500) i`);
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const things = async (d: Database) => (await d.query<{ n: number; last: string }>('select count(*)::int as n, max(name) as last from things'))[0];

describe('embedded backups', () => {
  it('writes a gzip archive atomically and restores it into an empty folder', async () => {
    const file = path.join(tmp, 'out', 'one.dqbackup');
    const r = await backupDatabase(db, file);
    expect(r).toEqual({ bytes: fs.statSync(file).size, format: 'pglite-datadir+gzip' });
    expect(r.bytes).toBeGreaterThan(1000);
    expect(backupFormat(file)).toBe('pglite');
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    // Changes after the backup are not in it.
    await db.query(`insert into things values (501, 'after the backup')`);
    const target = path.join(tmp, 'restored', 'pgdata');
    const restored = await restoreDatabase({ dataDir: target }, file);
    try {
      expect(await things(restored)).toEqual({ n: 500, last: 'thing 99' });
      expect(restored.location).toBe(path.resolve(target));
    } finally {
      await restored.close();
    }
    // And the restored folder opens again on its own.
    const reopened = await openDatabase({ dataDir: target });
    try {
      expect((await things(reopened)).n).toBe(500);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a non-empty folder without force, and keeps the old one aside with force', async () => {
    const file = path.join(tmp, 'two.dqbackup');
    await backupDatabase(db, file);
    const target = path.join(tmp, 'busy', 'pgdata');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'precious.txt'), 'keep me');
    await expect(restoreDatabase({ dataDir: target }, file)).rejects.toThrow(BackupError);
    await expect(restoreDatabase({ dataDir: target }, file)).rejects.toThrow(/is not empty; pass --force/);
    expect(fs.readFileSync(path.join(target, 'precious.txt'), 'utf8')).toBe('keep me');

    const restored = await restoreDatabase({ dataDir: target }, file, { force: true });
    try {
      expect((await things(restored)).n).toBe(501);
    } finally {
      await restored.close();
    }
    expect(fs.readFileSync(path.join(`${target}.before-restore`, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(fs.existsSync(path.join(target, 'precious.txt'))).toBe(false);
  });

  it('leaves the existing folder as it was when the archive is damaged', async () => {
    const good = path.join(tmp, 'three.dqbackup');
    await backupDatabase(db, good);
    const target = path.join(tmp, 'live', 'pgdata');
    await (await restoreDatabase({ dataDir: target }, good)).close();
    // A truncated archive: right magic, missing most of its bytes.
    const bytes = fs.readFileSync(good);
    const damaged = path.join(tmp, 'damaged.dqbackup');
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 3)));
    expect(backupFormat(damaged)).toBe('pglite');
    await expect(restoreDatabase({ dataDir: target }, damaged, { force: true })).rejects.toThrow(/restore failed, nothing was changed/);
    const still = await openDatabase({ dataDir: target });
    try {
      expect((await things(still)).n).toBe(501);
    } finally {
      await still.close();
    }
    expect(fs.existsSync(`${target}.before-restore`)).toBe(false);
  });

  it('tells the formats apart, including files too short to have a header', () => {
    const f = (name: string, content: Buffer | string) => {
      const p = path.join(tmp, name);
      fs.writeFileSync(p, content);
      return p;
    };
    expect(backupFormat(f('empty', ''))).toBe('unknown');
    expect(backupFormat(f('one-byte', Buffer.from([0x1f])))).toBe('unknown');
    expect(backupFormat(f('dump', 'PGDMP\u0001\u000e'))).toBe('pg_dump');
    expect(backupFormat(f('sql', '-- PostgreSQL database dump'))).toBe('unknown');
  });

  it('refuses a file of the wrong kind for the target', async () => {
    const sql = path.join(tmp, 'plain.sql');
    fs.writeFileSync(sql, 'select 1;');
    await expect(restoreDatabase({ dataDir: path.join(tmp, 'x', 'pgdata') }, sql)).rejects.toThrow(/not an embedded-database backup/);
    await expect(restoreDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' }, sql)).rejects.toThrow(/not a pg_dump custom-format backup/);
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
  });
});
