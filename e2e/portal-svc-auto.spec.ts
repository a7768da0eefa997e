// Issue 3 "must show": on a phone, citizen_zhang searches 公积金, opens the renter withdrawal,
// applies, is approved automatically (秒批) and sees the decision and the rule trace.
import { expect, test } from '@playwright/test';
import { TINY_PDF, portalLogin, shanghaiDatePlus, snap } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

// citizen_zhang's real (demo) ID number: 市南区, born 1988-05-17.
const ZHANG_ID = '370202198805172314';

test('citizen_zhang applies for the renter provident-fund withdrawal and is approved automatically', async ({ page }) => {
  await portalLogin(page, 'citizen_zhang');

  // Search from the home page; the abbreviation is expanded and the match highlighted.
  await page.getByTestId('search-input').first().fill('公积金');
  await page.getByRole('button', { name: '搜索' }).first().click();
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByTestId('expanded-note')).toContainText('住房公积金');
  const hit = page.getByTestId('results').getByRole('link', { name: /住房公积金提取（租房）/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark').first()).toHaveText('住房公积金');
  await snap(page, 'portal-svc-search-phone');
  await hit.click();

  // The item page: mode, time limits, materials.
  await expect(page.getByRole('heading', { level: 1, name: '住房公积金提取（租房）' })).toBeVisible();
  await expect(page.getByTestId('mode-badge').first()).toHaveText('秒批');
  await expect(page.getByTestId('promised-days')).toHaveText('1 个工作日');
  await expect(page.getByTestId('item-materials')).toContainText('房屋租赁合同');
  await page.getByTestId('apply').click();

  // The form: submitting it empty is stopped in the browser, field by field.
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('error-applicantName')).toHaveText('请填写此项');
  await expect(page.getByTestId('error-amount')).toBeVisible();

  await page.locator('#f-applicantName').fill('张示例');
  await page.locator('#f-idNumber').fill(ZHANG_ID);
  await page.locator('#f-phone').fill('13800000001');
  await page.locator('#f-accountNumber').fill('123456789012');
  await page.locator('#f-rentalDistrict').selectOption('370202');
  await page.locator('#f-rentalAddress').fill('市南区香港中路 10 号 2 单元 301');
  await page.locator('#f-leaseStart').fill(shanghaiDatePlus(-200));
  await page.locator('#f-leaseEnd').fill(shanghaiDatePlus(165));
  await page.locator('#f-monthlyRent').fill('3000');
  await page.locator('#f-noOwnHome').check();
  await page.locator('#f-maritalStatus').selectOption('single');
  await page.locator('#f-amount').fill('6000');
  await page.locator('#f-bank').selectOption('icbc');
  await page.locator('#f-bankCard').fill('6222020200112233445');
  await page.locator('#f-commitment').check();

  // The draft keeps what was typed.
  await page.getByTestId('save-draft').click();
  await expect(page.getByText('草稿已保存')).toBeVisible();
  await page.reload();
  await expect(page.locator('#f-rentalAddress')).toHaveValue('市南区香港中路 10 号 2 单元 301');
  await expect(page.locator('#f-noOwnHome')).toBeChecked();

  // A wrong file type is refused in the browser before any upload.
  await page.getByTestId('file-lease').setInputFiles({ name: 'lease.txt', mimeType: 'text/plain', buffer: Buffer.from('not a lease') });
  await expect(page.getByTestId('material-lease').getByRole('alert')).toContainText('文件类型不符');

  await page.getByTestId('file-lease').setInputFiles({ name: 'lease.pdf', mimeType: 'application/pdf', buffer: TINY_PDF });
  await expect(page.getByTestId('material-lease').getByTestId('material-file')).toContainText('lease.pdf');
  await page.getByTestId('file-idCard').setInputFiles({ name: 'id-card.pdf', mimeType: 'application/pdf', buffer: TINY_PDF });
  await expect(page.getByTestId('material-idCard').getByTestId('material-file')).toContainText('id-card.pdf');
  // The deposit certificate comes from the wallet (the demo seed put it there), with the applicant's consent.
  await page.getByTestId('material-depositProof').getByTestId('use-wallet-certificate').click();
  await expect(page.getByTestId('material-depositProof').getByTestId('material-file')).toContainText('住房公积金缴存证明');
  await snap(page, 'portal-svc-apply-phone', true);

  await page.getByTestId('submit').click();

  // Approved at once, with the decision document and every clause of the rule.
  await expect(page.getByTestId('auto-approved')).toContainText('已自动审批通过');
  await expect(page.getByTestId('state-badge').first()).toHaveText('已批准');
  const trace = page.getByTestId('rule-trace').locator('li');
  await expect(trace).toHaveCount(5);
  for (let i = 0; i < 5; i++) await expect(trace.nth(i)).toContainText('符合');
  await expect(page.getByTestId('rule-trace')).toContainText('profile.age = 38');
  await expect(page.getByTestId('rule-trace')).toContainText('materials.lease = true');
  await expect(page.getByTestId('decision-doc')).toContainText('准予决定书');
  await expect(page.getByTestId('timeline')).toContainText('自动审批');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, 'portal-svc-approved-phone', true);

  // The application is in the list as approved; the notification count shows in the header.
  await page.goto('/applications');
  await expect(page.getByTestId('applications')).toContainText('住房公积金提取（租房）');
  await expect(page.getByTestId('applications').getByTestId('state-badge').first()).toHaveText('已批准');
  await expect(page.getByTestId('unread-count')).toBeVisible();
  await page.getByTestId('bell').click();
  await expect(page.getByTestId('notifications')).toContainText('自动审批通过');
  await page.getByTestId('read-all').click();
  await expect(page.getByTestId('unread-count')).toHaveCount(0);
});
