// (c) The big screen shows live, non-zero platform counts to the duty officer, and nothing to
// accounts without the statistics permission.
import { expect, test } from '@playwright/test';
import { login, snap } from './helpers';

test.use({ viewport: { width: 1920, height: 1080 } });

async function tileValue(page: import('@playwright/test').Page, key: string): Promise<number> {
  const v = await page.getByTestId(`tile-${key}`).locator('.tile-value').getAttribute('data-value');
  return Number(v);
}

test('screen_operator sees non-zero city counts and the charts', async ({ page }) => {
  // District names in both languages come with the statistics; nothing else is looked up.
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto('/screen/');
  await login(page, 'screen_operator');

  await expect(page.getByRole('heading', { name: '数字青岛 城市运行平台' })).toBeVisible();
  await expect(page.getByTestId('tile-districts')).toBeVisible();
  for (const key of ['districts', 'departments', 'enterprises', 'citizens', 'staff', 'sessions', 'audit']) {
    expect(await tileValue(page, key), `tile ${key}`).toBeGreaterThan(0);
  }
  expect(await tileValue(page, 'districts')).toBe(10);

  // Four charts drawn on canvas, and a running Shanghai clock.
  await expect(page.locator('.chart canvas')).toHaveCount(4);
  await expect(page.getByTestId('clock')).toContainText(/\d{2}:\d{2}:\d{2}/);
  await expect(page.getByTestId('updated-at')).toContainText(/\d{2}:\d{2}:\d{2}/);
  await snap(page, 'screen');

  // The numbers refresh by themselves every 15 seconds.
  const stamp = await page.getByTestId('updated-at').innerText();
  await page.waitForResponse((r) => r.url().endsWith('/api/stats/overview') && r.ok(), { timeout: 25_000 });
  await expect(page.getByTestId('updated-at')).not.toHaveText(stamp);

  // In English the district chart redraws from the same statistics.
  await page.locator('.lang-switch').getByRole('radio', { name: 'EN' }).click();
  await expect(page.getByRole('heading', { name: 'Digital Qingdao City Operations' })).toBeVisible();
  await expect(page.locator('.chart canvas')).toHaveCount(4);
  await snap(page, 'screen-en');
  expect(asked.filter((p) => p.startsWith('/api/')).every((p) => p !== '/api/public/city')).toBe(true);
  await page.locator('.lang-switch').getByRole('radio', { name: '中' }).click();
  await expect(page.getByRole('heading', { name: '数字青岛 城市运行平台' })).toBeVisible();
});

test('an account without stats.read is told so on the big screen', async ({ page }) => {
  await page.goto('/screen/');
  await login(page, 'citizen_zhang');
  await expect(page.getByRole('alert')).toContainText('stats.read');
  await expect(page.getByTestId('tile-districts')).toHaveCount(0);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByTestId('login-submit')).toBeVisible();
});
