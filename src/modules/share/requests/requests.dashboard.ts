// The exchange dashboard: open requests by provider and level, answer times, overdue steps, scenarios
// blocked by a missing resource, and the latest decisions (the bureau: everything; a department: its own).
import { sql, type SQL } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { isValidDate } from '../../../platform/calendar';
import { rows } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import type { ProviderLevel } from './directory';
import type { RequestCore } from './requests.core';
import type { Opts } from './requests.model';

export class RequestDashboard {
  constructor(private readonly core: RequestCore) {}

  private get db() {
    return this.core.deps.db;
  }

  private get directory() {
    return this.core.directory;
  }

  async dashboard(actor: Actor, q: { from?: string; to?: string } = {}, opts: Opts = {}) {
    requirePermission(actor, SHARE.statsRead);
    for (const k of ['from', 'to'] as const) if (q[k] && !isValidDate(q[k])) throw errors.field(`/querystring/${k}`, 'not a calendar date');
    const now = opts.now ?? new Date();
    const sc = await this.core.scope(actor, SHARE.statsRead);
    const ids = sc.memberIds.length ? sc.memberIds : ['00000000-0000-0000-0000-000000000000'];
    const idList = sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `);
    const conds: SQL[] = [sql`true`];
    if (!sc.all) conds.push(sql`(r.consumer_member_id in (${idList}) or r.provider_member_id in (${idList}))`);
    if (q.from) conds.push(sql`r.submitted_at >= ${`${q.from}T00:00:00+08:00`}::timestamptz`);
    if (q.to) conds.push(sql`r.submitted_at <= ${`${q.to}T23:59:59.999+08:00`}::timestamptz`);
    const where = sql.join(conds, sql` and `);
    const open = sql`r.state in ('compliance', 'provider', 'core_approval')`;
    const nowTs = sql`${now.toISOString()}::timestamptz`;

    const byProvider = await rows<{ provider_member_id: string | null; n: number }>(this.db, sql`select r.provider_member_id, count(*)::int as n from share_requests r where ${where} and ${open} group by 1 order by 2 desc, 1 limit 50`);
    const byLevel = await rows<{ level: string | null; n: number }>(this.db, sql`select r.provider_level as level, count(*)::int as n from share_requests r where ${where} and ${open} group by 1 order by 2 desc`);
    const pct = sql`count(*)::int as n, percentile_cont(0.5) within group (order by r.answer_days)::float8 as median, percentile_cont(0.9) within group (order by r.answer_days)::float8 as p90, avg(r.answer_days)::float8 as mean`;
    const [overall] = await rows<{ n: number; median: number | null; p90: number | null; mean: number | null }>(this.db, sql`select ${pct} from share_requests r where ${where} and r.answer_days is not null`);
    const timeByLevel = await rows<{ level: string; n: number; median: number; p90: number; mean: number }>(this.db, sql`select r.provider_level as level, ${pct} from share_requests r where ${where} and r.answer_days is not null group by 1 order by 1`);
    const overdueBase = sql`from share_request_steps s join share_requests r on r.id = s.request_id where ${where} and s.answered_at is null and s.due_at < ${nowTs}`;
    const [{ total: overdueTotal }] = await rows<{ total: number }>(this.db, sql`select count(*)::int as total ${overdueBase}`);
    const overdueByStep = await rows<{ step: string; n: number }>(this.db, sql`select s.kind as step, count(*)::int as n ${overdueBase} group by 1 order by 2 desc, 1`);
    const overdueByProvider = await rows<{ provider_member_id: string | null; n: number; max_level: number }>(this.db, sql`select r.provider_member_id, count(*)::int as n, max(s.escalation_level)::int as max_level ${overdueBase} group by 1 order by 2 desc, 1 limit 50`);
    // Scenarios blocked by a missing resource: open demands and open requests for resources without a servable dataset.
    const blocked = await rows<{ resource_id: string | null; demand_title: string | null; provider_member_id: string | null; scenarios: number; requests: number; consumers: number; scenario_names: string[] }>(
      this.db,
      sql`select r.resource_id, case when r.resource_id is null then r.demand_title end as demand_title, min(r.provider_member_id::text)::uuid as provider_member_id,
                 count(distinct r.scenario)::int as scenarios, count(*)::int as requests, count(distinct r.consumer_member_id)::int as consumers,
                 (array_agg(distinct r.scenario order by r.scenario))[1:50] as scenario_names
          from share_requests r where ${where} and ${open} and r.needs_publication
          group by 1, 2 order by 4 desc, 5 desc limit 50`,
    );
    const recent = await rows<{ id: number; request_id: string; kind: string; at: Date; data: Record<string, unknown>; scenario: string; resource_id: string | null; demand_title: string | null; provider_member_id: string | null; consumer_member_id: string; provider_level: string | null; answer_days: number | null }>(
      this.db,
      sql`select e.id, e.request_id, e.kind, e.at, e.data, r.scenario, r.resource_id, r.demand_title, r.provider_member_id, r.consumer_member_id, r.provider_level, r.answer_days
          from share_request_events e join share_requests r on r.id = e.request_id
          where ${where} and e.kind in ('approved', 'refused', 'returned') order by e.at desc, e.id desc limit 10`,
    );
    const memberIds = [...byProvider, ...overdueByProvider, ...blocked].map((x) => x.provider_member_id).concat(recent.flatMap((x) => [x.provider_member_id, x.consumer_member_id]));
    const members = await this.directory.members([...new Set(memberIds.filter((x): x is string => !!x))]);
    const resources = await this.directory.resources([...new Set([...blocked, ...recent].map((x) => x.resource_id).filter((x): x is string => !!x))]);
    const member = (id: string | null) => (id ? { id, code: members.get(id)?.code ?? null, name: members.get(id)?.name ?? null } : null);
    const num = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(Number(x) * 100) / 100);
    return {
      scope: sc.all ? 'all' : 'own',
      open: {
        total: byLevel.reduce((a, b) => a + b.n, 0),
        byProvider: byProvider.map((x) => ({ provider: member(x.provider_member_id), count: x.n })),
        byLevel: byLevel.map((x) => ({ level: (x.level ?? 'unrouted') as ProviderLevel | 'unrouted', count: x.n })),
      },
      answerTime: {
        n: overall.n,
        medianDays: num(overall.median),
        p90Days: num(overall.p90),
        meanDays: num(overall.mean),
        byLevel: timeByLevel.map((x) => ({ level: x.level, n: x.n, medianDays: num(x.median), p90Days: num(x.p90), meanDays: num(x.mean) })),
      },
      overdue: {
        total: overdueTotal,
        byStep: overdueByStep.map((x) => ({ step: x.step, count: x.n })),
        byProvider: overdueByProvider.map((x) => ({ provider: member(x.provider_member_id), count: x.n, maxEscalationLevel: x.max_level })),
      },
      blockedScenarios: blocked.map((x) => ({
        resource: x.resource_id ? { id: x.resource_id, code: resources.get(x.resource_id)?.code ?? null, name: resources.get(x.resource_id)?.name ?? null } : null,
        demandTitle: x.demand_title,
        provider: member(x.provider_member_id),
        scenarioCount: x.scenarios,
        requestCount: x.requests,
        consumerCount: x.consumers,
        scenarios: x.scenario_names,
      })),
      recent: recent.map((x) => ({
        requestId: x.request_id,
        decision: x.kind,
        at: new Date(x.at),
        scenario: x.scenario,
        reason: (x.data?.reason as string | undefined) ?? null,
        resource: x.resource_id ? { id: x.resource_id, name: resources.get(x.resource_id)?.name ?? null } : null,
        demandTitle: x.demand_title,
        provider: member(x.provider_member_id),
        providerLevel: x.provider_level,
        answerDays: x.answer_days,
        consumer: member(x.consumer_member_id),
      })),
    };
  }
}
