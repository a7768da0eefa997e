// Sign-in, lock-out, rate limits, second factor, API keys, secrets at rest and scoped administration.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db/client';
import { accountDelaySeconds } from '../../platform/auth/login-throttle';
import { totp } from '../../platform/crypto/totp';
import { makeCitizenId } from '../../platform/ids';
import { type Client, DEMO_PASSWORD, TEST_PASSWORD, testApp, type TestApp } from '../../test/app';

let t: TestApp;
let admin: Client;
const db = () => t.app.services.database.db;

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

async function orgByCode(code: string) {
  const r = await admin.get(`/api/orgs?q=${encodeURIComponent(code)}&limit=50`);
  return (r.json().items as { id: string; code: string; path: string; name: string }[]).find((o) => o.code === code)!;
}

async function makeStaff(username: string, orgCode: string, roles: string[]) {
  const org = await orgByCode(orgCode);
  const r = await admin.post('/api/users', { username, displayName: username, kind: 'staff', password: TEST_PASSWORD, orgId: org.id, roles });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

describe('sign-in', () => {
  it('sets an httpOnly SameSite session cookie and a readable CSRF cookie', async () => {
    const r = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: DEMO_PASSWORD } });
    expect(r.statusCode).toBe(200);
    const session = r.cookies.find((c) => c.name === 'dq_session')!;
    expect(session.httpOnly).toBe(true);
    expect(String(session.sameSite).toLowerCase()).toBe('lax');
    const csrf = r.cookies.find((c) => c.name === 'dq_csrf')!;
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.value).toBe(r.json().csrfToken);
    const me = await t.inject({ method: 'GET', url: '/api/auth/me', cookies: { dq_session: session.value } });
    expect(me.json().user.username).toBe('citizen_zhang');
    expect(me.json().user.idNumberMasked).toMatch(/^370\*+\d{3}[\dX]$/);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const a = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: 'wrong-password' } });
    const b = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody_here', password: 'wrong-password' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().detail).toBe(b.json().detail);
  });

  it('slows an account down progressively after repeated failures, answering exactly as for a wrong password', async () => {
    const u = await makeStaff('lockme', 'GAJ', ['dept_officer']);
    const from = { remoteAddress: '198.51.100.10' };
    const attempt = (username: string, password: string) => t.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...from });
    const shape = (r: Awaited<ReturnType<typeof attempt>>) => ({ status: r.statusCode, type: r.json().type, title: r.json().title, detail: r.json().detail, retryAfter: r.headers['retry-after'] });
    const failures = async () => (await rows<{ n: number }>(db(), sql`select failed_logins as n from users where id = ${u.id}`))[0].n;
    for (let i = 0; i < t.config.loginMaxFailures; i++) expect((await attempt('lockme', 'wrong-password')).statusCode).toBe(401);
    // Now the account must wait before its next attempt: even the right password is answered like a wrong
    // one, and like an account that does not exist — the answer tells nothing.
    const waiting = shape(await attempt('lockme', TEST_PASSWORD));
    expect(waiting).toEqual(shape(await attempt('lockme', 'wrong-password')));
    expect(waiting).toEqual(shape(await attempt('no_such_account', 'wrong-password')));
    expect(waiting).toMatchObject({ status: 401, retryAfter: undefined });
    expect(await failures()).toBe(t.config.loginMaxFailures); // attempts inside the wait do not count
    expect((await admin.get(`/api/users/${u.id}`)).json().locked).toBe(true);
    const [{ wait }] = await rows<{ wait: number }>(db(), sql`select extract(epoch from locked_until - now())::float as wait from users where id = ${u.id}`);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1.5); // the first wait is a second, not a lock-out
    // Once the wait is over a wrong password doubles it…
    await db().execute(sql`update users set locked_until = now() - interval '1 second' where id = ${u.id}`);
    expect((await attempt('lockme', 'wrong-password')).statusCode).toBe(401);
    const [{ wait: second }] = await rows<{ wait: number }>(db(), sql`select extract(epoch from locked_until - now())::float as wait from users where id = ${u.id}`);
    expect(second).toBeGreaterThan(1.2);
    expect(second).toBeLessThanOrEqual(2.5);
    // …and the right one lets the owner in, with the count reset.
    await db().execute(sql`update users set locked_until = now() - interval '1 second' where id = ${u.id}`);
    expect((await attempt('lockme', TEST_PASSWORD)).statusCode).toBe(200);
    expect(await failures()).toBe(0);
    const trail = await admin.get(`/api/audit?action=auth.lockout&entityId=${u.id}`);
    expect(trail.json().items).toHaveLength(1);
    // An administrator can lift a wait at once.
    for (let i = 0; i < t.config.loginMaxFailures; i++) await attempt('lockme', 'wrong-password');
    expect((await admin.patch(`/api/users/${u.id}`, { unlock: true })).statusCode).toBe(200);
    expect((await attempt('lockme', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('waits grow 1 s, 2 s, 4 s … and stop at the configured longest wait', () => {
    expect([4, 5, 6, 7, 8].map((f) => accountDelaySeconds(f, 5, 15))).toEqual([0, 1, 2, 4, 8]);
    expect(accountDelaySeconds(40, 5, 15)).toBe(900);
    expect(accountDelaySeconds(10_000, 5, 15)).toBe(900);
  });

  it('throttles one address across accounts (password spraying) with 429 and Retry-After, and no other address', async () => {
    const spray = { remoteAddress: '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `spray_${i}`, password: 'Summer2026!' }, ...spray });
      statuses.push(r.statusCode);
    }
    const max = t.config.loginAddressMaxFailures;
    expect(statuses.slice(0, max).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(max).every((s) => s === 429)).toBe(true);
    const blocked = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: DEMO_PASSWORD }, ...spray });
    expect(blocked.statusCode).toBe(429); // the address is throttled, whoever it names
    expect(blocked.headers['content-type']).toMatch(/problem\+json/);
    const retry = Number(blocked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(t.config.loginAddressWindowMinutes * 60);
    // The accounts named in the spray are not slowed down for their owners elsewhere.
    const elsewhere = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: DEMO_PASSWORD }, remoteAddress: '203.0.113.78' });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('rate-limits sign-in attempts per address and account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rate_limit_probe', password: 'x' }, remoteAddress: '192.0.2.25' });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('logout ends the session', async () => {
    const c = await t.login('gaj_officer');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/orgs')).statusCode).toBe(401);
  });

  it('remembers the language per account', async () => {
    const c = await t.login('shinan_officer');
    expect((await c.patch('/api/auth/me', { locale: 'en' })).statusCode).toBe(200);
    const again = await t.login('shinan_officer');
    expect((await again.get('/api/auth/me')).json().user.locale).toBe('en');
    expect((await c.patch('/api/auth/me', { locale: 'fr' })).statusCode).toBe(400);
  });
});

