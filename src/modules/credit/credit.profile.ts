// Credit profiles (the subject itself, or staff with credit.profile.read) and the statistics of repairs
// and publication by department.
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { can, visibility, type Actor } from '../../platform/auth/actor';
import { rows as rawRows, type Db } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import { maskCitizenId, maskName } from '../../platform/ids';
import { CREDIT } from './credit.permissions';
import { creditRecords, creditRepairs } from './credit.schema';
import type { CreditDeps } from './credit.settings';
import { recordView } from './credit.views';

export class CreditProfiles {
  private readonly db: Db;
  constructor(private readonly d: CreditDeps) {
    this.db = d.db;
  }

  async profile(actor: Actor, code: string) {
    const key = /^[0-9a-z]{18}$/i.test(code) ? code.toUpperCase() : code;
    let own = false;
    if (actor.orgId && actor.kind === 'enterprise') {
      const org = await this.d.orgs.byId(actor.orgId);
      own = org?.creditCode === key;
    }
    if (!own && !can(actor, CREDIT.profileRead)) throw errors.forbidden('only the subject itself or staff with credit.profile.read see a credit profile');
    const recs = await this.db.select().from(creditRecords).where(eq(creditRecords.subjectKey, key)).orderBy(desc(creditRecords.decisionDate)).limit(1000);
    if (!recs.length) throw errors.notFound('subject');
    const repairs = await this.db
      .select()
      .from(creditRepairs)
      .where(inArray(creditRepairs.penaltyId, recs.map((r) => r.id)))
      .orderBy(desc(creditRepairs.createdAt));
    const first = recs[0];
    const masked = !own && first.subjectCategory === '自然人';
    return {
      subject: { key: first.subjectKey, code: masked ? maskCitizenId(first.subjectCode) : first.subjectCode, name: masked ? maskName(first.subjectName) : first.subjectName, kind: first.subjectCategory === '自然人' ? 'person' : 'organisation' },
      licences: recs.filter((r) => r.kind === 'licence').map((r) => recordView(r, masked)),
      penalties: recs.filter((r) => r.kind === 'penalty').map((r) => ({ ...recordView(r, masked), inPublication: r.status === 'published' })),
      repairs: repairs.map((r) => ({ id: r.id, penaltyId: r.penaltyId, state: r.state, createdAt: r.createdAt.toISOString(), submittedAt: r.submittedAt?.toISOString() ?? null, decidedAt: r.decidedAt?.toISOString() ?? null, reason: r.lastReason })),
    };
  }

  async stats(actor: Actor) {
    const v = visibility(actor, CREDIT.profileRead);
    const ids = v.all ? undefined : await this.d.orgs.visibleIds(actor, CREDIT.profileRead);
    const scope = (col: string) => (ids ? (ids.length ? sql`${sql.raw(col)} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})` : sql`false`) : sql`true`);
    const byState = await rawRows<{ state: string; count: number }>(this.db, sql`select state, count(*)::int as count from credit_repairs where ${scope('decider_org_id')} and state <> 'draft' group by state order by state`);
    const repairsByOrg = await rawRows<{ orgId: string; count: number; decided: number; onTime: number }>(
      this.db,
      sql`select r.decider_org_id as "orgId", count(*)::int as count,
                 count(*) filter (where r.decided_at is not null)::int as decided, count(*) filter (where r.on_time)::int as "onTime"
          from credit_repairs r
          where ${scope('r.decider_org_id')} and r.state <> 'draft' group by r.decider_org_id order by count desc`,
    );
    const [agg] = await rawRows<{ decided: number; on_time: number; avg_days: number | null; total: number }>(
      this.db,
      sql`select count(*) filter (where decided_at is not null)::int as decided, count(*) filter (where on_time)::int as on_time,
                 avg(handling_days) filter (where decided_at is not null)::float as avg_days, count(*)::int as total
          from credit_repairs where ${scope('decider_org_id')} and state <> 'draft'`,
    );
    const recordsByOrg = await rawRows<{ kind: string; orgId: string; count: number; published: number }>(
      this.db,
      sql`select c.kind, c.org_id as "orgId", count(*)::int as count, count(*) filter (where c.status = 'published')::int as published
          from credit_records c where ${scope('c.org_id')} group by c.kind, c.org_id order by count desc`,
    );
    // The departments' names in one call for both tables; a row whose organisation is unknown is left out.
    const orgs = await this.d.orgs.namesOf([...repairsByOrg, ...recordsByOrg].map((r) => r.orgId));
    const byDepartment = repairsByOrg.flatMap(({ orgId, ...n }) => {
      const o = orgs.get(orgId);
      return o ? [{ orgId, deptName: o.name, ...n }] : [];
    });
    const records = recordsByOrg.flatMap(({ kind, orgId, ...n }) => {
      const o = orgs.get(orgId);
      return o ? [{ kind, orgId, deptName: o.name, ...n }] : [];
    });
    return {
      repairs: {
        byState,
        byDepartment,
        total: agg.total,
        onTimeRate: agg.decided ? Math.round((agg.on_time / agg.decided) * 1000) / 1000 : null,
        avgWorkingDays: agg.avg_days === null ? null : Math.round(agg.avg_days * 10) / 10,
      },
      records,
    };
  }
}
