// Where the time of one authenticated request goes, measured in-process on the embedded database:
// the database round trip alone, each step the request runs (session, actor, the list), the whole
// request through Fastify without a network (inject), and how many SQL statements each request sends.
//
//   node --import tsx bench/breakdown.ts [--iterations 300]
//
// Companion of bench/http.ts; the figures are explained in docs/PERFORMANCE.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, seed } from '../src/app';
import { loadConfig } from '../src/config';
import { ratioLine } from './common';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '300' } } });
const N = Math.min(10_000, Math.max(10, Number(values.iterations)));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-breakdown-'));
const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, LOG_LEVEL: 'warn', DQ_JOBS: '0' });
const app = await createApp(config);
try {
  const s = app.services;
  await seed(s, { demo: true });
  const pglite = s.database.pglite!;

  // Count the statements a request sends: every query drizzle runs goes through PGlite's query().
  let statements = 0;
  const query = pglite.query.bind(pglite);
  pglite.query = ((...args: Parameters<typeof query>) => {
    statements++;
    return query(...args);
  }) as typeof pglite.query;

  const login = await app.fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'Qingdao@2026' } });
  const token = login.cookies.find((c) => c.name === 'dq_session')!.value;
  const adminId = (await s.auth.findByUsername('admin'))!.id;
  const actor = (await s.auth.loadActor(adminId, 'session'))!;

  const results: { step: string; ms: number; statements: number }[] = [];
  async function time(step: string, fn: () => Promise<unknown>) {
    for (let i = 0; i < Math.min(50, N); i++) await fn(); // warm-up
    statements = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / N;
    results.push({ step, ms, statements: statements / N });
  }

  await time('select 1 (one PGlite round trip)', () => pglite.query('select 1'));
  await time('session lookup (resolveSession)', () => s.auth.resolveSession(token));
  await time('actor load (user, roles)', () => s.auth.loadActor(adminId, 'session'));
  await time('orgs.list limit 20 (page + count)', () => s.orgs.list(actor, { limit: 20, offset: 0 }));
  const get = (url: string) => () =>
    app.fastify.inject({ method: 'GET', url, cookies: { dq_session: token } }).then((r) => {
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
    });
  await time('GET /api/orgs?limit=20, whole request (inject)', get('/api/orgs?limit=20'));
  await time('GET /api/stats/overview, whole request (inject)', get('/api/stats/overview'));
  await time('GET /readyz, public (inject)', () => app.fastify.inject({ method: 'GET', url: '/readyz' }));

  const w = Math.max(...results.map((r) => r.step.length));
  process.stdout.write(`${'step'.padEnd(w)}  ms/op   SQL/op\n`);
  for (const r of results) process.stdout.write(`${r.step.padEnd(w)}  ${r.ms.toFixed(3).padStart(6)}  ${r.statements.toFixed(1).padStart(6)}\n`);
  // The work of the list request is orgs.list; everything else in the whole request is the platform's toll.
  const ms = (step: string) => results.find((r) => r.step.startsWith(step))!.ms;
  process.stdout.write(ratioLine('GET /api/orgs?limit=20 in process', ms('orgs.list') / ms('GET /api/orgs'), 'orgs.list service call alone') + '\n');
  process.stdout.write(`(${N} iterations each, one process, embedded database in a folder; Node ${process.version}, ${os.cpus()[0]?.model}, load ${os.loadavg()[0].toFixed(2)})\n`);
} finally {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
