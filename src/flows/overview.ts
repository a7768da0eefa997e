// The platform's own live figures, for the console overview and the city big screen. It spans modules,
// so it is a flow: it asks each module's public service (and the platform's audit and job queue) for
// its part and never reads a table itself.
import type { FastifyInstance } from 'fastify';
import type { AuditActivity } from '../platform/audit/audit.service';
import { P } from '../platform/auth/permissions';
import { Nullable, Timestamp, Type, typed } from '../platform/http/schema';
import type { IdentityService } from '../modules/identity';
import type { OrgService } from '../modules/org';

export interface OverviewDeps {
  orgs: Pick<OrgService, 'countsByKind' | 'countsByDistrict'>;
  identity: Pick<IdentityService, 'counts' | 'oidcClientCount'>;
  jobs: { counts(): Promise<Record<string, number>> };
  audit: { activity(): Promise<AuditActivity> };
}

const Count = Type.Integer({ minimum: 0 });

export const OverviewSchema = Type.Object({
  orgs: Type.Object({ district: Count, department: Count, subunit: Count, enterprise: Count }),
  users: Type.Object({ citizen: Count, enterprise: Count, staff: Count }),
  sessionsActive: Count,
  apiKeysActive: Count,
  oidcClients: Count,
  jobs: Type.Object({ queued: Count, running: Count, done: Count, dead: Count }),
  audit: Type.Object({ total: Count, last24h: Count }),
  auditByHour: Type.Array(Type.Object({ hour: Type.String({ format: 'date-time' }), count: Count })),
  orgsByDistrict: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), count: Count })),
  generatedAt: Timestamp,
});

export async function overview(d: OverviewDeps) {
  const [orgCounts, idc, oidcClients, jobCounts, activity, orgsByDistrict] = await Promise.all([
    d.orgs.countsByKind(),
    d.identity.counts(),
    d.identity.oidcClientCount(),
    d.jobs.counts(),
    d.audit.activity(),
    d.orgs.countsByDistrict(),
  ]);
  return {
    orgs: { district: orgCounts.district ?? 0, department: orgCounts.department ?? 0, subunit: orgCounts.subunit ?? 0, enterprise: orgCounts.enterprise ?? 0 },
    users: { citizen: idc.users.citizen ?? 0, enterprise: idc.users.enterprise ?? 0, staff: idc.users.staff ?? 0 },
    sessionsActive: idc.sessionsActive,
    apiKeysActive: idc.apiKeysActive,
    oidcClients,
    jobs: { queued: jobCounts.queued ?? 0, running: jobCounts.running ?? 0, done: jobCounts.done ?? 0, dead: jobCounts.dead ?? 0 },
    audit: { total: activity.total, last24h: activity.last24h },
    auditByHour: activity.byHour,
    orgsByDistrict,
    generatedAt: new Date().toISOString(),
  };
}

export async function overviewRoutes(app: FastifyInstance, d: OverviewDeps) {
  typed(app).get(
    '/api/stats/overview',
    { config: { auth: P.statsRead }, schema: { tags: ['stats'], summary: 'Live counts of the platform', response: { 200: OverviewSchema } } },
    () => overview(d),
  );
}
