// The gateway end to end over HTTP with real keys: refusals each with their own code (no grant, expired,
// revoked between two calls, a field or a filter column outside the grant, quota, rate), masking of every
// personal field of the population register against the provider's clear rows, the row filter, the
// operational records and their binding hash, exports (masked CSV, not readable by another subsystem),
// and who may call at all.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskValue } from './masking';
import { rows, inTransaction } from '../../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { DEMO_RESOURCE_CODES } from '../catalogue';
import type { NewGrant, PersonalKind, ResourceDataShape } from '../contracts';
import { bindingHash } from './gateway.hash';
import { sha256 } from './gateway.hash';
import { afterRequestsGatewayDemo } from './gateway.seed';

let t: TestApp;
let bureau: Client;
let rsj: Client;
let citizen: Client;
let admin: Client;
const M: Record<string, string> = {};
let PENSION: string; // RSJ pension-audit
let SOCIAL: string; // RSJ social-insurance
let POP: { id: string; code: string };
let FUNERAL: { id: string; code: string };
let popShape: ResourceDataShape;
let pensionKey: string;
let socialKey: string;

const db = () => t.app.services.database.db;
const gw = () => t.app.services.share.gateway;
const in1Year = () => new Date(Date.now() + 365 * 86400_000);

async function grant(over: Partial<NewGrant> & Pick<NewGrant, 'resourceId' | 'fields'>): Promise<string> {
  const g: NewGrant = { requestId: null, consumerSubsystemId: PENSION, rowFilter: [], purpose: '养老金停发核查', quotaPerDay: 1000, ratePerMinute: 1000, expiresAt: in1Year(), ...over };
  return (await inTransaction(db(), (tx) => gw().createGrant(tx, g, null))).id;
}
/** Revoke every live grant of a subsystem on a resource, so each test starts from its own grant. */
async function clearGrants(subsystemId: string, resourceId: string) {
  await db().execute(sql`update share_grants set revoked_at = now(), revoke_reason = 'test reset' where consumer_subsystem_id = ${subsystemId}::uuid and resource_id = ${resourceId}::uuid and revoked_at is null`);
}
const call = (key: string, url: string, method: 'GET' | 'POST' = 'GET', body?: Record<string, unknown>) =>
  t.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: body } : {}) });

/** A few clear rows of the population register, straight from the provider's store. */
async function popRows(n: number, filter: { column: string; equals: string }[] = []) {
  const fields = popShape.items.map((i) => i.name);
  return (await gw().reader.query(POP.id, { fields, filter, where: {}, limit: n, offset: 0 })).items;
}
const keyOf = (r: Record<string, unknown>) =>
  popShape.items
    .filter((i) => i.key)
    .map((i) => String(r[i.name]))
    .join('|');

beforeAll(async () => {
  t = await testApp();
  [bureau, rsj, citizen, admin] = await Promise.all(['dsj_officer', 'rsj_officer', 'citizen_zhang', 'admin'].map((u) => t.login(u)));
  for (const r of await rows<{ id: string; code: string }>(db(), sql`select id, code from share_members where code in ('RSJ', 'GAJ', 'MZJ')`)) M[r.code] = r.id;
  const subs = await rows<{ id: string; code: string }>(db(), sql`select id, code from share_subsystems where member_id = ${M.RSJ}::uuid`);
  PENSION = subs.find((s) => s.code === 'pension-audit')!.id;
  SOCIAL = subs.find((s) => s.code === 'social-insurance')!.id;
  const res = await rows<{ id: string; code: string }>(db(), sql`select id, code from share_resources where code in (${DEMO_RESOURCE_CODES.population}, ${DEMO_RESOURCE_CODES.funeral})`);
  POP = res.find((r) => r.code === DEMO_RESOURCE_CODES.population)!;
  FUNERAL = res.find((r) => r.code === DEMO_RESOURCE_CODES.funeral)!;
  popShape = (await gw().reader.shape(POP.id))!;
  const issue = async (sub: string) => {
    const r = await bureau.post(`/api/share/subsystems/${sub}/keys`);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().key as string;
  };
  pensionKey = await issue(PENSION);
  socialKey = await issue(SOCIAL);
});
afterAll(() => t?.close());

