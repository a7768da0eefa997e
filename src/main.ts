// `dq` — the command line: serve, migrate, seed, user add, audit verify, backup, restore, credit validate,
// code verify.
// Exit codes: 0 success, 1 a reported failure, 2 bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { AppServices } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { passwordProblem } from './platform/auth/passwords';
import { BackupError, backupFormat } from './platform/db/backup';
import type { Database } from './platform/db/client';
import { pgDataDir } from './platform/db/location';
import { AppError } from './platform/http/problem';
import { textProblem } from './platform/text';

// The application (Fastify, every module, the embedded database) is imported by the commands that need
// it, not up front: `dq --help`, usage errors and refusals answer at once.
const lazy = {
  app: () => import('./app'),
  db: () => import('./platform/db/client'),
  migrate: () => import('./platform/db/migrate'),
  audit: () => import('./platform/audit/audit.service'),
  backup: () => import('./platform/db/backup'),
  accounts: () => import('./platform/auth/accounts'),
};

class ReportedFailure extends Error {}

/** A usage error found after parsing (commander reports its own): printed, exit 2. */
function usage(message: string): never {
  throw new CommanderError(2, 'dq.usage', message);
}

const program = new Command();
program
  .name('dq')
  .description('Digital Qingdao (数字青岛) city platform')
  .option('--data-dir <dir>', 'embedded database folder (DATA_DIR)')
  .showHelpAfterError()
  .exitOverride()
  // Arguments meet the platform's text rule as request fields do (no control characters, no broken Unicode).
  .hook('preAction', (_program, action) => {
    const strings = [...Object.entries(action.optsWithGlobals()).map(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v] as const), ...action.args.map((v, i) => [`argument ${i + 1}`, v] as const)];
    for (const [name, v] of strings) {
      const p = typeof v === 'string' ? textProblem(v) : null;
      if (p) usage(`${name}: ${p}`);
    }
  });

/** `serve` keeps the process alive after its action returns; every other command ends with it. */
let keepRunning = false;
/** Set by commands given --json, so failures are printed as JSON on stdout too. */
let jsonOutput = false;

/** Config from the environment, with global CLI flags on top. */
function config(extra: Partial<Record<string, string>> = {}): Config {
  const g = program.opts<{ dataDir?: string }>();
  return loadConfig({ ...process.env, ...(g.dataDir ? { DATA_DIR: g.dataDir } : {}), ...extra });
}

function print(json: boolean, data: unknown, text: string) {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : text + '\n');
}

