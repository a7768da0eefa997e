// The composition root: opens the database, migrates, wires platform services and modules, and
// registers every route on one Fastify instance. `dq serve`, the tests and the benchmarks all start here.
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type client from 'prom-client';
import type { Config } from './config';
import { applicationCertificates } from './flows/application-certificates';
import { overviewRoutes } from './flows/overview';
import { DEMO_PASSWORD, IdentityService, ensureOidcSchedules, identityRoutes, oidcRoutes, registerOidcJobs, seedDemoAccounts, seedRoles, type DemoAccount } from './modules/identity';
import { OrgService, loadCityFile, orgRoutes, seedDemoEnterprises, seedReferenceOrgs } from './modules/org';
import {
  ApplicationService,
  applicationRoutes,
  BundleApplicationService,
  bundleApplicationRoutes,
  CatalogueFiles,
  CatalogueService,
  FactRegistry,
  HistoryFacts,
  HomeService,
  homeRoutes,
  InAppNotifier,
  LifeEventFacts,
  NO_ACTION_JOB,
  NoActionAuthentication,
  ProfileFacts,
  RenterFacts,
  seedAutoRules,
  seedCatalogue,
  seedDemoLifeEvents,
  svcRoutes,
} from './modules/svc';
import { CreditService, creditRoutes, EXPIRE_JOB, OUTBOX_JOB, RepairService, seedCreditDemo, seedCreditReference } from './modules/credit';
import { createCode, codeRoutes, ensureCodeSchedules, registerCodeJobs, seedCodeDemo, seedCodeReference, type Code } from './modules/code';
import { createCert, certRoutes, ensureCertSchedules, registerCertJobs, seedCertDemo, seedCertReference, type Cert } from './modules/cert';
import { createSeal, sealRoutes, seedSealDemo, seedSealReference, type SealService } from './modules/seal';
import { createShare, ensureShareSchedules, registerShareJobs, seedShareDemo, shareRoutes, type Share } from './modules/share';
import { systemActor } from './platform/auth/actor';
import { CalendarService, calendarRoutes } from './platform/calendar';
import { auditRoutes } from './platform/audit/audit.routes';
import { auditActivity, verifyAuditChain } from './platform/audit/audit.service';
import { AuthService } from './platform/auth/auth.service';
import { openConfiguredDatabase, pgDataDir, type Database } from './platform/db/client';
import { readSetting, writeSettingOnce } from './platform/db/settings';
import { migrate } from './platform/db/migrate';
import { opsRoutes } from './platform/http/ops.routes';
import { createHttpServer, type RegisteredRoute } from './platform/http/server';
import { webRoutes } from './platform/http/web.routes';
import { jobsRoutes } from './platform/jobs/jobs.routes';
import { JobQueue } from './platform/jobs/queue';

export interface AppServices {
  config: Config;
  log: Logger;
  database: Database;
  auth: AuthService;
  orgs: OrgService;
  identity: IdentityService;
  queue: JobQueue;
  calendar: CalendarService;
  catalogue: CatalogueService;
  applications: ApplicationService;
  bundles: BundleApplicationService;
  home: HomeService;
  noAction: NoActionAuthentication;
  credit: CreditService;
  repairs: RepairService;
  /** Data sharing and exchange: catalogue, datasets, requests, gateway. */
  share: Share;
  /** One code for the city: issuing keys, trust lists, partners, city codes and terminals. */
  code: Code;
  /** Electronic certificates and the holder's wallet. */
  cert: Cert;
  /** Electronic seals and the platform's certificate authority. */
  seals: SealService;
}

