// The OpenID Connect provider end to end over real HTTP: a relying party's view (discovery, authorize,
// token, ID token against the JWKS, userinfo), a browser's view (cookies, login form, consent form),
// and the refusals that matter (redirect URI, PKCE, disabled clients, code reuse, the admin API).
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../../../platform/crypto/totp';
import { rows } from '../../../platform/db/client';
import { type Client, testApp, type TestApp } from '../../../test/app';
import { redirectUriProblem } from './oidc.clients';

let t: TestApp;
let admin: Client;
let base: string;
let discovery: Record<string, string>;
let confidential: { clientId: string; clientSecret: string; redirectUris: string[] };
let citizenId: string;

const REDIRECT = 'http://127.0.0.1:9/callback';

/** A browser's cookie jar: honours Path, replaces by (name, path), forgets expired cookies. */
class Jar {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = false;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        if (k.toLowerCase() === 'path') path = v || '/';
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
      }
      const key = `${name}|${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string {
    const p = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  set(name: string, value: string, path = '/') {
    this.cookies.set(`${name}|${path}`, { name, value, path });
  }
}

class Browser {
  jar = new Jar();

  async get(url: string): Promise<Response> {
    const abs = new URL(url, base).href;
    const res = await fetch(abs, { redirect: 'manual', headers: { cookie: this.jar.header(abs), 'accept-language': 'zh-CN' } });
    this.jar.store(res);
    return res;
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const abs = new URL(url, base).href;
    const res = await fetch(abs, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(abs), 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams(form).toString(),
    });
    this.jar.store(res);
    return res;
  }

  /** Follow redirects within our server; stop at the first page, or at a redirect leaving it. */
  async follow(res: Response): Promise<{ res: Response; url: string }> {
    let url = res.url;
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).href;
      if (!next.startsWith(base)) return { res, url: next };
      url = next;
      res = await this.get(next);
    }
    return { res, url };
  }
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authorizeUrl(clientId: string, opts: { redirectUri?: string; challenge?: string | null; scope?: string; state?: string; nonce?: string; extra?: Record<string, string> } = {}) {
  const u = new URL(discovery.authorization_endpoint);
  u.searchParams.set('client_id', clientId);
  u.searchParams.set('redirect_uri', opts.redirectUri ?? REDIRECT);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('scope', opts.scope ?? 'openid profile');
  u.searchParams.set('state', opts.state ?? randomBytes(8).toString('hex'));
  u.searchParams.set('nonce', opts.nonce ?? randomBytes(8).toString('hex'));
  if (opts.challenge) {
    u.searchParams.set('code_challenge', opts.challenge);
    u.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(opts.extra ?? {})) u.searchParams.set(k, v);
  return u.href;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function exchange(code: string, verifier: string | null, client: { clientId: string; clientSecret?: string | null }, redirectUri = REDIRECT) {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  if (verifier) form.code_verifier = verifier;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret) headers.authorization = basic(client.clientId, client.clientSecret);
  else form.client_id = client.clientId;
  const res = await fetch(discovery.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const userinfo = (accessToken: string) => fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });

async function register(body: Record<string, unknown>) {
  const res = await admin.post('/api/oidc/clients', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { clientId: string; clientSecret: string; redirectUris: string[]; name: string; clientType: string; scopes: string[] };
}

/** Drive a browser from the authorize URL to the code, signing in and consenting on our pages as needed. */
async function signIn(browser: Browser, url: string, opts: { username?: string; password?: string; consent?: 'allow' | 'deny' } = {}) {
  let { res, url: at } = await browser.follow(await browser.get(url));
  const pages: string[] = [];
  for (let i = 0; i < 6 && at.startsWith(base); i++) {
    const page = await res.text();
    pages.push(page);
    const action = (name: string) => new URL(`${new URL(at).pathname.replace(/\/$/, '')}/${name}`, base).href;
    if (page.includes('name="password"')) {
      res = await browser.post(action('login'), { username: opts.username ?? 'citizen_zhang', password: opts.password ?? 'Qingdao@2026', lang: 'zh' });
    } else if (page.includes('/confirm"')) {
      res = await browser.post(action(opts.consent === 'deny' ? 'abort' : 'confirm'), { lang: 'zh' });
    } else {
      throw new Error(`unexpected page at ${at} (${res.status}): ${page.slice(0, 400)}`);
    }
    ({ res, url: at } = await browser.follow(res));
  }
  const cb = new URL(at);
  return { callback: cb, code: cb.searchParams.get('code'), error: cb.searchParams.get('error'), pages };
}

beforeAll(async () => {
  t = await testApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  t.config.publicUrl = base;
  admin = await t.login('admin');
  confidential = await register({ name: '青岛市民卡服务平台', redirectUris: [REDIRECT], clientType: 'confidential' });
  citizenId = (await t.app.services.auth.findByUsername('citizen_zhang'))!.id;
  discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as Record<string, string>;
});
afterAll(() => t?.close());

describe('discovery and keys', () => {
  it('publishes the configuration at the issuer', async () => {
    const res = await fetch(`${base}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d.issuer).toBe(base);
    expect(d.authorization_endpoint).toBe(`${base}/oidc/auth`);
    expect(d.token_endpoint).toBe(`${base}/oidc/token`);
    expect(d.jwks_uri).toBe(`${base}/oidc/jwks`);
    expect(d.userinfo_endpoint).toBe(`${base}/oidc/me`);
    expect(d.end_session_endpoint).toBe(`${base}/oidc/session/end`);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(d.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'preferred_username', 'kind', 'org', 'locale']));
  });

  it('publishes an RS256 and an ES256 public key, kept encrypted in the database', async () => {
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const k of jwks.keys) {
      expect(k.d, 'no private parts in the JWKS').toBeUndefined();
      expect(k.kid).toBeTruthy();
    }
    const stored = await rows<{ kid: string; private_jwk_enc: string }>(t.app.services.database.db, sql`select kid, private_jwk_enc from oidc_keys`);
    expect(stored.map((r) => r.kid).sort()).toEqual(jwks.keys.map((k) => k.kid).sort());
    for (const r of stored) expect(r.private_jwk_enc).toMatch(/^v1\./);
  });
});

