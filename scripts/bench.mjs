#!/usr/bin/env node
// `npm run bench`: every benchmark in bench/, one after another, each in its own process, then one table
// of the ratio lines they printed (`ratio <name>: <value> (against <baseline>)`, see bench/common.ts).
// A benchmark fails the run when it exits non-zero or prints no ratio line — so none can rot unnoticed.
//
//   npm run bench                       full sizes (minutes each; see docs/PERFORMANCE.md)
//   npm run bench -- --quick            every benchmark at a small size (CI runs this)
//   npm run bench -- --only search,code one or more by name
//
// Benchmarks that compare against PostgreSQL use BENCH_POSTGRES_URL (default the local server).
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const pg = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// name, file, arguments at full size, arguments at quick size.
const BENCHES = [
  ['breakdown', 'breakdown.ts', [], ['--iterations', '30']],
  ['search', 'search.ts', [], ['--rounds', '2', '--apps', '20']],
  ['code', 'code.ts', ['--postgres', pg], ['--postgres', pg, '--codes', '2000', '--rounds', '1', '--http-codes', '3000', '--duration', '2', '--connections', '8']],
  ['http', 'http.ts', [], ['--duration', '2', '--connections', '16']],
  ['http-postgres', 'http.ts', ['--postgres', pg], ['--postgres', pg, '--duration', '2', '--connections', '16']],
  ['gateway', 'gateway.ts', ['--postgres', pg], ['--postgres', pg, '--rows', '20000', '--duration', '2', '--connections', '8']],
  ['ingest', 'ingest.ts', ['--postgres', pg], ['--postgres', pg, '--rows', '20000']],
  ['cert-import', 'cert-import.ts', ['--postgres', pg], ['--postgres', pg, '--rows', '5000']],
  ['credit-validate', 'credit-validate.ts', [], ['--rows', '20000']],
];

const wanted = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
const unknown = (wanted ?? []).filter((w) => !BENCHES.some(([name]) => name === w));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${BENCHES.map(([n]) => n).join(', ')})`);
  process.exit(2);
}

/** Whether the PostgreSQL server answers on its port (benchmarks that need it are skipped, and say so, when not). */
function reachable(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 5432), timeout: 2000 });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}
const havePostgres = await reachable(pg);

const RATIO = /^ratio (.+?): ([\d.]+|NaN|Infinity) \(against (.+)\)$/;

function runOne(file, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', file), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

const results = [];
for (const [name, file, full, quick] of BENCHES) {
  if (wanted && !wanted.includes(name)) continue;
  const args = values.quick ? quick : full;
  if (args.includes('--postgres') && !havePostgres) {
    console.log(`\n▷ bench ${name}: skipped, PostgreSQL does not answer at ${new URL(pg).host}`);
    results.push({ name, seconds: 0, problem: null, skipped: true, ratios: [] });
    continue;
  }
  console.log(`\n▶ bench ${name}: node --import tsx bench/${file} ${args.join(' ')}`);
  const started = Date.now();
  const { code, out } = await runOne(file, args);
  const ratios = out
    .split('\n')
    .map((l) => RATIO.exec(l.trim()))
    .filter(Boolean)
    .map((m) => ({ figure: m[1], value: Number(m[2]), against: m[3] }));
  const problem = code !== 0 ? `exit ${code}` : ratios.length === 0 ? 'no ratio line' : ratios.some((r) => !Number.isFinite(r.value)) ? 'ratio is not a number' : null;
  results.push({ name, seconds: Math.round((Date.now() - started) / 1000), problem, ratios });
}

const rows = results.flatMap((r) =>
  r.ratios.length ? r.ratios.map((x, i) => [i ? '' : r.name, i ? '' : String(r.seconds), i ? '' : r.problem ?? 'ok', x.figure, Number.isFinite(x.value) ? x.value.toFixed(3) : String(x.value), x.against]) : [[r.name, String(r.seconds), r.skipped ? 'skipped (no PostgreSQL)' : r.problem ?? 'ok', '-', '-', '-']],
);
const head = ['bench', 's', 'status', 'figure', 'ratio', 'baseline (same run)'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 1 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(`\nbenchmarks${values.quick ? ' (quick sizes: the ratios show that each runs end to end, not the figures to quote)' : ''}`);
console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
const failed = results.filter((r) => r.problem);
console.log(failed.length ? `\n${failed.length} of ${results.length} benchmarks failed: ${failed.map((r) => `${r.name} (${r.problem})`).join(', ')}` : `\nall ${results.length} benchmarks ran and printed their ratios`);
process.exit(failed.length ? 1 : 0);