export interface App {
  fastify: FastifyInstance;
  services: AppServices;
  routes: RegisteredRoute[];
  metrics: client.Registry;
  /** Migrate (and seed demo data outside production); idempotent. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  database?: Database;
  log?: Logger;
  /** Skip migration (the caller already migrated, e.g. the test template). */
  skipMigrate?: boolean;
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export { openConfiguredDatabase, pgDataDir };

export async function createServices(config: Config, opts: CreateAppOptions = {}): Promise<AppServices> {
  const log = opts.log ?? createLogger(config);
  const database = opts.database ?? (await openConfiguredDatabase(config));
  if (!opts.skipMigrate) await migrate(database);
  const db = database.db;
  const orgs = new OrgService(db);
  const auth = new AuthService(db, config, orgs);
  auth.setCityNames(cityNames(loadCityFile(config.cityFile)));
  const identity = new IdentityService(db, auth, orgs);
  const queue = new JobQueue(db, log.child({ component: 'jobs' }));
  const calendar = new CalendarService(db);
  const catalogue = new CatalogueService(db, orgs);
  const notifier = new InAppNotifier();
  const moduleDeps = { config, db, orgs, auth, calendar, queue };
  const code = createCode({ ...moduleDeps, log: log.child({ component: 'code' }) });
  const cert = createCert({ ...moduleDeps, log: log.child({ component: 'cert' }), trust: code.trust });
  const facts = new FactRegistry().register(new ProfileFacts(auth)).register(new HistoryFacts(db)).register(new RenterFacts()).register(new LifeEventFacts(db));
  const applications = new ApplicationService({ db, catalogue, calendar, orgs, auth, wallet: applicationCertificates(cert.wallet), notifier, facts });
  const bundles = new BundleApplicationService(db, applications, catalogue);
  const home = new HomeService(db, facts, catalogue, orgs);
  const noAction = new NoActionAuthentication(db, identity, notifier);
  const credit = new CreditService({ db, orgs, masterKey: config.masterKey });
  const repairs = new RepairService({ db, credit, orgs, calendar, queue, notifier, log: log.child({ component: 'credit' }), masterKey: config.masterKey });
  const share = createShare({ ...moduleDeps, log: log.child({ component: 'share' }) });
  const seals = createSeal({ ...moduleDeps, log: log.child({ component: 'seal' }), applications });
  const services = { config, log, database, auth, orgs, identity, queue, calendar, catalogue, applications, bundles, home, noAction, credit, repairs, share, code, cert, seals };
  registerPlatformJobs(services);
  return services;
}

/** The names a password may not contain: 青岛市 and 青岛, Qingdao (and the same for a partner city's file). */
function cityNames(city: ReturnType<typeof loadCityFile>): string[] {
  const { name, nameEn } = city.city;
  return [name, name.replace(/市$/, ''), nameEn];
}

function registerPlatformJobs(s: AppServices) {
  s.queue.register('sessions.purge', async () => ({ removed: await s.auth.purgeExpiredSessions() }));
  s.queue.register('jobs.purge', async (p) => ({ removed: await s.queue.purgeFinished(Number(p.days ?? 14)) }));
  s.queue.register('audit.verify', async (_p, ctx) => {
    const r = await verifyAuditChain(s.database.db);
    if (!r.ok) ctx.log.error({ brokenAt: r.brokenAt }, 'AUDIT CHAIN BROKEN');
    return r;
  });
  registerOidcJobs(s.queue, s.database.db);
  s.queue.register(NO_ACTION_JOB, async (p) => s.noAction.run(typeof p.period === 'string' ? p.period : undefined));
  s.queue.register(OUTBOX_JOB, async () => s.repairs.deliverDue(500));
  s.queue.register(EXPIRE_JOB, async () => s.credit.expire(systemActor('credit.expire')));
  registerShareJobs(s.queue, s.share);
  registerCodeJobs(s.queue, s.code);
  registerCertJobs(s.queue, s.cert);
}

export async function ensureSchedules(s: AppServices) {
  await s.queue.schedule('sessions.purge.hourly', 'sessions.purge', 3600);
  await s.queue.schedule('jobs.purge.daily', 'jobs.purge', 86400, { days: 14 });
  await s.queue.schedule('audit.verify.daily', 'audit.verify', 86400);
  await ensureOidcSchedules(s.queue);
  await s.queue.schedule('svc.no_action.daily', NO_ACTION_JOB, 86400);
  // Deliveries that failed wait for their next attempt; the sweep also picks up rows whose job was lost.
  await s.queue.schedule('credit.outbox.minutely', OUTBOX_JOB, 60);
  await s.queue.schedule('credit.expire.hourly', EXPIRE_JOB, 3600);
  await ensureShareSchedules(s.queue);
  await ensureCodeSchedules(s.queue);
  await ensureCertSchedules(s.queue);
}

export interface SeedResult {
  reference: { created: number };
  demo: { seeded: boolean; accounts: DemoAccount[] };
}

/** Reference data always (roles, the city's organisations); demo data once, and never in production. */
/** Set once the demo data went in, so a restart with --demo reports it was already there. */
const DEMO_SEEDED = 'demo_seeded';

export async function seed(s: AppServices, opts: { demo: boolean }): Promise<SeedResult> {
  await seedRoles(s.database.db);
  const city = loadCityFile(s.config.cityFile);
  const reference = await seedReferenceOrgs(s.orgs, city);
  await s.calendar.seedOfficial();
  await seedCreditReference(s.credit);
  await seedCodeReference(s.code);
  await seedCertReference(s.cert);
  await seedSealReference(s.seals);
  if (!opts.demo) return { reference, demo: { seeded: false, accounts: [] } };
  await seedCatalogue(s.catalogue);
  await seedAutoRules(s.applications);
  const done = await readSetting(s.database.db, DEMO_SEEDED);
  const enterprises = await seedDemoEnterprises(s.orgs, city);
  const accounts = await seedDemoAccounts(s.auth, s.orgs, enterprises[0]);
  await seedDemoLifeEvents(s.database.db, s.auth);
  await seedCreditDemo(s.credit, s.orgs, enterprises);
  await seedShareDemo(s.share);
  await seedCodeDemo(s.code);
  await seedCertDemo(s.cert);
  await seedSealDemo(s.seals);
  if (!done) await writeSettingOnce(s.database.db, DEMO_SEEDED, { at: new Date().toISOString() });
  return { reference, demo: { seeded: !done, accounts } };
}

export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<App> {
  const services = await createServices(config, opts);
  const { database, auth, orgs, identity, queue, log } = services;
  const db = database.db;
  let ready = false;
  const { app, routes, metrics } = await createHttpServer({ config, log, auth });
  await opsRoutes(app, { db, metrics, ready: () => ready, metricsToken: config.metricsToken });
  await identityRoutes(app, { config, db, auth, identity, orgs });
  await oidcRoutes(app, { config, db, auth, orgs, log });
  await orgRoutes(app, { orgs });
  await calendarRoutes(app, { calendar: services.calendar });
  await svcRoutes(app, { catalogue: services.catalogue, files: new CatalogueFiles(services.catalogue) });
  await applicationRoutes(app, { applications: services.applications });
  await bundleApplicationRoutes(app, { bundles: services.bundles });
  await homeRoutes(app, { home: services.home });
  await creditRoutes(app, { credit: services.credit, repairs: services.repairs });
  await shareRoutes(app, services.share);
  await codeRoutes(app, services.code);
  await certRoutes(app, services.cert);
  await sealRoutes(app, services.seals);
  await auditRoutes(app, { db, visibleOrgIds: (a, p) => orgs.visibleIds(a, p) });
  await jobsRoutes(app, { db, queue });
  await overviewRoutes(app, { orgs, identity, jobs: queue, audit: { activity: () => auditActivity(db) } });
  await webRoutes(app);
  await app.ready();
  ready = true;

  return {
    fastify: app,
    services,
    routes,
    metrics,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      if (config.runJobs) {
        await ensureSchedules(services);
        queue.start();
      }
      return address;
    },
    async close() {
      ready = false;
      await queue.stop();
      await app.close();
      await database.close();
    },
  };
}

export { DEMO_PASSWORD };