function progress(msg: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r${msg}\x1b[K`);
}
function progressDone() {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** Logs of one-shot commands go to stderr, so stdout carries only the result (and parses with --json). */
async function cliLogger(cfg: Config) {
  const { default: pino } = await import('pino');
  return pino({ level: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel }, pino.destination(2));
}

/** The configured database, opened without loading the application. */
async function openConfiguredDatabase(cfg: Config): Promise<Database> {
  return (await lazy.db()).openConfiguredDatabase(cfg);
}

// ---- one process per embedded database folder ------------------------------------------------
// PGlite is single-process: two processes on one folder corrupt it. Every command that opens the
// folder holds DATA_DIR/dq.pid (created exclusively) while it runs; a server holds it for its lifetime.
// A file left by a process that no longer exists (kill -9, power loss) is taken over.

function pidFile(cfg: Config) {
  return path.join(cfg.dataDir, 'dq.pid');
}

function readHolder(file: string): { pid: number; command: string } | null {
  try {
    const [pid, command] = fs.readFileSync(file, 'utf8').split('\n');
    return Number(pid) > 0 ? { pid: Number(pid), command: command || 'serve' } : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockFolder(cfg: Config, command: string): void {
  if (cfg.databaseUrl) return;
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const file = pidFile(cfg);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n${command}\n`, { flag: 'wx' });
      process.once('exit', () => {
        if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        const who = holder.command === 'serve' ? 'a server' : `another dq command (${holder.command})`;
        throw new ReportedFailure(
          `${who} (pid ${holder.pid}) is using ${cfg.dataDir}; stop it first (the embedded database allows one process). ` +
            `If no such process is running, remove ${file}.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new ReportedFailure(`could not lock ${cfg.dataDir}`);
}

/** Commands that read an existing database must not create an empty one in a mistyped folder. */
function requireExistingDatabase(cfg: Config) {
  if (cfg.databaseUrl) return;
  if (!fs.existsSync(path.join(pgDataDir(cfg), 'PG_VERSION'))) {
    throw new ReportedFailure(`no database in ${cfg.dataDir} (run \`dq migrate\` or \`dq serve\` first, or pass the right --data-dir)`);
  }
}

async function withDatabase<T>(cfg: Config, fn: (d: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(cfg);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function withServices<T>(cfg: Config, command: string, fn: (s: AppServices) => Promise<T>): Promise<T> {
  lockFolder(cfg, command);
  const { createServices } = await lazy.app();
  const s = await createServices(cfg, { log: await cliLogger(cfg) });
  try {
    return await fn(s);
  } finally {
    await s.database.close();
  }
}

program
  .command('serve')
  .description('serve the API and the web apps (migrates, and seeds demo data outside production)')
  .option('--port <n>', 'port (PORT)')
  .option('--host <host>', 'interface (HOST)')
  .option('--data-dir <dir>', 'embedded database folder (DATA_DIR)')
  .action(async (o: { port?: string; host?: string; dataDir?: string }) => {
    const cfg = config({ ...(o.port ? { PORT: o.port } : {}), ...(o.host ? { HOST: o.host } : {}), ...(o.dataDir ? { DATA_DIR: o.dataDir } : {}) });
    lockFolder(cfg, 'serve');
    const { createApp, seed, DEMO_PASSWORD } = await lazy.app();
    const app = await createApp(cfg);
    const log = app.services.log;
    if (cfg.masterKeyIsDemo) log.warn('APP_MASTER_KEY is not set: secrets are encrypted with the development key (fine for a demo, never for real data)');
    const seeded = await seed(app.services, { demo: !cfg.production });
    const address = await app.listen();
    keepRunning = true;
    const bound = app.fastify.server.address();
    const port = bound && typeof bound === 'object' ? bound.port : cfg.port;
    // With PORT=0 the system picks the port: show the one actually in use.
    const url = cfg.port === 0 ? cfg.publicUrl.replace(/:0$/, `:${port}`) : cfg.publicUrl;
    const lines = [
      '',
      `  数字青岛 Digital Qingdao platform is running`,
      `  Listening: ${address}`,
      `  Database:  ${app.services.database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${cfg.dataDir}` : app.services.database.location}`,
      `  Portal:    ${url}/`,
      `  Console:   ${url}/console/`,
      `  Screen:    ${url}/screen/`,
      `  API docs:  ${url}/api/docs`,
    ];
    if (seeded.demo.accounts.length) {
      lines.push('', `  Demo accounts (password ${DEMO_PASSWORD}):`);
      for (const a of seeded.demo.accounts) lines.push(`    ${a.username.padEnd(16)} ${a.description}`);
    }
    process.stdout.write(lines.join('\n') + '\n\n');
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      await app.close().catch((err: unknown) => log.error({ err }, 'shutdown failed'));
      process.exit(0); // the exit handler removes the pid file
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply database migrations')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    jsonOutput = !!o.json;
    const cfg = config();
    lockFolder(cfg, 'migrate');
    const { migrate } = await lazy.migrate();
    await withDatabase(cfg, async (database) => {
      await migrate(database);
      const r = await database.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      print(!!o.json, { ok: true, applied: r[0].n, database: database.location }, `migrated ${database.location}: ${r[0].n} migrations applied`);
    });
  });

program
  .command('seed')
  .description('load reference data (roles, the city and its organisations); --demo adds demo enterprises and accounts')
  .option('--demo', 'also load demo data (refused in production)')
  .option('--json', 'print the result as JSON')
  .action(async (o: { demo?: boolean; json?: boolean }) => {
    jsonOutput = !!o.json;
    const cfg = config();
    if (o.demo && cfg.production) throw new ReportedFailure('demo data is never loaded in production');
    await withServices(cfg, 'seed', async (s) => {
      const { seed, DEMO_PASSWORD } = await lazy.app();
      const r = await seed(s, { demo: !!o.demo });
      print(
        !!o.json,
        { ok: true, reference: r.reference, demo: { seeded: r.demo.seeded, accounts: r.demo.accounts.map((a) => a.username) } },
        `reference organisations created: ${r.reference.created}` + (o.demo ? `\ndemo accounts: ${r.demo.accounts.map((a) => a.username).join(', ')} (password ${DEMO_PASSWORD})` : ''),
      );
    });
  });

// Field paths in service validation errors, as the options a CLI user typed.
const USER_FIELDS: Record<string, string> = {
  '/username': '--username',
  '/password': '--password',
  '/roles': '--role',
  '/orgId': '--org',
  '/idNumber': '--id-number',
  '/displayName': '--name',
  '/kind': '--kind',
};

const user = program.command('user').description('manage accounts');
user
  .command('add [username]')
  .description('create an account (e.g. the first administrator in production): dq user add alice --role admin --password …')
  .option('--username <u>', 'login name (or give it as the argument)')
  .requiredOption('--password <p>', "password: 10+ characters of three classes, not a common password, without the city's name or the user's")
  .requiredOption('--role <role>', 'role code, e.g. admin, dept_officer, citizen (repeatable: comma-separated)')
  .option('--org <code>', 'organisation code (department short code, division code or credit code); staff without --org belong to the city-level bureau that runs the platform (the city file\'s bureau, DSJ for Qingdao); enterprise accounts need it')
  .option('--name <display>', 'display name')
  .option('--kind <kind>', 'citizen | enterprise | staff', 'staff')
  .option('--id-number <id>', 'citizen ID number (citizens)')
  .option('--json', 'print the created account as JSON')
  .action(async (username: string | undefined, o: { username?: string; password: string; role: string; org?: string; name?: string; kind: string; idNumber?: string; json?: boolean }) => {
    jsonOutput = !!o.json;
    if (username && o.username && username !== o.username) usage(`the username is given twice (${username} and --username ${o.username})`);
    const login = username ?? o.username;
    if (!login) usage('give the username: dq user add NAME (or --username NAME)');
    if (!['citizen', 'enterprise', 'staff'].includes(o.kind)) usage('--kind must be citizen, enterprise or staff');
    // Refuse a weak password before touching the database.
    // (the service checks it again with the city's names, which need the city file).
    const weak = passwordProblem(o.password, { username: login, displayName: o.name ?? login });
    if (weak) throw new ReportedFailure(`--password: ${weak}`);
    await withServices(config(), 'user add', async (s) => {
      const { seed } = await lazy.app();
      const { systemActor } = await import('./platform/auth/actor');
      // Staff named without an organisation belong to the city-level bureau (the city file says which).
      const { bureauCode, loadCityFile } = await import('./modules/org');
      const orgCode = o.org ?? (o.kind === 'staff' ? bureauCode(loadCityFile(s.config.cityFile)) : undefined);
      // A fresh database (e.g. the first administrator of a new installation) needs the roles and the
      // city's organisations first; an installed one already has them.
      const { roles: roleCount } = await (await lazy.accounts()).accountCounts(s.database.db);
      if (roleCount === 0 || (orgCode && !(await s.orgs.byCode(orgCode)))) await seed(s, { demo: false });
      const org = orgCode ? await s.orgs.byCode(orgCode) : null;
      if (orgCode && !org) throw new ReportedFailure(o.org ? `--org: no organisation with code ${o.org}` : `the bureau ${orgCode} named by the city file is not seeded`);
      try {
        const u = await s.auth.createUser(systemActor('cli'), {
          username: login,
          displayName: o.name ?? login,
          kind: o.kind as 'staff',
          password: o.password,
          orgId: org?.id ?? null,
          idNumber: o.idNumber,
          roles: o.role
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
        });
        const orgOut = org ? { code: org.code, name: org.name } : null;
        print(!!o.json, { ...u, org: orgOut }, `created ${u.username} (${u.kind}; roles ${u.roles.join(', ')}${org ? `; organisation ${org.code} ${org.name}` : ''})`);
      } catch (err) {
        if (err instanceof AppError && err.errors?.length) {
          throw new ReportedFailure(err.errors.map((e) => `${USER_FIELDS[e.path] ?? e.path}: ${e.message}`).join('; '));
        }
        throw err;
      }
    });
  });

const audit = program.command('audit').description('the audit trail');
audit
  .command('verify')
  .description('check the whole hash chain and print every broken entry; exit 0 when intact, 1 when broken')
  .option('--json', 'print the result as JSON (every break in "breaks", then the summary)')
  .action(async (o: { json?: boolean }) => {
    jsonOutput = !!o.json;
    const cfg = config();
    requireExistingDatabase(cfg);
    lockFolder(cfg, 'audit verify');
    const [{ migrate }, { verifyAuditChain }] = await Promise.all([lazy.migrate(), lazy.audit()]);
    await withDatabase(cfg, async (database) => {
      await migrate(database);
      // Breaks are written as they are found, so a chain with millions of them is never held in memory;
      // in JSON the "breaks" array therefore comes first and the summary after it.
      let n = 0;
      if (o.json) process.stdout.write('{\n  "breaks": [');
      const r = await verifyAuditChain(database.db, {
        limit: 0,
        onProgress: (checked, total) => progress(`verified ${checked}/${total} entries`),
        onBreak: (b) => {
          if (o.json) process.stdout.write(`${n ? ',' : ''}\n    ${JSON.stringify(b)}`);
          else {
            if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
            process.stdout.write(`entry ${b.seq} (${b.reason}): ${b.detail}\n`);
          }
          n++;
        },
      });
      progressDone();
      const { breaks: _listed, nextCursor: _cursor, ...summary } = r;
      const range = r.firstSeq === null ? '' : ` (${r.firstSeq}–${r.lastSeq})`;
      const reasons = Object.entries(r.byReason)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      if (o.json) process.stdout.write(`${n ? '\n  ' : ''}],${JSON.stringify(summary, null, 2).slice(1)}\n`);
      else if (r.ok) process.stdout.write(`audit chain intact: ${r.checked} entries${range}\n`);
      else {
        process.stdout.write(
          `audit chain BROKEN at entry ${r.brokenAt!.seq} (${r.brokenAt!.reason}): ${r.broken} broken ${r.broken === 1 ? 'entry' : 'entries'} (${reasons}) among ${r.checked} entries checked${range}\n`,
        );
      }
      if (!r.ok) process.exitCode = 1;
    });
  });

program
  .command('backup')
  .description('write a backup: the embedded database folder (gzip), or pg_dump for PostgreSQL')
  .requiredOption('--out <file>', 'backup file to write')
  .option('--json', 'print the result as JSON')
  .action(async (o: { out: string; json?: boolean }) => {
    jsonOutput = !!o.json;
    const cfg = config();
    requireExistingDatabase(cfg);
    lockFolder(cfg, 'backup');
    const { backupDatabase } = await lazy.backup();
    await withDatabase(cfg, async (database) => {
      progress(`writing backup of ${database.location}…`);
      const r = await backupDatabase(database, o.out);
      progressDone();
      print(!!o.json, { ok: true, file: path.resolve(o.out), ...r }, `backup written to ${path.resolve(o.out)} (${r.bytes} bytes, ${r.format})`);
    });
  });

program
  .command('restore')
  .description('restore a backup made by `dq backup`')
  .requiredOption('--from <file>', 'backup file')
  .option('--force', 'replace existing data (an embedded folder is kept aside as <dir>.before-restore)')
  .option('--json', 'print the result as JSON')
  .action(async (o: { from: string; force?: boolean; json?: boolean }) => {
    jsonOutput = !!o.json;
    const cfg = config();
    if (!fs.existsSync(o.from)) throw new ReportedFailure(`no such file: ${o.from}`);
    // Refuse the wrong kind of file before touching the target.
    const format = backupFormat(o.from);
    if (cfg.databaseUrl && format !== 'pg_dump') throw new ReportedFailure(`${o.from} is not a pg_dump custom-format backup (DATABASE_URL is set)`);
    if (!cfg.databaseUrl && format !== 'pglite') throw new ReportedFailure(`${o.from} is not an embedded-database backup (gzip archive)`);
    lockFolder(cfg, 'restore');
    const [{ restoreDatabase }, { verifyAuditChain }] = await Promise.all([lazy.backup(), lazy.audit()]);
    progress('restoring…');
    const database = await restoreDatabase(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : { dataDir: pgDataDir(cfg) }, o.from, { force: o.force });
    progressDone();
    // Prove the restored database opens and its audit chain holds.
    try {
      const v = await verifyAuditChain(database.db);
      const { users: n } = await (await lazy.accounts()).accountCounts(database.db);
      print(
        !!o.json,
        { ok: v.ok, users: n, auditEntries: v.checked, auditIntact: v.ok, ...(v.brokenAt ? { brokenAt: v.brokenAt } : {}) },
        `restored from ${o.from}: ${n} accounts, ${v.checked} audit entries (chain ${v.ok ? 'intact' : `BROKEN at entry ${v.brokenAt!.seq}: ${v.brokenAt!.detail}`})`,
      );
      // The data is back, but a broken chain must not pass unnoticed in a script.
      if (!v.ok) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

const credit = program.command('credit').description('credit supervision (双公示, credit repair)');
credit
  .command('validate')
  .description('check a licence or penalty file (CSV or Excel) against the 双公示 standard before upload; exit 0 when every row is valid, 1 otherwise')
  .requiredOption('--kind <kind>', 'licence | penalty')
  .option('--json', 'print the report as JSON: {total, valid, invalid, problems: [{row, field, code, message}]}')
  .argument('<file>', 'the .csv or .xlsx file (header row: field codes or their Chinese names)')
  .action(async (file: string, o: { kind: string; json?: boolean }) => {
    jsonOutput = !!o.json;
    if (o.kind !== 'licence' && o.kind !== 'penalty') usage('--kind must be licence or penalty');
    if (!/\.(csv|xlsx)$/i.test(file)) usage('the file must end in .csv or .xlsx');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) usage(`no such file: ${file}`);
    const { validateFile } = await import('./modules/credit');
    const r = await validateFile(o.kind as 'licence' | 'penalty', file).catch((err: unknown) => {
      // An unreadable file or a header that matches no field is the file's failure, not a usage error.
      if (err instanceof AppError) throw new ReportedFailure(err.errors?.length ? `${err.message}: ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : err.message);
      throw err;
    });
    const lines = [`${path.basename(file)}: ${r.total} rows, ${r.valid} valid, ${r.invalid} invalid`];
    if (r.problems.length) {
      lines.push('problems by code: ' + Object.entries(r.byCode).map(([c, n]) => `${c} ${n}`).join(', '));
      for (const p of r.problems.slice(0, 20)) lines.push(`  row ${p.row} ${p.field} [${p.code}] ${p.message}`);
      if (r.problems.length > 20) lines.push(`  … and ${r.problems.length - 20} more (use --json for all)`);
    }
    print(!!o.json, { ok: r.invalid === 0, kind: r.kind, file, total: r.total, valid: r.valid, invalid: r.invalid, problems: r.problems }, lines.join('\n'));
    if (r.invalid > 0) process.exitCode = 1;
  });

