// The audit trail on a real database: entries written by the services through the HTTP API chain up and
// verify; the database itself refuses edits; tampering done behind the trigger's back is found at the
// right entry; the console's filters, paging and department scoping; and concurrent writers keep one chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Client, type TestApp } from '../../test/app';
import { systemActor } from '../auth/actor';
import type { Database } from '../db/client';
import { canonicalJson, entryHash, listAudit, recordAudit, verifyAuditChain, type AuditEntry } from './audit.service';

let t: TestApp;
let database: Database;
let admin: Client;
let gajId: string;
let fgwId: string;

const STRONG = 'Strong#Pass2026';
let codeN = 0;
const code = (p: string) => `${p}-${process.pid % 1000}-${++codeN}`;

beforeAll(async () => {
  t = await testApp();
  database = t.app.services.database;
  admin = await t.login('admin');
  gajId = (await t.app.services.orgs.byCode('GAJ'))!.id;
  fgwId = (await t.app.services.orgs.byCode('FGW'))!.id;
});
afterAll(() => t.close());

async function createSubunit(parentId: string, name = 'test unit') {
  const r = await admin.post('/api/orgs', { code: code('U'), kind: 'subunit', name, parentId });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; code: string };
}

async function createUser(orgId: string) {
  const r = await admin.post('/api/users', { username: code('u').toLowerCase(), displayName: 'Test officer', kind: 'staff', password: STRONG, orgId, roles: ['dept_officer'] });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; username: string };
}

const count = async (where = 'true') => (await database.query<{ n: number }>(`select count(*)::int as n from audit_log where ${where}`))[0].n;
const lastSeq = async () => (await database.query<{ s: string }>('select max(seq)::text as s from audit_log'))[0].s;

/** Run fn with the append-only trigger off (what someone with table-owner rights could do), then restore it. */
async function behindTheTrigger(fn: () => Promise<void>) {
  await database.query('alter table audit_log disable trigger user');
  try {
    await fn();
  } finally {
    await database.query('alter table audit_log enable trigger user');
  }
}

async function rawEntry(seq: number) {
  const [r] = await database.query<Record<string, unknown>>('select * from audit_log where seq = $1', [seq]);
  return r;
}

