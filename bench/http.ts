// HTTP benchmark: the real application against a bare Fastify server, in one run, on loopback only.
//
//   node --import tsx bench/http.ts [--duration 10] [--connections 50] [--json] [--postgres URL]
//
// --postgres URL runs the application on PostgreSQL instead (a scratch database created on that server
// and dropped afterwards), for comparison with the embedded database.
// Each server runs in its own child process (this file, started again with BENCH_ROLE), so the load
// generator (autocannon, in this process) does not share an event loop with the server it measures.
//   app:  createApp() on an embedded database in a fresh temporary folder, seeded with the demo data,
//         loaded with an authenticated, read-only list (GET /api/orgs?limit=20, admin session cookie)
//         and the overview figures (GET /api/stats/overview, at most 10 connections).
//   bare: Fastify with one trivial JSON route and nothing else: the ceiling for this machine and Node.
// Figures: requests/s (mean), latency p50/p99 (ms), the mean time inside the application per request
// (from its /metrics histogram), its event-loop delay, and app/baseline ratios. See docs/PERFORMANCE.md.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { adminQuery } from '../src/platform/db/admin';
import { ratioLine } from './common';

const role = process.env.BENCH_ROLE;
if (role === 'app') await serveApp();
else if (role === 'bare') await serveBare();
else await main();

// ---- servers (child processes) -------------------------------------------------------------------

async function serveApp() {
  const { createApp, seed } = await import('../src/app');
  const { loadConfig } = await import('../src/config');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    DATA_DIR: dir,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    DQ_JOBS: '0',
    // Per-request logs off by default: BENCH_LOG_LEVEL=info measures them too (written to /dev/null).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  const app = await createApp(config);
  await seed(app.services, { demo: true });
  await app.listen();
  const addr = app.fastify.server.address();
  const stop = async () => {
    await app.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  // How long the event loop is held up: the parent resets and reads this around each measured run.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (m: { loop?: 'reset' | 'read' }) => {
    if (m.loop === 'reset') loop.reset();
    if (m.loop === 'read') process.send!({ loop: { p50: loop.percentile(50) / 1e6, max: loop.max / 1e6 } });
  });
  process.send!({ port: typeof addr === 'object' && addr ? addr.port : 0, database: app.services.database.kind });
}

async function serveBare() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world', items: [1, 2, 3] }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const stop = async () => {
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.send!({ port: typeof addr === 'object' && addr ? addr.port : 0 });
}

// ---- the run ------------------------------------------------------------------------------------------

