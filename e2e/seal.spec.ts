// Electronic seals in a real browser: the bureau sees every department's seal with its image and
// certificate; a Public Security Bureau officer seals a PDF in the console and verifies the result; anyone
// checks the sealed PDF on the portal's public verify page, and a tampered copy is shown as not valid.
import fs from 'node:fs';
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { makeCitizenId } from '../src/platform/ids';
import { validFormValues } from '../src/test/form-values';
import type { FormDefinition } from '../src/modules/svc/form';
import { DEMO_PASSWORD, login, portalLogin, snap } from './helpers';

async function consoleAs(browser: Browser, user: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/console/');
  await login(page, user);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Notice of inspection (E2E sample)', { x: 60, y: 760, size: 18, font });
  return Buffer.from(await doc.save());
}

let sealed: Buffer;

test('the bureau sees every department seal with its image and certificate', async ({ browser }) => {
  const page = await consoleAs(browser, 'dsj_officer');
  await page.goto('/console/seal/seals');
  const table = page.getByTestId('seals-table');
  await expect(table.getByText('青岛市公安局').first()).toBeVisible();
  await expect(table.getByTestId('seal-image').first()).toBeVisible();
  // The SVG actually loaded (an <img> that failed has no natural width).
  await expect.poll(() => table.getByTestId('seal-image').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('make-seal')).toBeVisible();
  await snap(page, 'seal-console-seals');
  await table.getByTestId('seal-link').filter({ hasText: '青岛市公安局' }).first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByText('digitalSignature')).toBeVisible();
  await expect(drawer.getByText(/CN=青岛市公安局, O=青岛市, C=CN/)).toBeVisible();
  await snap(page, 'seal-console-seal-details');
  await page.context().close();
});

test('an officer seals a PDF in the console and the verifier says it is valid', async ({ browser }) => {
  const page = await consoleAs(browser, 'gaj_officer');
  await page.goto('/console/seal/sign');
  await expect(page.getByTestId('sign-seal')).toContainText('青岛市公安局');
  await page.getByTestId('sign-drop').locator('input[type=file]').setInputFiles({ name: 'inspection.pdf', mimeType: 'application/pdf', buffer: await samplePdf() });
  await page.getByTestId('sign-submit').click();
  await expect(page.getByTestId('sign-done')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('sign-download').click();
  const file = await (await download).path();
  sealed = fs.readFileSync(file);
  expect(sealed.subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByTestId('sign-verify').click();
  const card = page.getByTestId('signature-card');
  await expect(card).toHaveAttribute('data-valid', 'true');
  await expect(card).toContainText('青岛市公安局');
  await expect(page.getByTestId('signings-table')).toContainText('inspection.pdf');
  await snap(page, 'seal-console-sign', true);
  await page.context().close();
});

test('anyone verifies the sealed PDF on the portal; a tampered copy is not valid', async ({ page }) => {
  expect(sealed, 'the sealed PDF from the previous test').toBeTruthy();
  await page.goto('/seal/verify');
  await expect(page.getByRole('heading', { name: '电子印章验证' })).toBeVisible();
  await page.getByTestId('seal-file').setInputFiles({ name: 'inspection-sealed.pdf', mimeType: 'application/pdf', buffer: sealed });
  await page.getByTestId('seal-verify').click();
  const result = page.getByTestId('seal-result');
  await expect(result).toHaveAttribute('data-valid', 'true');
  await expect(result).toContainText('青岛市公安局');
  await snap(page, 'seal-portal-verify-valid', true);

  const tampered = Buffer.concat([sealed, Buffer.from('\n% changed after sealing\n')]);
  await page.getByTestId('seal-file').setInputFiles({ name: 'tampered.pdf', mimeType: 'application/pdf', buffer: tampered });
  await page.getByTestId('seal-verify').click();
  await expect(page.getByTestId('seal-result')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('seal-result')).toContainText('盖章后文件被追加或截断了内容');
  await snap(page, 'seal-portal-verify-tampered', true);
});

/** Signs an API context in and returns the CSRF header for its writes. */
async function signIn(request: APIRequestContext, username: string): Promise<Record<string, string>> {
  const res = await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return { 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
}

test('the citizen downloads the sealed decision document of an approved application from the portal', async ({ page, request, baseURL }) => {
  test.setTimeout(180_000);
  // The citizen applies (API) for a Public Security Bureau item; an officer accepts and approves it.
  const headers = await signIn(request, 'citizen_zhang');
  const search = await (await request.get('/api/public/svc/search', { params: { q: '居住证签发', department: 'GAJ' } })).json();
  const hit = search.items.find((i: { name: string }) => i.name === '居住证签发');
  expect(hit, 'seeded item 居住证签发 of GAJ').toBeTruthy();
  const item = await (await request.get(`/api/public/svc/items/${hit.code}`)).json();
  const created = await request.post('/api/applications', { headers, data: { itemId: hit.id } });
  expect(created.status(), await created.text()).toBe(201);
  const appId = (await created.json()).id as string;
  const data = validFormValues(item.form as FormDefinition, { idNumber: makeCitizenId('370202', '1988-05-17', 231), phone: '13800000001', date: '2020-01-01' }, { applicantName: '张示例' });
  expect((await request.patch(`/api/applications/${appId}`, { headers, data: { data } })).status()).toBe(200);
  for (const m of item.materials as { key: string; required: boolean; upload: unknown }[]) {
    if (!m.required || !m.upload) continue;
    const up = await request.put(`/api/applications/${appId}/materials/${m.key}?fileName=scan.pdf`, { headers: { ...headers, 'content-type': 'application/pdf' }, data: Buffer.from('%PDF-1.4\n% scan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
    expect(up.status(), await up.text()).toBe(201);
  }
  expect((await request.post(`/api/applications/${appId}/submit`, { headers, data: {} })).status()).toBe(200);
  const officer = await playwrightRequest.newContext({ baseURL });
  const gaj = await signIn(officer, 'gaj_officer');
  for (const action of ['accept', 'approve']) {
    const r = await officer.post(`/api/svc/applications/${appId}/actions`, { headers: gaj, data: { action } });
    expect(r.status(), await r.text()).toBe(200);
  }
  await officer.dispose();

  await portalLogin(page, 'citizen_zhang');
  await page.goto(`/applications/${appId}`);
  const link = page.getByTestId('decision-pdf');
  await expect(link).toBeVisible();
  await snap(page, 'seal-portal-decision-link', true);
  const download = page.waitForEvent('download');
  await link.click();
  const pdf = fs.readFileSync(await (await download).path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // The downloaded document verifies on the public page.
  await page.goto('/seal/verify');
  await page.getByTestId('seal-file').setInputFiles({ name: 'decision.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByTestId('seal-verify').click();
  await expect(page.getByTestId('seal-result')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('seal-result')).toContainText('青岛市公安局');
});