describe('demo seed', () => {
  it('leaves operational records from real calls on the grants the requests seed made, once', async () => {
    await afterRequestsGatewayDemo(t.app.services.share);
    const [{ n, ok, refused }] = await rows<{ n: number; ok: number; refused: number }>(
      db(),
      sql`select count(*)::int as n, count(*) filter (where status = 200)::int as ok, count(*) filter (where error_code = 'field-not-granted')::int as refused from share_calls`,
    );
    expect(n).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect((await afterRequestsGatewayDemo(t.app.services.share)).calls).toBe(0);
    // The key it used is revoked: nobody holds a live key from the seed.
    const [{ live }] = await rows<{ live: number }>(db(), sql`select count(*)::int as live from share_gateway_keys where revoked_at is null`);
    expect(live).toBe(2); // the two this file issued in beforeAll, nothing from the seed
  });
});

describe('keys', () => {
  it('issues a key once per call, reuses the subsystem\'s service account, lists prefixes only', async () => {
    const again = await bureau.post(`/api/share/subsystems/${PENSION}/keys`);
    expect(again.statusCode).toBe(201);
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(distinct service_user_id)::int as n from share_gateway_keys where subsystem_id = ${PENSION}::uuid`);
    expect(n).toBe(1);
    const list = await bureau.get(`/api/share/subsystems/${PENSION}/keys`);
    expect(list.json().items.length).toBeGreaterThanOrEqual(2);
    expect(list.body).not.toContain(again.json().key);
    // A revoked key no longer authenticates.
    expect((await bureau.post(`/api/share/keys/${again.json().id}/revoke`)).statusCode).toBe(200);
    expect((await call(again.json().key, '/api/share/gateway/grants')).statusCode).toBe(401);
  });

  it('only the bureau issues keys', async () => {
    expect((await rsj.post(`/api/share/subsystems/${PENSION}/keys`)).statusCode).toBe(403);
  });
});

describe('who may call', () => {
  it('a citizen and a staff session without share.gateway.call get 403; an admin session is no consumer system', async () => {
    for (const c of [citizen, rsj]) {
      expect((await c.get('/api/share/gateway/grants')).statusCode).toBe(403);
      expect((await c.get(`/api/share/gateway/${POP.code}/records/x`)).statusCode).toBe(403);
      expect((await c.post(`/api/share/gateway/${POP.code}/exports`, {})).statusCode).toBe(403);
    }
    const r = await admin.get(`/api/share/gateway/${POP.code}/records/x`);
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toMatch(/not-a-consumer$/);
    expect((await citizen.get('/api/share/grants')).statusCode).toBe(403);
    expect((await citizen.get('/api/share/usage')).statusCode).toBe(403);
    expect((await citizen.get('/api/share/calls')).statusCode).toBe(403);
  });
});

describe('refusals', () => {
  it('no grant → 403 no-grant, and the refusal leaves a record', async () => {
    // A new subsystem of RSJ: no grant of any kind yet.
    const sub = await bureau.post('/api/share/subsystems', { memberId: M.RSJ, code: 'gw-test-fresh', name: '新接入系统' });
    expect(sub.statusCode, sub.body).toBe(201);
    const fresh = (await bureau.post(`/api/share/subsystems/${sub.json().id}/keys`)).json().key as string;
    const r = await call(fresh, `/api/share/gateway/${FUNERAL.code}/records?limit=1`);
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toMatch(/no-grant$/);
    const rec = await bureau.get(`/api/share/calls?consumerSubsystemId=${sub.json().id}&status=403`);
    expect(rec.json().items.some((c: { errorCode: string; id: number }) => c.errorCode === 'no-grant' && c.id === Number(r.headers['x-share-call-id']))).toBe(true);
  });

  it('expired grant → 403 grant-expired', async () => {
    await clearGrants(PENSION, FUNERAL.id);
    const id = await grant({ resourceId: FUNERAL.id, fields: ['record_no', 'name'] });
    await db().execute(sql`update share_grants set expires_at = now() - interval '1 minute' where id = ${id}::uuid`);
    const r = await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`);
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toMatch(/grant-expired$/);
  });

  it('revoked between two calls: the first is served, the second refused with grant-revoked', async () => {
    await clearGrants(PENSION, FUNERAL.id);
    const id = await grant({ resourceId: FUNERAL.id, fields: ['record_no', 'name'] });
    expect((await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`)).statusCode).toBe(200);
    const rv = await bureau.post(`/api/share/grants/${id}/revoke`, { reason: '场景已结束' });
    expect(rv.statusCode, rv.body).toBe(200);
    const r = await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`);
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toMatch(/grant-revoked$/);
    const [audit] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where action = 'share.grant.revoke' and entity_id = ${id}`);
    expect(audit.n).toBe(1);
    expect((await bureau.post(`/api/share/grants/${id}/revoke`, { reason: 'again' })).statusCode).toBe(409);
  });

  it('a field outside the grant → 403 naming the field; a filter column outside the grant → 403', async () => {
    await clearGrants(PENSION, POP.id);
    await grant({ resourceId: POP.id, fields: ['id_number', 'name'] });
    const r = await call(pensionKey, `/api/share/gateway/${POP.code}/records?fields=name,phone`);
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toMatch(/field-not-granted$/);
    expect(r.json().errors).toEqual([{ path: '/query/fields/1', message: 'phone is not in the grant' }]);
    const w = await call(pensionKey, `/api/share/gateway/${POP.code}/records?district_code=370202`);
    expect(w.statusCode).toBe(403);
    expect(w.json().type).toMatch(/where-not-granted$/);
    expect(w.json().errors[0].path).toBe('/query/district_code');
    // The default is every granted field, and nothing else leaves.
    const ok = await call(pensionKey, `/api/share/gateway/${POP.code}/records?limit=3`);
    expect(ok.statusCode).toBe(200);
    for (const it of ok.json().items) expect(Object.keys(it).sort()).toEqual(['id_number', 'name']);
  });

  it('over the daily quota → 429 quota-exceeded', async () => {
    await clearGrants(PENSION, FUNERAL.id);
    await grant({ resourceId: FUNERAL.id, fields: ['record_no'], quotaPerDay: 3 });
    for (let i = 0; i < 3; i++) expect((await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`)).statusCode).toBe(200);
    const r = await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`);
    expect(r.statusCode).toBe(429);
    expect(r.json().type).toMatch(/quota-exceeded$/);
  });

  it('over the per-minute rate → 429 rate-limited with Retry-After', async () => {
    await clearGrants(PENSION, FUNERAL.id);
    await grant({ resourceId: FUNERAL.id, fields: ['record_no'], ratePerMinute: 2 });
    // Stay inside one clock minute (the window is fixed per minute).
    if (Date.now() % 60_000 > 50_000) await new Promise((res) => setTimeout(res, 60_000 - (Date.now() % 60_000) + 100));
    for (let i = 0; i < 2; i++) expect((await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`)).statusCode).toBe(200);
    const r = await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=1`);
    expect(r.statusCode).toBe(429);
    expect(r.json().type).toMatch(/rate-limited$/);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
  }, 90_000);

  it('createGrant refuses clear fields on a core resource and fields that are not items', async () => {
    await expect(grant({ resourceId: POP.id, fields: ['id_number', 'name'], clearFields: ['name'] })).rejects.toMatchObject({ status: 422 });
    await expect(grant({ resourceId: POP.id, fields: ['nope'] })).rejects.toMatchObject({ status: 422 });
  });
});

describe('masking and the row filter', () => {
  it('masks every personal field of the population register by its kind (core grade: never clear)', async () => {
    await clearGrants(PENSION, POP.id);
    const all = popShape.items.map((i) => i.name);
    await grant({ resourceId: POP.id, fields: all });
    const personal = popShape.items.filter((i) => i.personal);
    expect(new Set(personal.map((i) => i.personal))).toEqual(new Set<PersonalKind>(['id_number', 'name', 'date_of_birth', 'address', 'phone']));
    for (const clear of await popRows(5)) {
      const r = await call(pensionKey, `/api/share/gateway/${POP.code}/records/${encodeURIComponent(keyOf(clear))}`);
      expect(r.statusCode, r.body).toBe(200);
      const got = r.json().record as Record<string, unknown>;
      for (const item of popShape.items) {
        const expected = item.personal ? maskValue(item.personal, clear[item.name]) : clear[item.name] instanceof Date ? (clear[item.name] as Date).toISOString() : clear[item.name];
        expect(got[item.name], `${item.name} (${item.personal ?? 'not personal'})`).toEqual(expected);
        if (item.personal && clear[item.name]) expect(got[item.name]).not.toEqual(clear[item.name]);
      }
      expect(got.id_number).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    }
  });

  it('a general or important resource gives a field in clear only when the grant says so', async () => {
    await clearGrants(PENSION, FUNERAL.id);
    await grant({ resourceId: FUNERAL.id, fields: ['record_no', 'id_number', 'name'], clearFields: ['name'] });
    const r = await call(pensionKey, `/api/share/gateway/${FUNERAL.code}/records?limit=5`);
    expect(r.statusCode).toBe(200);
    const clear = (await gw().reader.query(FUNERAL.id, { fields: ['record_no', 'id_number', 'name'], filter: [], where: {}, limit: 5, offset: 0 })).items;
    const byNo = new Map(clear.map((c) => [String(c.record_no), c]));
    for (const it of r.json().items) {
      const c = byNo.get(String(it.record_no))!;
      expect(it.name).toBe(c.name);
      expect(it.id_number).toBe(maskValue('id_number', c.id_number));
    }
  });

  it('honours the row filter: own district only, for queries and lookups', async () => {
    await clearGrants(PENSION, POP.id);
    const [{ d }] = await rows<{ d: string }>(db(), sql`select '370202' as d`);
    await grant({ resourceId: POP.id, fields: ['id_number', 'district_code'], rowFilter: [{ column: 'district_code', equals: d }] });
    const r = await call(pensionKey, `/api/share/gateway/${POP.code}/records?limit=200`);
    expect(r.statusCode).toBe(200);
    expect(r.json().total).toBeGreaterThan(0);
    for (const it of r.json().items) expect(it.district_code).toBe(d);
    const [outsider] = await popRows(1, [{ column: 'district_code', equals: '370203' }]);
    expect(outsider).toBeTruthy();
    const miss = await call(pensionKey, `/api/share/gateway/${POP.code}/records/${encodeURIComponent(keyOf(outsider))}`);
    expect(miss.statusCode).toBe(404);
    const total = (await gw().reader.query(POP.id, { fields: ['district_code'], filter: [{ column: 'district_code', equals: d }], where: {}, limit: 1, offset: 0 })).total;
    expect(r.json().total).toBe(total);
  });
});

describe('operational records', () => {
  it('records success and refusal with a binding hash that verifies against the response received', async () => {
    await clearGrants(PENSION, POP.id);
    const gid = await grant({ resourceId: POP.id, fields: ['id_number', 'name'] });
    const ok = await call(pensionKey, `/api/share/gateway/${POP.code}/records?limit=2`);
    const bad = await call(pensionKey, `/api/share/gateway/${POP.code}/records?fields=phone`);
    expect([ok.statusCode, bad.statusCode]).toEqual([200, 403]);
    const list = (await bureau.get(`/api/share/calls?grantId=${gid}`)).json().items as Record<string, unknown>[];
    for (const res of [ok, bad]) {
      const rec = list.find((c) => c.id === Number(res.headers['x-share-call-id']))!;
      expect(rec, 'record of the call').toBeTruthy();
      expect(rec.status).toBe(res.statusCode);
      expect(rec.responseHash).toBe(sha256(res.body));
      expect(rec.responseBytes).toBe(Buffer.byteLength(res.body));
      expect(rec.consumerXroadId).toMatch(/\/RSJ\/pension-audit$/);
      expect(rec.serviceId).toMatch(new RegExp(`/${POP.code}$`));
      expect(rec.bindingHash).toBe(res.headers['x-share-binding-hash']);
      const recomputed = bindingHash({
        at: rec.at as string,
        consumerXroadId: rec.consumerXroadId as string,
        serviceId: rec.serviceId as string,
        operation: rec.operation as string,
        status: rec.status as number,
        rows: rec.rows as number,
        responseBytes: rec.responseBytes as number,
        requestHash: rec.requestHash as string,
        responseHash: sha256(res.body),
      });
      expect(recomputed).toBe(rec.bindingHash);
      expect((await bureau.get(`/api/share/calls/${rec.id}`)).json().bindingValid).toBe(true);
    }
    expect(list.find((c) => c.id === Number(bad.headers['x-share-call-id']))!.errorCode).toBe('field-not-granted');
    // Tampering with a stored record breaks its binding.
    await db().execute(sql`update share_calls set rows = rows + 1 where id = ${Number(ok.headers['x-share-call-id'])}`);
    expect((await bureau.get(`/api/share/calls/${ok.headers['x-share-call-id']}`)).json().bindingValid).toBe(false);
    // Each call has its audit entry carrying the binding hash.
    const [a] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where entity_type = 'share_call' and entity_id in (${String(ok.headers['x-share-call-id'])}, ${String(bad.headers['x-share-call-id'])})`);
    expect(a.n).toBe(2);
  });

  it('usage: the bureau sees everything, the provider its resources, the consumer its subsystems, another department nothing of theirs', async () => {
    const u = (await bureau.get('/api/share/usage')).json();
    expect(u.calls).toBeGreaterThan(0);
    expect(u.errors).toBeGreaterThan(0);
    expect(u.byResource.some((r: { resourceCode: string }) => r.resourceCode === POP.code)).toBe(true);
    expect(u.p99Ms).toBeGreaterThanOrEqual(u.p50Ms);
    const mine = (await rsj.get('/api/share/usage')).json();
    expect(mine.calls).toBeGreaterThan(0);
    expect(mine.calls).toBeLessThanOrEqual(u.calls);
    // RSJ sees the calls of its subsystems and the calls on the resources it provides, nothing else.
    const rsjCalls = (await rsj.get('/api/share/calls?limit=200')).json().items as { consumerXroadId: string | null; resourceCode: string }[];
    expect(rsjCalls.length).toBeGreaterThan(0);
    for (const c of rsjCalls) expect(c.consumerXroadId?.includes('/RSJ/') || c.resourceCode === DEMO_RESOURCE_CODES.socialInsurance, JSON.stringify(c)).toBe(true);
    expect(rsjCalls.some((c) => c.resourceCode === POP.code)).toBe(true);
    const gaj = await t.login('gaj_officer');
    const prov = (await gaj.get('/api/share/usage')).json();
    expect(prov.byResource.some((r: { resourceCode: string }) => r.resourceCode === POP.code)).toBe(true);
    const gajCalls = (await gaj.get('/api/share/calls?limit=200')).json().items as { consumerXroadId: string | null; resourceCode: string }[];
    for (const c of gajCalls) expect(c.consumerXroadId?.includes('/GAJ/') || c.resourceCode === POP.code, JSON.stringify(c)).toBe(true);
    const mzj = await t.login('mzj_officer');
    const g = (await mzj.get(`/api/share/grants?resourceId=${POP.id}`)).json();
    expect(g.total).toBe(0);
    expect((await rsj.get(`/api/share/grants?resourceId=${POP.id}`)).json().total).toBeGreaterThan(0);
  });
});

