// The fetch wrapper every app uses, against a stubbed network: the CSRF header, problem+json
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
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();

    await expect(api.post('/api/orgs', { name: '市南区' })).resolves.toEqual({ id: 'o1' });
    const init = fetchMock.mock.calls[1][1]!;
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('from-cookie');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(init.credentials).toBe('same-origin');
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
