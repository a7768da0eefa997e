// The staff side: the worklist, claims, decisions (one or in bulk), statistics and satisfaction, and the
// automatic-approval rules that are data on the item.
import { and, asc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { type AutoRule, autoRuleProblems } from './auto';
import { svcApplications, svcAutoRules, svcRatings } from './applications.schema';
import { type Action, CLOCK_RUNNING, type State, TRANSITIONS } from './states';
import { APP, type ApplicationCore, type ApplicationView, isOverdue, toView } from './applications.core';

export class ApplicationStaff {
  constructor(private readonly core: ApplicationCore) {}

  async worklist(actor: Actor, f: { state?: State; itemId?: string; bundleApplicationId?: string; overdue?: boolean; claimed?: 'me' | 'unclaimed'; limit: number; offset: number }): Promise<Page<ApplicationView> & { overdueCount: number }> {
    const scope = await this.core.staffScope(actor);
    const base: SQL[] = [sql`${svcApplications.state} <> 'draft'`];
    if (scope) base.push(scope.length ? inArray(svcApplications.ownerOrgId, scope) : sql`false`);
    const overdueCond = and(inArray(svcApplications.state, [...CLOCK_RUNNING]), lt(svcApplications.dueAt, new Date()))!;
    const conds = [...base];
    if (f.state) conds.push(eq(svcApplications.state, f.state));
    if (f.itemId) conds.push(eq(svcApplications.itemId, f.itemId));
    if (f.bundleApplicationId) conds.push(eq(svcApplications.bundleApplicationId, f.bundleApplicationId));
    if (f.overdue === true) conds.push(overdueCond);
    if (f.overdue === false) conds.push(sql`not (${overdueCond})`);
    if (f.claimed === 'me') conds.push(eq(svcApplications.claimedBy, actor.userId ?? '00000000-0000-0000-0000-000000000000'));
    if (f.claimed === 'unclaimed') conds.push(isNull(svcApplications.claimedBy));
    const where = and(...conds);
    const items = await this.core.db.select().from(svcApplications).where(where).orderBy(asc(svcApplications.dueAt), asc(svcApplications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(svcApplications).where(where);
    const [{ o }] = await this.core.db.select({ o: sql<number>`count(*)::int` }).from(svcApplications).where(and(...base, overdueCond));
    return { items: items.map(toView), total: n, limit: f.limit, offset: f.offset, overdueCount: o };
  }

  async claim(actor: Actor, id: string, claim: boolean): Promise<ApplicationView> {
    await this.core.staffRow(actor, id);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      if (claim && cur.claimedBy && cur.claimedBy !== actor.userId) throw errors.conflict(`already claimed by ${cur.claimedByName}`, { claimedBy: cur.claimedBy });
      if (!claim && cur.claimedBy && cur.claimedBy !== actor.userId) throw errors.conflict(`claimed by ${cur.claimedByName}; only they can release it`, { claimedBy: cur.claimedBy });
      const [next] = await tx
        .update(svcApplications)
        .set(claim ? { claimedBy: actor.userId, claimedByName: actor.displayName, claimedAt: new Date() } : { claimedBy: null, claimedByName: null, claimedAt: null })
        .where(eq(svcApplications.id, id))
        .returning();
      await recordAudit(tx, actor, { action: claim ? 'svc.application.claim' : 'svc.application.unclaim', entityType: 'svc_application', entityId: id, orgId: cur.ownerOrgId });
      return toView(next);
    });
  }

  async act(actor: Actor, id: string, action: Action, reason: string | null): Promise<ApplicationView> {
    if (TRANSITIONS[action].by !== 'staff') throw errors.field('/body/action', `${action} is not a staff action`);
    await this.core.staffRow(actor, id);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      if (cur.claimedBy && cur.claimedBy !== actor.userId) throw errors.conflict(`claimed by ${cur.claimedByName}`, { claimedBy: cur.claimedBy, currentState: cur.state });
      const now = new Date();
      const patch: Partial<typeof svcApplications.$inferInsert> = {};
      if (action === 'approve' || action === 'reject') {
        patch.decidedAt = now;
        patch.decision = { kind: 'officer', decision: action === 'approve' ? 'approved' : 'rejected', by: actor.displayName, reason, decidedAt: now.toISOString(), text: `${action === 'approve' ? '准予' : '不予'}办理：${cur.itemName}${reason ? `。理由：${reason}` : ''}` };
      }
      if (action === 'complete') patch.completedAt = now;
      return toView(await this.core.transition(tx, actor, cur, action, reason, patch));
    });
  }

  /** Bulk accept/approve: each in its own transaction, one result per id. */
  async bulk(actor: Actor, action: 'accept' | 'approve', ids: string[]) {
    requirePermission(actor, APP.handle);
    const results: { id: string; ok: boolean; state?: string; status?: number; detail?: string }[] = [];
    for (const id of ids) {
      try {
        const v = await this.act(actor, id, action, null);
        results.push({ id, ok: true, state: v.state });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        results.push({ id, ok: false, status: e.status, detail: e.message });
      }
    }
    return { action, results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  }

  async stats(actor: Actor) {
    const scope = await this.core.staffScope(actor);
    const where = and(sql`${svcApplications.state} <> 'draft'`, scope ? (scope.length ? inArray(svcApplications.ownerOrgId, scope) : sql`false`) : undefined);
    const rows = await this.core.db.select({ state: svcApplications.state, dueAt: svcApplications.dueAt, decidedAt: svcApplications.decidedAt, auto: sql<boolean>`(${svcApplications.decision}->>'kind') = 'auto_approval'` }).from(svcApplications).where(where);
    const byState: Record<string, number> = {};
    let decided = 0;
    let onTime = 0;
    let approved = 0;
    let autoApproved = 0;
    let overdue = 0;
    for (const r of rows) {
      byState[r.state] = (byState[r.state] ?? 0) + 1;
      if (isOverdue(r)) overdue++;
      if (r.decidedAt) {
        decided++;
        if (r.dueAt && r.decidedAt <= r.dueAt) onTime++;
        if (r.auto) autoApproved++;
      }
      if (r.state === 'approved' || (r.state === 'completed' && r.decidedAt)) approved++;
    }
    return { total: rows.length, byState, overdue, decided, onTimeRate: decided ? onTime / decided : null, autoApproved, autoApprovalRate: decided ? autoApproved / decided : null, approved };
  }

  async satisfaction(actor: Actor) {
    const scope = await this.core.staffScope(actor);
    const rows = await this.core.db
      .select({ ownerOrgId: svcRatings.ownerOrgId, score: svcRatings.score, n: sql<number>`count(*)::int` })
      .from(svcRatings)
      .where(scope ? (scope.length ? inArray(svcRatings.ownerOrgId, scope) : sql`false`) : undefined)
      .groupBy(svcRatings.ownerOrgId, svcRatings.score);
    const orgs = await this.core.d.orgs.namesOf(rows.map((r) => r.ownerOrgId));
    const by = new Map<string, { orgId: string; code: string | null; name: string | null; count: number; sum: number; distribution: Record<string, number> }>();
    for (const r of rows) {
      const o = orgs.get(r.ownerOrgId);
      const e = by.get(r.ownerOrgId) ?? { orgId: r.ownerOrgId, code: o?.code ?? null, name: o?.name ?? null, count: 0, sum: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };
      e.count += r.n;
      e.sum += r.score * r.n;
      e.distribution[String(r.score)] += r.n;
      by.set(r.ownerOrgId, e);
    }
    const departments = [...by.values()].map(({ sum, ...e }) => ({ ...e, average: Math.round((sum / e.count) * 100) / 100 })).sort((a, b) => b.count - a.count);
    return { departments };
  }

  // ---- automatic-approval rules (data on the item) -----------------------------------------------------

  async getRule(actor: Actor, itemId: string) {
    await this.core.d.catalogue.get(actor, itemId); // svc.item.read in the owner's scope
    const [r] = await this.core.db.select().from(svcAutoRules).where(eq(svcAutoRules.itemId, itemId));
    if (!r) throw errors.notFound('automatic-approval rule');
    return { itemId, rule: r.rule as AutoRule, enabled: r.enabled, updatedAt: r.updatedAt.toISOString() };
  }

  async setRule(actor: Actor, itemId: string, rule: AutoRule, enabled = true) {
    requirePermission(actor, 'svc.item.write');
    const item = await this.core.d.catalogue.get(actor, itemId);
    const problems = autoRuleProblems(rule);
    if (problems.length) throw errors.validation(problems.map((p) => ({ path: `/body/rule${p.split(':')[0]}`, message: p })));
    return inTransaction(this.core.db, async (tx) => this.writeRule(tx, actor, itemId, item.owner?.id ?? null, rule, enabled));
  }

  async writeRule(tx: Tx, actor: Actor, itemId: string, orgId: string | null, rule: AutoRule, enabled: boolean) {
    const [before] = await tx.select().from(svcAutoRules).where(eq(svcAutoRules.itemId, itemId));
    await tx
      .insert(svcAutoRules)
      .values({ itemId, rule, enabled, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: svcAutoRules.itemId, set: { rule, enabled, updatedBy: actor.userId, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'svc.item.auto_rule', entityType: 'svc_item', entityId: itemId, orgId, before: before?.rule ?? null, after: rule });
    return { itemId, rule, enabled };
  }
}
