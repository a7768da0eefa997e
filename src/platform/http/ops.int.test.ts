// Health, readiness, metrics, the OpenAPI document, security headers and request ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('operations endpoints', () => {
  it('healthz and readyz', async () => {
    const h = await t.inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const r = await t.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json().database).toBe('up');
  });

  it('metrics in Prometheus text, counting requests by route', async () => {
    await t.inject({ method: 'GET', url: '/healthz' });
    const m = await t.inject({ method: 'GET', url: '/metrics' });
    expect(m.headers['content-type']).toMatch(/text\/plain/);
    expect(m.body).toMatch(/dq_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(m.body).toContain('process_cpu_seconds_total');
  });

  it('an OpenAPI 3 document that lists every API route with its security', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const apiRoutes = t.app.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');
    expect(apiRoutes.length).toBeGreaterThan(20);
    for (const r of apiRoutes) expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
    expect(doc.paths['/api/users'].get.security).toEqual([{ session: [] }, { apiKey: [] }]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    const ui = await t.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
  });

  it('every route has one schema source (TypeBox) and a response schema for its success answers', async () => {
    const isTypeBox = (s: unknown) => !!s && typeof s === 'object' && ('~kind' in s || '~unsafe' in s);
    const routes = t.app.routes.filter((r) => !r.url.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(250);
    const missing: string[] = [];
    const notTypeBox: string[] = [];
    for (const r of routes) {
      const schema = (r.schema ?? {}) as Record<string, unknown>;
      const response = (schema.response ?? {}) as Record<string, unknown>;
      if (!Object.keys(response).some((code) => /^[23]/.test(code))) missing.push(`${r.method} ${r.url}`);
      for (const part of ['params', 'querystring', 'body'] as const) if (schema[part] && !isTypeBox(schema[part])) notTypeBox.push(`${r.method} ${r.url} ${part}`);
      for (const [code, s] of Object.entries(response)) if (!isTypeBox(s)) notTypeBox.push(`${r.method} ${r.url} response ${code}`);
    }
    expect(missing, 'routes without a success response schema').toEqual([]);
    expect(notTypeBox, 'schemas not written with TypeBox').toEqual([]);
    // …and the OpenAPI document says so too: every operation documents a success response and the problem shape.
    const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses ?? {});
        expect(codes.some((c) => /^[23]/.test(c)), `${m} ${p}`).toBe(true);
        expect(codes.some((c) => /^4/.test(c)), `${m} ${p}`).toBe(true);
      }
    }
  });

  it('sends security headers and echoes a well-formed request id', async () => {
    const r = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(r.headers['x-request-id']).toBe('trace-abc-12345');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const bad = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('problem+json carries the request id for support', async () => {
    const r = await t.inject({ method: 'GET', url: '/api/users' });
    expect(r.statusCode).toBe(401);
    expect(r.json().requestId).toBe(r.headers['x-request-id']);
  });
});

describe('web app routes', () => {
  it("serves each app's own page at its path, with and without the slash and for deep links", async () => {
    for (const [app, title] of [['/console', '管理控制台'], ['/screen', '城市运行平台']]) {
      for (const url of [app, `${app}/`, `${app}/users`]) {
        const r = await t.inject({ method: 'GET', url });
        expect([200, 503], url).toContain(r.statusCode);
        if (r.statusCode === 200) expect(r.body, url).toContain(title);
        else expect(r.json().type).toMatch(/web-not-built$/);
      }
    }
    const deep = await t.inject({ method: 'GET', url: '/some/portal/page' });
    expect([200, 503]).toContain(deep.statusCode);
    expect((await t.inject({ method: 'GET', url: '/assets/../../package.json' })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/favicon.ico' })).headers['content-type']).toMatch(/svg/);
  });
});