describe('exports', () => {
  it('queues a job that writes the granted, masked rows as CSV; only the same subsystem may read it', async () => {
    await clearGrants(PENSION, POP.id);
    await grant({ resourceId: POP.id, fields: ['id_number', 'name', 'district_code'], rowFilter: [{ column: 'district_code', equals: '370202' }] });
    const q = await call(pensionKey, `/api/share/gateway/${POP.code}/exports`, 'POST', { where: {} });
    expect(q.statusCode, q.body).toBe(202);
    const id = q.json().id as string;
    await t.app.services.queue.drain();
    const st = await call(pensionKey, `/api/share/gateway/exports/${id}`);
    expect(st.json().state).toBe('done');
    const clear = (await gw().reader.query(POP.id, { fields: ['id_number', 'name'], filter: [{ column: 'district_code', equals: '370202' }], where: {}, limit: 200, offset: 0 })).total;
    expect(st.json().rows).toBe(clear);
    const file = await call(pensionKey, `/api/share/gateway/exports/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(sha256(file.rawPayload)).toBe(st.json().sha256);
    const lines = file.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id_number,name,district_code');
    expect(lines.length - 1).toBe(clear);
    for (const l of lines.slice(1)) {
      const [idn, name, dist] = l.split(',');
      expect(idn).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(name).toMatch(/^.\*+$|^\*$/u);
      expect(dist).toBe('370202');
    }
    // Another subsystem cannot see or download it.
    expect((await call(socialKey, `/api/share/gateway/exports/${id}`)).statusCode).toBe(404);
    expect((await call(socialKey, `/api/share/gateway/exports/${id}/file`)).statusCode).toBe(404);
  });
});
