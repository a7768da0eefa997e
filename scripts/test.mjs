#!/usr/bin/env node
// `npm test`: every check in order — types, lint, unit and integration tests (PGlite, and PostgreSQL
// when TEST_DATABASE_URL is set), the web build, and the end-to-end tests in Chromium. Ends with one
// line counting the tests that passed and failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = path.join(root, '.tmp');
fs.mkdirSync(tmp, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;
let skipped = 0;
const stepResults = [];
// Names of the failed tests, repeated at the very end: CI logs are often read from their tail only.
const failures = [];

function run(name, cmd, args, env = {}) {
  if (only.length && !only.includes(name)) return true;
  const started = Date.now();
  console.log(`\n▶ ${name}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  stepResults.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// Static checks count as one test each: they pass or fail as a whole.
for (const [name, cmd, args] of [
  ['types', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['lint', bin('eslint'), ['.']],
  // The web's generated API types must match the server's OpenAPI document as it is now.
  ['api-types', process.execPath, ['--import', 'tsx', 'scripts/api-types.ts', '--check']],
]) {
  if (only.length && !only.includes(name)) continue;
  if (run(name, cmd, args)) passed++;
  else failed++;
}

const vitestJson = path.join(tmp, 'vitest-report.json');
fs.rmSync(vitestJson, { force: true });
if (!only.length || only.includes('unit')) {
  const ok = run('unit', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const report = readJson(vitestJson);
  if (report && report.numTotalTests === 0) {
    console.error('unit: vitest ran no test — counted as a failure');
    failed++;
  } else if (report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    for (const file of report.testResults ?? []) {
      const rel = path.relative(root, file.name);
      for (const t of file.assertionResults ?? []) if (t.status === 'failed') failures.push(`unit  ${rel} › ${t.fullName}: ${String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 200)}`);
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push(`unit  ${rel}: ${String(file.message ?? 'failed to load').split('\n')[0].slice(0, 200)}`);
    }
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    if (!ok && report.numFailedTests === 0) failed++; // a suite that failed to load
  } else {
    console.error('unit: vitest wrote no report — counted as a failure');
    failed++;
  }
}

if (!only.length || only.includes('e2e') || only.includes('build')) {
  if (!run('build', bin('vite'), ['build', '--config', 'web/vite.config.ts'])) failed++;
}

const pwJson = path.join(tmp, 'playwright-report.json');
fs.rmSync(pwJson, { force: true });
if (!only.length || only.includes('e2e')) {
  const ok = run('e2e', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const report = readJson(pwJson);
  if (report?.stats && report.stats.expected + report.stats.unexpected === 0) {
    console.error('e2e: playwright ran no test — counted as a failure');
    failed++;
  } else if (report?.stats) {
    passed += report.stats.expected;
    failed += report.stats.unexpected + (report.stats.flaky ?? 0);
    skipped += report.stats.skipped;
    if (!ok && report.stats.unexpected === 0) failed++;
    const walk = (suite, trail) => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'unexpected' || t.status === 'flaky') failures.push(`e2e   ${spec.file} › ${[...trail, spec.title].join(' › ')} (${t.status})`);
      for (const child of suite.suites ?? []) walk(child, suite.title && !suite.title.endsWith('.ts') ? [...trail, suite.title] : trail);
    };
    for (const suite of report.suites ?? []) walk(suite, []);
  } else if (!ok) failed++;
}

if (failures.length) console.log('\nfailed:\n' + failures.map((f) => '  ' + f).join('\n'));
console.log('\nsteps: ' + stepResults.map((s) => `${s.name} ${s.ok ? 'ok' : 'FAILED'} (${s.seconds}s)`).join(', '));
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed > 0 || stepResults.some((s) => !s.ok) ? 1 : 0);
