// Credit end to end: an officer uploads a penalty file with three bad rows and sees them marked,
// publishes the good rows; the public lookup finds a penalty; the enterprise applies for repair of a
// penalty eligible now; the officer approves; the lookup no longer shows it.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeCreditCode } from '../src/platform/ids/credit-code';
import { loadCityFile } from '../src/modules/org/org.seed';
import { ARTIFACTS, login, snap } from './helpers';

/** The officer of the department that decides the seeded penalties of ent_demo. */
const DEPT_OFFICER = 'gaj_officer';

/**
 * The authority the signed-in officer publishes for: the one on the department's seeded penalties
 * (name and credit code), or the organisation's own credit code.
 */
async function deptAuthority(page: Page): Promise<{ name: string; code: string }> {
  const recs = (await (await page.request.get('/api/credit/records?kind=penalty&limit=1')).json()) as { items: { authorityCode: string; record: Record<string, string> }[] };
  if (recs.items?.length) return { name: recs.items[0].record.CF_CFJG, code: recs.items[0].authorityCode };
  const me = (await (await page.request.get('/api/auth/me')).json()) as { org: { id: string } };
  const org = (await (await page.request.get(`/api/orgs/${me.org.id}`)).json()) as { name: string; creditCode: string | null };
  if (!org.creditCode) throw new Error(`the officer's organisation ${org.name} has no credit code to publish under`);
  return { name: org.name, code: org.creditCode };
}

const run = Date.now().toString(36).toUpperCase();
const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The seeded demo enterprises (same names and codes as the org seed). */
function demoEnterprises(n: number): { name: string; code: string }[] {
  const city = loadCityFile();
  const words = ['海洋科技', '智能制造', '数字文旅', '港航物流', '生物医药', '新能源', '食品加工', '信息技术', '工业互联网', '现代农业'];
  return Array.from({ length: n }, (_, i) => {
    const d = city.districts[i % city.districts.length];
    return { name: `青岛${d.name.replace(/（.*?）|区|市$/g, '')}${words[i % words.length]}示例有限公司`, code: makeCreditCode(d.code, `MA${String(3100000 + i * 7919).padStart(7, '0')}`) };
  });
}

