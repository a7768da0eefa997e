// End-to-end tests: the real server on a fresh embedded database, driven through Debian's Chromium.
//   npm run test:e2e                      starts `dq serve` on :8181 (E2E_PORT) with a new temporary data folder
//   E2E_BASE_URL=http://host:port npm run test:e2e   runs against a server you started yourself
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const external = process.env.E2E_BASE_URL;
// E2E_PORT lets several checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 8181);
const baseURL = external ?? `http://127.0.0.1:${port}`;

// One data folder per run; workers inherit it through the environment instead of making their own.
if (!external && !process.env.DQ_E2E_DATA_DIR) {
  process.env.DQ_E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-e2e-'));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: here,
  testMatch: '**/*.spec.ts',
  outputDir: path.join(here, '.artifacts', 'test-results'),
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } } }],
  webServer: external
    ? undefined
    : {
        // ensure-web builds web/dist only when it is missing or older than the sources.
        command: `node scripts/ensure-web.mjs && node bin/dq.js serve --port ${port} --host 127.0.0.1 --data-dir "${process.env.DQ_E2E_DATA_DIR}"`,
        cwd: root,
        url: `${baseURL}/healthz`,
        env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', DQ_REQUIRE_ADMIN_TOTP: 'false', DQ_CHECK_RESPONSES: 'true' },
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