describe('second factor (TOTP)', () => {
  it('enrols, then demands a fresh code at every sign-in and refuses a reused one', async () => {
    await makeStaff('totp_user', 'DSJ', ['dept_officer']);
    const c = await t.login('totp_user', TEST_PASSWORD);
    const setup = (await c.post('/api/auth/totp/setup')).json();
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect((await c.post('/api/auth/totp/confirm', { code: '000000' })).statusCode).toBe(400);
    expect((await c.post('/api/auth/totp/confirm', { code: totp(setup.secret) })).statusCode).toBe(204);

    const r = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'totp_user', password: TEST_PASSWORD } });
    expect(r.json().mfaRequired).toBe(true);
    const session = r.cookies.find((x) => x.name === 'dq_session')!.value;
    const csrf = r.json().csrfToken;
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.inject({ method, url, cookies: { dq_session: session }, headers: { 'x-csrf-token': csrf }, ...(payload ? { payload } : {}) });
    expect((await call('GET', '/api/orgs')).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me')).json().mfaPending).toBe(true);
    // The code used at enrolment is spent: the same time step cannot be replayed.
    expect((await call('POST', '/api/auth/totp/verify', { code: totp(setup.secret) })).statusCode).toBe(400);
    expect((await call('POST', '/api/auth/totp/verify', { code: totp(setup.secret, Date.now() + 30_000) })).statusCode).toBe(204);
    expect((await call('GET', '/api/orgs')).statusCode).toBe(200);
  });

  it('in production mode, administrators must enrol before they get a full session', async () => {
    const p = await testApp({}, { requireAdminTotp: true });
    try {
      const r = await p.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
      expect(r.json().mfaRequired).toBe(true);
      const cookies = { dq_session: r.cookies.find((x) => x.name === 'dq_session')!.value };
      const headers = { 'x-csrf-token': r.json().csrfToken };
      expect((await p.inject({ method: 'GET', url: '/api/users', cookies })).statusCode).toBe(401);
      const setup = (await p.inject({ method: 'POST', url: '/api/auth/totp/setup', cookies, headers })).json();
      expect((await p.inject({ method: 'POST', url: '/api/auth/totp/confirm', cookies, headers, payload: { code: totp(setup.secret) } })).statusCode).toBe(204);
      expect((await p.inject({ method: 'GET', url: '/api/users', cookies })).statusCode).toBe(200);
    } finally {
      await p.close();
    }
  });
});

