// The gateway's grants: made from an approved request (inside the workflow's transaction), listed and
// read by the bureau and the departments concerned, revoked with a reason, and listed for the consumer.
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { accountSummary } from '../../../platform/auth/accounts';
import { systemActor, type Actor } from '../../../platform/auth/actor';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { errors, type FieldError } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { todayInShanghai } from '../../../platform/ids';
import type { NewGrant } from '../contracts';
import { SHARE } from '../share.permissions';
import { grantView, visibleOrgIds, type GatewayContext, type GrantState } from './gateway.core';
import type { GatewayKeys } from './gateway.keys';
import { shareGrants, shareGrantUsage } from './gateway.schema';

export class GatewayGrants {
  constructor(
    private readonly gw: GatewayContext,
    private readonly keys: GatewayKeys,
  ) {}

  private get db() {
    return this.gw.deps.db;
  }

  private get directory() {
    return this.gw.directory;
  }

  /** Turn an approved request into a grant (called inside the request workflow's transaction). */
  async createGrant(tx: Tx, g: NewGrant, actorUserId: string | null): Promise<{ id: string }> {
    const facts = await this.directory.grantFacts(tx, g.consumerSubsystemId, g.resourceId);
    const problems: FieldError[] = [];
    if (!facts.subsystem) problems.push({ path: '/consumerSubsystemId', message: 'no such subsystem' });
    if (!facts.resource) problems.push({ path: '/resourceId', message: 'no such resource' });
    if (facts.subsystem && facts.resource) {
      const items = new Set(facts.resource.items.map((i) => i.name));
      if (!g.fields.length) problems.push({ path: '/fields', message: 'a grant names at least one field' });
      g.fields.forEach((f, i) => {
        if (!items.has(f)) problems.push({ path: `/fields/${i}`, message: `${f} is not a data item of ${facts.resource!.code}` });
      });
      (g.clearFields ?? []).forEach((f, i) => {
        const item = facts.resource!.items.find((x) => x.name === f);
        if (!g.fields.includes(f)) problems.push({ path: `/clearFields/${i}`, message: `${f} is not among the granted fields` });
        else if (!item?.personal) problems.push({ path: `/clearFields/${i}`, message: `${f} is not personal data (it is never masked)` });
        else if (facts.resource!.grade === 'core') problems.push({ path: `/clearFields/${i}`, message: 'core-grade data is never given in clear' });
      });
      g.rowFilter.forEach((c, i) => {
        if (!items.has(c.column)) problems.push({ path: `/rowFilter/${i}/column`, message: `${c.column} is not a data item` });
      });
    }
    if (!Number.isInteger(g.quotaPerDay) || g.quotaPerDay < 1) problems.push({ path: '/quotaPerDay', message: 'at least 1 call a day' });
    if (!Number.isInteger(g.ratePerMinute) || g.ratePerMinute < 1) problems.push({ path: '/ratePerMinute', message: 'at least 1 call a minute' });
    // A past expiry is not refused here: the grant is simply expired (the workflow decides what it accepts).
    if (!(g.expiresAt instanceof Date) || Number.isNaN(g.expiresAt.getTime())) problems.push({ path: '/expiresAt', message: 'not a valid time' });
    if (!g.purpose.trim()) problems.push({ path: '/purpose', message: 'required' });
    if (problems.length) throw errors.unprocessable('the grant cannot be made', problems);
    const sub = facts.subsystem!;
    const res = facts.resource!;
    const [row] = await tx
      .insert(shareGrants)
      .values({
        requestId: g.requestId,
        consumerMemberId: sub.memberId,
        consumerSubsystemId: sub.id,
        consumerOrgId: sub.orgId,
        consumerXroadId: sub.xroadId,
        resourceId: res.resourceId,
        resourceCode: res.code,
        providerOrgId: res.providerOrgId || null,
        serviceId: facts.serviceId ?? res.code,
        fields: g.fields,
        clearFields: g.clearFields ?? [],
        rowFilter: g.rowFilter,
        purpose: g.purpose,
        quotaPerDay: g.quotaPerDay,
        ratePerMinute: g.ratePerMinute,
        expiresAt: g.expiresAt,
        createdBy: actorUserId,
      })
      .returning();
    const actor = await this.actorOf(tx, actorUserId, 'share.grant');
    await recordAudit(tx, actor, { action: 'share.grant.create', entityType: 'share_grant', entityId: row.id, orgId: sub.orgId, after: grantView(row) });
    return { id: row.id };
  }

