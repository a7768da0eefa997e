// The test-suite's template database: migrated and seeded once per run, then copied for each test
// file (PGlite: a data-folder dump loaded in memory; PostgreSQL: CREATE DATABASE … TEMPLATE), so no
// file pays for migrations, argon2 hashing of demo passwords or seeding.
import fs from 'node:fs';
import path from 'node:path';
import { adminQuery } from '../platform/db/admin';
import { createServices, seed } from '../app';
import { loadConfig } from '../config';
import { openDatabase } from '../platform/db/client';

export const TEMPLATE_FILE = path.resolve('.tmp/test-template-pglite.tgz');
// DQ_TEST_TEMPLATE_DB keeps two checkouts testing on one server from dropping each other's template.
export const PG_TEMPLATE_DB = process.env.DQ_TEST_TEMPLATE_DB ?? 'dq_test_template';

export function testConfigEnv(extra: Record<string, string> = {}) {
  return { NODE_ENV: 'test', DATA_DIR: path.resolve('.tmp/unused-data-dir'), LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DQ_JOBS: '0', ...extra };
}

export async function buildPgliteTemplate(): Promise<void> {
  const database = await openDatabase({});
  const services = await createServices(loadConfig(testConfigEnv()), { database });
  await seed(services, { demo: true });
  const blob = await database.pglite!.dumpDataDir('gzip');
  fs.mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
  // Per-process partial file: two test runs building at once must not write into each other's.
  const partial = `${TEMPLATE_FILE}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(partial, TEMPLATE_FILE);
  await database.close();
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export { adminQuery };

export async function buildPostgresTemplate(url: string): Promise<void> {
  await adminQuery(url, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${PG_TEMPLATE_DB}' and pid <> pg_backend_pid()`);
  await adminQuery(url, `drop database if exists ${PG_TEMPLATE_DB}`);
  await adminQuery(url, `create database ${PG_TEMPLATE_DB}`);
  const database = await openDatabase({ databaseUrl: withDatabase(url, PG_TEMPLATE_DB), poolSize: 2 });
  const services = await createServices(loadConfig(testConfigEnv()), { database });
  await seed(services, { demo: true });
  await database.close();
}

/**
 * PGlite runs in-process: a query awaited on the database while one of its own transactions holds
 * the only connection never resolves, the event loop empties, and Node exits 0 as if all went well.
 * Keep the loop alive and turn such a hang into a loud failure.
 */
export async function guardAgainstSilentHang<T>(what: string, work: Promise<T>, ms = 300_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s (a deadlock on the embedded database?)`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