describe('API keys', () => {
  it('shows the key once, stores only its hash, records last use, and stops at revocation', async () => {
    const me = (await admin.get('/api/auth/me')).json();
    const created = await admin.post('/api/api-keys', { name: 'registry sync', userId: me.user.id, scopes: ['org.read', 'user.read'] });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^dqk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    const secret = key.split('_').slice(2).join('_');
    const stored = await rows<Record<string, unknown>>(db(), sql`select * from api_keys where id = ${id}`);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const listed = (await admin.get('/api/api-keys')).json().items.find((k: { id: string }) => k.id === id);
    expect(listed.lastUsedAt).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);

    const use = await t.inject({ method: 'GET', url: '/api/users?limit=1', headers: { authorization: `Bearer ${key}` } });
    expect(use.statusCode).toBe(200);
    // Machine clients are not browsers: no CSRF header needed, but scopes still bind.
    const write = await t.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: `Bearer ${key}` }, payload: { code: 'K1', kind: 'department', name: 'x' } });
    expect(write.statusCode).toBe(403);
    expect((await admin.get('/api/api-keys')).json().items.find((k: { id: string }) => k.id === id).lastUsedAt).not.toBeNull();

    expect((await admin.delete(`/api/api-keys/${id}`)).statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/api/users?limit=1', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await t.inject({ method: 'GET', url: '/api/users?limit=1', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
  });
});

