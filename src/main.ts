// `dq` — the command line: serve, migrate, seed, user add, audit verify, backup, restore.
// Exit codes: 0 success, 1 a reported failure, 2 bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { createApp, createServices, DEMO_PASSWORD, openConfiguredDatabase, pgDataDir, seed, type AppServices } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { verifyAuditChain } from './platform/audit/audit.service';
import { systemActor } from './platform/auth/actor';
import { backupDatabase, restoreDatabase } from './platform/db/backup';
import { migrate } from './platform/db/migrate';
import { AppError } from './platform/http/problem';

class ReportedFailure extends Error {}

const program = new Command();
program
  .name('dq')
  .description('Digital Qingdao (数字青岛) city platform')
  .option('--data-dir <dir>', 'embedded database folder (DATA_DIR)')
  .showHelpAfterError()
  .exitOverride();

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

// PGlite is single-process: one server owns a data folder. A pid file tells other commands to stay out.
function pidFile(cfg: Config) {
  return path.join(cfg.dataDir, 'dq.pid');
}
function runningServer(cfg: Config): number | null {
  if (cfg.databaseUrl) return null;
  try {
    const pid = Number(fs.readFileSync(pidFile(cfg), 'utf8'));
    if (pid && pid !== process.pid) {
      process.kill(pid, 0);
      return pid;
    }
  } catch {
    /* no file, or the process is gone */
  }
  return null;
}
function assertNoServer(cfg: Config) {
  const pid = runningServer(cfg);
  if (pid) throw new ReportedFailure(`a server (pid ${pid}) is using ${cfg.dataDir}; stop it first (the embedded database allows one process)`);
}

