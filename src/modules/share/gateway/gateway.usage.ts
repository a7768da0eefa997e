// Usage and operational records: calls, errors, bytes and latency by resource, consumer and day, and the
// records themselves (each with its binding hash recomputed on reading), as the bureau and departments see them.
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/actor';
import { rows as rawRows } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { SHARE } from '../share.permissions';
import { callView, visibleOrgIds, type GatewayContext } from './gateway.core';
import { bindingHash } from './gateway.hash';
import { shareCalls } from './gateway.schema';

export class GatewayUsage {
  constructor(private readonly gw: GatewayContext) {}

  private get db() {
    return this.gw.deps.db;
  }

  private get directory() {
    return this.gw.directory;
  }

  private async callVisibility(actor: Actor): Promise<SQL | undefined> {
    const ids = await visibleOrgIds(this.gw, actor, SHARE.statsRead);
    if (ids === undefined) return undefined;
    if (!ids.length) return sql`false`;
    return or(inArray(shareCalls.consumerOrgId, ids), inArray(shareCalls.providerOrgId, ids));
  }

  private async callConditions(actor: Actor, q: { memberId?: string; resourceId?: string; from?: string; to?: string; grantId?: string; consumerSubsystemId?: string; status?: string }): Promise<SQL | undefined> {
    const conds: (SQL | undefined)[] = [await this.callVisibility(actor)];
    if (q.memberId) {
      const orgId = await this.directory.memberOrgId(q.memberId);
      conds.push(orgId ? or(eq(shareCalls.consumerMemberId, q.memberId), eq(shareCalls.providerOrgId, orgId)) : eq(shareCalls.consumerMemberId, q.memberId));
    }
    if (q.resourceId) conds.push(eq(shareCalls.resourceId, q.resourceId));
    // from/to are Asia/Shanghai dates, both inclusive.
    if (q.from) conds.push(sql`${shareCalls.at} >= (${q.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
    if (q.to) conds.push(sql`${shareCalls.at} < ((${q.to}::date + 1))::timestamp at time zone 'Asia/Shanghai'`);
    if (q.grantId) conds.push(eq(shareCalls.grantId, q.grantId));
    if (q.consumerSubsystemId) conds.push(eq(shareCalls.consumerSubsystemId, q.consumerSubsystemId));
    if (q.status === 'ok') conds.push(sql`${shareCalls.status} < 400`);
    else if (q.status === 'error') conds.push(sql`${shareCalls.status} >= 400`);
    else if (q.status) conds.push(eq(shareCalls.status, Number(q.status)));
    return and(...conds.filter(Boolean));
  }

  async listCalls(actor: Actor, q: { grantId?: string; consumerSubsystemId?: string; status?: string; limit: number; offset: number }): Promise<Page<ReturnType<typeof callView>>> {
    const where = await this.callConditions(actor, q);
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(shareCalls).where(where).orderBy(desc(shareCalls.at), desc(shareCalls.id)).limit(q.limit).offset(q.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareCalls).where(where),
    ]);
    return { items: items.map(callView), total: n, limit: q.limit, offset: q.offset };
  }

  async getCall(actor: Actor, id: number) {
    const [c] = await this.db.select().from(shareCalls).where(and(eq(shareCalls.id, id), await this.callVisibility(actor)));
    if (!c) throw errors.notFound('operational record');
    const recomputed = bindingHash({ at: c.at.toISOString(), consumerXroadId: c.consumerXroadId, serviceId: c.serviceId, operation: c.operation, status: c.status, rows: c.rows, responseBytes: c.responseBytes, requestHash: c.requestHash, responseHash: c.responseHash });
    return { ...callView(c), bindingValid: recomputed === c.bindingHash };
  }

  async usage(actor: Actor, q: { memberId?: string; resourceId?: string; from?: string; to?: string }) {
    const where = await this.callConditions(actor, q);
    const agg = sql`count(*)::int as calls, count(*) filter (where ${shareCalls.status} >= 400)::int as errors,
      coalesce(sum(${shareCalls.responseBytes}), 0)::bigint as bytes, coalesce(sum(${shareCalls.rows}), 0)::bigint as rows,
      coalesce(percentile_cont(0.5) within group (order by ${shareCalls.durationMs}), 0)::float8 as p50,
      coalesce(percentile_cont(0.99) within group (order by ${shareCalls.durationMs}), 0)::float8 as p99`;
    const w = where ? sql`where ${where}` : sql``;
    type Agg = { calls: number; errors: number; bytes: string | number; rows: string | number; p50: number; p99: number };
    const shapeAgg = (a: Agg) => ({ calls: Number(a.calls), errors: Number(a.errors), bytes: Number(a.bytes), rows: Number(a.rows), p50Ms: Number(a.p50), p99Ms: Number(a.p99) });
    const [total] = await rawRows<Agg>(this.db, sql`select ${agg} from ${shareCalls} ${w}`);
    const byResource = await rawRows<Agg & { resource_code: string }>(this.db, sql`select ${shareCalls.resourceCode} as resource_code, ${agg} from ${shareCalls} ${w} group by 1 order by calls desc limit 100`);
    const byConsumer = await rawRows<Agg & { consumer: string | null }>(this.db, sql`select ${shareCalls.consumerXroadId} as consumer, ${agg} from ${shareCalls} ${w} group by 1 order by calls desc limit 100`);
    const byDay = await rawRows<Agg & { day: string }>(this.db, sql`select to_char((${shareCalls.at} at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, ${agg} from ${shareCalls} ${w} group by 1 order by 1 desc limit 400`);
    return {
      ...shapeAgg(total),
      byResource: byResource.map((r) => ({ resourceCode: r.resource_code, ...shapeAgg(r) })),
      byConsumer: byConsumer.map((r) => ({ consumerXroadId: r.consumer, ...shapeAgg(r) })),
      byDay: byDay.map((r) => ({ day: r.day, ...shapeAgg(r) })),
    };
  }
}