async function reinsert(r: Record<string, unknown>) {
  await database.query(
    `insert into audit_log (seq, at, actor_id, actor_name, on_behalf_of, action, entity_type, entity_id, org_id, summary, request_id, ip, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [r.seq, r.at, r.actor_id, r.actor_name, r.on_behalf_of, r.action, r.entity_type, r.entity_id, r.org_id, JSON.stringify(r.summary), r.request_id, r.ip, r.prev_hash, r.hash],
  );
}

describe('the hash chain', () => {
  it('verifies after many writes made through the services', async () => {
    const before = await count();
    for (let i = 0; i < 12; i++) {
      const u = await createSubunit(i % 2 ? gajId : fgwId, `unit ${i}`);
      if (i % 3 === 0) expect((await admin.patch(`/api/orgs/${u.id}`, { name: `unit ${i} renamed` })).statusCode).toBe(200);
    }
    const unit = await createSubunit(gajId);
    for (let i = 0; i < 3; i++) await createUser(unit.id);
    const after = await count();
    expect(after - before).toBe(12 + 4 + 1 + 3);

    const direct = await verifyAuditChain(database.db);
    const [{ first }] = await database.query<{ first: number }>('select min(seq)::int as first from audit_log');
    const head = Number(await lastSeq());
    expect(direct).toEqual({ ok: true, checked: after, firstSeq: first, lastSeq: head, headSeq: head, broken: 0, byReason: {}, breaks: [], nextCursor: null });

    const viaApi = await admin.get('/api/audit/verify');
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json()).toEqual(direct);
    expect((await (await t.login('auditor')).get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    expect((await (await t.login('gaj_officer')).get('/api/audit/verify')).statusCode).toBe(403);

    // Secrets never reach the trail: the user entries carry no password material.
    const users = await database.query<{ summary: unknown }>(`select summary from audit_log where action = 'user.create'`);
    expect(users.length).toBeGreaterThanOrEqual(3);
    for (const u of users) expect(JSON.stringify(u.summary)).not.toMatch(/Strong#Pass|argon2/);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    const seq = Number(await lastSeq());
    await expect(database.query(`update audit_log set actor_name = 'mallory' where seq = $1`, [seq])).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(database.query('delete from audit_log where seq = $1', [seq])).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(database.query('truncate audit_log')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    expect((await rawEntry(seq)).actor_name).not.toBe('mallory');
    expect(await count(`seq = ${seq}`)).toBe(1);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('finds an edited entry at its seq, and accepts the chain again once the edit is undone', async () => {
    const [{ s }] = await database.query<{ s: number }>(`select seq::int as s from audit_log where action = 'org.create' order by seq limit 1 offset 3`);
    const original = await rawEntry(s);
    const entriesBefore = await count(`seq < ${s}`);
    await behindTheTrigger(() => database.query(`update audit_log set summary = jsonb_set(summary, '{after,name}', '"forged name"') where seq = $1`, [s]).then(() => undefined));
    const r = await verifyAuditChain(database.db);
    // Every entry is still checked, and the edited one is the only break.
    expect(r).toMatchObject({ ok: false, checked: await count(), broken: 1, byReason: { edited: 1 }, brokenAt: { seq: s, reason: 'edited' } });
    expect(r.breaks).toEqual([r.brokenAt]);
    expect(entriesBefore).toBeGreaterThan(0);
    const api = (await admin.get('/api/audit/verify')).json();
    expect(api.brokenAt).toMatchObject({ seq: s, reason: 'edited' });

    // Another column: who did it.
    await behindTheTrigger(async () => {
      await database.query('update audit_log set summary = $2 where seq = $1', [s, JSON.stringify(original.summary)]);
      await database.query(`update audit_log set actor_name = 'someone else' where seq = $1`, [s]);
    });
    expect((await verifyAuditChain(database.db)).brokenAt).toMatchObject({ seq: s, reason: 'edited' });

    await behindTheTrigger(() => database.query('update audit_log set actor_name = $2 where seq = $1', [s, original.actor_name]).then(() => undefined));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('finds an entry deleted from the middle at the entry that follows it', async () => {
    const seqs = (await database.query<{ s: number }>('select seq::int as s from audit_log order by seq')).map((x) => x.s);
    const victim = seqs[Math.floor(seqs.length / 2)];
    const next = seqs[seqs.indexOf(victim) + 1];
    const removed = await rawEntry(victim);
    await behindTheTrigger(() => database.query('delete from audit_log where seq = $1', [victim]).then(() => undefined));
    const r = await verifyAuditChain(database.db);
    expect(r).toMatchObject({ ok: false, checked: seqs.length - 1, broken: 1, brokenAt: { seq: next, reason: 'deleted' } });
    expect(r.brokenAt!.detail).toContain(`after entry ${seqs[seqs.indexOf(victim) - 1]}`);
    await behindTheTrigger(() => reinsert(removed));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('finds entries removed from the end through the recorded head', async () => {
    const seqs = (await database.query<{ s: number }>('select seq::int as s from audit_log order by seq')).map((x) => x.s);
    const tail = seqs.slice(-2);
    const removed = [await rawEntry(tail[0]), await rawEntry(tail[1])];
    await behindTheTrigger(() => database.query('delete from audit_log where seq >= $1', [tail[0]]).then(() => undefined));
    const r = await verifyAuditChain(database.db);
    // Every remaining entry is intact; only the head says there should be more.
    expect(r).toMatchObject({ ok: false, checked: seqs.length - 2, broken: 1, brokenAt: { seq: seqs[seqs.length - 3] + 1, reason: 'truncated' } });
    expect(r.brokenAt!.detail).toContain(String(tail[1]));
    await behindTheTrigger(async () => {
      for (const e of removed) await reinsert(e);
    });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('names an edited, a deleted and a reordered entry, each at its seq, and checks every entry after them', async () => {
    const seqs = (await database.query<{ s: number }>('select seq::int as s from audit_log order by seq')).map((x) => x.s);
    expect(seqs.length).toBeGreaterThan(30);
    const [edited, deleted, swapA, swapB, late] = [seqs[5], seqs[10], seqs[15], seqs[16], seqs[seqs.length - 3]];
    const afterDeleted = seqs[11];
    const originals = { edited: await rawEntry(edited), deleted: await rawEntry(deleted), late: await rawEntry(late) };
    const swap = async () => {
      await database.query('update audit_log set seq = -1 where seq = $1', [swapA]);
      await database.query('update audit_log set seq = $1 where seq = $2', [swapA, swapB]);
      await database.query('update audit_log set seq = $1 where seq = -1', [swapB]);
    };
    await behindTheTrigger(async () => {
      await database.query(`update audit_log set summary = summary || '{"forged": true}'::jsonb where seq = $1`, [edited]);
      await database.query('delete from audit_log where seq = $1', [deleted]);
      await swap();
      // Far past the first three: found only if the walk goes on after a break.
      await database.query(`update audit_log set actor_name = 'mallory' where seq = $1`, [late]);
    });
    try {
      const r = await verifyAuditChain(database.db);
      expect(r.breaks.map((b) => [b.seq, b.reason])).toEqual([
        [edited, 'edited'],
        [afterDeleted, 'deleted'],
        [swapA, 'reordered'],
        [swapB, 'reordered'],
        [late, 'edited'],
      ]);
      expect(r).toMatchObject({ ok: false, checked: seqs.length - 1, firstSeq: seqs[0], lastSeq: seqs[seqs.length - 1], broken: 5, byReason: { edited: 2, deleted: 1, reordered: 2 }, nextCursor: null });
      expect(r.brokenAt).toEqual(r.breaks[0]);
      expect(r.breaks[1].detail).toContain(`after entry ${seqs[9]}`);

      // The API pages through the same breaks; the first break stays in brokenAt on every page.
      const pages: { seq: number; reason: string }[][] = [];
      let cursor: number | null = 0;
      while (cursor !== null) {
        const res = await admin.get(`/api/audit/verify?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as typeof r;
        expect(body).toMatchObject({ ok: false, broken: 5, checked: r.checked, brokenAt: r.brokenAt });
        pages.push(body.breaks);
        cursor = body.nextCursor;
      }
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(r.breaks);
      expect((await admin.get('/api/audit/verify?limit=0')).statusCode).toBe(400);
    } finally {
      await behindTheTrigger(async () => {
        await database.query('update audit_log set summary = $2, actor_name = $3 where seq = $1', [edited, JSON.stringify(originals.edited.summary), originals.edited.actor_name]);
        await database.query('update audit_log set actor_name = $2 where seq = $1', [late, originals.late.actor_name]);
        await swap();
        await reinsert(originals.deleted);
      });
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: seqs.length, broken: 0 });
  });

  it('keeps one chain under 20 concurrent audited writes (the advisory lock on PostgreSQL)', async () => {
    const before = await count();
    const viaHttp = Array.from({ length: 20 }, (_, i) => admin.post('/api/orgs', { code: code('C'), kind: 'subunit', name: `concurrent ${i}`, parentId: gajId }));
    // Writers that are not inside a transaction of their own get one from recordAudit.
    const direct = Array.from({ length: 20 }, (_, i) => recordAudit(database.db, systemActor('test'), { action: 'test.concurrent', entityType: 'test', entityId: String(i) }));
    // Verification while entries are being appended sees a consistent prefix, never a false alarm.
    const verifying = (async () => {
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await verifyAuditChain(database.db));
      return seen;
    })();
    const [responses, entries, verifications] = await Promise.all([Promise.all(viaHttp), Promise.all(direct), verifying]);
    for (const v of verifications) expect(v, JSON.stringify(v)).toMatchObject({ ok: true });
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(entries.map((e: AuditEntry) => e.prevHash)).size).toBe(20);
    expect(await count()).toBe(before + 40);
    const forks = await database.query('select prev_hash from audit_log group by prev_hash having count(*) > 1');
    expect(forks).toEqual([]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: before + 40 });
  });
});

