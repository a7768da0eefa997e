// The catalogue side of the service hall in the console:
// (1) gaj_officer creates a draft item, adds a form field in the form editor (with its preview),
//     publishes it (version 1), changes the form again (pending), publishes version 2 and sees both
//     versions in the history;
// (2) admin marks a day of 2027 as a holiday and the deadline calculator moves the due date by a day;
// (3) the statistics page shows the numbers the API gives.
import { expect, test, type Page } from '@playwright/test';
import { login, snap } from './helpers';

function menu(page: Page, label: string) {
  return page.getByTestId('main-menu').getByRole('menuitem').filter({ hasText: new RegExp(`^${label}$`) });
}

async function signIn(page: Page, username: string) {
  await page.context().clearCookies();
  await page.goto('/console/');
  await login(page, username);
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function addField(page: Page, index: number, key: string, zh: string, en: string) {
  await page.getByTestId('add-field').click();
  const card = page.getByTestId(`field-card-${index}`);
  await card.getByTestId(`field-key-${index}`).fill(key);
  await card.getByTestId(`field-label-zh-${index}`).fill(zh);
  await card.getByTestId(`field-label-en-${index}`).fill(en);
}

test('officer edits a draft item form, publishes it twice and sees version 2 in the history', async ({ page }) => {
  test.setTimeout(180_000);
  const name = `端到端测试事项${Date.now().toString(36)}`;
  await signIn(page, 'gaj_officer');
  await menu(page, '事项管理').click();
  await expect(page.getByTestId('items-table')).toBeVisible();
  // The Chinese search works in the console too (drafts included).
  await page.getByTestId('item-search').locator('input').fill('居住证');
  await page.getByTestId('item-search').locator('input').press('Enter');
  await expect(page.getByTestId('items-table')).toContainText('居住证签发');
  await snap(page, 'console-svc-items');

  await page.getByTestId('create-item').click();
  const modal = page.getByRole('dialog').filter({ hasText: '新建事项' });
  await modal.locator('#name').fill(name);
  await modal.locator('#ownerOrgId').click();
  await modal.locator('#ownerOrgId').fill('公安');
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^市公安局/ }).first().click();
  await page.getByTestId('create-item-ok').click();

  // The editor of the new draft.
  await expect(page.getByTestId('editor-title')).toHaveText(name);
  await expect(page.locator('.editor-head')).toContainText('草稿');
  await page.getByTestId('tab-form').click();
  await addField(page, 0, 'plateNumber', '车牌号码', 'Plate number');
  await expect(page.getByTestId('form-preview')).toContainText('车牌号码');
  await snap(page, 'console-svc-form-editor', true);
  await page.getByTestId('item-save').click();
  await expect(page.locator('.ant-message')).toContainText('已保存');

  await page.getByTestId('item-publish').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByTestId('current-version')).toHaveText('版本 1');
  await expect(page.locator('.editor-head')).toContainText('已发布');

  // A change to a published item waits as a pending change until the next publication.
  await page.getByTestId('tab-form').click();
  await addField(page, 1, 'vehicleOwner', '车辆所有人', 'Vehicle owner');
  await page.getByTestId('item-save').click();
  await expect(page.locator('.ant-message')).toContainText('待发布变更');
  await expect(page.locator('.editor-head')).toContainText('有待发布变更');
  await page.getByRole('tab', { name: /待发布变更/ }).click();
  await expect(page.getByTestId('pending-table')).toContainText('车辆所有人');
  await snap(page, 'console-svc-pending');

  await page.getByTestId('item-publish').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByTestId('current-version')).toHaveText('版本 2');
  await page.getByTestId('tab-versions').click();
  const versions = page.getByTestId('versions-table');
  await expect(versions).toContainText('版本 2');
  await expect(versions).toContainText('版本 1');
  await expect(versions.locator('tr', { hasText: '版本 2' })).toContainText('当前版本');

  // Version 1, as it was published, has only the first field.
  await versions.locator('tr', { hasText: '版本 1' }).getByRole('button', { name: '查看' }).click();
  const v1 = page.getByRole('dialog').filter({ hasText: '版本 1' });
  await expect(v1.getByTestId('form-preview')).toContainText('车牌号码');
  await expect(v1.getByTestId('form-preview')).not.toContainText('车辆所有人');
  await snap(page, 'console-svc-version-1');
});

