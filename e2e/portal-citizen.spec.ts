// (b) A citizen signs in on a phone and sees their masked identity and the city's districts.
import { expect, test } from '@playwright/test';
import { login, snap } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

test('citizen_zhang sees a masked ID number and the districts on the portal', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: '账号登录' })).toBeVisible();
  await snap(page, 'portal-login');

  // A wrong password is refused with a message, and the form stays.
  await login(page, 'citizen_zhang', 'not-the-password');
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误');

  await login(page, 'citizen_zhang');
  // Signed in, the login page hands over to the service hall; the account page has the details.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('display-name')).toHaveText('张示例');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('display-name')).toBeVisible();
  await expect(page.getByTestId('account-kind')).toHaveText('市民');

  // The ID number is shown masked, never in full.
  const id = page.getByTestId('id-number');
  await expect(id).toHaveText(/^\d{2,6}\*{4,}[\dX]{2,4}$/);
  const body = await page.locator('body').innerText();
  expect(body).not.toMatch(/\d{17}[\dXx]/);
  await expect(page.getByTestId('phone')).toHaveText(/\*{4}/);

  // All ten districts and county-level cities of Qingdao.
  const districts = page.getByTestId('districts').locator('li');
  await expect(districts).toHaveCount(10);
  await expect(page.getByTestId('districts')).toContainText('市南区');
  await expect(page.getByTestId('districts')).toContainText('370202');

  // The sign-in just made shows up in the account's own activity.
  await expect(page.getByTestId('activity')).toContainText('登录');

  // Nothing overflows the phone's width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, 'portal-home', true);

  // English, then back to Chinese so the demo account stays as it was.
  await page.getByRole('radio', { name: 'English' }).click();
  await expect(page.getByTestId('districts')).toContainText('Shinan District');
  await expect(page.getByTestId('account-kind')).toHaveText('Citizen');
  await page.reload();
  await expect(page.getByTestId('districts')).toContainText('Shinan District');
  await page.getByRole('radio', { name: '简体中文' }).click();
  await expect(page.getByTestId('districts')).toContainText('市南区');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('heading', { name: '账号登录' })).toBeVisible();
  // Signed out, the home page is the public service hall again.
  await page.goto('/');
  await expect(page.getByTestId('popular')).toBeVisible();
});
