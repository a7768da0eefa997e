// (d) A new citizen opens an account on a phone with their citizen ID number and lands on the home
// page, which shows the number masked. A wrong check digit is caught in the browser; an ID number
// that is already registered is refused by the server, and both are shown under the field.
import { randomInt } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { snap } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643: the 18th character from the weighted sum of the first 17 digits. */
function checkChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return '10X98765432'[sum % 11];
}

/** A valid ID number of someone born in 市南区 between 1960 and 1999, random enough that reruns do not collide. */
function newCitizenId(): string {
  const born = new Date(Date.UTC(1960 + randomInt(40), randomInt(12), 1 + randomInt(28)));
  const body = `370202${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(randomInt(1000)).padStart(3, '0')}`;
  return body + checkChar(body);
}

/** The same number with any other check character. */
function withWrongCheck(id: string): string {
  const others = '0123456789X'.replace(id[17], '');
  return id.slice(0, 17) + others[randomInt(others.length)];
}

// Not the city's name nor a common password: the sign-up policy refuses those.
const PASSWORD = 'Harbour-Citizen-2026';

async function fillForm(page: Page, v: { name: string; id: string; username: string }) {
  await page.getByLabel('姓名').fill(v.name);
  await page.getByLabel('居民身份证号码').fill(v.id);
  await page.getByLabel('手机号码').fill(`139${String(randomInt(100_000_000)).padStart(8, '0')}`);
  await page.getByLabel('用户名').fill(v.username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('确认密码').fill(PASSWORD);
}

test('a new citizen registers with their ID number and sees it masked on the home page', async ({ page }) => {
  const id = newCitizenId();
  const citizen = { name: `注册市民${randomInt(1000)}`, id: withWrongCheck(id), username: `reg_${Date.now().toString(36)}${randomInt(1000)}` };

  await page.goto('/');
  await page.getByTestId('register-link').click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('heading', { name: '注册账号' })).toBeVisible();
  await expect(page.getByTestId('privacy-note')).toContainText('加密');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, 'portal-register');
  await snap(page, 'portal-register-full', true);

  // A wrong check digit: told under the field at once, nothing is sent, the page stays.
  await fillForm(page, citizen);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('error-idNumber')).toContainText('校验位');
  await expect(page.getByLabel('居民身份证号码')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('居民身份证号码')).toBeFocused();
  await expect(page).toHaveURL(/\/register$/);
  await snap(page, 'portal-register-error');

  // Corrected, the message goes away as soon as the number is right.
  await page.getByLabel('居民身份证号码').fill(id);
  await expect(page.getByTestId('error-idNumber')).toHaveCount(0);
  await page.getByTestId('register-submit').click();

  // Signed in at once, on the home page, with the ID number masked and never shown in full.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('display-name')).toHaveText(citizen.name);
  await expect(page.getByTestId('account-kind')).toHaveText('市民');
  await expect(page.getByTestId('id-number')).toHaveText(`${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`);
  expect(await page.locator('body').innerText()).not.toContain(id);
  await snap(page, 'portal-register-home');

  // The same ID number cannot open a second account: the server says so, shown under the field.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByTestId('register-link').click();
  await fillForm(page, { name: citizen.name, id, username: `${citizen.username}b` });
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('error-idNumber')).toContainText('已注册');
  await expect(page).toHaveURL(/\/register$/);

  // The messages follow the language.
  await page.getByRole('button', { name: /语言|Language/ }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await expect(page.getByTestId('error-idNumber')).toContainText('already exists');
  await snap(page, 'portal-register-en');
  await page.getByRole('button', { name: /语言|Language/ }).click();
  await expect(page.getByRole('heading', { name: '注册账号' })).toBeVisible();
});
