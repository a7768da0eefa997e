// Walks every registered route: anonymous callers get 401 unless the route is public, and a caller
// without the route's permission gets 403 — for sessions and for narrowly scoped API keys alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, testApp, type TestApp } from '../../test/app';
import { concreteUrl } from '../../test/routes';

let t: TestApp;
let citizen: Client;
let admin: Client;

const concrete = concreteUrl;

beforeAll(async () => {
  t = await testApp();
  citizen = await t.login('citizen_zhang');
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('every route declares who may call it', () => {
  it('has registered a meaningful number of routes, all with an auth declaration', () => {
    expect(t.app.routes.length).toBeGreaterThan(25);
    for (const r of t.app.routes) expect(r.auth, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('answers 401 problem+json to anonymous callers of every non-public route', async () => {
    const guarded = t.app.routes.filter((r) => r.auth !== 'public');
    expect(guarded.length).toBeGreaterThan(15);
    for (const r of guarded) {
      const res = await t.anonymous().request(r.method as never, concrete(r.url), r.hasBody ? {} : undefined);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('answers 403 to a signed-in citizen on every route that needs a permission', async () => {
    const permissioned = t.app.routes.filter((r) => !['public', 'authenticated', 'partial'].includes(r.auth));
    expect(permissioned.length).toBeGreaterThan(15);
    for (const r of permissioned) {
      const res = await citizen.request(r.method as never, concrete(r.url), r.hasBody ? {} : undefined);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().type, `${r.method} ${r.url}`).toMatch(/forbidden$/);
    }
  });

  it('answers 403 to an API key whose scopes lack the permission, and lets the scoped call through', async () => {
    const me = (await admin.get('/api/auth/me')).json();
    const created = await admin.post('/api/api-keys', { name: 'org reader', userId: me.user.id, scopes: ['org.read'] });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    const bearer = { authorization: `Bearer ${key}` };
    expect((await t.inject({ method: 'GET', url: '/api/orgs?limit=1', headers: bearer })).statusCode).toBe(200);
    const permissioned = t.app.routes.filter((r) => !['public', 'authenticated', 'partial', 'org.read'].includes(r.auth));
    for (const r of permissioned) {
      const res = await t.inject({ method: r.method as never, url: concrete(r.url), headers: bearer, ...(r.hasBody ? { payload: {} } : {}) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
    }
  });

  it('refuses a state change from a browser session without the CSRF header', async () => {
    const res = await admin.request('POST', '/api/orgs', { code: 'X1', kind: 'city', name: 'x' }, { 'x-csrf-token': 'wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toMatch(/csrf$/);
  });
});
