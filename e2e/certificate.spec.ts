// Electronic certificates end to end (issue 4 "must show"): a citizen claims a certificate into the
// wallet, a verifier (second browser) asks for two fields, the citizen enters the request code and
// discloses exactly those two from a presentation signed in the browser, and the verifier page shows
// exactly those two fields and nothing else; the citizen then sees who verified what.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { login, portalLogin, snap } from './helpers';

const TYPE = '机动车驾驶证';
const ASKED = ['holder_name', 'vehicleClass'];

async function phone(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  return ctx.newPage();
}

test('a citizen claims a certificate, discloses two fields, and the verifier sees exactly those two', async ({ browser }) => {
  // The citizen claims the driving licence into the wallet.
  const citizen = await phone(browser);
  await portalLogin(citizen, 'citizen_zhang');
  await citizen.goto('/wallet');
  await expect(citizen.getByRole('heading', { name: '电子证照', level: 1 })).toBeVisible();
  // Wait for the claimable list, then claim the licence unless an earlier run already did.
  await expect(citizen.getByTestId('claimable-row').or(citizen.getByText('没有待领取的证照')).first()).toBeVisible();
  const row = citizen.getByTestId('claimable-row').filter({ hasText: TYPE });
  if (await row.count()) {
    await row.getByTestId('claim').click();
    await expect(citizen.getByRole('status')).toContainText(TYPE);
  }
  const card = citizen.getByTestId('wallet-card').filter({ hasText: TYPE });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('cert-status')).toHaveText('有效');
  // The ID number is masked on the card.
  await expect(card).toContainText('*');
  expect(await citizen.locator('body').innerText()).not.toMatch(/\d{17}[\dXx]/);
  await snap(citizen, 'wallet-list', true);
  await card.click();
  await expect(citizen.getByTestId('cert-fields')).toContainText('C1');
  await snap(citizen, 'wallet-detail', true);

  // The verifier, signed in as staff in another browser, asks for two fields.
  const vctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const verifier = await vctx.newPage();
  await verifier.goto('/verifier');
  await login(verifier, 'dsj_officer');
  // Signed in, the sign-in form gives way (the portal may move to its home page); then the verifier page.
  await expect(verifier.locator('input[autocomplete="username"]')).toHaveCount(0);
  if (!verifier.url().endsWith('/verifier')) await verifier.goto('/verifier');
  await expect(verifier.getByRole('heading', { name: '扫码核验', level: 1 })).toBeVisible();
  await verifier.getByTestId('verifier-type').selectOption({ label: TYPE });
  for (const f of ASKED) await verifier.getByTestId(`ask-${f}`).check();
  await verifier.getByTestId('verifier-purpose').fill('窗口办理业务核验驾驶资格');
  await verifier.getByTestId('create-request').click();
  const code = (await verifier.getByTestId('verifier-request-code').innerText()).trim();
  expect(code).toMatch(/^[0-9A-Z]{8}$/);
  await snap(verifier, 'verifier-request', true);

  // The citizen enters the request code; what was asked is pre-ticked, nothing else.
  await citizen.getByTestId('show-cert').click();
  await citizen.getByTestId('request-code').fill(`DQVR:${code}`);
  await citizen.getByTestId('load-request').click();
  await expect(citizen.getByTestId('disclose')).toContainText('窗口办理业务核验驾驶资格');
  for (const f of ASKED) await expect(citizen.getByTestId(`disclose-${f}`)).toBeChecked();
  await expect(citizen.getByTestId('disclose-address')).not.toBeChecked();
  await expect(citizen.getByTestId('disclose-holder_code')).not.toBeChecked();
  await snap(citizen, 'wallet-show-choose', true);
  await citizen.getByTestId('make-presentation').click();
  await expect(citizen.getByTestId('presentation-qr')).toBeVisible();
  const handle = citizen.getByTestId('presentation-handle');
  const shown = (await handle.count()) ? (await handle.innerText()).trim() : await citizen.getByTestId('presentation-text').inputValue();
  await snap(citizen, 'wallet-show', true);

  // The verifier pastes it: green, with exactly the two disclosed fields.
  await verifier.getByTestId('verifier-input').fill(shown);
  await verifier.getByTestId('verify').click();
  const verdict = verifier.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-valid', 'true');
  await expect(verdict).toContainText('核验通过');
  await expect(verdict).toContainText(TYPE);
  const disclosed = verifier.getByTestId('disclosed');
  await expect(disclosed.locator('[data-testid^="disclosed-"]')).toHaveCount(2);
  await expect(verifier.getByTestId('disclosed-holder_name')).toContainText('张示例');
  await expect(verifier.getByTestId('disclosed-vehicleClass')).toContainText('C1');
  for (const absent of ['address', 'birthDate', 'holder_code', 'number', 'sex']) await expect(verifier.getByTestId(`disclosed-${absent}`)).toHaveCount(0);
  await expect(disclosed).not.toContainText('香港中路');
  await snap(verifier, 'verifier-result', true);

  // A second use of the same code is refused.
  await verifier.getByTestId('verify').click();
  await expect(verdict).toHaveAttribute('data-valid', 'false');
  await expect(verifier.getByTestId('verdict-reason')).toHaveText('亮证码已被使用');

  // The citizen sees who verified what.
  await citizen.goto('/wallet/verifications');
  const log = citizen.getByTestId('verifications');
  await expect(log).toContainText('窗口办理业务核验驾驶资格');
  await expect(log).toContainText('通过');
  await expect(log).toContainText('持证主体');
  await snap(citizen, 'wallet-verifications', true);
  await vctx.close();
  await citizen.context().close();
});

test('a verifier terminal uses its API key on the verifier page instead of an account', async ({ browser }) => {
  // The bureau registers a service-hall terminal (its key is shown once).
  const admin = await browser.newContext({ locale: 'zh-CN' });
  const staff = await admin.newPage();
  await staff.goto('/login');
  await login(staff, 'dsj_officer');
  await expect(staff.locator('input[autocomplete="username"]')).toHaveCount(0);
  const csrf = (await admin.cookies()).find((c) => c.name === 'dq_csrf')?.value ?? '';
  const made = await staff.request.post('/api/code/terminals', { data: { name: `核验终端 ${Date.now()}`, place: '市民中心', district: '市南区', scenario: 'hall' }, headers: { 'x-csrf-token': csrf } });
  expect(made.status(), await made.text()).toBe(201);
  const key = (await made.json()).key as string;
  await admin.close();

  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await page.goto('/verifier');
  await page.getByTestId('verifier-key').fill(key);
  await page.getByRole('button', { name: '使用密钥' }).click();
  await expect(page.getByText('以核验终端身份使用。')).toBeVisible();
  await page.getByTestId('verifier-type').selectOption({ label: '居民身份证' });
  await page.getByTestId('ask-holder_name').check();
  await page.getByTestId('verifier-purpose').fill('闸机核验');
  await page.getByTestId('create-request').click();
  await expect(page.getByTestId('verifier-request-code')).toHaveText(/^[0-9A-Z]{8}$/);
  await ctx.close();
});
