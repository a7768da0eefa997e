// The correction loop of an application, across the two sides: citizen_zhang applies for 居住证签发
// (市公安局, fully online) through the API; gaj_officer finds it in the console worklist, claims,
// accepts and asks for a correction with a reason; the citizen reads it and resubmits in the portal; the officer
// accepts again and approves; the history shows every step, who took it and why.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login, portalLogin, snap } from './helpers';

interface Field {
  key: string;
  type: string;
  required?: boolean;
  validation?: { min?: number; pattern?: string; options?: { value: string }[] };
}

/** A valid GB 11643 citizen ID number (check digit computed). */
function citizenId(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

/** Values for every required field of the item's form. */
function fill(fields: Field[]): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of fields) {
    if (!f.required) continue;
    const opts = f.validation?.options;
    v[f.key] =
      f.type === 'idNumber' ? citizenId('37020219880517231')
      : f.type === 'phone' ? '13800000001'
      : f.type === 'number' ? (f.validation?.min ?? 1)
      : f.type === 'date' ? '2020-01-01'
      : f.type === 'select' ? opts![0].value
      : f.type === 'checkbox' ? (opts ? [opts[0].value] : true)
      : f.type === 'creditCode' ? '91370200MA3C5LXXXX'
      : f.key === 'applicantName' ? '张市民'
      : '青岛市市南区香港中路1号';
  }
  return v;
}

