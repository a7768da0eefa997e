// Shared steps for the end-to-end specs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Qingdao@2026';
export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '.artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Saves a full-page screenshot under e2e/.artifacts/ for people to look at. */
export async function snap(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Fills and submits the login form of any of the three apps (they share field names). */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  const user = page.locator('input[autocomplete="username"]');
  await expect(user).toBeVisible();
  await user.fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A tiny but real PDF (the server checks the first bytes against the extension). */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Signs in on the portal's own login page and waits for the service-hall home. */
export async function portalLogin(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await login(page, username, password);
  await expect(page.getByRole('navigation', { name: /主导航|Main navigation/ }).getByRole('link', { name: /我的|Me/ }).last()).toBeVisible();
}

/** The Shanghai calendar date `days` from today, as YYYY-MM-DD. */
export function shanghaiDatePlus(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

/** Signs out of the portal from the account page. */
export async function portalLogout(page: Page): Promise<void> {
  await page.goto('/account');
  await page.getByRole('button', { name: /退出登录|Sign out/ }).click();
  await expect(page.locator('input[autocomplete="username"]')).toBeVisible();
}