async function withServices<T>(cfg: Config, fn: (s: AppServices) => Promise<T>): Promise<T> {
  assertNoServer(cfg);
  const s = await createServices(cfg);
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
    assertNoServer(cfg);
    if (!cfg.databaseUrl) {
      fs.mkdirSync(cfg.dataDir, { recursive: true });
      fs.writeFileSync(pidFile(cfg), String(process.pid));
    }
    const app = await createApp(cfg);
    const log = app.services.log;
    if (cfg.masterKeyIsDemo) log.warn('APP_MASTER_KEY is not set: secrets are encrypted with the development key (fine for a demo, never for real data)');
    const seeded = await seed(app.services, { demo: !cfg.production });
    await app.listen();
    const url = cfg.publicUrl;
    const lines = [
      '',
      `  数字青岛 Digital Qingdao platform is running`,
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
    const shutdown = async (signal: string) => {
      log.info({ signal }, 'shutting down');
      await app.close().catch(() => undefined);
      if (!cfg.databaseUrl) fs.rmSync(pidFile(cfg), { force: true });
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply database migrations')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    const cfg = config();
    assertNoServer(cfg);
    const database = await openConfiguredDatabase(cfg);
    try {
      await migrate(database);
      const r = await database.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      print(!!o.json, { ok: true, applied: r[0].n, database: database.location }, `migrated ${database.location}: ${r[0].n} migrations applied`);
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('load reference data (roles, the city and its organisations); --demo adds demo enterprises and accounts')
  .option('--demo', 'also load demo data (refused in production)')
  .option('--json', 'print the result as JSON')
  .action(async (o: { demo?: boolean; json?: boolean }) => {
    const cfg = config();
    if (o.demo && cfg.production) throw new ReportedFailure('demo data is never loaded in production');
    await withServices(cfg, async (s) => {
      const r = await seed(s, { demo: !!o.demo });
      print(
        !!o.json,
        { reference: r.reference, demo: { seeded: r.demo.seeded, accounts: r.demo.accounts.map((a) => a.username) } },
        `reference organisations created: ${r.reference.created}` + (o.demo ? `\ndemo accounts: ${r.demo.accounts.map((a) => a.username).join(', ')} (password ${DEMO_PASSWORD})` : ''),
      );
    });
  });

const user = program.command('user').description('manage accounts');
user
  .command('add')
  .description('create an account (e.g. the first administrator in production)')
  .requiredOption('--username <u>', 'login name')
  .requiredOption('--password <p>', 'password (10+ characters, three character classes)')
  .requiredOption('--role <role>', 'role code, e.g. admin, dept_officer, citizen (repeatable: comma-separated)')
  .option('--org <code>', 'organisation code (department short code, division code or credit code)')
  .option('--name <display>', 'display name')
  .option('--kind <kind>', 'citizen | enterprise | staff', 'staff')
  .option('--id-number <id>', 'citizen ID number (citizens)')
  .option('--json', 'print the created account as JSON')
  .action(async (o: { username: string; password: string; role: string; org?: string; name?: string; kind: string; idNumber?: string; json?: boolean }) => {
    if (!['citizen', 'enterprise', 'staff'].includes(o.kind)) throw new CommanderError(2, 'dq.usage', `--kind must be citizen, enterprise or staff`);
    await withServices(config(), async (s) => {
      await seed(s, { demo: false });
      const org = o.org ? await s.orgs.byCode(o.org) : null;
      if (o.org && !org) throw new ReportedFailure(`no organisation with code ${o.org}`);
      const u = await s.auth.createUser(systemActor('cli'), {
        username: o.username,
        displayName: o.name ?? o.username,
        kind: o.kind as 'staff',
        password: o.password,
        orgId: org?.id ?? null,
        idNumber: o.idNumber,
        roles: o.role.split(',').map((r) => r.trim()).filter(Boolean),
      });
      print(!!o.json, u, `created ${u.username} (${u.kind}; roles ${u.roles.join(', ')})`);
    });
  });

const audit = program.command('audit').description('the audit trail');
audit
  .command('verify')
  .description('check the hash chain; exit 0 when intact, 1 with the first broken entry')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    const cfg = config();
    assertNoServer(cfg);
    const database = await openConfiguredDatabase(cfg);
    try {
      await migrate(database);
      const r = await verifyAuditChain(database.db, (n, total) => progress(`verified ${n}/${total} entries`));
      if (process.stderr.isTTY) process.stderr.write('\n');
      print(!!o.json, r, r.ok ? `audit chain intact: ${r.checked} entries` : `audit chain BROKEN at entry ${r.brokenAt!.seq}: ${r.brokenAt!.reason} (${r.checked} entries intact before it)`);
      if (!r.ok) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program
  .command('backup')
  .description('write a backup: the embedded database folder (gzip), or pg_dump for PostgreSQL')
  .requiredOption('--out <file>', 'backup file to write')
  .option('--json', 'print the result as JSON')
  .action(async (o: { out: string; json?: boolean }) => {
    const cfg = config();
    assertNoServer(cfg);
    const database = await openConfiguredDatabase(cfg);
    try {
      progress('writing backup…');
      const r = await backupDatabase(database, o.out);
      if (process.stderr.isTTY) process.stderr.write('\n');
      print(!!o.json, { ok: true, file: path.resolve(o.out), ...r }, `backup written to ${path.resolve(o.out)} (${r.bytes} bytes, ${r.format})`);
    } finally {
      await database.close();
    }
  });

program
  .command('restore')
  .description('restore a backup made by `dq backup`')
  .requiredOption('--from <file>', 'backup file')
  .option('--force', 'replace a non-empty embedded data folder (kept aside as <dir>.before-restore)')
  .option('--json', 'print the result as JSON')
  .action(async (o: { from: string; force?: boolean; json?: boolean }) => {
    const cfg = config();
    assertNoServer(cfg);
    if (!fs.existsSync(o.from)) throw new ReportedFailure(`no such file: ${o.from}`);
    await restoreDatabase(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : { dataDir: pgDataDir(cfg) }, o.from, { force: o.force });
    // Prove the restored database opens and its audit chain holds.
    const database = await openConfiguredDatabase(cfg);
    try {
      const v = await verifyAuditChain(database.db);
      const [{ n }] = await database.query<{ n: number }>('select count(*)::int as n from users');
      print(!!o.json, { ok: true, users: n, auditEntries: v.checked, auditIntact: v.ok }, `restored from ${o.from}: ${n} accounts, ${v.checked} audit entries (chain ${v.ok ? 'intact' : 'BROKEN'})`);
    } finally {
      await database.close();
    }
  });

export async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`dq: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ReportedFailure) {
      process.stderr.write(`dq: ${err.message}\n`);
      return 1;
    }
    if (err instanceof AppError) {
      process.stderr.write(`dq: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`dq: ${err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// `serve` keeps running after its action resolves; every other command ends here.
if (code !== 0 || process.argv[2] !== 'serve') process.exit(code);
