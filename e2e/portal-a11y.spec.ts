// Issue 3 "must show": the portal's service-hall pages have no serious or critical accessibility
// violations (axe-core), signed out and signed in, and in elder mode.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { portalLogin } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });

async function check(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    console.log(
      `axe on ${name}:\n` +
        bad.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`).join('\n'),
    );
  }
  expect(bad.map((v) => `${v.id} (${v.nodes.length})`), `serious or critical axe violations on ${name}`).toEqual([]);
}

test('service-hall pages pass axe-core (no serious or critical violations)', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('popular').getByTestId('item-card').first()).toBeVisible();
  await check(page, 'home (signed out)');

  await page.goto(`/search?q=${encodeURIComponent('公积金')}`);
  await expect(page.getByTestId('results').getByTestId('item-card').first()).toBeVisible();
  await check(page, 'search results');

  await page.goto('/items/GJJ-GG-0001');
  await expect(page.getByTestId('item-materials')).toBeVisible();
  await check(page, 'item detail');

  await portalLogin(page, 'parent_li');
  await page.goto('/');
  await expect(page.getByTestId('recommended').getByTestId('rec-item').first()).toBeVisible();
  await check(page, 'home (signed in)');

  await page.goto('/items/MZJ-JF-0002');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('submit')).toBeVisible();
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('error-applicantName')).toBeVisible();
  await check(page, 'apply form (with errors shown)');

  await page.goto('/applications');
  await expect(page.getByTestId('applications')).toBeVisible();
  await check(page, 'my applications');

  await page.goto('/proxy');
  await expect(page.getByTestId('grants-given')).toBeVisible();
  await check(page, 'proxy');

  await page.getByTestId('elder-switch').click();
  await expect(page.locator('html')).toHaveClass(/elder/);
  await page.goto('/');
  await expect(page.getByTestId('recommended').getByTestId('rec-item').first()).toBeVisible();
  await check(page, 'home in elder mode');
  await page.goto('/zones/elders');
  await expect(page.getByTestId('zone-items')).toBeVisible();
  await check(page, 'elders zone in elder mode');
  // Leave the demo account as it was.
  await page.getByTestId('elder-switch').click();
  await expect(page.locator('html')).not.toHaveClass(/elder/);
});
