// Maintenance statements on a PostgreSQL server (CREATE/DROP DATABASE cannot run in a transaction or
// a pool's session): one short-lived connection per statement. Used by the test harness and benchmarks.
import pg from 'pg';

export async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