const HEADER = ['CF_XDR_MC', 'CF_XDR_LB', 'CF_XDR_SHXYM', 'CF_FRDB', 'CF_WSH', 'CF_WFXW', 'CF_SY', 'CF_YJ', 'CF_CFLB', 'CF_NR', 'CF_NR_FK', 'CF_JDRQ', 'CF_YXQ', 'CF_CFJG', 'CF_CFJGDM', 'CF_SJLY', 'CF_SJLYDM'];

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Five valid penalties for demo enterprises and three bad rows (lines 4, 6 and 8 of the file, the header being line 1). */
function penaltyCsv(authority: { name: string; code: string }): { file: string; goodName: string; goodDoc: string } {
  const ents = demoEnterprises(8);
  const row = (i: number, over: Record<string, string> = {}) => {
    const e = ents[i];
    const base: Record<string, string> = {
      CF_XDR_MC: e.name,
      CF_XDR_LB: '法人及非法人组织',
      CF_XDR_SHXYM: e.code,
      CF_FRDB: '王示例',
      CF_WSH: `青公罚决字〔2026〕E2E${run}-${i + 1}号`,
      CF_WFXW: '未按规定落实消防安全责任',
      CF_SY: '经检查，该单位疏散通道堵塞，未按规定维护消防设施。',
      CF_YJ: '《中华人民共和国消防法》第六十条',
      CF_CFLB: '罚款',
      CF_NR: '处罚款人民币伍仟元整',
      CF_NR_FK: '0.5',
      CF_JDRQ: today,
      CF_YXQ: '2099-12-31',
      CF_CFJG: authority.name,
      CF_CFJGDM: authority.code,
      CF_SJLY: authority.name,
      CF_SJLYDM: authority.code,
      ...over,
    };
    return HEADER.map((h) => csvCell(base[h] ?? '')).join(',');
  };
  const wrongCheck = (code: string) => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
  const lines = [
    HEADER.join(','),
    row(0),
    row(1),
    row(2, { CF_XDR_SHXYM: wrongCheck(ents[2].code) }), // a wrong check character
    row(3),
    row(4, { CF_SY: '' }), // a missing mandatory field
    row(5),
    row(6, { CF_JDRQ: today, CF_YXQ: '2020-01-01' }), // dates in the wrong order
    row(7),
  ];
  const file = path.join(ARTIFACTS, `credit-penalties-${run}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, goodName: ents[0].name, goodDoc: `青公罚决字〔2026〕E2E${run}-1号` };
}

/** Searches the public lookup for a name and opens that subject's page. */
async function openSubject(page: Page, name: string) {
  await page.goto(`/credit?q=${encodeURIComponent(name)}`);
  const hit = page.getByTestId('credit-hit').filter({ hasText: name });
  await expect(hit.first()).toBeVisible();
  await hit.first().click();
  await expect(page.getByTestId('subject-penalties')).toBeVisible();
}

function menuItem(page: Page, label: string) {
  return page.getByTestId('main-menu').getByRole('menuitem').filter({ hasText: new RegExp(`^${label}$`) });
}

async function consoleLogout(page: Page) {
  await page.context().clearCookies();
}

test('publish with validation, public lookup, enterprise repair, officer approval', async ({ page, browser }) => {
  test.setTimeout(300_000);

  // ---- the officer uploads a penalty file ------------------------------------------------------
  await page.goto('/console/');
  await login(page, DEPT_OFFICER);
  await expect(page.getByTestId('current-user')).toBeVisible();
  const authority = await deptAuthority(page);
  const csv = penaltyCsv(authority);

  await menuItem(page, '双公示报送').click();
  await expect(page.getByRole('heading', { name: '双公示信息报送' })).toBeVisible();
  await snap(page, 'credit-console-publish');
  await page.locator('input[type=file]').setInputFiles(csv.file);
  const report = page.getByTestId('batch-report');
  await expect(report).toBeVisible();
  await expect(page.getByTestId('report-total')).toContainText('8');
  await expect(page.getByTestId('report-valid')).toContainText('5');
  await expect(page.getByTestId('report-invalid')).toContainText('3');
  // The three bad rows are marked with the field in error.
  const problems = page.getByTestId('problems-table');
  for (const n of [4, 6, 8]) await expect(problems.getByTestId(`problem-row-${n}`)).toBeVisible();
  await expect(problems).toContainText('CF_XDR_SHXYM');
  await expect(problems).toContainText('CF_SY');
  await expect(problems).toContainText(/CF_YXQ|CF_JDRQ/);
  await snap(page, 'credit-console-report', true);

  // The marked Excel report downloads.
  const download = page.waitForEvent('download');
  await page.getByTestId('report-xlsx').click();
  expect((await (await download).path())?.length).toBeGreaterThan(0);

  await page.getByTestId('publish-valid').click();
  // antd spaces out two-character labels ("发 布").
  await page.locator('.ant-popconfirm').getByRole('button', { name: /^发\s?布$/ }).click();
  await expect(page.locator('.ant-message')).toContainText('已发布 5 条记录');

  await page.getByRole('tab', { name: '已报送信息' }).click();
  await expect(page.getByTestId('records-table')).toContainText(csv.goodDoc);
  await snap(page, 'credit-console-records');
  // One record by form: empty mandatory fields are caught in the browser; a wrong check character
  // and dates in the wrong order come back from the server's validator (422) on their fields.
  await page.getByRole('tab', { name: '单条录入' }).click();
  await page.getByTestId('record-submit').click();
  await expect(page.locator('.ant-form-item-explain-error').first()).toBeVisible();
  const formSubject = demoEnterprises(9)[8];
  const text: Record<string, string> = {
    CF_XDR_MC: formSubject.name,
    CF_XDR_SHXYM: formSubject.code.slice(0, 17) + (formSubject.code[17] === '0' ? '1' : '0'),
    CF_FRDB: '赵示例',
    CF_WSH: `青公罚决字〔2026〕E2E${run}-F号`,
    CF_WFXW: '未按规定落实消防安全责任',
    CF_SY: '消防设施未保持完好有效。',
    CF_YJ: '《中华人民共和国消防法》第六十条',
    CF_NR: '罚款人民币贰仟元',
    CF_NR_FK: '0.2',
    CF_CFJG: authority.name,
    CF_CFJGDM: authority.code,
    CF_SJLY: authority.name,
    CF_SJLYDM: authority.code,
  };
  for (const [id, v] of Object.entries(text)) await page.locator(`#${id}`).fill(v);
  await page.locator('#CF_XDR_LB').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '法人及非法人组织' }).click();
  await page.locator('#CF_CFLB').fill('罚款');
  await page.locator('#CF_CFLB').press('Escape');
  for (const [id, v] of [['CF_JDRQ', today], ['CF_YXQ', '2020-01-01']]) {
    await page.locator(`#${id}`).click();
    await page.locator(`#${id}`).fill(v);
    await page.locator(`#${id}`).press('Enter');
  }
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expect(page.locator('.ant-form-item-has-error', { has: page.locator('#CF_XDR_SHXYM') })).toContainText('校验位错误');
  await expect(page.locator('.ant-form-item-has-error', { has: page.locator('#CF_YXQ') })).toBeVisible();
  await page.getByTestId('form-error').scrollIntoViewIfNeeded();
  await snap(page, 'credit-console-form-errors');
  await page.getByRole('tab', { name: '上传批次' }).click();
  await expect(page.getByTestId('batches-table')).toContainText(path.basename(csv.file));
  await snap(page, 'credit-console-batches');

  // ---- the public lookup, signed out, on a phone ------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const pub = await phone.newPage();
  await pub.goto('/credit');
  await pub.getByTestId('credit-q').fill(csv.goodName);
  await pub.getByTestId('credit-search').click();
  const hit = pub.getByTestId('credit-hit').filter({ hasText: csv.goodName });
  await expect(hit).toBeVisible();
  await snap(pub, 'credit-portal-lookup', true);
  await hit.click();
  await expect(pub.getByTestId('subject-penalties')).toContainText(csv.goodDoc);
  await snap(pub, 'credit-portal-subject', true);

  // ---- the enterprise applies for repair of the penalty eligible now ----------------------------
  const ent = await phone.newPage();
  await ent.goto('/credit/repair');
  await login(ent, 'ent_demo');
  const eligible = ent.getByTestId('my-penalty').filter({ has: ent.getByTestId('apply-repair') }).first();
  await expect(eligible).toBeVisible();
  await expect(ent.getByTestId('my-penalties')).toContainText(/起可申请|暂不可申请/);
  await snap(ent, 'credit-portal-my-penalties', true);
  const repairedDoc = (await eligible.locator('dd').first().innerText()).trim();
  const entName = (await ent.locator('.credit-header p').innerText()).trim();
  // Before the repair the penalty is on the public lookup.
  await openSubject(pub, entName);
  await expect(pub.getByTestId('subject-penalties')).toContainText(repairedDoc);
  await eligible.getByTestId('apply-repair').click();
  await expect(ent.getByTestId('commitment-text')).toContainText('承诺');
  // Submitting empty shows what is missing.
  await ent.getByTestId('repair-submit').click();
  await expect(ent.getByRole('alert').first()).toBeVisible();
  await snap(ent, 'credit-portal-apply-errors', true);
  await ent.getByTestId('commitment-accept').check();
  await ent.getByTestId('statement').fill('罚款已于决定后十日内全额缴纳，疏散通道已清理，消防设施已全部整改到位。');
  const proof = path.join(ARTIFACTS, 'credit-proof.pdf');
  fs.writeFileSync(proof, '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  await ent.getByTestId('proof').setInputFiles(proof);
  await snap(ent, 'credit-portal-apply', true);
  await ent.getByTestId('repair-submit').click();
  await expect(ent.getByTestId('repair-state')).toHaveText('已提交');
  await snap(ent, 'credit-portal-progress', true);

  // ---- the officer of the deciding department approves ------------------------------------------
  await menuItem(page, '信用修复审核').click();
  const row = page.getByTestId('repairs-table').locator('tr', { hasText: repairedDoc });
  await expect(row).toBeVisible();
  await snap(page, 'credit-console-repairs');
  await row.getByRole('button', { name: '审核' }).click();
  await expect(page.getByTestId('repair-view')).toContainText('承诺');
  await snap(page, 'credit-console-repair-detail');
  if (await page.getByTestId('repair-accept').isVisible()) {
    await page.getByTestId('repair-accept').click();
    await expect(page.getByTestId('repair-view').getByTestId('repair-state')).toHaveText('已受理');
  }
  await page.getByTestId('repair-approve').click();
  await page.getByTestId('decision-ok').click();
  await expect(page.locator('.ant-message')).toContainText('修复通过');
  await expect(page.getByTestId('repair-view').getByTestId('repair-state')).toHaveText(/修复通过|已撤下公示|已同步/);

  // ---- the enterprise sees the result; the lookup no longer shows the penalty --------------------
  await ent.reload();
  await expect(ent.getByTestId('repair-state')).toHaveText(/修复通过|已撤下公示|已同步/);
  await snap(ent, 'credit-portal-approved', true);

  await openSubject(pub, entName);
  await expect(pub.getByTestId('subject-record').first()).toBeVisible();
  await expect(pub.getByTestId('subject-penalties')).not.toContainText(repairedDoc);
  await snap(pub, 'credit-portal-after-repair', true);

  // ---- statistics -------------------------------------------------------------------------------
  await consoleLogout(page);
  await page.goto('/console/');
  await login(page, 'admin');
  await menuItem(page, '信用统计').click();
  await expect(page.getByTestId('stats-total')).toBeVisible();
  await snap(page, 'credit-console-stats');
  await menuItem(page, '信用配置').click();
  await expect(page.getByRole('heading', { name: '信用配置' })).toBeVisible();
  await expect(page.locator('#limits_acceptDays')).toBeVisible();
  await snap(page, 'credit-console-admin', true);
  await page.getByRole('tab', { name: '推送记录' }).click();
  await snap(page, 'credit-console-outbox');
  await phone.close();
});
