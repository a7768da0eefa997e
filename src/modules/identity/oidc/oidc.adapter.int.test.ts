// The provider's PostgreSQL storage: the adapter contract oidc-provider relies on, expiry, the
// transaction hand-over, and the recurring purge job.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, rows, type Db } from '../../../platform/db/client';
import { testApp, type TestApp } from '../../../test/app';
import { oidcPayloads } from '../identity.schema';
import { PgPayloadAdapter, purgeExpiredPayloads, withTransaction } from './oidc.adapter';
import { OIDC_PURGE_JOB } from './oidc.routes';

let t: TestApp;
let db: Db;

const expire = (model: string, id: string) =>
  db.update(oidcPayloads).set({ expiresAt: new Date(Date.now() - 1000) }).where(sql`${oidcPayloads.model} = ${model} and ${oidcPayloads.id} = ${id}`);

beforeAll(async () => {
  t = await testApp();
  db = t.app.services.database.db;
});
afterAll(() => t?.close());

describe('PgPayloadAdapter', () => {
  it('stores, finds, replaces and destroys payloads per model', async () => {
    const codes = new PgPayloadAdapter(db, 'AuthorizationCode');
    const tokens = new PgPayloadAdapter(db, 'AccessToken');
    await codes.upsert('c1', { jti: 'c1', grantId: 'g1', clientId: 'app', accountId: 'u1' }, 60);
    expect(await codes.find('c1')).toEqual({ jti: 'c1', grantId: 'g1', clientId: 'app', accountId: 'u1' });
    expect(await tokens.find('c1'), 'ids are per model').toBeUndefined();
    await codes.upsert('c1', { jti: 'c1', grantId: 'g1', clientId: 'app', accountId: 'u2' }, 60);
    expect((await codes.find('c1'))?.accountId).toBe('u2');
    await codes.destroy('c1');
    expect(await codes.find('c1')).toBeUndefined();
  });

  it('marks consumed artefacts, and an upsert does not make them fresh again', async () => {
    const codes = new PgPayloadAdapter(db, 'AuthorizationCode');
    await codes.upsert('c2', { jti: 'c2' }, 60);
    expect((await codes.find('c2'))?.consumed).toBeUndefined();
    await codes.consume('c2');
    const consumed = (await codes.find('c2'))?.consumed;
    expect(consumed).toBeGreaterThan(Date.now() / 1000 - 60);
    await codes.upsert('c2', { jti: 'c2' }, 60);
    expect((await codes.find('c2'))?.consumed).toBe(consumed);
  });

  it('does not return expired artefacts; rows without expiry live on', async () => {
    const sessions = new PgPayloadAdapter(db, 'Session');
    await sessions.upsert('s1', { jti: 's1', uid: 'uid-1', accountId: 'u1' }, 3600);
    await sessions.upsert('s2', { jti: 's2', uid: 'uid-2' });
    expect((await sessions.findByUid('uid-1'))?.jti).toBe('s1');
    await expire('Session', 's1');
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('uid-1')).toBeUndefined();
    expect((await sessions.find('s2'))?.jti).toBe('s2');
  });

  it('finds device codes by user code', async () => {
    const device = new PgPayloadAdapter(db, 'DeviceCode');
    await device.upsert('d1', { jti: 'd1', userCode: 'ABCD-EFGH' }, 600);
    expect((await device.findByUserCode('ABCD-EFGH'))?.jti).toBe('d1');
    expect(await device.findByUserCode('ZZZZ-ZZZZ')).toBeUndefined();
  });

  it('revokes by grant only the rows of its own model and grant', async () => {
    const access = new PgPayloadAdapter(db, 'AccessToken');
    const refresh = new PgPayloadAdapter(db, 'RefreshToken');
    await access.upsert('a1', { jti: 'a1', grantId: 'grant-x' }, 600);
    await access.upsert('a2', { jti: 'a2', grantId: 'grant-y' }, 600);
    await refresh.upsert('r1', { jti: 'r1', grantId: 'grant-x' }, 600);
    await access.revokeByGrantId('grant-x');
    expect(await access.find('a1')).toBeUndefined();
    expect(await access.find('a2')).toBeDefined();
    expect(await refresh.find('r1')).toBeDefined();
  });

  it('writes inside the caller’s transaction when asked, and rolls back with it', async () => {
    const grants = new PgPayloadAdapter(db, 'Grant');
    await expect(
      inTransaction(db, (tx) =>
        withTransaction(tx, async () => {
          await grants.upsert('gr1', { jti: 'gr1' }, 600);
          expect(await grants.find('gr1'), 'visible inside the transaction').toBeDefined();
          throw new Error('roll back');
        }),
      ),
    ).rejects.toThrow('roll back');
    expect(await grants.find('gr1')).toBeUndefined();
  });
});

describe('purge of expired artefacts', () => {
  it('deletes expired rows only', async () => {
    const access = new PgPayloadAdapter(db, 'AccessToken');
    await access.upsert('old', { jti: 'old' }, 600);
    await access.upsert('live', { jti: 'live' }, 600);
    await expire('AccessToken', 'old');
    expect(await purgeExpiredPayloads(db)).toBeGreaterThanOrEqual(1);
    const left = await db.select({ id: oidcPayloads.id }).from(oidcPayloads).where(eq(oidcPayloads.model, 'AccessToken'));
    expect(left.map((r) => r.id)).toContain('live');
    expect(left.map((r) => r.id)).not.toContain('old');
  });

  it('runs as the oidc.purge job on the queue', async () => {
    const queue = t.app.services.queue;
    expect(queue.registeredNames()).toContain(OIDC_PURGE_JOB);
    const access = new PgPayloadAdapter(db, 'AccessToken');
    await access.upsert('old2', { jti: 'old2' }, 600);
    await expire('AccessToken', 'old2');
    const job = await queue.enqueue(OIDC_PURGE_JOB);
    await queue.drain();
    const [row] = await rows<{ status: string; result: { removed: number } }>(db, sql`select status, result from jobs where id = ${job.id}`);
    expect(row.status).toBe('done');
    expect(row.result.removed).toBeGreaterThanOrEqual(1);
    expect(await access.find('old2')).toBeUndefined();
  });

  it('is scheduled hourly once the server listens (when jobs run)', async () => {
    const jobs = await testApp({ DQ_JOBS: '1', PORT: '0', HOST: '127.0.0.1' });
    try {
      await jobs.app.listen();
      const schedules = await jobs.app.services.queue.schedules();
      expect(schedules.find((s) => s.jobName === OIDC_PURGE_JOB)).toMatchObject({ name: 'oidc.purge.hourly', everySeconds: 3600 });
    } finally {
      await jobs.close();
    }
  });
});