async function citizen(request: APIRequestContext) {
  const res = await request.post('/api/auth/login', { data: { username: 'citizen_zhang', password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  const csrf = (await request.storageState()).cookies.find((c) => c.name === 'dq_csrf')?.value;
  expect(csrf).toBeTruthy();
  return { 'x-csrf-token': csrf! };
}

const CORRECTION_REASON = '身份证照片模糊，请重新上传清晰的正反面扫描件';
const APPROVE_NOTE = '材料齐全，准予签发';

async function openWorklist(page: Page) {
  await page.getByTestId('main-menu').getByRole('menuitem').filter({ hasText: /^办件工作台$/ }).click();
  await expect(page.getByTestId('worklist-table')).toBeVisible();
}

test('officer claims, accepts, requests a correction; citizen resubmits; officer approves', async ({ page, request, browser }) => {
  test.setTimeout(180_000);
  // ---- the citizen applies (API) ------------------------------------------------------------------
  const headers = await citizen(request);
  const search = await (await request.get('/api/public/svc/search', { params: { q: '居住证签发', department: 'GAJ' } })).json();
  const hit = search.items.find((i: { name: string }) => i.name === '居住证签发');
  expect(hit, 'seeded item 居住证签发 of GAJ').toBeTruthy();
  expect(['online', 'counter']).toContain(hit.mode);
  const item = await (await request.get(`/api/public/svc/items/${hit.code}`)).json();

  const created = await request.post('/api/applications', { headers, data: { itemId: hit.id } });
  expect(created.status(), await created.text()).toBe(201);
  const appId = (await created.json()).id as string;
  const patched = await request.patch(`/api/applications/${appId}`, { headers, data: { data: fill(item.form.fields) } });
  expect(patched.status(), await patched.text()).toBe(200);
  for (const m of item.materials as { key: string; required: boolean; upload: { types: string[] } | null }[]) {
    if (!m.required || !m.upload) continue;
    const up = await request.put(`/api/applications/${appId}/materials/${m.key}?fileName=scan.pdf`, {
      headers: { ...headers, 'content-type': 'application/pdf' },
      data: Buffer.from('%PDF-1.4\n% scan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    expect(up.status(), await up.text()).toBe(201);
  }
  const submitted = await request.post(`/api/applications/${appId}/submit`, { headers, data: {} });
  expect(submitted.status(), await submitted.text()).toBe(200);
  expect((await submitted.json()).state).toBe('submitted');

  // ---- the officer: find, claim, accept, request a correction -------------------------------------
  await page.goto('/console/');
  await login(page, 'gaj_officer');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await openWorklist(page);
  // Narrow the list to the item through the item picker.
  const picker = page.locator('.toolbar .ant-select').filter({ hasText: '事项' }).first();
  await picker.click();
  await page.keyboard.type('居住证签发');
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: hit.code });
  await option.first().click();
  const row = page.getByTestId('worklist-table').locator('tr', { hasText: appId.slice(0, 8) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('已提交');
  await expect(row).toContainText('张');
  await snap(page, 'console-svc-worklist');

  await row.getByText('办理').click();
  const drawer = page.locator('.ant-drawer').filter({ hasText: '办理决定' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('app-values')).toContainText('张市民');
  await expect(drawer).toContainText('下载');
  // Only what the state allows: submitted → accept or reject, never approve.
  await expect(drawer.getByTestId('act-accept')).toBeVisible();
  await expect(drawer.getByTestId('act-reject')).toBeVisible();
  await expect(drawer.getByTestId('act-approve')).toHaveCount(0);

  await drawer.getByTestId('drawer-claim').click();
  await expect(drawer.locator('.ant-descriptions').first()).toContainText('公安局示例工作人员');
  await drawer.getByTestId('act-accept').click();
  await expect(drawer.getByTestId('app-state').first()).toHaveText('已受理');
  await expect(drawer.getByTestId('act-request_correction')).toBeVisible();

  // A correction without a reason is refused in the page.
  await drawer.getByTestId('act-request_correction').click();
  await expect(page.locator('.ant-message')).toContainText('请填写原因');
  await drawer.getByTestId('decision-reason').fill(CORRECTION_REASON);
  await drawer.getByTestId('act-request_correction').click();
  await expect(drawer.getByTestId('app-state').first()).toHaveText('待补正');
  await expect(drawer.getByTestId('app-history')).toContainText(CORRECTION_REASON);
  await snap(page, 'console-svc-app-drawer-correction');
  await page.keyboard.press('Escape');

  // ---- the citizen reads the reason and resubmits in the portal, on a phone (a second browser) ----
  const mine = await (await request.get(`/api/applications/${appId}`)).json();
  expect(mine.state).toBe('correction_requested');
  expect(mine.lastReason).toBe(CORRECTION_REASON);
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const phone = await phoneContext.newPage();
  await portalLogin(phone, 'citizen_zhang');
  await phone.goto(`/applications/${appId}`);
  await expect(phone.getByTestId('state-badge').first()).toHaveText('待补正');
  await expect(phone.getByRole('main')).toContainText(CORRECTION_REASON);
  await phone.getByTestId('submit').click();
  await expect(phone.getByTestId('state-badge').first()).toHaveText('已补正');
  await snap(phone, 'portal-svc-resubmitted-phone', true);
  await phoneContext.close();

  // ---- the officer accepts the corrected application and approves -----------------------------------
  await page.reload();
  await openWorklist(page);
  const row2 = page.getByTestId('worklist-table').locator('tr', { hasText: appId.slice(0, 8) });
  await expect(row2).toContainText('已补正');
  await row2.getByText('办理').click();
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('act-approve')).toHaveCount(0);
  await drawer.getByTestId('act-accept').click();
  await expect(drawer.getByTestId('app-state').first()).toHaveText('已受理');
  await drawer.getByTestId('decision-reason').fill(APPROVE_NOTE);
  await drawer.getByTestId('act-approve').click();
  await expect(drawer.getByTestId('app-state').first()).toHaveText('已批准');
  await expect(drawer.getByTestId('act-complete')).toBeVisible();

  // ---- the history: every step, in order, with who and why ----------------------------------------
  const entries = drawer.getByTestId('history-entry');
  await expect(entries).toHaveCount(6);
  const texts = await entries.allInnerTexts();
  expect(texts[0]).toContain('提交申请');
  expect(texts[1]).toContain('受理');
  expect(texts[2]).toContain('要求补正');
  expect(texts[2]).toContain(CORRECTION_REASON);
  expect(texts[3]).toContain('补正后重新提交');
  expect(texts[4]).toContain('受理');
  expect(texts[5]).toContain('批准');
  expect(texts[5]).toContain(APPROVE_NOTE);
  for (const i of [1, 2, 4, 5]) expect(texts[i]).toContain('公安局示例工作人员');
  expect(texts[3]).toContain('张');
  await drawer.getByTestId('app-history').scrollIntoViewIfNeeded();
  await snap(page, 'console-svc-app-drawer-approved');

  // The citizen sees the same outcome.
  const final = await (await request.get(`/api/applications/${appId}`)).json();
  expect(final.state).toBe('approved');
  expect(final.history.map((h: { action: string }) => h.action)).toEqual(['submit', 'accept', 'request_correction', 'resubmit', 'accept', 'approve']);
});
