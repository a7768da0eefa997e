// The API client every app uses (openapi-fetch over the generated types), against a stubbed network: the CSRF header, problem+json
// errors, and the signed-out signal.
import { describe, expect, it, vi } from 'vitest';
import i18next from 'i18next';
import { ApiError, NetworkError, api, onAuthProblem, request } from './api';
import { errorMessage } from './errors';
import { setupI18n } from './i18n';
import { stubApi } from '../test/api';

setupI18n({ zh: {}, en: {} });

describe('api', () => {
  it('sends JSON with the CSRF cookie as a header on changes, not on reads', async () => {
    document.cookie = 'dq_csrf=from-cookie; path=/';
    const net = stubApi({ 'GET /api/orgs': { items: [], total: 0 }, 'POST /api/orgs': { status: 201, body: { id: 'o1' } } });
    const fetchMock = vi.mocked(fetch);
    await expect(api.get('/api/orgs', { q: '市南', kind: '', limit: 20 })).resolves.toEqual({ items: [], total: 0 });
    expect(net.calls[0]).toBe(`GET /api/orgs?q=${encodeURIComponent('市南')}&limit=20`);
    // The client hands fetch a Request: its headers are what went on the wire.
    const sent = (i: number) => fetchMock.mock.calls[i][0] as Request;
    expect(sent(0).headers.get('x-csrf-token')).toBeNull();

    await expect(api.post('/api/orgs', { name: '市南区' })).resolves.toEqual({ id: 'o1' });
    expect(sent(1).headers.get('x-csrf-token')).toBe('from-cookie');
    expect(sent(1).headers.get('content-type')).toBe('application/json');
    expect(sent(1).credentials).toBe('same-origin');
    expect(net.bodies.get('POST /api/orgs')).toEqual([{ name: '市南区' }]);
  });

  it('turns a problem+json answer into an ApiError a person can read', async () => {
    stubApi({
      'POST /api/auth/login': { status: 401, body: { type: 'https://digital-qingdao.example/problems/unauthorized', title: 'Authentication required', status: 401, detail: 'Wrong username or password' } },
      'PATCH /api/users/u1': { status: 400, body: { title: 'Bad Request', status: 400, errors: [{ path: '/body/phone', message: 'must match pattern' }] } },
    });
    const err = await request('POST', '/api/auth/login', { username: 'x', password: 'y' }, { quiet401: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect(errorMessage(err, i18next.t, 'login')).toBe('用户名或密码错误');

    const invalid = await api.patch('/api/users/u1', { phone: 'abc' }).catch((e: unknown) => e);
    expect(errorMessage(invalid, i18next.t)).toBe('phone: must match pattern');
  });

  it('tells the app when the session is gone, unless the caller expects it', async () => {
    stubApi({ 'GET /api/auth/me': { status: 401, body: { status: 401, title: 'Authentication required' } } });
    const seen: number[] = [];
    const off = onAuthProblem((s) => seen.push(s));
    await api.get('/api/auth/me').catch(() => undefined);
    await request('GET', '/api/auth/me', undefined, { quiet401: true }).catch(() => undefined);
    off();
    expect(seen).toEqual([401]);
  });

  it('reports a request that got no answer as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    const err = await api.get('/api/stats/overview').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(errorMessage(err, i18next.t)).toBe('网络连接失败，请检查网络后重试');
  });
});

describe('typed client', () => {
  it('fills the path template from typed params and returns the typed answer', async () => {
    const net = stubApi({ 'GET /api/orgs/5f0c2b4e-0000-4000-8000-000000000001': { id: '5f0c2b4e-0000-4000-8000-000000000001', name: '市南区' } });
    const { call, client } = await import('./api');
    const org = await call(client.GET('/api/orgs/{id}', { params: { path: { id: '5f0c2b4e-0000-4000-8000-000000000001' } } }));
    expect(org.name).toBe('市南区');
    expect(net.calls).toEqual(['GET /api/orgs/5f0c2b4e-0000-4000-8000-000000000001']);
    stubApi({ 'GET /api/orgs/x': { status: 404, body: { title: 'Not found', status: 404, detail: 'organisation was not found' } } });
    await expect(call(client.GET('/api/orgs/{id}', { params: { path: { id: 'x' } } }))).rejects.toMatchObject({ status: 404 });
  });
});
