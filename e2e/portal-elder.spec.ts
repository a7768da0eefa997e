// Issue 3 "must show": elder mode (适老化) enlarges the page, survives a reload and a new sign-in
// (remembered on the account), makes touch targets big, and every section can be read aloud in Chinese.
import { expect, test, type Page } from '@playwright/test';
import { portalLogin, portalLogout, snap } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const bodyTextSize = (page: Page) => page.locator('[data-testid=item-card] .item-name, .item-name').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
const rootSize = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

test('elder mode enlarges the page, is remembered per user and reads sections aloud', async ({ page, browser }) => {
  // Record what would be spoken instead of playing sound.
  await page.addInitScript(() => {
    const spoken: { text: string; lang: string }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    if ('speechSynthesis' in window) {
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
        spoken.push({ text: u.text, lang: u.lang });
      };
    }
  });
  await page.goto('/');
  await expect(page.getByTestId('popular').getByTestId('item-card').first()).toBeVisible();
  const before = await bodyTextSize(page);
  const rootBefore = await rootSize(page);
  await snap(page, 'portal-elder-off-phone');

  const toggle = page.getByTestId('elder-switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveClass(/elder/);
  expect(await bodyTextSize(page)).toBeGreaterThanOrEqual(before * 1.25);
  expect(await rootSize(page)).toBeGreaterThanOrEqual(rootBefore * 1.25);
  await snap(page, 'portal-elder-on-phone');

  // Bigger touch targets and a simpler navigation.
  const navLinks = page.getByRole('navigation', { name: '主导航' }).getByRole('link');
  await expect(navLinks).toHaveCount(3);
  for (const box of await navLinks.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(48);
  const readAloud = page.getByTestId('read-aloud').first();
  await expect(readAloud).toBeVisible();
  expect((await readAloud.boundingBox())!.height).toBeGreaterThanOrEqual(48);

  // Read-aloud speaks the section's text in Chinese.
  await readAloud.click();
  const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
  expect(spoken.length).toBe(1);
  expect(spoken[0].lang).toBe('zh-CN');
  expect(spoken[0].text).toContain('热门服务');

  // Survives a reload (signed out: remembered in this browser).
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/elder/);
  await expect(page.getByTestId('elder-switch')).toHaveAttribute('aria-checked', 'true');

  // Signed in, the account's own choice counts; switching it on saves it on the account.
  await portalLogin(page, 'elder_wang');
  await page.goto('/zones/elders');
  const zoneSwitch = page.getByTestId('elder-switch-zone');
  await expect(zoneSwitch).toBeVisible();
  if ((await zoneSwitch.getAttribute('aria-checked')) !== 'true') await zoneSwitch.click();
  await expect(zoneSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveClass(/elder/);
  await snap(page, 'portal-elder-zone-phone', true);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/elder/);
  await portalLogout(page);

  // A fresh browser (nothing in localStorage): signing in as elder_wang brings elder mode back.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const fresh = await other.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('popular').getByTestId('item-card').first()).toBeVisible();
  await expect(fresh.locator('html')).not.toHaveClass(/elder/);
  await portalLogin(fresh, 'elder_wang');
  await fresh.goto('/');
  await expect(fresh.locator('html')).toHaveClass(/elder/);
  await expect(fresh.getByTestId('elder-switch')).toHaveAttribute('aria-checked', 'true');
  expect(await rootSize(fresh)).toBeGreaterThanOrEqual(rootBefore * 1.25);
  await snap(fresh, 'portal-elder-home-signed-in-phone', true);

  // Switch it off again so the demo account stays as it was.
  await fresh.getByTestId('elder-switch').click();
  await expect(fresh.locator('html')).not.toHaveClass(/elder/);
  await other.close();
});
