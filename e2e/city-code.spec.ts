// The city code end to end (issue 4 "must show"): a citizen shows the dynamic code, a terminal page set up
// with its own API key accepts it, then refuses the same code as a replay; with the network cut the
// terminal verifies a fresh code in the browser against its cached trust lists; the citizen sees where
// the code was scanned.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, portalLogin, snap } from './helpers';

const run = Date.now().toString(36).toUpperCase();
const TERMINAL = `市民中心 E2E-${run}`;

test('a citizen shows the city code; a terminal passes it, refuses the replay, and verifies offline', async ({ browser, playwright, baseURL }) => {
  test.setTimeout(180_000);

  // ---- set-up: the bureau registers a service-hall terminal through the API -------------------------
  const bureau = await playwright.request.newContext({ baseURL });
  const signIn = await bureau.post('/api/auth/login', { data: { username: 'dsj_officer', password: DEMO_PASSWORD } });
  expect(signIn.status()).toBe(200);
  const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
  const created = await bureau.post('/api/code/terminals', { data: { name: TERMINAL, place: '青岛市民中心 3 号窗口', district: '市南区', scenario: 'hall' }, headers: { 'x-csrf-token': csrf } });
  expect(created.status(), await created.text()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  expect(key).toMatch(/^dqk_/);

  // ---- the citizen opens the code on a phone ---------------------------------------------------------
  const phone = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const citizen = await phone.newPage();
  await portalLogin(citizen, 'citizen_zhang');
  await citizen.goto('/code');
  await expect(citizen.getByTestId('city-code-qr')).toBeVisible();
  await expect(citizen.getByTestId('health')).toHaveText('绿码');
  await expect(citizen.getByTestId('countdown')).toContainText('秒后自动刷新');
  await expect(citizen.getByTestId('fused-cards')).toContainText('医保账户');
  const payload = await citizen.getByTestId('code-payload').inputValue();
  expect(payload).toMatch(/^CC1:[0-9A-Z $%*+\-./:]+$/);
  await snap(citizen, 'city-code-citizen', true);

  // ---- the terminal: set up once with its key, then paste the code ---------------------------------
  const desk = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1024, height: 900 } });
  const terminal = await desk.newPage();
  await terminal.goto('/code/terminal');
  await terminal.getByTestId('terminal-key').fill(key);
  await terminal.getByTestId('terminal-save').click();
  await expect(terminal.getByTestId('terminal-name')).toContainText(TERMINAL);
  await expect(terminal.getByTestId('trust-cache')).toContainText('已缓存');

  await terminal.getByTestId('terminal-paste').fill(payload);
  await terminal.getByTestId('terminal-verify').click();
  const verdict = terminal.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-decision', 'pass');
  await expect(verdict).toContainText('通过');
  await expect(terminal.getByTestId('verdict-mode')).toContainText('在线核验');
  // The service-hall policy: the name masked to the surname, the ID number to its first 6 and last 4.
  await expect(terminal.getByTestId('subject-nameMasked')).toHaveText('张**');
  await expect(terminal.getByTestId('subject-idNumberMasked')).toHaveText(/^370202\*{8}[0-9X]{4}$/);
  await snap(terminal, 'city-code-terminal-pass', true);

  // The same code again is a replay.
  await terminal.getByTestId('terminal-paste').fill(payload);
  await terminal.getByTestId('terminal-verify').click();
  await expect(verdict).toHaveAttribute('data-decision', 'refuse');
  await expect(verdict).toHaveAttribute('data-reason', 'replayed');
  await expect(terminal.getByTestId('verdict-reason')).toHaveText('码已被使用（重复扫码）');
  await snap(terminal, 'city-code-terminal-replay', true);

  // ---- offline: the network is gone; the terminal verifies a fresh code itself ------------------------
  await citizen.getByRole('button', { name: '立即刷新' }).click();
  await expect(citizen.getByTestId('code-payload')).not.toHaveValue(payload);
  const fresh = await citizen.getByTestId('code-payload').inputValue();
  await desk.setOffline(true);
  await terminal.getByTestId('terminal-paste').fill(fresh);
  await terminal.getByTestId('terminal-verify').click();
  await expect(verdict).toHaveAttribute('data-decision', 'pass');
  await expect(terminal.getByTestId('verdict-mode')).toContainText('离线核验');
  await snap(terminal, 'city-code-terminal-offline', true);
  // …and keeps its own one-time ids: the same code offline is a replay too.
  await terminal.getByTestId('terminal-paste').fill(fresh);
  await terminal.getByTestId('terminal-verify').click();
  await expect(verdict).toHaveAttribute('data-reason', 'replayed');
  await desk.setOffline(false);

  // ---- the citizen sees where the code was scanned ----------------------------------------------------
  await citizen.goto('/code/scans');
  const list = citizen.getByTestId('scan-list');
  await expect(list).toContainText(TERMINAL);
  await expect(list).toContainText('未通过');
  await snap(citizen, 'city-code-scans', true);

  await bureau.dispose();
  await phone.close();
  await desk.close();
});