describe('authorization code flow with PKCE', () => {
  it('signs a citizen in: login form, consent, code, token (client_secret_basic), ID token, userinfo', async () => {
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const state = randomBytes(8).toString('hex');
    const nonce = randomBytes(8).toString('hex');

    // authorize → our login page, naming the client
    const first = await browser.follow(await browser.get(authorizeUrl(confidential.clientId, { challenge, state, nonce })));
    expect(first.url).toMatch(new RegExp(`^${base}/oidc/interaction/[A-Za-z0-9_-]+$`));
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toMatch(/text\/html/);
    expect(first.res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const loginHtml = await first.res.text();
    expect(loginHtml).toContain('青岛市民卡服务平台');
    expect(loginHtml).not.toMatch(/<script/i);

    // a wrong password: the form again, 401, with the error
    const wrong = await browser.post(`${first.url}/login`, { username: 'citizen_zhang', password: 'not-the-password', lang: 'zh' });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('用户名或密码错误');
    expect(wrongHtml).toContain('value="citizen_zhang"');

    // the right one: back to the provider, then the consent page
    const ok = await browser.post(`${first.url}/login`, { username: 'citizen_zhang', password: 'Qingdao@2026', lang: 'zh' });
    expect(ok.status).toBe(303);
    expect(browser.jar.get('dq_session'), 'signed in to the portal as well').toBeTruthy();
    const consent = await browser.follow(ok);
    expect(consent.res.status).toBe(200);
    const consentHtml = await consent.res.text();
    expect(consentHtml).toContain('授权确认');
    expect(consentHtml).toContain('青岛市民卡服务平台');
    expect(consentHtml).toContain('张示例');
    expect(consentHtml).toContain('基本资料');
    expect(consentHtml).toContain('127.0.0.1:9');

    // consent → redirect to the client with code, state and iss
    const done = await browser.follow(await browser.post(`${consent.url}/confirm`, { lang: 'zh' }));
    const cb = new URL(done.url);
    expect(cb.origin + cb.pathname).toBe(REDIRECT);
    expect(cb.searchParams.get('state')).toBe(state);
    expect(cb.searchParams.get('iss')).toBe(base);
    const code = cb.searchParams.get('code')!;
    expect(code).toBeTruthy();

    // token exchange with client_secret_basic and the PKCE verifier
    const tok = await exchange(code, verifier, confidential);
    expect(tok.status, JSON.stringify(tok.body)).toBe(200);
    expect(tok.body.token_type).toBe('Bearer');
    expect(tok.body.access_token).toBeTruthy();

    // the ID token verifies against the published keys
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload } = await jwtVerify(tok.body.id_token, jwks, { issuer: base, audience: confidential.clientId });
    expect(decodeProtectedHeader(tok.body.id_token).alg).toBe('RS256');
    expect(payload.sub).toBe(citizenId);
    expect(payload.nonce).toBe(nonce);
    expect(payload.name).toBe('张示例');
    expect(payload.preferred_username).toBe('citizen_zhang');

    // userinfo with the access token
    const ui = await userinfo(tok.body.access_token);
    expect(ui.status).toBe(200);
    const claims = (await ui.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: citizenId, name: '张示例', preferred_username: 'citizen_zhang', kind: 'citizen', locale: 'zh-CN' });

    // consent was remembered: the same browser goes straight through to a new code
    const p2 = pkce();
    const second = await signIn(browser, authorizeUrl(confidential.clientId, { challenge: p2.challenge }));
    expect(second.pages).toHaveLength(0);
    const secondTok = await exchange(second.code!, p2.verifier, confidential);
    expect(secondTok.status).toBe(200);

    // consent is audited in the trail, next to the login AuthService recorded
    const audit = await rows<{ action: string; summary: { note?: { decision?: string; scopes?: string[] } } }>(
      t.app.services.database.db,
      sql`select action, summary from audit_log where entity_id = ${confidential.clientId} or (action = 'auth.login' and entity_id = ${citizenId}) order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['oidc.client.create', 'auth.login', 'oidc.consent']));
    const consentEntry = audit.find((a) => a.action === 'oidc.consent')!;
    expect(consentEntry.summary.note).toMatchObject({ decision: 'granted', scopes: ['openid', 'profile'] });

    // a code works once; reusing it is refused, and (a stolen code being likely) revokes the grant
    // with every token issued under it, so the next sign-in asks for consent again
    const again = await exchange(code, verifier, confidential);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await userinfo(tok.body.access_token)).status).toBe(401);
    expect((await userinfo(secondTok.body.access_token)).status).toBe(401);
  });

  it('skips the login form for a browser signed in to the portal, and remembers consent across sessions', async () => {
    const portal = await t.login('citizen_zhang');
    const browser = new Browser();
    browser.jar.set('dq_session', portal.session!);
    const first = await signIn(browser, authorizeUrl(confidential.clientId, { challenge: pkce().challenge }));
    expect(first.code).toBeTruthy();
    // The portal session counts as the sign-in: at most the consent page, never the login form.
    expect(first.pages.every((p) => !p.includes('name="password"'))).toBe(true);

    // Another browser with the same portal session, no provider session: consent is remembered
    // for the account, so it goes straight through.
    const other = new Browser();
    other.jar.set('dq_session', portal.session!);
    const { verifier, challenge } = pkce();
    const r = await signIn(other, authorizeUrl(confidential.clientId, { challenge }));
    expect(r.pages).toHaveLength(0);
    const tok = await exchange(r.code!, verifier, confidential);
    expect(tok.status).toBe(200);
    const { payload } = await jwtVerify(tok.body.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: base, audience: confidential.clientId });
    expect(payload.sub).toBe(citizenId);
  });

  it('asks staff for consent with their organisation in the claims, and lets them deny it', async () => {
    const browser = new Browser();
    const denied = await signIn(browser, authorizeUrl(confidential.clientId, { challenge: pkce().challenge }), { username: 'gaj_officer', consent: 'deny' });
    expect(denied.pages.length).toBe(2);
    expect(denied.error).toBe('access_denied');
    const trail = await rows<{ summary: { note: { decision: string } } }>(t.app.services.database.db, sql`select summary from audit_log where action = 'oidc.consent' order by seq desc limit 1`);
    expect(trail[0].summary.note.decision).toBe('denied');

    const { verifier, challenge } = pkce();
    const allowed = await signIn(browser, authorizeUrl(confidential.clientId, { challenge }));
    expect(allowed.pages.length, 'still signed in: only the consent page').toBe(1);
    const tok = await exchange(allowed.code!, verifier, confidential);
    const claims = (await (await userinfo(tok.body.access_token)).json()) as { org?: { code: string; name: string }; kind: string };
    expect(claims.kind).toBe('staff');
    expect(claims.org?.code).toBe('GAJ');
    expect(claims.org?.name).toBeTruthy();
  });

  it('asks for the second factor of an account with TOTP', async () => {
    const auth = t.app.services.auth;
    const user = (await auth.findByUsername('ent_demo'))!;
    const actor = (await auth.loadActor(user.id, 'session'))!;
    const { secret } = await auth.beginTotp(actor, user.id);
    await auth.confirmTotp(actor, user.id, totp(secret));

    const browser = new Browser();
    const first = await browser.follow(await browser.get(authorizeUrl(confidential.clientId, { challenge: pkce().challenge })));
    const login = await browser.post(`${first.url}/login`, { username: 'ent_demo', password: 'Qingdao@2026', lang: 'en' });
    expect(login.status).toBe(200);
    const page = await login.text();
    expect(page).toContain('Two-step verification');
    expect(page).toContain('name="code"');

    const bad = await browser.post(`${first.url}/totp`, { code: '000000', lang: 'en' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('The code is wrong');

    // The code of the next step: the current one was spent confirming enrolment.
    const good = await browser.post(`${first.url}/totp`, { code: totp(secret, Date.now() + 30_000), lang: 'en' });
    expect(good.status).toBe(303);
    const consent = await browser.follow(good);
    expect(await consent.res.text()).toContain('企业示例经办人');
  });

  it('prompt=login asks for the password even with a portal session, and the code step cannot be jumped to', async () => {
    const portal = await t.login('citizen_zhang');
    const browser = new Browser();
    browser.jar.set('dq_session', portal.session!);
    const first = await browser.follow(await browser.get(authorizeUrl(confidential.clientId, { challenge: pkce().challenge, extra: { prompt: 'login' } })));
    const page = await first.res.text();
    expect(page).toContain('name="password"');
    expect(page).toContain('该应用要求您重新验证身份');
    const jump = await browser.post(`${first.url}/totp`, { code: '123456', lang: 'zh' });
    expect(jump.status).toBe(401);
    expect(await jump.text()).toContain('name="password"');
  });

  it('public clients must use PKCE; with it they need no secret', async () => {
    const app = await register({ name: 'i青岛 App', redirectUris: [REDIRECT], clientType: 'public' });
    expect(app.clientSecret).toBeNull();
    const browser = new Browser();
    const refused = await browser.get(authorizeUrl(app.clientId, { challenge: null }));
    expect(refused.status).toBe(303);
    const loc = new URL(refused.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toMatch(/PKCE/);

    const { verifier, challenge } = pkce();
    const r = await signIn(browser, authorizeUrl(app.clientId, { challenge }));
    expect(r.code).toBeTruthy();
    expect((await exchange(r.code!, null, app)).body.error, 'no verifier').toBe('invalid_grant');
    expect((await exchange(r.code!, 'a-wrong-verifier-a-wrong-verifier-a-wrong-verifier', app)).body.error).toBe('invalid_grant');
    const tok = await exchange(r.code!, verifier, app);
    expect(tok.status, JSON.stringify(tok.body)).toBe(200);
    expect((await userinfo(tok.body.access_token)).status).toBe(200);
  });

  it('issues refresh tokens for offline_access (with prompt=consent), and they work', async () => {
    const c = await register({ name: '离线同步服务', redirectUris: [REDIRECT], clientType: 'confidential', scopes: ['profile', 'offline_access'] });
    expect(c.scopes).toEqual(['openid', 'profile', 'offline_access']);
    const { verifier, challenge } = pkce();
    const r = await signIn(new Browser(), authorizeUrl(c.clientId, { challenge, scope: 'openid profile offline_access', extra: { prompt: 'consent' } }));
    expect(r.pages.at(-1)).toContain('保持访问');
    const tok = await exchange(r.code!, verifier, c);
    expect(tok.status).toBe(200);
    expect(tok.body.refresh_token).toBeTruthy();
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.clientId, c.clientSecret) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tok.body.refresh_token }).toString(),
    });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as Record<string, string>;
    expect(refreshed.access_token).not.toBe(tok.body.access_token);
    const claims = (await (await userinfo(refreshed.access_token)).json()) as Record<string, unknown>;
    expect(claims.sub).toBe(citizenId);
  });

  it('signing out at the provider ends the portal session too', async () => {
    const browser = new Browser();
    await signIn(browser, authorizeUrl(confidential.clientId, { challenge: pkce().challenge }));
    const portalToken = browser.jar.get('dq_session')!;
    expect((await t.inject({ method: 'GET', url: '/api/auth/me', cookies: { dq_session: portalToken } })).statusCode).toBe(200);

    const ask = await browser.get(`${discovery.end_session_endpoint}?client_id=${confidential.clientId}`);
    expect(ask.status).toBe(200);
    const page = await ask.text();
    expect(page).toContain('退出登录');
    expect(page).not.toMatch(/<script/i);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const bye = await browser.follow(await browser.post(`${discovery.end_session_endpoint}/confirm`, { xsrf, logout: 'yes' }));
    expect(bye.res.status).toBe(200);
    expect(await bye.res.text()).toContain('已退出登录');

    expect(browser.jar.get('dq_session')).toBeUndefined();
    expect((await t.inject({ method: 'GET', url: '/api/auth/me', cookies: { dq_session: portalToken } })).statusCode).toBe(401);
    const again = await browser.follow(await browser.get(authorizeUrl(confidential.clientId, { challenge: pkce().challenge })));
    expect(await again.res.text()).toContain('name="password"');
  });

  it('a disabled account signed in at the provider gets no more codes', async () => {
    const browser = new Browser();
    const first = await signIn(browser, authorizeUrl(confidential.clientId, { challenge: pkce().challenge }), { username: 'shinan_officer' });
    expect(first.code).toBeTruthy();
    const id = (await t.app.services.auth.findByUsername('shinan_officer'))!.id;
    expect((await admin.patch(`/api/users/${id}`, { status: 'disabled' })).statusCode).toBe(200);
    try {
      const res = await browser.follow(await browser.get(authorizeUrl(confidential.clientId, { challenge: pkce().challenge })));
      expect(res.res.status, 'asked to sign in again').toBe(200);
      expect(await res.res.text()).toContain('name="password"');
      expect(new URL(res.url).searchParams.get('code')).toBeNull();
    } finally {
      await admin.patch(`/api/users/${id}`, { status: 'active' });
    }
  });

  it('refuses a redirect URI that was not registered, without redirecting to it', async () => {
    const res = await new Browser().get(authorizeUrl(confidential.clientId, { redirectUri: 'https://evil.example/cb', challenge: pkce().challenge }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('redirect_uri');
    expect(page).toContain('无法完成登录');
  });

  it('refuses token requests with a wrong client secret', async () => {
    const tok = await exchange('whatever', 'x', { clientId: confidential.clientId, clientSecret: 'wrong' });
    expect(tok.status).toBe(401);
    expect(tok.body.error).toBe('invalid_client');
  });

  it('a disabled client can no longer sign users in, and its tokens stop working', async () => {
    const c = await register({ name: '待停用平台', redirectUris: [REDIRECT], clientType: 'confidential' });
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const r = await signIn(browser, authorizeUrl(c.clientId, { challenge }));
    const tok = await exchange(r.code!, verifier, c);
    expect((await userinfo(tok.body.access_token)).status).toBe(200);

    const del = await admin.delete(`/api/oidc/clients/${c.clientId}`);
    expect(del.statusCode).toBe(204);
    expect((await userinfo(tok.body.access_token)).status).toBe(401);
    const res = await browser.get(authorizeUrl(c.clientId, { challenge: pkce().challenge }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_client');
    const listed = (await admin.get('/api/oidc/clients')).json().items.find((i: { clientId: string }) => i.clientId === c.clientId);
    expect(listed.disabledAt).toBeTruthy();
    expect((await admin.delete(`/api/oidc/clients/${c.clientId}`)).statusCode, 'disabling twice is harmless').toBe(204);
    expect((await admin.delete('/api/oidc/clients/no-such-client')).statusCode).toBe(404);
  });

  it('shows an error page, not a stack trace, for an unknown or expired interaction', async () => {
    const res = await new Browser().get('/oidc/interaction/not-a-real-uid');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in could not be completed');
  });
});

describe('client registry API', () => {
  it('lists clients without secrets', async () => {
    const res = await admin.get('/api/oidc/clients');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((i: { clientId: string }) => i.clientId === confidential.clientId);
    expect(item).toMatchObject({ name: '青岛市民卡服务平台', redirectUris: [REDIRECT], clientType: 'confidential', scopes: ['openid', 'profile'], disabledAt: null });
    expect(item.createdAt).toMatch(/^\d{4}-/);
    expect(JSON.stringify(res.json())).not.toContain(confidential.clientSecret);
  });

  it('stores the secret encrypted', async () => {
    const [row] = await rows<{ client_secret_enc: string }>(t.app.services.database.db, sql`select client_secret_enc from oidc_clients where client_id = ${confidential.clientId}`);
    expect(row.client_secret_enc).toMatch(/^v1\./);
    expect(row.client_secret_enc).not.toContain(confidential.clientSecret);
  });

  it('refuses anonymous callers (401) and accounts without the permission (403)', async () => {
    expect((await t.anonymous().get('/api/oidc/clients')).statusCode).toBe(401);
    expect((await t.anonymous().post('/api/oidc/clients', { name: 'x', redirectUris: [REDIRECT], clientType: 'public' })).statusCode).toBe(401);
    const citizen = await t.login('citizen_zhang');
    const auditor = await t.login('auditor');
    for (const c of [citizen, auditor]) {
      expect((await c.get('/api/oidc/clients')).statusCode).toBe(403);
      expect((await c.post('/api/oidc/clients', { name: 'x', redirectUris: [REDIRECT], clientType: 'public' })).statusCode).toBe(403);
      expect((await c.delete(`/api/oidc/clients/${confidential.clientId}`)).statusCode).toBe(403);
    }
  });

  it.each([
    [{ redirectUris: [REDIRECT], clientType: 'public' }, '/body/name'],
    [{ name: 'x', clientType: 'public' }, '/body/redirectUris'],
    [{ name: 'x', redirectUris: [], clientType: 'public' }, '/body/redirectUris'],
    [{ name: 'x', redirectUris: ['not a url'], clientType: 'public' }, '/body/redirectUris/0'],
    [{ name: 'x', redirectUris: [REDIRECT, 'ftp://files.example/cb'], clientType: 'public' }, '/body/redirectUris/1'],
    [{ name: 'x', redirectUris: ['https://rp.example/cb#frag'], clientType: 'public' }, '/body/redirectUris/0'],
    [{ name: 'x', redirectUris: [REDIRECT], clientType: 'secret' }, '/body/clientType'],
    [{ name: 'x', redirectUris: [REDIRECT], clientType: 'public', scopes: ['email'] }, '/body/scopes/0'],
    [{ name: 'x', redirectUris: [REDIRECT], clientType: 'public', clientSecret: 'mine' }, '/body/clientSecret'],
    [{ name: 'x', redirectUris: 'https://rp.example/cb', clientType: 'public' }, '/body/redirectUris'],
  ])('400 problem+json naming the field for %j', async (body, path) => {
    const res = await admin.post('/api/oidc/clients', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it('requires https redirect URIs in production, except for loopback addresses', () => {
    expect(redirectUriProblem('http://rp.example/cb', true)).toMatch(/https/);
    expect(redirectUriProblem('https://rp.example/cb', true)).toBeNull();
    expect(redirectUriProblem('http://127.0.0.1:8000/cb', true)).toBeNull();
    expect(redirectUriProblem('http://[::1]:8000/cb', true)).toBeNull();
    expect(redirectUriProblem('http://localhost/cb', true)).toBeNull();
    expect(redirectUriProblem('http://rp.example/cb', false)).toBeNull();
    expect(redirectUriProblem('https://user:pw@rp.example/cb', false)).toMatch(/user information/);
  });
});
