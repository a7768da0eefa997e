// The platform's own live figures, for the console overview and the city big screen. Spans modules,
// so it lives in flows/ and asks each module's service for its part.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { P } from '../platform/auth/permissions';
import { rows, type Db } from '../platform/db/client';
import type { JobQueue } from '../platform/jobs/queue';
import type { IdentityService } from '../modules/identity';
import type { OrgService } from '../modules/org';

export interface OverviewDeps {
  db: Db;
  orgs: OrgService;
  identity: IdentityService;
  queue: JobQueue;
}

export async function overview(d: OverviewDeps) {
  const orgCounts = await d.orgs.countsByKind();
  const idc = await d.identity.counts();
  const jobCounts = await d.queue.counts();
  const [audit] = await rows<{ total: number; last24h: number }>(
    d.db,
    sql`select count(*)::int as total, count(*) filter (where at > now() - interval '24 hours')::int as last24h from audit_log`,
  );
  const byHour = await rows<{ hour: string; count: number }>(
    d.db,
    sql`select to_char(h.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') as hour, count(a.seq)::int as count
        from generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') as h(hour)
        left join audit_log a on a.at >= h.hour and a.at < h.hour + interval '1 hour'
        group by h.hour order by h.hour`,
  );
  return {
    orgs: { district: orgCounts.district ?? 0, department: orgCounts.department ?? 0, subunit: orgCounts.subunit ?? 0, enterprise: orgCounts.enterprise ?? 0 },
    users: { citizen: idc.users.citizen ?? 0, enterprise: idc.users.enterprise ?? 0, staff: idc.users.staff ?? 0 },
    sessionsActive: idc.sessionsActive,
    apiKeysActive: idc.apiKeysActive,
    oidcClients: await d.identity.oidcClientCount(),
    jobs: { queued: jobCounts.queued ?? 0, running: jobCounts.running ?? 0, done: jobCounts.done ?? 0, dead: jobCounts.dead ?? 0 },
    audit,
    auditByHour: byHour,
    orgsByDistrict: await d.orgs.countsByDistrict(),
    generatedAt: new Date().toISOString(),
  };
}

export async function overviewRoutes(app: FastifyInstance, d: OverviewDeps) {
  app.get('/api/stats/overview', { config: { auth: P.statsRead }, schema: { tags: ['stats'], summary: 'Live counts of the platform' } }, () => overview(d));
}
