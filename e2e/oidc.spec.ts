// Single sign-on for another government platform: an administrator registers a relying party through
// the admin API; a tiny relying party (node:http, PKCE + state + nonce, code exchange with
// client_secret_basic, ID token checked with jose against the JWKS) signs a citizen in through our
// login and consent pages and shows who signed in.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEMO_PASSWORD, snap } from './helpers';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The relying party: everything a real one must do, nothing more. */
async function startRelyingParty(discovery: Discovery) {
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const client = { id: '', secret: '' };
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const page = (status: number, body: string) => ({ status, body: `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例业务系统</title></head><body>${body}</body></html>` });

  const handle = async (req: http.IncomingMessage, origin: string): Promise<{ status: number; body: string; location?: string }> => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const state = randomBytes(16).toString('base64url');
      const nonce = randomBytes(16).toString('base64url');
      const verifier = randomBytes(32).toString('base64url');
      pending.set(state, { verifier, nonce });
      const auth = new URL(discovery.authorization_endpoint);
      auth.search = new URLSearchParams({
        client_id: client.id,
        redirect_uri: `${origin}/callback`,
        response_type: 'code',
        scope: 'openid profile',
        state,
        nonce,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return { status: 302, body: '', location: auth.href };
    }
    if (url.pathname === '/callback') {
      const state = url.searchParams.get('state') ?? '';
      const flow = pending.get(state);
      pending.delete(state);
      if (!flow) return page(400, '<p id="rp-error">unknown state</p>');
      if (url.searchParams.get('error')) return page(400, `<p id="rp-error">${esc(url.searchParams.get('error'))}</p>`);
      if (url.searchParams.get('iss') !== discovery.issuer) return page(400, '<p id="rp-error">wrong issuer</p>');
      const res = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '', redirect_uri: `${origin}/callback`, code_verifier: flow.verifier }),
      });
      const tokens = (await res.json()) as { id_token?: string; error?: string };
      if (!res.ok || !tokens.id_token) return page(502, `<p id="rp-error">token endpoint: ${esc(tokens.error)}</p>`);
      const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: discovery.issuer, audience: client.id });
      if (payload.nonce !== flow.nonce) return page(400, '<p id="rp-error">nonce mismatch</p>');
      return page(200, `<h1>欢迎，<span data-testid="rp-name">${esc(payload.name)}</span></h1><p>sub: <code data-testid="rp-sub">${esc(payload.sub)}</code></p>`);
    }
    return page(404, 'not found');
  };

  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    handle(req, origin)
      .then((r) => {
        res.writeHead(r.status, { 'content-type': 'text/html; charset=utf-8', ...(r.location ? { location: r.location } : {}) });
        res.end(r.body);
      })
      .catch((err: Error) => {
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<p id="rp-error">${esc(err.message)}</p>`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, client, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function signInAsAdmin(request: APIRequestContext): Promise<Record<string, string>> {
  const res = await request.post('/api/auth/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  const csrf = (await request.storageState()).cookies.find((c) => c.name === 'dq_csrf')?.value;
  expect(csrf).toBeTruthy();
  return { 'x-csrf-token': csrf! };
}

test('a citizen signs in to another platform with their Digital Qingdao account', async ({ page, request, baseURL }) => {
  const discovery = (await (await request.get('/.well-known/openid-configuration')).json()) as Discovery;
  expect(discovery.authorization_endpoint).toMatch(/\/oidc\/auth$/);
  const rp = await startRelyingParty(discovery);
  try {
    // The administrator registers the platform; the secret is shown once.
    const csrf = await signInAsAdmin(request);
    const created = await request.post('/api/oidc/clients', {
      headers: csrf,
      data: { name: '青岛公积金服务平台', redirectUris: [`${rp.origin}/callback`], clientType: 'confidential', scopes: ['openid', 'profile'] },
    });
    expect(created.status()).toBe(201);
    const client = (await created.json()) as { clientId: string; clientSecret: string };
    expect(client.clientSecret).toBeTruthy();
    rp.client.id = client.clientId;
    rp.client.secret = client.clientSecret;

    // The citizen starts at the platform and lands on our sign-in page, which names the platform.
    await page.goto(`${rp.origin}/`);
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await expect(page.locator('.lead')).toContainText('青岛公积金服务平台');
    expect(await page.locator('script').count(), 'no scripts on the sign-in page').toBe(0);
    await snap(page, 'oidc-login');

    await page.locator('input[autocomplete="username"]').fill('citizen_zhang');
    await page.locator('input[autocomplete="current-password"]').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByRole('alert')).toContainText('用户名或密码错误');

    await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();

    // Consent: the platform, the account, what it asks for.
    await expect(page.getByRole('heading', { name: '授权确认' })).toBeVisible();
    await expect(page.locator('main')).toContainText('青岛公积金服务平台');
    await expect(page.locator('.who')).toContainText('张示例');
    await expect(page.locator('ul.scopes li')).toHaveCount(2);
    await expect(page.locator('ul.scopes')).toContainText('基本资料');
    await snap(page, 'oidc-consent');
    await page.getByTestId('consent-allow').click();

    // Back at the platform, which verified the ID token and shows who signed in.
    await expect(page.getByTestId('rp-name')).toHaveText('张示例');
    const sub = (await page.getByTestId('rp-sub').textContent()) ?? '';
    expect(sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const users = await request.get('/api/users?q=citizen_zhang', { headers: csrf });
    expect(((await users.json()) as { items: { id: string; username: string }[] }).items.find((u) => u.username === 'citizen_zhang')?.id).toBe(sub);
    await snap(page, 'oidc-relying-party');

    // Signed in and consented: a second visit goes straight through.
    await page.goto(`${rp.origin}/`);
    await expect(page.getByTestId('rp-name')).toHaveText('张示例');

    // Tidy up: the platform is disabled again.
    expect((await request.delete(`/api/oidc/clients/${client.clientId}`, { headers: csrf })).status()).toBe(204);
  } finally {
    await rp.close();
  }
  expect(baseURL).toBeTruthy();
});

test('the sign-in page fits a phone and speaks English on request', async ({ browser, request }) => {
  const discovery = (await (await request.get('/.well-known/openid-configuration')).json()) as Discovery;
  const rp = await startRelyingParty(discovery);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  try {
    const csrf = await signInAsAdmin(request);
    const created = await request.post('/api/oidc/clients', { headers: csrf, data: { name: 'i青岛 App', redirectUris: [`${rp.origin}/callback`], clientType: 'confidential' } });
    const client = (await created.json()) as { clientId: string; clientSecret: string };
    rp.client.id = client.clientId;
    rp.client.secret = client.clientSecret;

    const page = await context.newPage();
    await page.goto(`${rp.origin}/`);
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, 'oidc-login-mobile');

    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.locator('input[autocomplete="username"]').fill('citizen_zhang');
    await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect(page.getByRole('heading', { name: 'Authorise access' })).toBeVisible();
    await snap(page, 'oidc-consent-mobile-en');

    // Denying sends the citizen back to the platform with access_denied.
    await page.getByTestId('consent-deny').click();
    await expect(page.locator('#rp-error')).toHaveText('access_denied');
    expect((await request.delete(`/api/oidc/clients/${client.clientId}`, { headers: csrf })).status()).toBe(204);
  } finally {
    await context.close();
    await rp.close();
  }
});