describe('input the database cannot hold as given', () => {
  it('is stored as it was hashed: lone surrogates and U+0000 in keys, values and text columns, and odd numbers', async () => {
    const actor = { ...systemActor('robot\ud800'), onBehalfOf: 'elder\u0000', requestId: 'req\udc00', ip: '::1' };
    const entry = await recordAudit(database.db, actor, {
      action: 'test.unstorable\u0000',
      entityType: 'test',
      entityId: 'id\ud800x\udbff',
      orgId: gajId.toUpperCase(),
      before: { ['k\ud800']: 'v\u0000', list: ['\udc00', 2n ** 70n, -0, 1e21, 2 ** 60, 5e-324, NaN, 0.1 + 0.2, 1e-7], ['\u0000']: { deep: ['\ud83d'] } },
      after: { name: 'a\u0000b', pair: '😀' },
      note: { reason: 'x'.repeat(1999) + '😀' },
    });
    expect(entry).toMatchObject({ actorName: 'robot\ufffd', onBehalfOf: 'elder\ufffd', requestId: 'req\ufffd', action: 'test.unstorable\ufffd', entityId: 'id\ufffdx\ufffd', orgId: gajId });
    expect(entry.summary).toEqual({
      before: { 'k\ufffd': 'v\ufffd', list: ['\ufffd', '1180591620717411303424', 0, 1e21, 2 ** 60, 5e-324, null, 0.30000000000000004, 1e-7], '\ufffd': { deep: ['\ufffd'] } },
      after: { name: 'a\ufffdb', pair: '😀' },
      // Cut at 2,000 code units, inside the pair: the half left over is a lone surrogate, stored as U+FFFD.
      note: { reason: 'x'.repeat(1999) + '\ufffd…' },
    });
    const stored = (await listAudit(database.db, { entityId: entry.entityId!, limit: 5 })).items;
    expect(stored).toHaveLength(1);
    const { at: storedAt, ...storedRest } = stored[0];
    const { at, ...rest } = entry;
    expect(storedRest).toEqual(rest);
    expect(new Date(storedAt).toISOString()).toBe(at);
    // Byte for byte, in the form that is hashed (jsonb gave the keys back in its own order).
    expect(canonicalJson(storedRest.summary)).toBe(canonicalJson(rest.summary));
    expect(entryHash(stored[0])).toBe(entry.hash);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, broken: 0 });
  });

  it('keeps the chain intact after a synonym whose term is a lone surrogate (PUT /api/svc/synonyms)', async () => {
    const before = await count();
    const res = await admin.put('/api/svc/synonyms', '{"term":"\\ud800","expansions":["a"]}');
    // 400 once requests refuse unpaired surrogates; either way the trail must stay whole.
    expect([200, 400], res.body).toContain(res.statusCode);
    if (res.statusCode === 200) {
      expect(await count()).toBe(before + 1);
      const [last] = (await listAudit(database.db, { action: 'svc.synonym.set', limit: 1 })).items;
      expect(last.entityId).toBe('\ufffd');
      expect((await admin.delete(`/api/svc/synonyms/${encodeURIComponent('\ufffd')}`)).statusCode).toBe(204);
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, broken: 0 });
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });
});