interface Figure {
  name: string;
  /** Mean time inside the application per request (from Fastify receiving it to the response), if known. */
  serverMs: number | null;
  /** The server's event-loop delay during the run (ms), when it reports it. */
  loop: { p50: number; max: number } | null;
  url: string;
  rps: number;
  p50: number;
  p99: number;
  avgMs: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function startServer(which: 'app' | 'bare', extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; database?: string }> {
  const child = fork(new URL(import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF && which === 'app' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, ...extraEnv, BENCH_ROLE: which },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number; database?: string }) => resolve({ child, port: m.port, database: m.database }));
    child.once('exit', (code) => reject(new Error(`${which} server exited with ${code} before it was ready`)));
  });
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Time the application itself spent on a route (Fastify's elapsed time, from its /metrics histogram). */
async function serverSideSeconds(base: string, route: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const pick = (suffix: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`dq_http_request_duration_seconds_${suffix}{`) && l.includes(`route="${route}"`) && l.includes('status="200"'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return { sum: pick('sum'), count: pick('count') };
}

function loopDelay(child: ChildProcess, what: 'reset' | 'read'): Promise<{ p50: number; max: number } | null> {
  if (what === 'reset') {
    child.send({ loop: 'reset' });
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const on = (m: { loop?: { p50: number; max: number } }) => {
      if (!m.loop) return;
      child.off('message', on);
      resolve(m.loop);
    };
    child.on('message', on);
    child.send({ loop: 'read' });
  });
}

async function load(
  name: string,
  url: string,
  o: { connections: number; duration: number; headers?: Record<string, string>; metrics?: { base: string; route: string }; server?: ChildProcess },
): Promise<Figure> {
  // A short warm-up (JIT, caches, connection set-up), not counted.
  await autocannon({ url, connections: o.connections, duration: 2, headers: o.headers });
  const before = o.metrics ? await serverSideSeconds(o.metrics.base, o.metrics.route) : null;
  if (o.server) await loopDelay(o.server, 'reset');
  const r: Result = await autocannon({ url, connections: o.connections, duration: o.duration, timeout: 10, headers: o.headers });
  const loop = o.server ? await loopDelay(o.server, 'read') : null;
  const after = o.metrics ? await serverSideSeconds(o.metrics.base, o.metrics.route) : null;
  const serverMs = before && after && after.count > before.count ? ((after.sum - before.sum) / (after.count - before.count)) * 1000 : null;
  return {
    serverMs,
    loop,
    name,
    url: new URL(url).pathname + new URL(url).search,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    avgMs: r.latency.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
      postgres: { type: 'string' },
    },
  });
  const duration = Math.min(120, Math.max(1, Number(values.duration)));
  const connections = Math.min(500, Math.max(1, Number(values.connections)));
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const log = (s: string) => process.stderr.write(s + '\n');
  log(`machine: ${machine.cpu}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);
  log(`load: ${connections} connections for ${duration} s per endpoint (after a 2 s warm-up), loopback only`);

  const figures: Figure[] = [];
  let scratch: { admin: string; url: string; name: string } | null = null;
  if (values.postgres) {
    const name = `dq_bench_${process.pid}`;
    const u = new URL(values.postgres);
    u.pathname = `/${name}`;
    scratch = { admin: values.postgres, url: u.toString(), name };
    await adminQuery(scratch.admin, `create database ${name}`);
  }
  const dbLabel = scratch ? 'PostgreSQL' : 'embedded database';
  log(`starting the application (${dbLabel}, demo data)…`);
  const app = await startServer('app', scratch ? { BENCH_DATABASE_URL: scratch.url } : {});
  try {
    const base = `http://127.0.0.1:${app.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Qingdao@2026' }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const session = login.headers.getSetCookie().find((c) => c.startsWith('dq_session='))!.split(';')[0];
    const headers = { cookie: session };
    // Sanity: the endpoints answer what we think they answer, with the session.
    const orgs = await fetch(`${base}/api/orgs?limit=20`, { headers });
    const orgBody = (await orgs.json()) as { items: unknown[]; total: number };
    if (orgs.status !== 200 || orgBody.items.length !== 20) throw new Error(`GET /api/orgs?limit=20 answered ${orgs.status}`);
    if ((await fetch(`${base}/api/orgs?limit=20`)).status !== 401) throw new Error('GET /api/orgs without a session should be 401');
    const overview = await fetch(`${base}/api/stats/overview`, { headers });
    if (overview.status !== 200) throw new Error(`GET /api/stats/overview answered ${overview.status}`);
    log(`application ready on ${base} (${orgBody.total} organisations); measuring…`);
    const tag = scratch ? 'app/pg' : 'app';
    figures.push(
      await load(`${tag}: GET /api/orgs?limit=20 (session)`, `${base}/api/orgs?limit=20`, {
        connections,
        duration,
        headers,
        metrics: { base, route: '/api/orgs' },
        server: app.child,
      }),
    );
    // A dashboard endpoint (about twenty statements per call): a few clients, not fifty.
    const few = Math.min(connections, 10);
    figures.push(
      await load(`${tag}: GET /api/stats/overview (session, ${few} conns)`, `${base}/api/stats/overview`, {
        connections: few,
        duration,
        headers,
        metrics: { base, route: '/api/stats/overview' },
        server: app.child,
      }),
    );
  } finally {
    await stopServer(app.child);
    if (scratch) await adminQuery(scratch.admin, `drop database if exists ${scratch.name} with (force)`);
  }

  log('starting the bare Fastify baseline…');
  const bare = await startServer('bare');
  try {
    figures.push(await load('baseline: bare Fastify GET /hello', `http://127.0.0.1:${bare.port}/hello`, { connections, duration }));
  } finally {
    await stopServer(bare.child);
  }

  const baseline = figures[figures.length - 1];
  const ratio = (f: Figure) => Math.round((f.rps / baseline.rps) * 1000) / 1000;
  if (values.json) {
    process.stdout.write(JSON.stringify({ machine, database: dbLabel, connections, duration, figures: figures.map((f) => ({ ...f, ratioToBaseline: ratio(f) })) }, null, 2) + '\n');
    return;
  }
  const rows = figures.map((f) => [
    f.name,
    f.rps.toFixed(0),
    f.p50.toFixed(0),
    f.p99.toFixed(0),
    f.serverMs === null ? '-' : f.serverMs.toFixed(1),
    f.loop === null ? '-' : `${f.loop.p50.toFixed(0)}/${f.loop.max.toFixed(0)}`,
    f.requests.toString(),
    f === baseline ? '1' : ratio(f).toFixed(3),
    f.non2xx || f.errors ? `${f.non2xx} non-2xx, ${f.errors} errors` : 'ok',
  ]);
  const head = ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'in-app ms', 'loop delay p50/max ms', 'requests', 'ratio', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
  for (const f of figures) if (f !== baseline) process.stdout.write(ratioLine(f.name, f.rps / baseline.rps, 'bare Fastify route') + '\n');
  for (const f of figures) if (f.non2xx || f.errors) process.exitCode = 1;
}

