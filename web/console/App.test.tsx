// The staff console after sign-in: its layout (menu, header) and the overview page, which loads
// lazily, against a stubbed API with the real server's answers for the demo administrator.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ConsoleApp } from './App';
import { consoleStrings } from './strings';
import { renderApp } from '../test/render';
import { UNAUTHENTICATED, stubApi } from '../test/api';
import meAdmin from '../test/fixtures/me-admin.json';
import stats from '../test/fixtures/stats.json';
import roles from '../test/fixtures/roles.json';

const adminRoutes = { 'GET /api/auth/me': meAdmin, 'GET /api/stats/overview': stats, 'GET /api/roles': roles };

describe('console', () => {
  it('shows the layout and the overview with the platform figures', async () => {
    const net = stubApi(adminRoutes);
    renderApp(consoleStrings, <ConsoleApp />, { basename: '/console' });
    expect(await screen.findByRole('heading', { name: '欢迎，平台管理员' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('current-user').textContent).toBe('平台管理员');
    expect(screen.getByTestId('current-org').textContent).toContain('市大数据发展管理局');
    const menu = screen.getByTestId('main-menu');
    expect(within(menu).getByText('概览')).toBeTruthy();
    expect(within(menu).getByText('用户')).toBeTruthy();
    const district = await screen.findByTestId('stat-district');
    expect(district.textContent).toContain('10');
    expect(screen.getByTestId('stat-auditTotal').textContent).toContain('381');
    await waitFor(() => expect(screen.getByText(/系统管理员/)).toBeTruthy());
    expect(document.title).toBe('数字青岛 管理控制台');
    expect(net.unanswered).toEqual([]);
  });

  it('switches the whole console to English', async () => {
    const net = stubApi({ ...adminRoutes, 'PATCH /api/auth/me': ({ body }) => ({ user: { ...meAdmin.user, ...(body as object) } }) });
    renderApp(consoleStrings, <ConsoleApp />, { basename: '/console' });
    await screen.findByRole('heading', { name: '欢迎，平台管理员' }, { timeout: 5000 });
    fireEvent.click(within(screen.getByTestId('lang-switch')).getByText('English'));
    expect(await screen.findByRole('heading', { name: 'Welcome, 平台管理员' })).toBeTruthy();
    expect(within(screen.getByTestId('main-menu')).getByText('Overview')).toBeTruthy();
    expect(screen.getByTestId('current-org').textContent).toContain('Big Data Development Bureau');
    await waitFor(() => expect(net.bodies.get('PATCH /api/auth/me')).toEqual([{ locale: 'en' }]));
  });

  it('asks a signed-out visitor to sign in', async () => {
    stubApi({ 'GET /api/auth/me': UNAUTHENTICATED });
    renderApp(consoleStrings, <ConsoleApp />, { basename: '/console' });
    expect(await screen.findByRole('heading', { level: 3, name: /管理控制台$/ })).toBeTruthy();
    expect(screen.getByText('工作人员统一身份认证')).toBeTruthy();
    expect(document.querySelector('input[autocomplete="username"]')).toBeTruthy();
    expect(screen.queryByTestId('main-menu')).toBeNull();
  });
});
