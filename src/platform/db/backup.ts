// Backups: the embedded database as a gzipped data-folder archive (PGlite's own dump), PostgreSQL
// through pg_dump's custom format when pg_dump is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './client';

const PG_MAGIC = Buffer.from('PGDMP');
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export async function backupDatabase(database: Database, out: string): Promise<{ bytes: number; format: string }> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.partial`;
  if (database.kind === 'pglite') {
    const blob = await database.pglite!.dumpDataDir('gzip');
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, out); // a half-written file never carries the final name
    return { bytes: fs.statSync(out).size, format: 'pglite-datadir+gzip' };
  }
  const url = database.pool!.options.connectionString!;
  const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${tmp}`, url], { encoding: 'utf8' });
  if (r.error) throw new Error(`pg_dump is not available (${r.error.message}); install the PostgreSQL client tools or use your provider's backups`);
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr.trim()}`);
  fs.renameSync(tmp, out);
  return { bytes: fs.statSync(out).size, format: 'pg_dump-custom' };
}

export function backupFormat(file: string): 'pglite' | 'pg_dump' | 'unknown' {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(5);
  fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite';
  if (head.equals(PG_MAGIC)) return 'pg_dump';
  return 'unknown';
}

/** Restore into an empty data folder (embedded) or over a PostgreSQL database (--clean). */
export async function restoreDatabase(target: { dataDir?: string; databaseUrl?: string }, file: string, opts: { force?: boolean } = {}): Promise<void> {
  const format = backupFormat(file);
  if (target.databaseUrl) {
    if (format !== 'pg_dump') throw new Error('this file is not a pg_dump custom-format backup');
    const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${target.databaseUrl}`, file], { encoding: 'utf8' });
    if (r.error) throw new Error(`pg_restore is not available (${r.error.message})`);
    if (r.status !== 0) throw new Error(`pg_restore failed: ${r.stderr.trim()}`);
    return;
  }
  if (format !== 'pglite') throw new Error('this file is not an embedded-database backup (gzip archive)');
  const dir = target.dataDir!;
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!opts.force) throw new Error(`${dir} is not empty; pass --force to replace it (the old folder is kept as ${dir}.before-restore)`);
    const keep = `${dir}.before-restore`;
    fs.rmSync(keep, { recursive: true, force: true });
    fs.renameSync(dir, keep);
  }
  fs.mkdirSync(dir, { recursive: true });
  const blob = new Blob([fs.readFileSync(file)]);
  const db = new PGlite(dir, { loadDataDir: blob });
  await db.waitReady;
  await db.query('select 1');
  await db.close();
}