test('admin edits the holiday calendar and the deadline calculator follows it', async ({ page }) => {
  await signIn(page, 'admin');
  await menu(page, '节假日与时限').click();
  await expect(page.getByTestId('cal-year')).toBeVisible();
  const year = Number(await page.getByTestId('cal-year').textContent());
  await page.getByRole('button', { name: 'next year' }).click();
  await expect(page.getByTestId('cal-year')).toHaveText(String(year + 1));
  // The next year is not seeded (the State Council has not published it): Monday 4 January + 3 = Thursday 7th.
  const target = `${year + 1}-01-05`;
  const monday = (() => {
    for (let d = 1; d <= 7; d++) {
      const date = new Date(Date.UTC(year + 1, 0, d));
      if (date.getUTCDay() === 1) return d;
    }
    return 1;
  })();
  const from = `${year + 1}-01-${String(monday).padStart(2, '0')}`;
  const plus = (n: number) => new Date(Date.UTC(year + 1, 0, monday + n)).toISOString().slice(0, 10);

  const calc = async () => {
    const input = page.getByTestId('calc-from').locator('input').first();
    await input.click();
    await input.fill(from);
    await input.press('Enter');
    await page.getByTestId('calc-days').locator('input').fill('3');
    await page.getByTestId('calc-run').click();
  };
  await calc();
  await expect(page.getByTestId('calc-due')).toContainText(plus(3));

  // Mark the Tuesday after `from` a holiday.
  const tuesday = plus(1);
  expect(tuesday.slice(0, 8)).toBe(target.slice(0, 8));
  await page.getByTestId(`cal-${tuesday}`).click();
  const dialog = page.getByRole('dialog').filter({ hasText: tuesday });
  await expect(dialog).toBeVisible();
  await dialog.getByText('节假日', { exact: true }).click();
  await page.getByTestId('cal-name').fill('端到端测试假日');
  await page.getByTestId('cal-save').click();
  await expect(page.locator('.ant-message')).toContainText(`已保存 ${tuesday}`);
  await expect(page.getByTestId(`cal-${tuesday}`)).toHaveAttribute('data-kind', 'holiday');
  await expect(page.getByTestId('cal-table')).toContainText('端到端测试假日');

  await calc();
  await expect(page.getByTestId('calc-due')).toContainText(plus(4));
  await snap(page, 'console-svc-calendar');

  // Removing the day brings the old answer back.
  await page.getByTestId(`cal-${tuesday}`).click();
  await page.getByTestId('cal-remove').click();
  await expect(page.getByTestId(`cal-${tuesday}`)).toHaveAttribute('data-kind', '');
  await calc();
  await expect(page.getByTestId('calc-due')).toContainText(plus(3));
});

test('the statistics page shows the numbers of the API', async ({ page }) => {
  await signIn(page, 'admin');
  await menu(page, '服务统计').click();
  const apps = await (await page.request.get('/api/svc/application-stats')).json();
  const items = await (await page.request.get('/api/svc/stats')).json();
  const depts = await (await page.request.get('/api/public/svc/departments')).json();
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

  await expect(page.getByTestId('stat-total')).toContainText(String(apps.total));
  await expect(page.getByTestId('stat-overdue')).toContainText(String(apps.overdue));
  await expect(page.getByTestId('stat-ontime')).toContainText(pct(apps.onTimeRate));
  await expect(page.getByTestId('stat-auto')).toContainText(pct(apps.autoApprovalRate));
  await expect(page.getByTestId('stat-online')).toContainText(String(items.byStatus.published ?? 0));
  for (const [state, n] of Object.entries(apps.byState as Record<string, number>)) {
    if (state === 'draft') continue;
    const label = { submitted: '已提交', accepted: '已受理', correction_requested: '待补正', resubmitted: '已补正', approved: '已批准', rejected: '不予批准', completed: '已办结', withdrawn: '已撤回' }[state]!;
    await expect(page.getByTestId('state-table').locator('tr', { hasText: label })).toContainText(String(n));
  }
  const top = [...depts.items].sort((a: { items: number }, b: { items: number }) => b.items - a.items)[0];
  await expect(page.getByTestId('dept-table').locator('tr', { hasText: top.name }).first()).toContainText(String(top.items));
  await snap(page, 'console-svc-stats', true);

  // The same page in English, then back to Chinese (the choice follows the account).
  await page.getByTestId('lang-switch').getByText('English').click();
  await expect(menu(page, 'Statistics')).toBeVisible();
  await expect(page.getByTestId('stat-total')).toContainText(String(apps.total));
  await snap(page, 'console-svc-stats-en');
  await page.getByTestId('lang-switch').getByText('中文').click();
  await expect(menu(page, '服务统计')).toBeVisible();
});
