// Data sharing end to end (issue 5 "must show"): the human-resources bureau requests funeral records for
// a scenario with three fields, the big-data bureau passes the compliance check, the civil-affairs bureau
// approves two of them, the bureau issues a gateway key for the consumer system, the system reads the
// records through the gateway masked and with only the two fields; the dashboard shows the answer time.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { DEMO_RESOURCE_CODES } from '../src/modules/share/catalogue/catalogue.seed';
import { login, snap } from './helpers';

const run = Date.now().toString(36).toUpperCase();
const SCENARIO = `养老金待遇资格认证（E2E-${run}）`;

interface Item {
  name: string;
  label: string;
  personal?: string | null;
}
interface Resource {
  id: string;
  code: string;
  name: string;
  grade?: string;
  items?: Item[];
  provider?: { code?: string | null; name?: string | null } | null;
  providerMemberId?: string;
}

/** A fresh browser context signed in to the console as `user` (each officer in their own browser). */
async function consoleAs(browser: Browser, user: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/console/');
  await login(page, user);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

async function json<T>(page: Page, path: string): Promise<T> {
  const r = await page.request.get(path);
  expect(r.status(), `${path} → ${r.status()} ${await r.text().catch(() => '')}`).toBe(200);
  return (await r.json()) as T;
}

/** The published funeral-records resource of the civil-affairs bureau (MZJ), with its data items. */
async function funeralResource(page: Page): Promise<Resource> {
  const list = await json<{ items: Resource[] }>(page, `/api/share/resources?state=published&q=${encodeURIComponent(DEMO_RESOURCE_CODES.funeral)}&limit=20`);
  const hit = list.items.find((r) => r.code === DEMO_RESOURCE_CODES.funeral);
  expect(hit, `the published funeral-records resource ${DEMO_RESOURCE_CODES.funeral} among ${list.items.map((r) => r.code).join(', ')}`).toBeTruthy();
  return json<Resource>(page, `/api/share/resources/${hit!.id}`);
}

/** The checkbox of a data item, by its column name shown in <code>. */
function fieldBox(group: Locator, name: string): Locator {
  return group.locator('label').filter({ has: group.page().locator('code', { hasText: new RegExp(`^${name}$`) }) });
}

/** Picks an option of an antd select by typing into it. */
async function pick(page: Page, selector: string, text: string, option: string | RegExp = text) {
  const input = page.locator(selector);
  const chosen = page.locator('.ant-select').filter({ has: input });
  // Under load a click on an option can be lost while the list is still re-rendering: retry until the
  // select really holds the choice.
  await expect(async () => {
    await input.click();
    if (text) await input.fill(text);
    const opt = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first();
    await expect(opt).toBeVisible({ timeout: 5_000 });
    await opt.click();
    await expect(chosen).toContainText(option, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

test('a department requests funeral records; bureau checks; provider approves two fields; the key reads masked records; the dashboard shows the answer time', async ({ browser, playwright }) => {
  test.setTimeout(300_000);

  // ---- 1. the consumer (RSJ) asks for three fields for its pension-audit system -------------------
  const rsj = await consoleAs(browser, 'rsj_officer');
  const resource = await funeralResource(rsj);
  const items = resource.items ?? [];
  const nameItem = items.find((i) => i.personal === 'name');
  const idItem = items.find((i) => i.personal === 'id_number');
  const third = items.find((i) => i.name === 'death_date') ?? items.find((i) => !i.personal && i !== nameItem && i !== idItem);
  expect(nameItem && idItem && third, `name, ID number and one more field in ${items.map((i) => i.name).join(', ')}`).toBeTruthy();
  const asked = [nameItem!, idItem!, third!];
  const approved = [nameItem!, idItem!];

  const before = await json<{ answerTime: { n: number } }>(rsj, '/api/share/dashboard');

  await rsj.goto('/console/share/requests');
  await expect(rsj.getByRole('heading', { name: '共享申请' })).toBeVisible();
  await expect(rsj.getByRole('tab', { name: '我的申请' })).toBeVisible();
  await rsj.getByTestId('new-request').click();
  const modal = rsj.locator('.ant-modal').filter({ hasText: '发起数据共享申请' });
  await expect(modal).toBeVisible();
  await pick(rsj, '#resourceId', resource.name.slice(0, 4), resource.name);
  for (const it of asked) await fieldBox(modal.getByTestId('request-fields'), it.name).click();
  await pick(rsj, '#consumerSubsystemId', '', /pension-audit/);
  await modal.getByTestId('request-scenario').fill(SCENARIO);
  await modal.getByTestId('request-purpose').fill('核查养老金领取人员是否已死亡，及时停发待遇，防止冒领。');
  await modal.getByTestId('request-legal-basis').fill('《中华人民共和国社会保险法》第十六条；《社会保险基金监督举报奖励暂行办法》');
  await snap(rsj, 'share-request-form');
  await rsj.getByTestId('request-submit').click();
  await rsj.waitForURL(/\/console\/share\/requests\/[0-9a-f-]{36}$/);
  const requestId = rsj.url().split('/').pop()!;
  const detail = rsj.getByTestId('request-detail');
  await expect(detail.getByTestId('request-state')).toHaveText('待合规审核');
  await expect(detail.getByTestId('request-fields-asked')).toContainText(third!.name);
  await expect(rsj.getByTestId('request-timeline').getByTestId('request-step')).toHaveCount(1);
  await expect(rsj.getByTestId('compliance-pass')).toHaveCount(0); // a department does not check itself
  await snap(rsj, 'share-request-submitted');

  // The list shows it under "my requests" with its due date.
  await rsj.goto('/console/share/requests');
  const mine = rsj.getByTestId('requests-mine');
  await expect(mine).toContainText(SCENARIO);
  await expect(mine.locator('tr', { hasText: SCENARIO })).toContainText('合规审核');
  await snap(rsj, 'share-requests-mine');

  // ---- 2. the bureau (DSJ) passes the compliance check ---------------------------------------------
  const dsj = await consoleAs(browser, 'dsj_officer');
  await dsj.goto('/console/share/requests');
  await dsj.getByRole('tab', { name: '待合规审核' }).click();
  const review = dsj.getByTestId('requests-review');
  await expect(review).toContainText(SCENARIO);
  await snap(dsj, 'share-requests-review');
  await review.locator('tr', { hasText: SCENARIO }).getByRole('button', { name: '查看' }).click();
  await dsj.waitForURL(`**/share/requests/${requestId}`);
  await dsj.getByTestId('compliance-pass').click();
  await dsj.getByTestId('decision-ok').click();
  await expect(dsj.getByTestId('request-detail').getByTestId('request-state')).toHaveText('待提供方答复');
  await expect(dsj.getByTestId('request-timeline').getByTestId('request-step')).toHaveCount(2);

  // ---- 3. the provider (MZJ) approves two of the three fields -------------------------------------
  const mzj = await consoleAs(browser, 'mzj_officer');
  await mzj.goto('/console/share/requests');
  await mzj.getByRole('tab', { name: '待我答复' }).click();
  const inbox = mzj.getByTestId('requests-provider');
  await expect(inbox).toContainText(SCENARIO);
  await inbox.locator('tr', { hasText: SCENARIO }).getByRole('button', { name: '查看' }).click();
  await mzj.waitForURL(`**/share/requests/${requestId}`);
  await mzj.getByTestId('answer-approve').click();
  const approveFields = mzj.getByTestId('approve-fields');
  await expect(fieldBox(approveFields, third!.name).locator('input')).toBeChecked();
  await fieldBox(approveFields, third!.name).click(); // drop the third field
  await snap(mzj, 'share-request-approve');
  await mzj.getByTestId('decision-ok').click();
  const mzjDetail = mzj.getByTestId('request-detail');
  // A core-grade resource needs the bureau's approval on top of the provider's.
  if (resource.grade === 'core') {
    await expect(mzjDetail.getByTestId('request-state')).toHaveText('待核心审批');
    await dsj.reload();
    await dsj.getByTestId('core-approve').click();
    await dsj.getByTestId('decision-ok').click();
    await mzj.reload();
  }
  await expect(mzjDetail.getByTestId('request-state')).toHaveText('已批准');
  const approvedTags = mzjDetail.getByTestId('request-fields-approved');
  for (const it of approved) await expect(approvedTags).toContainText(it.name);
  await expect(approvedTags).not.toContainText(third!.name);
  await expect(mzj.getByTestId('open-grant')).toBeVisible();
  await snap(mzj, 'share-request-approved', true);

  // ---- 4. the bureau issues a gateway key for RSJ pension-audit; the system reads masked records ----
  const req = await json<{ consumerSubsystemId: string; grantId: string }>(dsj, `/api/share/requests/${requestId}`);
  expect(req.grantId).toBeTruthy();
  const key = await issueKey(dsj);
  const gw = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const res = await gw.get(`/api/share/gateway/${encodeURIComponent(resource.code)}/records?limit=20`);
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { items: Record<string, unknown>[]; total: number };
  expect(body.items.length).toBeGreaterThan(0);
  for (const row of body.items) {
    expect(Object.keys(row).sort()).toEqual(approved.map((i) => i.name).sort());
    const name = String(row[nameItem!.name]);
    expect(name, 'a name is masked to the surname').toMatch(/^[\u4e00-\u9fa5]{1,2}\*+$/u);
    const id = String(row[idItem!.name]);
    expect(id, 'an ID number keeps its first 6 and last 4').toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  }
  // A field outside the grant never leaves.
  const outside = await gw.get(`/api/share/gateway/${encodeURIComponent(resource.code)}/records?limit=1&fields=${third!.name}`);
  expect([400, 403, 422]).toContain(outside.status());
  await gw.dispose();

  // The call shows on the grants page's operational records.
  await dsj.goto(`/console/share/grants?grant=${req.grantId}`);
  await expect(dsj.getByTestId('grants-table')).toContainText(resource.code);
  await snap(dsj, 'share-grants');
  await dsj.getByRole('tab', { name: '运行记录' }).click();
  await expect(dsj.getByTestId('calls-table')).toContainText(resource.code);
  await expect(dsj.getByTestId('calls-table').locator('.ant-tag', { hasText: '200' }).first()).toBeVisible();
  await snap(dsj, 'share-grants-calls');
  await dsj.getByRole('tab', { name: '调用统计' }).click();
  await expect(dsj.getByTestId('usage-kpis')).toBeVisible();
  await snap(dsj, 'share-grants-usage');

  // ---- 5. the dashboard shows the request's answer time ---------------------------------------------
  await dsj.goto('/console/share/dashboard');
  const recent = dsj.getByTestId('recent-decisions');
  await expect(recent).toContainText(SCENARIO);
  const row = recent.locator('tr', { hasText: SCENARIO });
  await expect(row).toContainText('已批准');
  await expect(row).toContainText(/\d+(\.\d)? 个工作日/); // its answer time
  const after = await json<{ answerTime: { n: number } }>(rsj, '/api/share/dashboard'); // the same (RSJ's) scope as before
  expect(after.answerTime.n).toBe(before.answerTime.n + 1);
  await expect(dsj.getByTestId('kpi-median')).toBeVisible();
  await expect(dsj.getByTestId('answer-by-level')).toContainText('市级');
  await snap(dsj, 'share-dashboard', true);

  // ---- English: the same pages through the language switch (then back, it is saved on the account) --
  await dsj.getByTestId('lang-switch').getByText('English').click();
  await expect(dsj.getByRole('heading', { name: 'Exchange dashboard' })).toBeVisible();
  await snap(dsj, 'share-dashboard-en', true);
  await dsj.goto(`/console/share/requests/${requestId}`);
  await expect(dsj.getByTestId('request-detail').getByTestId('request-state')).toHaveText('Approved');
  await snap(dsj, 'share-request-en');
  await dsj.goto('/console/share/requests');
  await expect(dsj.getByRole('tab', { name: 'Compliance queue' })).toBeVisible();
  await snap(dsj, 'share-requests-en');
  await dsj.getByTestId('lang-switch').getByText('中文').click();
  await expect(dsj.getByRole('heading', { name: '共享申请' })).toBeVisible();

  for (const p of [rsj, dsj, mzj]) await p.context().close();
});

/**
 * The bureau issues a gateway key for RSJ's pension-audit system on the directory page: find the member,
 * open its systems, open pension-audit's keys, issue one; the key is shown once.
 */
async function issueKey(dsj: Page): Promise<string> {
  await dsj.goto('/console/share/directory');
  await dsj.getByTestId('member-search').locator('input').fill('RSJ');
  await dsj.getByTestId('member-search').locator('input').press('Enter');
  const members = dsj.getByTestId('members-table');
  const rsjRow = members.locator('tr.ant-table-row', { hasText: '人力资源和社会保障局' }).first();
  await expect(rsjRow).toBeVisible();
  await rsjRow.locator('.ant-table-row-expand-icon').click();
  const systems = dsj.getByTestId('member-subsystems');
  const pension = systems.locator('tr.ant-table-row', { hasText: 'pension-audit' }).first();
  await expect(pension).toBeVisible();
  await pension.locator('.ant-table-row-expand-icon').click();
  await systems.getByTestId('issue-key').click();
  const shown = dsj.getByTestId('secret-value');
  await expect(shown).toBeVisible();
  await snap(dsj, 'share-directory-key');
  const key = (await shown.innerText()).trim();
  expect(key.length).toBeGreaterThan(16);
  await dsj.keyboard.press('Escape');
  return key;
}

test('the requests page has no serious or critical accessibility violations', async ({ page }) => {
  await page.goto('/console/');
  await login(page, 'rsj_officer');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.goto('/console/share/requests');
  await expect(page.getByTestId('requests-mine')).toBeVisible();
  await expect(page.getByTestId('requests-mine').locator('.ant-spin-spinning')).toHaveCount(0);
  // Every rule over the page's content. Colour contrast too, except on antd's own theme colours, which
  // are the whole console's and not this page's to change: the primary blue #1677ff (buttons, link
  // buttons, the active tab), the preset tag colours and the select placeholder.
  const all = await new AxeBuilder({ page }).include('.page').disableRules(['color-contrast']).analyze();
  const contrast = await new AxeBuilder({ page })
    .include('.page')
    .withRules(['color-contrast'])
    .exclude('.ant-btn')
    .exclude('.ant-tag')
    .exclude('.ant-tabs-tab-active')
    .exclude('.ant-select-placeholder')
    .analyze();
  const bad = [...all.violations, ...contrast.violations].filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) console.log(bad.map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`).join('\n'));
  expect(bad.map((v) => `${v.id} (${v.nodes.length})`)).toEqual([]);
});
