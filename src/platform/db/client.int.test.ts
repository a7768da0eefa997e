// The PostgreSQL pool survives the server ending its idle connections (a restart, an administrator):
// the process must not die of an unhandled 'error' event, and the next query gets a fresh connection.
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/app';
import { adminQuery } from './admin';

describe('database client', () => {
  it('replaces idle connections the server terminates instead of crashing', async () => {
    const { database, drop } = await openTestDatabase();
    try {
      expect(await database.query('select 1 as n')).toEqual([{ n: 1 }]);
      if (database.kind !== 'postgres') return; // PGlite has no server to end connections
      const [{ name }] = (await database.query('select current_database() as name')) as { name: string }[];
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      try {
        await adminQuery(process.env.TEST_DATABASE_URL!, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
        await expect.poll(() => warnings.some((m) => m.includes('idle PostgreSQL connection')), { timeout: 10_000 }).toBe(true);
        expect(await database.query('select 2 as n')).toEqual([{ n: 2 }]);
      } finally {
        process.off('warning', onWarning);
      }
    } finally {
      await drop();
    }
  });
});
