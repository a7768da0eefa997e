// The catalogue manager's pages and the item editor's data editors:
// import with a per-row error report, the automatic-approval rule with the server's validation errors,
// the materials editor, and the structure tabs (bundles, zones, district sub-halls, synonyms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { login, snap } from './helpers';

function menu(page: Page, label: string) {
  return page.getByTestId('main-menu').getByRole('menuitem').filter({ hasText: new RegExp(`^${label}$`) });
}

async function openItem(page: Page, query: string, name: string) {
  await menu(page, '事项管理').click();
  await page.getByTestId('item-search').locator('input').fill(query);
  await page.getByTestId('item-search').locator('input').press('Enter');
  await page.getByTestId('items-table').getByTestId('item-link').filter({ hasText: name }).first().click();
  await expect(page.getByTestId('editor-title')).toHaveText(name);
}

test('import reports every rejected row, shown and downloadable', async ({ page }) => {
  await page.goto('/console/');
  await login(page, 'admin');
  await menu(page, '事项管理').click();
  const csv = [
    'name,owner,kind,applicant,legalDays,promisedDays,mode',
    `端到端导入事项${Date.now().toString(36)},GAJ,行政确认,自然人,10,5,窗口`,
    '坏行事项一,NOPE,行政确认,自然人,10,5,窗口',
    '坏行事项二,GAJ,不存在的类型,自然人,5,10,飞行',
  ].join('\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dq-import-')), 'items.csv');
  fs.writeFileSync(file, csv);
  await page.getByRole('button', { name: /导\s*入/ }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: '导入事项' });
  await dialog.locator('input[type=file]').setInputFiles(file);
  await dialog.getByText('仅检查，不写入').click();
  await page.getByTestId('import-run').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('共 3 行');
  await expect(report).toContainText('未写入任何数据');
  const rows = report.locator('.import-errors tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(3);
  await expect(report.locator('.import-errors')).toContainText('owner');
  await expect(report.locator('.import-errors')).toContainText('kind');
  await expect(report.locator('.import-errors')).toContainText('mode');
  const download = page.waitForEvent('download');
  await report.getByRole('button', { name: /下载错误报告/ }).click();
  const saved = await (await download).path();
  const text = fs.readFileSync(saved!, 'utf8');
  expect(text).toContain('row,field,message');
  expect(text.split('\n').filter((l) => l.startsWith('3,')).length).toBeGreaterThanOrEqual(1);
  await snap(page, 'console-svc-import');
});

test('the automatic-approval rule editor shows the server validation errors; materials editor lists materials', async ({ page }) => {
  await page.goto('/console/');
  await login(page, 'gaj_officer');
  await openItem(page, '人才引进落户', '户口迁移（人才引进落户）');
  await page.getByRole('tab', { name: '申请材料' }).click();
  await expect(page.getByTestId('materials-editor')).toContainText('居民身份证');
  await snap(page, 'console-svc-materials');

  await page.getByRole('tab', { name: '秒批规则' }).click();
  const json = page.getByTestId('rule-json');
  await expect(json).toHaveValue(/clauses/);
  await snap(page, 'console-svc-rule');
  const valid = await json.inputValue();
  await json.fill('{"description": "坏规则", "clauses": [{"id": "x", "label": "未知运算", "test": {"nosuchop": [1, 2]}}]}');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-problems')).toBeVisible();
  await expect(page.getByTestId('rule-problems')).toContainText('nosuchop');
  await snap(page, 'console-svc-rule-errors');
  await json.fill('{ not json');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-problems')).toContainText('不是有效的 JSON');
  // The stored rule is unchanged.
  await page.reload();
  await page.getByRole('tab', { name: '秒批规则' }).click();
  await expect(page.getByTestId('rule-json')).toHaveValue(valid);
});

test('the catalogue manager sees bundles, zones, sub-halls and synonyms, and changes a sub-hall', async ({ page }) => {
  await page.goto('/console/');
  await login(page, 'admin');
  await menu(page, '目录结构').click();
  await expect(page.getByTestId('bundles-table').locator('tbody tr').first()).toBeVisible();
  await snap(page, 'console-svc-bundles');
  await page.getByTestId('bundles-table').getByRole('button', { name: '编辑' }).first().click();
  await expect(page.getByRole('dialog').filter({ hasText: '编辑一件事' })).toBeVisible();
  await snap(page, 'console-svc-bundle-editor');
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: '主题专区' }).click();
  await expect(page.getByTestId('zones-table')).toContainText('elder');
  await snap(page, 'console-svc-zones');

  await page.getByRole('tab', { name: '区（市）分厅' }).click();
  const row = page.getByTestId('halls-table').locator('tr', { hasText: '370202' });
  const before = Number(await row.locator('td').nth(4).textContent());
  await row.getByRole('button', { name: '管理代办事项' }).click();
  const drawer = page.locator('.ant-drawer').filter({ hasText: '代办的市级事项' });
  await expect(drawer.getByTestId('hall-items-table').locator('tbody tr').first()).toBeVisible();
  await snap(page, 'console-svc-hall-items');
  // Remove the first city item, then add it back.
  const first = drawer.getByTestId('hall-items-table').locator('tbody tr').first();
  const itemName = (await first.locator('td').first().textContent())!.trim();
  await first.getByRole('button', { name: '删除' }).click();
  // The confirmation opens above the first row, under the drawer's header: press its OK button directly.
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /确\s*定|OK/ }).dispatchEvent('click');
  await expect(page.locator('.ant-message')).toContainText('已移除');
  await expect(drawer.getByTestId('hall-items-table')).not.toContainText(itemName);
  await page.keyboard.press('Escape');
  await expect(row.locator('td').nth(4)).toHaveText(String(before - 1));
  await row.getByRole('button', { name: '管理代办事项' }).click();
  const picker = drawer.locator('.ant-select').first();
  await picker.click();
  await page.keyboard.type(itemName.slice(0, 6));
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: itemName }).first().click();
  await drawer.getByRole('button', { name: /添\s*加/ }).click();
  await expect(page.locator('.ant-message')).toContainText('已添加');
  await expect(drawer.getByTestId('hall-items-table')).toContainText(itemName);
  await page.keyboard.press('Escape');
  await expect(row.locator('td').nth(4)).toHaveText(String(before));

  await page.getByRole('tab', { name: '搜索同义词' }).click();
  await expect(page.getByTestId('synonyms-table')).toContainText('公积金');
  await snap(page, 'console-svc-synonyms');
});
