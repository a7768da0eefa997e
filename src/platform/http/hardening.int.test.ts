// The platform's text rule at the HTTP door, caching of personal answers, who may read /metrics, and the
// production-mode transport settings (HSTS, Secure cookies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, DEMO_PASSWORD, testApp, type TestApp } from '../../test/app';

let t: TestApp;
let citizen: Client;
let admin: Client;

beforeAll(async () => {
  t = await testApp();
  citizen = await t.login('citizen_zhang');
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('one text rule for every string that enters', () => {
  it('refuses U+0000 in a citizen’s own display name with 400 naming the field, and changes nothing', async () => {
    const before = (await citizen.get('/api/auth/me')).json().user.displayName;
    const r = await citizen.patch('/api/auth/me', { displayName: 'a\u0000b' });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.json().errors).toEqual([{ path: '/body/displayName', message: expect.stringMatching(/U\+0000/) }]);
    expect((await citizen.get('/api/auth/me')).json().user.displayName).toBe(before);
  });

  it('refuses unpaired surrogates in values, in field names, in the query and in path parameters', async () => {
    const synonym = await admin.put('/api/svc/synonyms', { term: '\ud800', expansions: ['a'] });
    expect(synonym.statusCode).toBe(400);
    expect(synonym.json().errors[0].path).toBe('/body/term');
    // A raw JSON body, so the escape reaches the parser as a client would send it.
    const key = await admin.request('PATCH', '/api/auth/me', '{"\\udc00x": "y"}');
    expect(key.statusCode).toBe(400);
    expect(key.json().errors[0]).toMatchObject({ path: '/body/\ufffdx', message: expect.stringMatching(/^field name/) });
    const query = await admin.get(`/api/users?q=${encodeURIComponent('a\u0001')}`);
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0].path).toBe('/querystring/q');
    const param = await admin.get(`/api/roles/${encodeURIComponent('x\u0007')}`);
    expect(param.statusCode).toBe(400);
    expect(param.json().errors[0].path).toMatch(/^\/params\//);
  });

  it('refuses nesting deeper than 32 levels before any schema or service sees it', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const r = await admin.request('PATCH', '/api/auth/me', `{"displayName": ${deep}}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].message).toMatch(/nested more than 32 levels/);
  });

  it('keeps BOM, bidirectional marks, emoji, CJK and line breaks exactly as sent', async () => {
    // (Inside the name: leading and trailing white space, a BOM included, is trimmed like any other.)
    const name = '张\ufeff\u202e示例\u202c 😀\n𠀀';
    const r = await citizen.patch('/api/auth/me', { displayName: name });
    expect(r.statusCode, r.body).toBe(200);
    expect((await citizen.get('/api/auth/me')).json().user.displayName).toBe(name);
    expect((await admin.get('/api/audit/verify')).json().ok).toBe(true);
  });
});

describe('caching of personal answers', () => {
  it('marks every authenticated answer and the sign-in itself no-store; public answers are left alone', async () => {
    expect((await citizen.get('/api/auth/me')).headers['cache-control']).toBe('no-store');
    expect((await admin.get('/api/users?limit=1')).headers['cache-control']).toBe('no-store');
    const login = await t.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: DEMO_PASSWORD } });
    expect(login.headers['cache-control']).toBe('no-store');
    expect((await t.inject({ method: 'GET', url: '/healthz' })).headers['cache-control']).toBeUndefined();
  });
});

describe('/metrics', () => {
  it('without a token: served to loopback clients only', async () => {
    expect((await t.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const remote = await t.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.body).not.toContain('dq_http_request_duration_seconds');
  });

  it('with DQ_METRICS_TOKEN: the bearer token is required, from anywhere', async () => {
    const token = 'metrics-token-for-the-scraper-0123';
    const m = await testApp({ DQ_METRICS_TOKEN: token });
    try {
      const none = await m.inject({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await m.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode).toBe(401);
      const ok = await m.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.9', headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('process_cpu_seconds_total');
    } finally {
      await m.close();
    }
  });
});

describe('production mode', () => {
  it('sends HSTS and marks the session and CSRF cookies Secure', async () => {
    const p = await testApp({}, { production: true, requireAdminTotp: false });
    try {
      const h = await p.inject({ method: 'GET', url: '/healthz' });
      expect(h.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      const r = await p.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen_zhang', password: DEMO_PASSWORD } });
      expect(r.statusCode, r.body).toBe(200);
      for (const name of ['dq_session', 'dq_csrf']) expect(r.cookies.find((c) => c.name === name)?.secure, name).toBe(true);
      expect(r.cookies.find((c) => c.name === 'dq_session')?.httpOnly).toBe(true);
    } finally {
      await p.close();
    }
    // And outside production, neither (plain http on a developer's machine).
    const dev = await t.inject({ method: 'GET', url: '/healthz' });
    expect(dev.headers['strict-transport-security']).toBeUndefined();
  });
});