describe('accounts and secrets at rest', () => {
  it('hashes passwords with argon2id and encrypts ID numbers', async () => {
    const id = makeCitizenId('370212', '1992-02-29', 457);
    const r = await admin.post('/api/users', { username: 'citizen_li', displayName: '李示例', kind: 'citizen', password: 'Another#Pass1', idNumber: id, roles: ['citizen'] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().idNumberMasked).toBe(id.slice(0, 3) + '*'.repeat(11) + id.slice(-4));
    const [row] = await rows<Record<string, string>>(db(), sql`select * from users where username = 'citizen_li'`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(id);
    const dup = await admin.post('/api/users', { username: 'citizen_li2', displayName: 'x', kind: 'citizen', password: 'Another#Pass1', idNumber: id, roles: ['citizen'] });
    expect(dup.statusCode).toBe(409);
  });

  it('rejects invalid ID numbers, weak passwords and unknown roles, naming the field', async () => {
    const bad = await admin.post('/api/users', { username: 'citizen_bad', displayName: 'x', kind: 'citizen', password: 'short', idNumber: '110105194912310021', roles: ['nope'] });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/password', '/idNumber']));
    expect((await admin.get('/api/users?q=citizen_bad')).json().total).toBe(0);
  });

  it("refuses common passwords and passwords holding the city's name or the user's, naming the field", async () => {
    const org = await orgByCode('DSJ');
    const attempt = (username: string, displayName: string, password: string) => admin.post('/api/users', { username, displayName, kind: 'staff', password, orgId: org.id, roles: ['dept_officer'] });
    for (const [password, reason] of [
      ['Password123!', /too common/],
      ['Qwerty#2026', /too common/],
      ['Qingdao#Harbour1', /city's name/],
      ['我爱青岛Harbour#1', /city's name/],
      ['Zhao_ming#2026', /username or name/],
      ['Harbour#赵明77', /username or name/],
    ] as const) {
      const r = await attempt('zhao_ming', '赵明', password);
      expect(r.statusCode, password).toBe(400);
      expect(r.json().errors, password).toEqual([{ path: '/password', message: expect.stringMatching(reason) }]);
    }
    expect((await attempt('zhao_ming', '赵明', TEST_PASSWORD)).statusCode).toBe(201);
    // Changing one's own password meets the same policy.
    const c = await t.login('zhao_ming', TEST_PASSWORD);
    const change = await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Qingdao@2027x' });
    expect(change.statusCode).toBe(400);
    expect(change.json().errors[0]).toMatchObject({ path: '/newPassword', message: expect.stringMatching(/city's name/) });
  });
});

describe('scoped administration', () => {
  it('a department officer sees only their department and its sub-units', async () => {
    const c = await t.login('gaj_officer');
    const gaj = await orgByCode('GAJ');
    const orgs = (await c.get('/api/orgs?limit=200')).json();
    expect(orgs.total).toBe(3); // 市公安局 and its two sub-units
    for (const o of orgs.items) expect(o.path.startsWith(gaj.path)).toBe(true);
    const shinan = await orgByCode('370202');
    expect((await c.get(`/api/orgs/${shinan.id}`)).statusCode).toBe(404);
    const users = (await c.get('/api/users?limit=200')).json();
    expect(users.items.length).toBeGreaterThan(0);
    for (const u of users.items) expect([gaj.name, '户政管理处', '出入境管理局']).toContain(u.orgName);
    expect((await c.post('/api/orgs', { code: 'GAJ-NEW', kind: 'subunit', name: 'x', parentId: gaj.id })).statusCode).toBe(403);
  });

  it('a district officer sees their district: its offices and enterprises, not other districts', async () => {
    const c = await t.login('shinan_officer');
    const items = (await c.get('/api/orgs?limit=200')).json().items as { code: string; kind: string; divisionCode: string }[];
    expect(items.map((o) => o.code)).toContain('370202');
    expect(items.map((o) => o.code)).toContain('370202-DSJ');
    expect(items.some((o) => o.kind === 'enterprise')).toBe(true);
    expect(items.every((o) => o.divisionCode === '370202')).toBe(true);
  });

  it('a department administrator manages accounts inside their subtree only, and cannot grant city-wide roles', async () => {
    await makeStaff('gaj_admin', 'GAJ', ['dept_admin']);
    const c = await t.login('gaj_admin', TEST_PASSWORD);
    const hz = await orgByCode('GAJ-HZ');
    const dsj = await orgByCode('DSJ');
    const inside = await c.post('/api/users', { username: 'hz_clerk', displayName: '户政示例', kind: 'staff', password: TEST_PASSWORD, orgId: hz.id, roles: ['dept_officer'] });
    expect(inside.statusCode, inside.body).toBe(201);
    const outside = await c.post('/api/users', { username: 'dsj_clerk', displayName: 'x', kind: 'staff', password: TEST_PASSWORD, orgId: dsj.id, roles: ['dept_officer'] });
    expect(outside.statusCode).toBe(403);
    const escalate = await c.put(`/api/users/${inside.json().id}/roles`, { roles: ['admin'] });
    expect(escalate.statusCode).toBe(403);
    const adminUser = (await admin.get('/api/users?q=admin&limit=5')).json().items.find((u: { username: string }) => u.username === 'admin');
    expect((await c.patch(`/api/users/${adminUser.id}`, { status: 'disabled' })).statusCode).toBe(404);
    const sub = await c.post('/api/orgs', { code: 'GAJ-JJ', kind: 'subunit', name: '交通警察支队', parentId: (await orgByCode('GAJ')).id });
    expect(sub.statusCode).toBe(201);
  });

  it('disabling an account ends its sessions', async () => {
    const u = await makeStaff('leaver', 'DSJ', ['dept_officer']);
    const c = await t.login('leaver', TEST_PASSWORD);
    expect((await c.get('/api/orgs')).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${u.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await c.get('/api/orgs')).statusCode).toBe(401);
    const again = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leaver', password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(403);
  });

  it('custom roles: created with known permissions only; built-in roles keep theirs', async () => {
    const ok = await admin.post('/api/roles', { code: 'org_viewer', nameZh: '机构查看', nameEn: 'Org viewer', scope: 'city', permissions: ['org.read'] });
    expect(ok.statusCode).toBe(201);
    const bad = await admin.post('/api/roles', { code: 'weird', nameZh: 'x', nameEn: 'x', scope: 'city', permissions: ['launch.missiles'] });
    expect(bad.statusCode).toBe(400);
    expect((await admin.patch('/api/roles/admin', { permissions: [] })).statusCode).toBe(409);
  });
});

describe('citizen self-registration', () => {
  it('opens a citizen account after checking the ID number, and signs in', async () => {
    const idNumber = makeCitizenId('370203', '1979-11-02', 318);
    const r = await t.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'wang_reg', password: 'Wang#2026pass', displayName: '王示例', idNumber } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().user.roles).toEqual(['citizen']);
    expect(r.json().user.idNumberMasked).toBe(idNumber.slice(0, 3) + '*'.repeat(11) + idNumber.slice(-4));
    expect(r.cookies.some((c) => c.name === 'dq_session')).toBe(true);
    const bad = await t.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'wang_bad', password: 'Wang#2026pass', displayName: 'x', idNumber: idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/idNumber');
    const twice = await t.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'wang_again', password: 'Wang#2026pass', displayName: 'x', idNumber } });
    expect(twice.statusCode).toBe(409);
  });
});

describe('citizens for eligibility jobs', () => {
  it('pages through every active citizen with a verified ID number, decrypted, and skips disabled accounts', async () => {
    const identity = t.app.services.identity;
    const all: { id: string; idNumber: string }[] = [];
    for await (const p of identity.activeCitizens(2)) all.push(p);
    const [{ n }] = await rows<{ n: number }>(t.app.services.database.db, sql`select count(*)::int as n from users where kind = 'citizen' and status = 'active' and id_number_enc is not null`);
    expect(all.length).toBe(Number(n));
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(all.every((p) => /^\d{17}[\dX]$/.test(p.idNumber))).toBe(true);
    const wang = await t.app.services.auth.findByUsername('elder_wang');
    expect(all.find((p) => p.id === wang!.id)?.idNumber).toBe(makeCitizenId('370203', '1948-03-12', 315));
    await t.app.services.database.db.execute(sql`update users set status = 'disabled' where id = ${wang!.id}`);
    const after: string[] = [];
    for await (const p of identity.activeCitizens(2)) after.push(p.id);
    expect(after).not.toContain(wang!.id);
    expect(after.length).toBe(all.length - 1);
    await t.app.services.database.db.execute(sql`update users set status = 'active' where id = ${wang!.id}`);
  });
});