  /** An Actor for the audit entry of a change made by a user id (or by the system when null), read through `tx`. */
  private async actorOf(tx: Tx, userId: string | null, reason: string): Promise<Actor> {
    const base = systemActor(reason);
    if (!userId) return base;
    const u = await accountSummary(tx, userId);
    return { ...base, userId, username: u?.username ?? userId, displayName: u?.displayName ?? userId, orgId: u?.orgId ?? null, kind: 'staff' };
  }

  private async grantVisibility(actor: Actor): Promise<SQL | undefined> {
    const ids = await visibleOrgIds(this.gw, actor, SHARE.statsRead);
    if (ids === undefined) return undefined;
    if (!ids.length) return sql`false`;
    return or(inArray(shareGrants.consumerOrgId, ids), inArray(shareGrants.providerOrgId, ids));
  }

  async listGrants(actor: Actor, q: { consumerMemberId?: string; consumerSubsystemId?: string; resourceId?: string; state?: GrantState; limit: number; offset: number }): Promise<Page<ReturnType<typeof grantView>>> {
    const conds: (SQL | undefined)[] = [await this.grantVisibility(actor)];
    if (q.consumerMemberId) conds.push(eq(shareGrants.consumerMemberId, q.consumerMemberId));
    if (q.consumerSubsystemId) conds.push(eq(shareGrants.consumerSubsystemId, q.consumerSubsystemId));
    if (q.resourceId) conds.push(eq(shareGrants.resourceId, q.resourceId));
    if (q.state === 'revoked') conds.push(sql`${shareGrants.revokedAt} is not null`);
    if (q.state === 'live') conds.push(and(isNull(shareGrants.revokedAt), sql`${shareGrants.expiresAt} > now()`));
    if (q.state === 'expired') conds.push(and(isNull(shareGrants.revokedAt), sql`${shareGrants.expiresAt} <= now()`));
    const where = and(...conds.filter(Boolean));
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(shareGrants).where(where).orderBy(desc(shareGrants.createdAt)).limit(q.limit).offset(q.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareGrants).where(where),
    ]);
    return { items: items.map((g) => grantView(g)), total: n, limit: q.limit, offset: q.offset };
  }

  async getGrant(actor: Actor, id: string) {
    const [g] = await this.db.select().from(shareGrants).where(and(eq(shareGrants.id, id), await this.grantVisibility(actor)));
    if (!g) throw errors.notFound('grant');
    const today = todayInShanghai();
    const [u] = await this.db.select().from(shareGrantUsage).where(and(eq(shareGrantUsage.grantId, id), eq(shareGrantUsage.day, today)));
    return { ...grantView(g), today: { day: today, calls: u?.calls ?? 0, rows: u?.rows ?? 0 } };
  }

  /** Revoke at once: the next call on the grant is refused (grants are read afresh on every call). */
  async revokeGrant(actor: Actor, id: string, reason: string) {
    if (!reason.trim()) throw errors.field('/body/reason', 'a revocation gives its reason');
    return inTransaction(this.db, async (tx) => {
      const [before] = await tx.select().from(shareGrants).where(eq(shareGrants.id, id)).for('update');
      if (!before) throw errors.notFound('grant');
      if (before.revokedAt) throw errors.conflict('the grant is already revoked');
      const [after] = await tx.update(shareGrants).set({ revokedAt: new Date(), revokedBy: actor.userId, revokeReason: reason.trim() }).where(eq(shareGrants.id, id)).returning();
      await recordAudit(tx, actor, { action: 'share.grant.revoke', entityType: 'share_grant', entityId: id, orgId: before.consumerOrgId, before: grantView(before), after: grantView(after), note: { reason: reason.trim() } });
      return grantView(after);
    });
  }

  /** The grants of the calling subsystem (GET /api/share/gateway/grants). */
  async consumerGrants(actor: Actor) {
    const c = await this.keys.consumerOf(actor);
    const rows = await this.db.select().from(shareGrants).where(eq(shareGrants.consumerSubsystemId, c.id)).orderBy(desc(shareGrants.createdAt)).limit(200);
    return { subsystem: c.xroadId, items: rows.map((g) => grantView(g)), total: rows.length, limit: 200, offset: 0 };
  }
}
