// The big screen: the operator's dashboard of live figures and charts, and who may not see it.
// ECharts needs a canvas, which jsdom lacks: only its module (shared/echarts) is replaced, by a
// stand-in that records the charts the dashboard draws.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ScreenApp } from './ScreenApp';
import { screenStrings } from './strings';
import { renderApp } from '../test/render';
import { UNAUTHENTICATED, stubApi } from '../test/api';
import meScreen from '../test/fixtures/me-screen.json';
import meCitizen from '../test/fixtures/me-citizen.json';
import stats from '../test/fixtures/stats.json';

const drawn = vi.hoisted((): unknown[] => []);
vi.mock('../shared/echarts', () => ({
  init: () => ({ setOption: (o: unknown) => drawn.push(o), resize: () => {}, dispose: () => {} }),
}));

describe('screen dashboard', () => {
  it('shows the city figures as tiles and four labelled charts', async () => {
    const net = stubApi({ 'GET /api/auth/me': meScreen, 'GET /api/stats/overview': stats });
    renderApp(screenStrings, <ScreenApp />, { basename: '/screen' });
    expect(await screen.findByRole('heading', { level: 1, name: '数字青岛 城市运行平台' })).toBeTruthy();
    const districts = await screen.findByTestId('tile-districts');
    expect(within(districts).getByText('区（市）')).toBeTruthy();
    expect(within(districts).getByText('10')).toBeTruthy();
    expect(within(screen.getByTestId('tile-departments')).getByText('44')).toBeTruthy();
    expect(within(screen.getByTestId('tile-audit')).getByText('近24小时 381')).toBeTruthy();
    for (const name of ['用户构成', '后台任务状态', '近24小时审计事件', '各区（市）组织机构数']) expect(screen.getByRole('img', { name })).toBeTruthy();
    await waitFor(() => expect(drawn.length).toBeGreaterThanOrEqual(4));
    expect(JSON.stringify(drawn)).toContain('市南区');
    expect(screen.getByTestId('updated-at').textContent).toMatch(/^数据更新 \d{2}:\d{2}:\d{2}$/);
    expect(screen.getByText('大屏值班员')).toBeTruthy();
    expect(net.unanswered).toEqual([]);
  });

  it('switches to English and saves the choice on the account', async () => {
    const net = stubApi({
      'GET /api/auth/me': meScreen,
      'GET /api/stats/overview': stats,
      'PATCH /api/auth/me': ({ body }) => ({ user: { ...meScreen.user, ...(body as object) } }),
    });
    renderApp(screenStrings, <ScreenApp />, { basename: '/screen' });
    await screen.findByTestId('tile-districts');
    fireEvent.click(screen.getByRole('radio', { name: 'EN' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Digital Qingdao City Operations' })).toBeTruthy();
    expect(within(screen.getByTestId('tile-districts')).getByText('Districts')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Organisations per district' })).toBeTruthy();
    await waitFor(() => expect(net.bodies.get('PATCH /api/auth/me')).toEqual([{ locale: 'en' }]));
  });

  it('asks for a sign-in, and tells an account without stats.read that it may not look', async () => {
    stubApi({ 'GET /api/auth/me': UNAUTHENTICATED });
    const first = renderApp(screenStrings, <ScreenApp />, { basename: '/screen' });
    expect(await screen.findByText('城市运行平台登录')).toBeTruthy();
    first.unmount();

    stubApi({ 'GET /api/auth/me': meCitizen });
    renderApp(screenStrings, <ScreenApp />, { basename: '/screen' });
    expect((await screen.findByRole('alert')).textContent).toContain('stats.read');
    expect(screen.queryByTestId('stage')).toBeNull();
  });
});