describe('the console trail', () => {
  it('filters by action, entity type, actor and time window', async () => {
    const me = (await admin.get('/api/auth/me')).json().user.id as string;
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const unit = await createSubunit(gajId, 'filter unit');
    expect((await admin.patch(`/api/orgs/${unit.id}`, { name: 'filter unit 2' })).statusCode).toBe(200);
    const u = await createUser(unit.id);
    await new Promise((r) => setTimeout(r, 5));
    const to = new Date().toISOString();
    await createSubunit(fgwId, 'after the window');

    const byAction = (await admin.get('/api/audit?action=org.update&limit=200')).json();
    expect(byAction.items.length).toBe(await count(`action = 'org.update'`));
    expect(byAction.items.every((e: AuditEntry) => e.action === 'org.update')).toBe(true);
    expect(byAction.items[0]).toMatchObject({ entityId: unit.id, summary: { before: { name: 'filter unit' }, after: { name: 'filter unit 2' } } });

    const byType = (await admin.get('/api/audit?entityType=user&limit=200')).json();
    expect(byType.items.length).toBe(await count(`entity_type = 'user'`));
    expect(byType.items.every((e: AuditEntry) => e.entityType === 'user')).toBe(true);
    expect(byType.items.some((e: AuditEntry) => e.entityId === u.id && e.action === 'user.create')).toBe(true);

    const byEntity = (await admin.get(`/api/audit?entityType=organisation&entityId=${unit.id}`)).json();
    expect(byEntity.items.map((e: AuditEntry) => e.action)).toEqual(['org.update', 'org.create']);

    const byActor = (await admin.get(`/api/audit?actorId=${me}&limit=200`)).json();
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((e: AuditEntry) => e.actorId === me && e.actorName === 'admin')).toBe(true);

    const window = (await admin.get(`/api/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json();
    expect(window.items.map((e: AuditEntry) => `${e.action}:${e.entityId}`)).toEqual([`user.create:${u.id}`, `org.update:${unit.id}`, `org.create:${unit.id}`]);
    expect(window.nextCursor).toBeNull();

    expect((await admin.get('/api/audit?from=yesterday')).statusCode).toBe(400);
    expect((await admin.get('/api/audit?actorId=nobody')).statusCode).toBe(400);
  });

  it('pages with a cursor: newest first, no gaps, no repeats', async () => {
    const all = (await database.query<{ s: string }>(`select seq::text as s from audit_log where action = 'org.create' order by seq desc`)).map((r) => Number(r.s));
    expect(all.length).toBeGreaterThan(25);
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`/api/audit?action=org.create&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: AuditEntry[]; nextCursor: number | null };
      expect(body.items.length).toBeLessThanOrEqual(7);
      seen.push(...body.items.map((e) => e.seq));
      cursor = body.nextCursor;
      if (cursor !== null) expect(cursor).toBe(body.items[body.items.length - 1].seq);
      pages++;
    } while (cursor !== null && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 7));
  });

  it("shows a department officer only their department's subtree and their own actions", async () => {
    const gaj = await t.login('gaj_officer');
    const gajUser = (await gaj.get('/api/auth/me')).json().user.id as string;
    const inside = await createSubunit(gajId, 'inside GAJ');
    const outside = await createSubunit(fgwId, 'outside GAJ');
    const insideUser = await createUser(inside.id);
    // A system entry without an organisation: city-wide, not the department's.
    await recordAudit(database.db, systemActor('test'), { action: 'test.cityWide', entityType: 'test' });

    const visible: AuditEntry[] = [];
    let cursor: number | null = null;
    do {
      const body = (await gaj.get(`/api/audit?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: AuditEntry[]; nextCursor: number | null };
      visible.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor !== null);

    const gajPath = (await database.query<{ path: string }>('select path from organisations where id = $1', [gajId]))[0].path;
    const expected = await database.query<{ seq: string }>(
      `select a.seq::text as seq from audit_log a left join organisations o on o.id = a.org_id
       where o.path like $1 or a.actor_id = $2 order by a.seq desc`,
      [gajPath + '%', gajUser],
    );
    expect(visible.map((e) => e.seq)).toEqual(expected.map((r) => Number(r.seq)));
    const ids = visible.map((e) => e.entityId);
    expect(ids).toContain(inside.id);
    expect(ids).toContain(insideUser.id);
    expect(ids).not.toContain(outside.id);
    expect(visible.some((e) => e.action === 'test.cityWide')).toBe(false);
    expect(visible.some((e) => e.action === 'auth.login' && e.actorId === gajUser)).toBe(true);
    // The filters narrow inside the scope, never widen it.
    const filtered = (await gaj.get(`/api/audit?entityType=organisation&entityId=${outside.id}`)).json();
    expect(filtered.items).toEqual([]);
    // An account without audit permission is refused.
    expect((await (await t.login('citizen_zhang')).get('/api/audit')).statusCode).toBe(403);
  });

  it('shows the whole trail to the city-wide auditor', async () => {
    const auditor = await t.login('auditor');
    const body = (await auditor.get('/api/audit?limit=5')).json();
    expect(body.items.map((e: AuditEntry) => e.seq)).toEqual(
      (await database.query<{ s: string }>('select seq::text as s from audit_log order by seq desc limit 5')).map((r) => Number(r.s)),
    );
  });
});
