// The citizen portal's front pages, rendered whole (App with its routes) against a stubbed API
// whose answers were taken from the real server's demo data (web/test/fixtures).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { portalStrings } from './strings';
import { renderApp } from '../test/render';
import { UNAUTHENTICATED, stubApi } from '../test/api';
import meCitizen from '../test/fixtures/me-citizen.json';
import homeCitizen from '../test/fixtures/home-citizen.json';
import search from '../test/fixtures/search.json';
import zones from '../test/fixtures/zones.json';
import bundles from '../test/fixtures/bundles.json';
import city from '../test/fixtures/city.json';
import activity from '../test/fixtures/activity.json';
import unread from '../test/fixtures/notifications-unread.json';

const publicRoutes = {
  'GET /api/public/svc/search': search,
  'GET /api/public/svc/zones': zones,
  'GET /api/public/svc/bundles': bundles,
};

const citizenRoutes = {
  ...publicRoutes,
  'GET /api/auth/me': meCitizen,
  'GET /api/svc/home': homeCitizen,
  'GET /api/notifications': unread,
  'GET /api/public/city': city,
  'GET /api/auth/me/activity': activity,
};

describe('portal home (signed out)', () => {
  it('shows the service hall: its heading, popular services and bundles', async () => {
    const net = stubApi({ 'GET /api/auth/me': UNAUTHENTICATED, ...publicRoutes });
    renderApp(portalStrings, <App />);
    expect(await screen.findByRole('heading', { level: 1, name: '青岛政务服务网上大厅' })).toBeTruthy();
    const popular = await screen.findByTestId('popular');
    await within(popular).findByText('住房公积金提取（租房）');
    expect(within(popular).getAllByTestId('item-card')).toHaveLength(3);
    expect(within(popular).getByText('住房公积金提取（租房）').closest('a')?.getAttribute('href')).toBe('/items/GJJ-GG-0001');
    expect(await within(screen.getByTestId('bundles')).findByText('新生儿出生一件事')).toBeTruthy();
    expect(screen.getByRole('link', { name: '登录查看为您推荐的服务和办件进度' }).getAttribute('href')).toBe('/login');
    expect(net.calls).toContain('GET /api/public/svc/search?limit=8');
    expect(net.unanswered).toEqual([]);
  });

  it('switches to English with the language toggle, without saving anything for nobody', async () => {
    const net = stubApi({ 'GET /api/auth/me': UNAUTHENTICATED, ...publicRoutes });
    renderApp(portalStrings, <App />);
    await screen.findByRole('heading', { level: 1, name: '青岛政务服务网上大厅' });
    fireEvent.click(screen.getByRole('button', { name: '语言: English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Qingdao online service hall' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Popular services' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('dq.locale')).toBe('en');
    expect(net.calls.filter((c) => c.startsWith('PATCH'))).toEqual([]);
  });

  it('offers a retry when the session could not be loaded', async () => {
    let answer: object = { status: 503, body: { title: 'Service Unavailable', status: 503 } };
    stubApi({ 'GET /api/auth/me': () => answer, ...publicRoutes });
    renderApp(portalStrings, <App />);
    // useMe retries once (after a second) before it gives up.
    expect(await screen.findByRole('heading', { name: '加载失败' }, { timeout: 4000 })).toBeTruthy();
    expect(screen.getByText('服务器出现问题，请稍后再试')).toBeTruthy();
    answer = UNAUTHENTICATED;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByRole('heading', { level: 1, name: '青岛政务服务网上大厅' })).toBeTruthy();
  });
});

describe('portal home (signed in)', () => {
  it('greets the citizen with a masked ID number and the services picked for them', async () => {
    stubApi(citizenRoutes);
    renderApp(portalStrings, <App />);
    expect(await screen.findByRole('heading', { level: 1, name: '张示例，您好' })).toBeTruthy();
    expect(screen.getByTestId('account-kind').textContent).toBe('市民');
    expect(screen.getByTestId('id-number').textContent).toBe('370***********2314');
    expect(document.body.textContent).not.toMatch(/\d{17}[\dXx]/);
    const recommended = await screen.findByTestId('recommended');
    expect(within(recommended).getAllByTestId('rec-item')).toHaveLength(3);
    expect(within(recommended).getByText('养老服务补贴申领')).toBeTruthy();
    expect(screen.getByRole('navigation', { name: '主导航' })).toBeTruthy();
  });

  it('loads the account page lazily and saves the language on the account', async () => {
    const net = stubApi({
      ...citizenRoutes,
      'PATCH /api/auth/me': ({ body }) => ({ user: { ...meCitizen.user, ...(body as object) } }),
    });
    renderApp(portalStrings, <App />, { path: '/account' });
    const districts = await screen.findByTestId('districts');
    expect(within(districts).getAllByRole('listitem')).toHaveLength(10);
    expect(districts.textContent).toContain('市南区');
    expect(screen.getByTestId('id-number').textContent).toBe('370***********2314');
    expect(screen.getByTestId('phone').textContent).toBe('138****0001');
    expect((await screen.findByTestId('activity')).textContent).toContain('登录');

    fireEvent.click(screen.getByRole('radio', { name: 'English' }));
    await waitFor(() => expect(screen.getByTestId('districts').textContent).toContain('Shinan District'));
    expect(screen.getByTestId('account-kind').textContent).toBe('Citizen');
    await waitFor(() => expect(net.bodies.get('PATCH /api/auth/me')).toEqual([{ locale: 'en' }]));
    expect(net.unanswered).toEqual([]);
  });
});