const codeCommand = program.command('code').description('city code (一码通城) and foreign schemes: offline verification');
codeCommand
  .command('verify')
  .description(
    'verify a city code (CC1:) or an EU DCC (HC1:) offline, with a trust file and a clock; prints {valid, scheme, reason, step, message, issuer, kid, trustList, claims}; exit 0 valid, 1 refused',
  )
  .option('--scheme <scheme>', 'auto (by prefix) | city | hc1', 'auto')
  .requiredOption(
    '--trust <file>',
    'trust file: a trust list as a JWS, as {"jws": …} (GET /api/trust/list), as a TrustList JSON, or a list of trust sources (GET /api/trust/sources); for hc1 a PEM or base64 DER signer certificate (one per line). ' +
      'Without --pin a trust list file is trusted locally as given: its signature is NOT checked (a warning says so)',
  )
  .option('--pin <file>', "the list-signing key to check a JWS trust list against (JWK, {\"jwk\": …} as GET /api/trust/list-key answers, or a JWKS); a list signed by any other key is refused")
  .option('--own', 'treat the trust list as this platform\'s own (never stale); otherwise freshness applies: warn after nextUpdate, refuse after the grace period')
  .option('--at <iso-time>', 'the verification clock, e.g. 2026-11-27T08:00:00Z (default: now)')
  .option('--skew <seconds>', 'allowed clock skew for iat/exp', '300')
  .option('--grace <seconds>', 'how long a partner list past nextUpdate is still trusted (with a warning)', '86400')
  .option('--json', 'print the decision as JSON')
  .argument('<payload>', 'the scanned text, or - to read it from stdin')
  .action(async (payload: string, o: { scheme: 'auto' | 'city' | 'hc1'; trust: string; pin?: string; own?: boolean; at?: string; skew: string; grace: string; json?: boolean }) => {
    jsonOutput = !!o.json;
    const { runVerify, formatDecision, VerifyUsageError, TrustFileError } = await import('./lib/verifier/node/verify-command');
    const readStdin = async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    const d = await runVerify(payload, o, readStdin).catch((err: unknown) => {
      if (err instanceof VerifyUsageError) usage(err.message);
      if (err instanceof TrustFileError) throw new ReportedFailure(err.message);
      throw err;
    });
    print(!!o.json, d, formatDecision(d));
    if (!d.valid) process.exitCode = 1;
  });

function fail(message: string, code: number): number {
  process.stderr.write(`dq: ${message}\n`);
  if (jsonOutput) process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n');
  return code;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // Help shown because a command was missing (`dq`, `dq user`) is a usage error; `dq help` is not.
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      if (err.code === 'dq.usage') return fail(err.message, 2);
      return 2; // commander has already printed what was wrong
    }
    if (err instanceof ConfigError) return fail(err.message, 2);
    if (err instanceof ReportedFailure || err instanceof AppError || err instanceof BackupError) return fail(err.message, 1);
    process.stderr.write(`dq: ${err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err)}\n`);
    if (jsonOutput) process.stdout.write(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }) + '\n');
    return 1;
  }
}

const code = await main(process.argv);
// `serve` keeps running after its action resolves; every other command ends here.
if (code !== 0 || !keepRunning) process.exit(code);
