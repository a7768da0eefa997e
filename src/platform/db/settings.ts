// Installation settings kept as one JSON value per key in app_meta (a module's deadline settings, the
// trust list's options, the demo-seed marker). Modules read and write through these two functions so
// the table stays the platform's.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from './client';
import { appMeta } from './meta.schema';

/** The stored value under `key`, or null when nothing was stored yet. */
export async function readSetting<T>(db: DbOrTx, key: string): Promise<T | null> {
  const [r] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
  return r ? (r.value as T) : null;
}

/** Store `value` under `key` (insert or replace); call it inside the writing transaction. */
export async function writeSetting(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(appMeta)
    .values({ key, value })
    .onConflictDoUpdate({ target: appMeta.key, set: { value, updatedAt: new Date() } });
}

/** Store `value` under `key` only if nothing is there yet; true when this call stored it. */
export async function writeSettingOnce(db: DbOrTx, key: string, value: unknown): Promise<boolean> {
  const r = await db.insert(appMeta).values({ key, value }).onConflictDoNothing().returning({ key: appMeta.key });
  return r.length > 0;
}
