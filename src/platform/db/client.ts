// Opens the database: embedded PGlite (a folder, or memory) by default, PostgreSQL when a URL is given.
// Both are wrapped in the same drizzle type so services never know which one they run on.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Config } from '../../config';
import { pgDataDir } from './location';

export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type DbOrTx = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Db;
  /** Where the data lives: a folder for PGlite (undefined in memory), the URL (password hidden) for PostgreSQL. */
  location: string;
  /** Run raw SQL and get rows back; for the few places drizzle cannot express (DDL, maintenance). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** The PGlite instance, when embedded (for dumps). */
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite folder; omitted means in memory. */
  dataDir?: string;
  /** A PGlite data-dir tarball to start from (the test template). */
  loadDataDir?: Blob;
  poolSize?: number;
}

// timestamptz and bigint come back as strings from node-postgres; keep bigint exact and let drizzle map dates.
pg.types.setTypeParser(20, (v) => v); // int8 stays a string; callers convert where they know it is small

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // Sessions run in UTC; presentation converts to Asia/Shanghai.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, options: '-c TimeZone=UTC' });
    // An idle connection the server ends (a restart, an administrator, a dropped test database) is discarded by
    // the pool and replaced on next use; without a listener node would treat the event as an uncaught error.
    pool.on('error', (err) => process.emitWarning(`an idle PostgreSQL connection was closed by the server: ${err.message}`, 'DatabaseWarning'));
    // Fail fast with a clear message when the server is unreachable.
    const client = await pool.connect();
    client.release();
    const db = drizzlePg(pool) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      location: redactUrl(opts.databaseUrl),
      pool,
      async query(text, params) {
        const r = await pool.query(text, params as unknown[]);
        return r.rows;
      },
      close: () => pool.end(),
    };
  }
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const pglite = opts.dataDir
    ? new PGlite(opts.dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {})
    : new PGlite(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  await pglite.waitReady;
  await pglite.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzlePglite(pglite) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    location: opts.dataDir ? path.resolve(opts.dataDir) : 'memory',
    pglite,
    async query(text, params) {
      const r = await pglite.query(text, params as unknown[]);
      return r.rows as never[];
    },
    close: () => pglite.close(),
  };
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the embedded folder. */
export function openConfiguredDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Database> {
  return openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: pgDataDir(config) });
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

/** Run fn in one transaction: everything it writes lands together or not at all. */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (db as Db).transaction(fn as never) as Promise<T>;
}

/** First row of a raw SQL statement through drizzle (works on Db and Tx alike). */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

export { sql, pgDataDir };
