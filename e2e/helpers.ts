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
