// Issue 3 "must show": a relative applies for an elder under an authorisation (亲友代办). citizen_zhang
// asks elder_wang for an authorisation, elder_wang confirms it, citizen_zhang applies for him, and
// elder_wang sees the application recorded as made for him by citizen_zhang.
import { expect, test } from '@playwright/test';
import { TINY_PDF, portalLogin, portalLogout, snap } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

// elder_wang's demo ID number: 市北区, born 1948-03-12.
const WANG_ID = '370203194803123154';

test('citizen_zhang applies for elder_wang under a confirmed authorisation', async ({ page }) => {
  // 1. The relative asks for the authorisation.
  await portalLogin(page, 'citizen_zhang');
  await page.goto('/proxy');
  await expect(page.getByRole('heading', { level: 1, name: '亲友代办' })).toBeVisible();
  // Without an authorisation there is no "apply for" choice on an item.
  await page.goto('/items/MZJ-JF-0002');
  await expect(page.getByTestId('apply')).toBeVisible();
  await expect(page.getByTestId('apply-for')).toHaveCount(0);

  await page.goto('/proxy');
  await page.getByTestId('proxy-principal').fill('elder_wang');
  await page.getByLabel('您与对方的关系').selectOption('子女');
  await page.getByTestId('proxy-submit').click();
  await expect(page.getByTestId('proxy-requested')).toBeVisible();
  await expect(page.getByTestId('grants-received').getByTestId('grant-status')).toHaveText('待确认');
  await portalLogout(page);

  // 2. The elder confirms it.
  await portalLogin(page, 'elder_wang');
  await page.goto('/proxy');
  const given = page.getByTestId('grants-given').getByTestId('grant-given');
  await expect(given).toHaveCount(1);
  await expect(given.getByTestId('grant-status')).toHaveText('待确认');
  await snap(page, 'portal-proxy-confirm-phone', true);
  await given.getByTestId('grant-confirm').click();
  await expect(given.getByTestId('grant-status')).toHaveText('已生效');
  await portalLogout(page);

  // 3. The relative applies for the elder.
  await portalLogin(page, 'citizen_zhang');
  await page.goto('/items/MZJ-JF-0002');
  await expect(page.getByRole('heading', { level: 1, name: '高龄津贴申领' })).toBeVisible();
  await page.getByTestId('apply-for').click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
  await expect(page.getByText('申请人：王示例')).toBeVisible();
  await expect(page.getByText('您代 王示例 办理')).toBeVisible();
  await page.locator('#f-applicantName').fill('王示例');
  await page.locator('#f-idNumber').fill(WANG_ID);
  await page.locator('#f-phone').fill('13900000003');
  await page.locator('#f-bankCard').fill('6222020200112233446');
  await page.locator('#f-commitment').check();
  await page.getByTestId('file-idCard').setInputFiles({ name: 'wang-id.pdf', mimeType: 'application/pdf', buffer: TINY_PDF });
  await expect(page.getByTestId('material-idCard').getByTestId('material-file')).toContainText('wang-id.pdf');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('state-badge').first()).toHaveText('已提交');
  await expect(page.getByTestId('timeline').getByTestId('acting-for')).toContainText('张示例 代 王示例 办理');
  await snap(page, 'portal-proxy-applied-phone', true);
  await portalLogout(page);

  // 4. The elder sees it among his own applications, made for him by the relative.
  await portalLogin(page, 'elder_wang');
  await page.goto('/applications');
  const row = page.getByTestId('applications').getByRole('link', { name: /高龄津贴申领/ });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('acted-for-me')).toBeVisible();
  await row.click();
  await expect(page.getByTestId('acted-for-me')).toContainText('由 张示例 代您办理');
  await expect(page.getByTestId('timeline').getByTestId('acting-for')).toContainText('张示例 代 王示例 办理');
  await snap(page, 'portal-proxy-elder-sees-phone', true);
});
