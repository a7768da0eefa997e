// City-code benchmark: how fast codes are verified, in process and through the HTTP scan API.
//
//   node --import tsx bench/code.ts [--codes 20000] [--rounds 3] [--http-codes 30000] [--duration 10] [--connections 16]
//                                   [--postgres URL | --pglite] [--skip-http] [--json]
//
// 1. In process, the same run: --codes codes signed with a real P-256 key, then
//    a. verifyCityCode over every code (prefix, Base45, COSE, claims, trust store, issuer, signature, time,
//       one-time id against an in-memory set) — what a terminal does offline and the server does per scan;
//    b. the bare signature check over the same signatures: node:crypto `crypto.verify` (ECDSA P-256, SHA-256,
//       IEEE P1363) on the same Sig_structure bytes with the same key — the floor any verifier pays;
//    c. the same bare check through WebCrypto (`crypto.subtle.verify`), which the isomorphic library uses.
//    The ratio a/b is the figure: how much of a verification is the signature itself. The three loops take
//    turns for --rounds rounds and each reports its best round (the machine may be busy with other work).
// 2. Over HTTP: the application in a child process (this file again, BENCH_ROLE=app) on a scratch
//    PostgreSQL database (or PGlite with --pglite), with the demo data; a service-hall terminal and its key;
//    --http-codes fresh codes for a demo citizen signed by the bureau's real key; autocannon fires
//    POST /api/code/scan with a different code per request (API-key authentication, verification, the
//    replay guard insert, the frozen check, the policy, the scan log insert) → scans/s and p50/p99.
import { fork, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { adminQuery } from '../src/platform/db/admin';
import {
  base45Decode,
  CITY_CODE_PREFIX,
  coseSign1Decode,
  es256Signer,
  issueCityCode,
  kidOf,
  sigStructure,
  TrustStore,
  verifyCityCode,
  type CityCodeClaims,
  type TrustList,
  type TrustSource,
} from '../src/lib/verifier';
import { ask, describeMachine, ratioLine, type Msg } from './common';

interface Figure {
  name: string;
  perSecond: number;
  p50?: number;
  p99?: number;
  count: number;
  bad: number;
}

const role = process.env.BENCH_ROLE;
if (role === 'app') await serveApp();
else await main();

// ---- the application (child process) ------------------------------------------------------------------

async function serveApp() {
  const { createApp, seed } = await import('../src/app');
  const { loadConfig } = await import('../src/config');
  const { systemActor } = await import('../src/platform/auth/actor');
  const { rows } = await import('../src/platform/db/client');
  const { sql } = await import('drizzle-orm');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-code-'));
  const env: Record<string, string> = { NODE_ENV: 'development', DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', DQ_JOBS: '0', LOG_LEVEL: 'warn' };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const app = await createApp(loadConfig(env));
  await seed(app.services, { demo: true });
  await app.listen();
  const addr = app.fastify.server.address();
  const send = (m: Msg) => process.send!(m);
  const stop = async () => {
    await app.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());

  process.on('message', async (m: Msg) => {
    try {
      const codes = app.services.code.cityCodes;
      const actor = systemActor('bench');
      if (m.type === 'prepare') {
        const dsj = await app.services.orgs.byCode('DSJ');
        const terminal = await codes.createTerminal(actor, { name: 'bench desk', place: 'bench', scenario: 'hall', ownerOrgId: dsj!.id });
        // Codes for a demo citizen, signed by the bureau's real key, valid for the whole run.
        const user = await app.services.auth.findByUsername('citizen_zhang');
        const signer = await app.services.code.trust.signer('DSJ', 'city-code');
        const now = Math.floor(Date.now() / 1000);
        const sub = codes.subjectFor(user!.id);
        const payloads: string[] = [];
        for (let i = 0; i < Number(m.count); i++) {
          const claims: CityCodeClaims = { iss: signer.issuer, sub, iat: now, exp: now + 3600, cti: (i + 1).toString(16).padStart(16, '0'), type: 'person', health: 'green', cards: [] };
          payloads.push(await issueCityCode(claims, signer));
        }
        send({ type: 'prepared', key: terminal.key, payloads });
      } else if (m.type === 'count') {
        const r = await rows<{ decision: string; reason: string; n: number }>(app.services.database.db, sql`select decision, reason, count(*)::int as n from code_scans group by 1, 2 order by 3 desc`);
        send({ type: 'count', rows: r });
      }
    } catch (e) {
      send({ type: 'error', message: String((e as Error).stack ?? e) });
    }
  });
  send({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
}

// ---- in process ---------------------------------------------------------------------------------------

async function inProcess(n: number, rounds: number, log: (s: string) => void): Promise<Figure[]> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = (await webcrypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  const kid = await kidOf(jwk);
  const issuer = 'CN-370200:DSJ';
  const now = new Date();
  const list: TrustList = {
    version: 1,
    platform: { id: 'CN-370200', name: '青岛市', url: 'http://127.0.0.1' },
    seq: 1,
    issuedAt: now.toISOString(),
    nextUpdate: new Date(now.getTime() + 86_400_000).toISOString(),
    keys: [{ kid, issuer, issuerName: '大数据局', uses: ['city-code'], jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, notBefore: new Date(now.getTime() - 3600_000).toISOString(), notAfter: null }],
  };
  const source: TrustSource = { list, listId: 'CN-370200#1', signerKid: kid, own: true };
  const signer = es256Signer(kid, pair.privateKey);
  log(`making ${n.toLocaleString('en')} codes…`);
  const iat = Math.floor(now.getTime() / 1000);
  const payloads: string[] = [];
  for (let i = 0; i < n; i++) {
    payloads.push(await issueCityCode({ iss: issuer, sub: `BENCH${i}`, iat, exp: iat + 600, cti: (i + 1).toString(16).padStart(16, '0'), type: 'person', health: 'green', cards: [{ kind: 'bus', ref: `BUS-${i}` }] }, signer));
  }
  // The exact bytes and signatures the library checks, for the bare loops.
  const signed = payloads.map((p) => {
    const msg = coseSign1Decode(base45Decode(p.slice(CITY_CODE_PREFIX.length)));
    return { data: sigStructure(msg.protectedBytes, msg.payload), sig: msg.signature };
  });
  const keyObject = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });

  const at = new Date();
  const store = new TrustStore([source], { at });
  const cryptoKey = await webcrypto.subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const runs: { name: string; pass: () => Promise<number> }[] = [
    {
      name: 'verifyCityCode (decode, trust, issuer, signature, time, one-time id)',
      pass: async () => {
        const seen = new Set<string>();
        let bad = 0;
        for (const p of payloads) {
          const d = await verifyCityCode(p, { trust: store, at, seen: (cti) => (seen.has(cti) ? true : (seen.add(cti), false)) });
          if (!d.valid) bad++;
        }
        return bad;
      },
    },
    {
      name: 'baseline: node:crypto crypto.verify (ECDSA P-256, same bytes)',
      pass: async () => {
        let bad = 0;
        for (const x of signed) if (!nodeVerify('sha256', x.data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, x.sig)) bad++;
        return bad;
      },
    },
    {
      name: 'baseline: WebCrypto subtle.verify (same bytes)',
      pass: async () => {
        let bad = 0;
        for (const x of signed) if (!(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, cryptoKey, x.sig, x.data))) bad++;
        return bad;
      },
    },
  ];
  // Warm-up (JIT, key caches); then the three loops take turns for `rounds` rounds and each keeps its best
  // round, so a burst of load from elsewhere on the machine does not decide the ratio.
  for (let i = 0; i < Math.min(500, n); i++) await verifyCityCode(payloads[i], { trust: store, at });
  for (let i = 0; i < Math.min(500, n); i++) nodeVerify('sha256', signed[i].data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, signed[i].sig);
  const best = runs.map((r) => ({ name: r.name, perSecond: 0, count: n, bad: 0 }) as Figure);
  for (let round = 1; round <= rounds; round++) {
    log(`round ${round}/${rounds}: verifyCityCode, crypto.verify, subtle.verify over ${n.toLocaleString('en')} codes…`);
    for (const [k, r] of runs.entries()) {
      const t0 = performance.now();
      const bad = await r.pass();
      const rate = (n * 1000) / (performance.now() - t0);
      if (rate > best[k].perSecond) best[k].perSecond = rate;
      best[k].bad = Math.max(best[k].bad, bad);
    }
  }
  return best;
}

// ---- driver -------------------------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({
    options: {
      codes: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      'http-codes': { type: 'string', default: '30000' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '16' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      pglite: { type: 'boolean', default: false },
      'skip-http': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const n = Math.max(100, Number(values.codes));
  const httpCodes = Math.max(100, Number(values['http-codes']));
  const duration = Math.min(300, Math.max(2, Number(values.duration)));
  const connections = Math.min(256, Math.max(1, Number(values.connections)));
  const log = (s: string) => process.stderr.write(s + '\n');
  const machine = describeMachine(log);

  const local = await inProcess(n, Math.max(1, Number(values.rounds)), log);
  const http: Figure[] = [];
  let decisions: unknown = null;

  if (!values['skip-http']) {
    const name = `dq_bench_code_${process.pid}`;
    let dbUrl: string | undefined;
    if (!values.pglite) {
      const u = new URL(values.postgres!);
      u.pathname = `/${name}`;
      await adminQuery(values.postgres!, `create database ${name}`);
      dbUrl = u.toString();
    }
    let child: ChildProcess | null = null;
    try {
      log(`starting the application on ${values.pglite ? 'PGlite' : 'PostgreSQL'} with the demo data…`);
      child = fork(new URL(import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_ROLE: 'app', ...(dbUrl ? { BENCH_DATABASE_URL: dbUrl } : {}) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const ready = await new Promise<Msg>((resolve, reject) => {
        child!.once('message', (m: Msg) => resolve(m));
        child!.once('exit', (code) => reject(new Error(`app exited with ${code} before it was ready`)));
      });
      const base = `http://127.0.0.1:${ready.port}`;
      log(`registering a terminal and signing ${httpCodes.toLocaleString('en')} codes…`);
      const prep = await ask(child, { type: 'prepare', count: httpCodes }, 'prepared');
      const payloads = prep.payloads as string[];
      const headers = { 'x-api-key': String(prep.key), 'content-type': 'application/json' };
      const probe = await fetch(`${base}/api/code/scan`, { method: 'POST', headers, body: JSON.stringify({ payload: payloads[0] }) });
      const answer = (await probe.json()) as { decision?: string };
      if (probe.status !== 200 || answer.decision !== 'pass') throw new Error(`probe answered ${probe.status} ${JSON.stringify(answer)}`);
      let i = 1;
      const opts = {
        url: base,
        connections,
        timeout: 10,
        requests: [{ method: 'POST' as const, path: '/api/code/scan', headers, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ payload: payloads[i++ % payloads.length] }) }) }],
      };
      log(`scan API, ${connections} connections, ${duration} s…`);
      const r = await autocannon({ ...opts, duration });
      if (i > payloads.length) log(`note: ${i - payloads.length} requests reused a code (replays, still answered 200); raise --http-codes`);
      http.push({ name: 'POST /api/code/scan (key, verify, replay guard, frozen, policy, scan log)', perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, count: r.requests.total, bad: r.non2xx + r.errors });
      // Let requests still in flight when autocannon stopped finish before counting and shutting down.
      await new Promise((r) => setTimeout(r, 1000));
      decisions = (await ask(child, { type: 'count' }, 'count')).rows;
    } finally {
      if (child && child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      if (dbUrl) await adminQuery(values.postgres!, `drop database if exists ${name} with (force)`);
    }
  }

  const floor = local[1].perSecond;
  if (values.json) {
    process.stdout.write(JSON.stringify({ machine, codes: n, inProcess: local.map((f) => ({ ...f, ratioToCryptoVerify: f.perSecond / floor })), http, decisions, connections, duration }, null, 2) + '\n');
  } else {
    const head = ['run', 'per second', 'p50 ms', 'p99 ms', 'count', 'vs crypto.verify', 'status'];
    const rowsOut = [...local, ...http].map((f) => [
      f.name,
      f.perSecond.toFixed(0),
      f.p50 === undefined ? '' : f.p50.toFixed(2),
      f.p99 === undefined ? '' : f.p99.toFixed(2),
      String(f.count),
      (f.perSecond / floor).toFixed(3),
      f.bad ? `${f.bad} bad` : 'ok',
    ]);
    const widths = head.map((h, c) => Math.max(h.length, ...rowsOut.map((r) => r[c].length)));
    const line = (c: string[]) => c.map((x, k) => (k === 0 ? x.padEnd(widths[k]) : x.padStart(widths[k]))).join('  ');
    process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rowsOut.map(line)].join('\n') + '\n');
    for (const f of [local[0], ...http]) process.stdout.write(ratioLine(f.name, f.perSecond / floor, 'node:crypto ES256 verify loop') + '\n');
    if (decisions) process.stdout.write(`scan log: ${(decisions as { decision: string; reason: string; n: number }[]).map((d) => `${d.decision}/${d.reason} ${d.n}`).join(', ')}\n`);
  }
  for (const f of [...local, ...http]) if (f.bad) process.exitCode = 1;
}
