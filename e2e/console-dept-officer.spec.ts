// (a) An administrator creates a department officer for 市公安局 (GAJ); the officer then sees only
// that department's organisations and users, and their language choice follows them across reloads.
import { expect, test, type Page } from '@playwright/test';
import { login, snap } from './helpers';

const officer = {
  username: `gaj_e2e_${Date.now().toString(36)}`,
  displayName: '公安局端到端警员',
  password: 'Gaj-Officer-2026!',
};

async function pickOption(page: Page, inputId: string, search: string, optionTitle: RegExp) {
  const input = page.locator(`#${inputId}`);
  await input.click();
  await input.fill(search);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionTitle });
  await expect(option.first()).toBeVisible();
  await option.first().click();
}

/** A sidebar entry by its exact text (the icon inside adds its own name to the accessible one). */
function menuItem(page: Page, label: string) {
  return page.getByTestId('main-menu').getByRole('menuitem').filter({ hasText: new RegExp(`^${label}$`) });
}

async function openMenu(page: Page, label: string) {
  await menuItem(page, label).click();
}

test('admin creates a GAJ officer who sees only their department, in the language they chose', async ({ page }) => {
  test.setTimeout(180_000);
  // ---- the administrator -------------------------------------------------------------------
  await page.goto('/console/');
  await login(page, 'admin');
  await expect(page.getByTestId('current-user')).toHaveText('平台管理员');
  await openMenu(page, '用户');
  await expect(page.getByTestId('users-table')).toContainText('gaj_officer');

  await page.getByTestId('create-user').click();
  const modal = page.getByRole('dialog').filter({ hasText: '新建用户' });
  await expect(modal).toBeVisible();
  await modal.locator('#username').fill(officer.username);
  await modal.locator('#displayName').fill(officer.displayName);
  await pickOption(page, 'orgId', '公安', /^市公安局/);
  // The chosen role must show as a tag before going on: under load a click can land while the dropdown
  // re-renders its filtered options, so the pick is repeated until the form holds it.
  const chosenRoles = modal.getByTestId('create-user-roles').locator('.ant-select-selection-item');
  await expect(async () => {
    if (!(await chosenRoles.filter({ hasText: 'dept_officer' }).count())) await pickOption(page, 'roles', 'dept_officer', /dept_officer/);
    await expect(chosenRoles.filter({ hasText: 'dept_officer' })).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await modal.getByText('新建用户', { exact: true }).click(); // close the role dropdown
  await modal.locator('#password').fill(officer.password);
  await snap(page, 'console-create-officer');
  await page.getByTestId('create-user-ok').click();

  await expect(page.locator('.ant-message')).toContainText(officer.username);
  await expect(modal).toBeHidden();
  const row = page.getByTestId('users-table').locator('tr', { hasText: officer.username });
  await expect(row).toContainText('市公安局');
  await expect(row).toContainText('部门工作人员');

  // The administrator may change roles.
  await openMenu(page, '角色');
  await expect(page.getByTestId('roles-table')).toContainText('dept_officer');
  await expect(page.getByTestId('create-role')).toBeVisible();

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await expect(page.getByTestId('login-submit')).toBeVisible();

  // ---- the new officer ---------------------------------------------------------------------
  await login(page, officer.username, officer.password);
  await expect(page.getByTestId('current-user')).toHaveText(officer.displayName);
  await expect(page.getByTestId('current-org')).toHaveText('市公安局');

  // Only what a department officer may use is offered.
  await expect(menuItem(page, '组织机构')).toBeVisible();
  await expect(menuItem(page, '审计日志')).toBeVisible();
  await expect(menuItem(page, '角色')).toBeVisible();
  for (const hidden of ['接口密钥', '单点登录应用', '后台任务']) {
    await expect(menuItem(page, hidden)).toHaveCount(0);
  }

  await openMenu(page, '组织机构');
  const orgs = page.getByTestId('orgs-table');
  await expect(orgs).toContainText('市公安局');
  await expect(orgs.locator('.ant-spin-spinning')).toHaveCount(0);
  const orgText = await orgs.innerText();
  for (const other of ['市南区', '市北区', '青岛市', '市大数据发展管理局', '市商务局']) expect(orgText).not.toContain(other);
  await expect(page.getByText(/共 \d+ 条/)).toBeVisible();
  await snap(page, 'console-officer-orgs');

  // Roles: readable (role.read), but nothing to create or edit without role.write.
  await openMenu(page, '角色');
  const roles = page.getByTestId('roles-table');
  await expect(roles).toContainText('部门工作人员');
  await expect(roles.locator('.ant-spin-spinning')).toHaveCount(0);
  await expect(page.getByTestId('create-role')).toHaveCount(0);
  await expect(roles.getByRole('button', { name: '编辑' })).toHaveCount(0);
  await expect(roles.getByRole('columnheader', { name: '操作' })).toHaveCount(0);

  await openMenu(page, '用户');
  const users = page.getByTestId('users-table');
  await expect(users).toContainText(officer.username);
  await expect(users).toContainText('gaj_officer');
  await expect(users.locator('.ant-spin-spinning')).toHaveCount(0);
  const userText = await users.innerText();
  for (const other of ['@admin', 'shinan_officer', 'citizen_zhang', 'screen_operator', '市南区']) expect(userText).not.toContain(other);
  await expect(page.getByTestId('create-user')).toHaveCount(0);

  // ---- language: switches at once and is remembered on the account ---------------------------
  await page.getByTestId('lang-switch').getByText('English').click();
  await expect(menuItem(page, 'Organisations')).toBeVisible();
  await expect(menuItem(page, 'Users')).toBeVisible();
  await expect(menuItem(page, '用户')).toHaveCount(0);
  await expect(page.getByTestId('current-org')).toHaveText('Public Security Bureau');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Reload with this browser's memory wiped: the choice must come back from the account itself.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(menuItem(page, 'Users')).toBeVisible();
  await expect(page.getByTestId('users-table')).toContainText(officer.username);
  await expect(page.getByText(/\d+ in total/)).toBeVisible();
  // Organisation names in English come with the user list itself.
  await expect(page.getByTestId('users-table').locator('tr', { hasText: officer.username })).toContainText('Public Security Bureau');
  await snap(page, 'console-officer-english');
});
