// Backups: the embedded database as a gzipped data-folder archive (PGlite's own dump), PostgreSQL
// through pg_dump's custom format when pg_dump is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Database } from './client';
// The database drivers are loaded when a restore needs them, so importing this module (the CLI does,
// for BackupError) stays cheap.

const PG_MAGIC = Buffer.from('PGDMP');
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** A backup or restore that cannot proceed, with a message meant for the operator. */
export class BackupError extends Error {}

/**
 * pg_dump and pg_restore take the connection as a URL without its password, which goes in PGPASSWORD:
 * a password on the command line is visible to every user of the machine (ps).
 */
function pgClientArgs(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { url: u.toString(), env };
}

export async function backupDatabase(database: Database, out: string): Promise<{ bytes: number; format: string }> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.partial`;
  try {
    if (database.kind === 'pglite') {
      const blob = await database.pglite!.dumpDataDir('gzip');
      fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      fs.renameSync(tmp, out); // a half-written file never carries the final name
      return { bytes: fs.statSync(out).size, format: 'pglite-datadir+gzip' };
    }
    const { url, env } = pgClientArgs(database.pool!.options.connectionString!);
    const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${tmp}`, `--dbname=${url}`], { encoding: 'utf8', env });
    if (r.error) throw new BackupError(`pg_dump is not available (${r.error.message}); install the PostgreSQL client tools or use your provider's backups`);
    if (r.status !== 0) throw new BackupError(`pg_dump failed: ${r.stderr.trim()}`);
    fs.renameSync(tmp, out);
    return { bytes: fs.statSync(out).size, format: 'pg_dump-custom' };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export function backupFormat(file: string): 'pglite' | 'pg_dump' | 'unknown' {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(5);
  const n = fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  if (n >= 2 && head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite';
  if (n === 5 && head.equals(PG_MAGIC)) return 'pg_dump';
  return 'unknown';
}

/**
 * Restore into an empty data folder (embedded) or an empty PostgreSQL database, and return the restored
 * database opened (the caller checks and closes it). Existing data is only replaced with `force`: the
 * embedded folder is then kept aside as <dir>.before-restore, a PostgreSQL database is cleaned object by
 * object (pg_restore --clean).
 */
export async function restoreDatabase(target: { dataDir?: string; databaseUrl?: string }, file: string, opts: { force?: boolean } = {}): Promise<Database> {
  const { openDatabase } = await import('./client');
  const format = backupFormat(file);
  if (target.databaseUrl) {
    if (format !== 'pg_dump') throw new BackupError('this file is not a pg_dump custom-format backup');
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    let tables: number;
    try {
      const r = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
      tables = r.rows[0].n;
    } finally {
      await client.end();
    }
    if (tables > 0 && !opts.force) throw new BackupError(`the target database already has ${tables} tables; pass --force to replace its contents`);
    const { url, env } = pgClientArgs(target.databaseUrl);
    const args = ['--no-owner', '--exit-on-error', `--dbname=${url}`, file];
    if (tables > 0) args.unshift('--clean', '--if-exists');
    const r = spawnSync('pg_restore', args, { encoding: 'utf8', env });
    if (r.error) throw new BackupError(`pg_restore is not available (${r.error.message})`);
    if (r.status !== 0) throw new BackupError(`pg_restore failed: ${r.stderr.trim()}`);
    return openDatabase({ databaseUrl: target.databaseUrl });
  }
  if (format !== 'pglite') throw new BackupError('this file is not an embedded-database backup (gzip archive)');
  const dir = target.dataDir!;
  let keptAside: string | null = null;
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!opts.force) throw new BackupError(`${dir} is not empty; pass --force to replace it (the old folder is kept as ${dir}.before-restore)`);
    keptAside = `${dir}.before-restore`;
    fs.rmSync(keptAside, { recursive: true, force: true });
    fs.renameSync(dir, keptAside);
  }
  fs.mkdirSync(dir, { recursive: true });
  let database: Database;
  try {
    // Unpack the gzip layer here: a damaged archive then fails cleanly (PGlite's own decompression lets
    // the error escape as an unhandled rejection, which ends the process). Opening the folder with the
    // tar unpacks it there, then starts the database on it.
    const tar = zlib.gunzipSync(fs.readFileSync(file));
    database = await openDatabase({ dataDir: dir, loadDataDir: new Blob([tar]) });
    await database.query('select 1');
  } catch (err) {
    // Leave things as they were: no half-restored folder under the live name.
    fs.rmSync(dir, { recursive: true, force: true });
    if (keptAside) fs.renameSync(keptAside, dir);
    throw new BackupError(`restore failed, nothing was changed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return database;
}
