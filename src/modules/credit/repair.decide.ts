// The deciding side of a repair, and what both sides read: one state change at a time (checks, working-day
// deadlines, history, audit, the applicant's notification and, on approval, withdrawal from publication
// and the outbox deliveries, all in one transaction), a repair with its timeline, and the list.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { can, type Actor } from '../../platform/auth/actor';
import { inTransaction, type Db } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import { CREDIT } from './credit.permissions';
import { creditEndpoints, creditOutbox, creditRecords, creditRepairEvents, creditRepairMaterials, creditRepairs } from './credit.schema';
import { recordView } from './credit.views';
import { materialView, outboxView, type RepairCore, type RepairDeps } from './repair.core';
import { NOTICE, OUTBOX_JOB, REPAIR_MATERIALS, type RepairState, TRANSITIONS } from './repair.rules';

const shanghai = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

export class RepairDecisions {
  private readonly d: RepairDeps;
  private readonly db: Db;
  constructor(private readonly core: RepairCore) {
    this.d = core.d;
    this.db = core.db;
  }

  /** One state change: checks, deadlines, history, audit and the applicant's notification, together. */
  async act(actor: Actor, id: string, action: keyof typeof TRANSITIONS, reason: string | null) {
    const t = TRANSITIONS[action];
    const r = await this.core.visible(actor, id, t.side);
    if (!t.from.includes(r.state as RepairState)) throw errors.conflict(`cannot ${action} a repair that is ${r.state}`);
    if ((action === 'request-material' || action === 'reject' || action === 'approve') && !reason?.trim()) throw errors.field('/body/reason', 'a reason is required');
    const settings = await this.d.credit.settings();
    const today = this.core.today();
    const patch: Partial<typeof creditRepairs.$inferInsert> = { updatedAt: new Date(), lastReason: reason };
    if (action === 'submit') {
      const [proof] = await this.db.select().from(creditRepairMaterials).where(and(eq(creditRepairMaterials.repairId, id), eq(creditRepairMaterials.key, 'performance_proof')));
      if (!proof) throw errors.unprocessable('proof of performance (performance_proof) must be uploaded before submitting', [{ path: '/materials/performance_proof', message: 'required' }]);
      const p = await this.core.penalty(r.penaltyId);
      if (p?.status !== 'published') throw errors.conflict('the penalty is no longer in publication');
      patch.submittedAt = new Date();
      patch.acceptDue = await this.d.calendar.addWorkingDays(today, settings.acceptDays);
    }
    if (action === 'accept') {
      patch.acceptedAt = new Date();
      patch.decideDue = await this.d.calendar.addWorkingDays(today, settings.decideDays);
    }
    // Time spent waiting for the applicant's material does not count: the decision clock restarts.
    if (action === 'resubmit') patch.decideDue = await this.d.calendar.addWorkingDays(today, settings.decideDays);
    if (action === 'approve' || action === 'reject') {
      patch.decidedAt = new Date();
      const submitted = r.submittedAt ? shanghai(r.submittedAt) : today;
      patch.handlingDays = Math.max(0, await this.d.calendar.workingDaysBetween(submitted, today));
      const acceptedOnTime = !r.acceptDue || (r.acceptedAt ? shanghai(r.acceptedAt) : today) <= r.acceptDue;
      patch.onTime = acceptedOnTime && (!r.decideDue || today <= r.decideDue);
    }
    const endpoints = action === 'approve' ? await this.db.select().from(creditEndpoints).where(eq(creditEndpoints.enabled, true)) : [];
    const penalty = await this.core.penalty(r.penaltyId);
    const out = await inTransaction(this.db, async (tx) => {
      const [locked] = await tx.select().from(creditRepairs).where(eq(creditRepairs.id, id)).for('update');
      if (locked.state !== r.state) throw errors.conflict('the repair changed meanwhile; reload it');
      const [next] = await tx.update(creditRepairs).set({ ...patch, state: t.to }).where(eq(creditRepairs.id, id)).returning();
      if (action === 'approve') {
        await this.core.event(tx, actor, id, 'approve', r.state, 'approved', reason);
        // Withdraw from publication at once, in this transaction.
        const [w] = await tx
          .update(creditRecords)
          .set({ status: 'repaired', withdrawnAt: new Date() })
          .where(and(eq(creditRecords.id, r.penaltyId), eq(creditRecords.status, 'published')))
          .returning();
        if (!w) throw errors.conflict('the penalty is no longer in publication');
        await this.core.event(tx, actor, id, 'withdraw', 'approved', 'withdrawn', null);
        await recordAudit(tx, actor, { action: 'credit.record.withdraw', entityType: 'credit_record', entityId: w.id, orgId: w.orgId, before: { status: 'published' }, after: { status: 'repaired' }, note: { repairId: id } });
        const payload = {
          event: 'credit.repair.approved',
          repairId: id,
          penaltyId: w.id,
          documentNo: w.docNo,
          authorityCode: w.authorityCode,
          subjectCode: w.subjectCode,
          subjectName: w.subjectName,
          decidedAt: next.decidedAt!.toISOString(),
          reason,
          publication: { status: 'repaired', withdrawnAt: w.withdrawnAt!.toISOString() },
        };
        if (endpoints.length) await tx.insert(creditOutbox).values(endpoints.map((e) => ({ event: payload.event, repairId: id, endpointId: e.id, endpointName: e.name, url: e.url, payload })));
      } else {
        await this.core.event(tx, actor, id, action, r.state, t.to, reason);
      }
      await this.d.notifier.notify(tx, {
        userId: r.applicantId,
        kind: `credit.repair.${action}`,
        title: NOTICE[action],
        body: `行政处罚决定书 ${penalty?.docNo ?? ''} 的信用修复申请：${NOTICE[action]}${reason ? `。理由：${reason}` : ''}`,
      });
      await recordAudit(tx, actor, { action: `credit.repair.${action}`, entityType: 'credit_repair', entityId: id, orgId: r.deciderOrgId, before: { state: r.state }, after: { state: next.state }, note: reason ? { reason } : undefined });
      return next;
    });
    if (action === 'approve' && endpoints.length) await this.d.queue.enqueue(OUTBOX_JOB, { repairId: id });
    return this.get(actor, out.id);
  }

  async get(actor: Actor, id: string) {
    const r = await this.core.visible(actor, id);
    const [events, materials, penalty] = await Promise.all([
      this.db.select().from(creditRepairEvents).where(eq(creditRepairEvents.repairId, id)).orderBy(asc(creditRepairEvents.seq)),
      this.db.select().from(creditRepairMaterials).where(eq(creditRepairMaterials.repairId, id)).orderBy(asc(creditRepairMaterials.createdAt)),
      this.core.penalty(r.penaltyId),
    ]);
    const deliveries = await this.db.select().from(creditOutbox).where(eq(creditOutbox.repairId, id)).orderBy(asc(creditOutbox.createdAt));
    const dept = await this.d.orgs.byId(r.deciderOrgId);
    return {
      ...this.core.view(r),
      deptName: dept?.name ?? null,
      penalty: penalty ? recordView(penalty, false) : null,
      materials: materials.map((m) => ({ ...materialView(m), url: `/api/credit/repairs/${id}/materials/${m.id}` })),
      requiredMaterials: Object.entries(REPAIR_MATERIALS).map(([key, v]) => ({ key, name: v.zh, required: v.required })),
      timeline: events.map((e) => ({ at: e.at.toISOString(), action: e.action, from: e.fromState, to: e.toState, state: e.toState, actorName: e.actorName, reason: e.reason })),
      deliveries: deliveries.map(outboxView),
    };
  }

  async list(actor: Actor, f: { state?: string; limit: number; offset: number }): Promise<Page<ReturnType<RepairCore['view']> & { subjectName: string | null; documentNo: string | null }>> {
    const conds: SQL[] = [];
    if (actor.kind === 'enterprise') conds.push(actor.orgId ? eq(creditRepairs.applicantOrgId, actor.orgId) : sql`false`);
    else if (can(actor, CREDIT.repairDecide)) {
      const ids = await this.core.deciderScope(actor);
      if (ids) conds.push(ids.length ? inArray(creditRepairs.deciderOrgId, ids) : sql`false`);
      conds.push(sql`${creditRepairs.state} <> 'draft'`);
    } else if (!can(actor, CREDIT.profileRead)) conds.push(sql`false`);
    if (f.state) conds.push(eq(creditRepairs.state, f.state));
    const where = conds.length ? and(...conds) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db
        .select({ r: creditRepairs, name: creditRecords.subjectName, doc: creditRecords.docNo })
        .from(creditRepairs)
        .leftJoin(creditRecords, eq(creditRecords.id, creditRepairs.penaltyId))
        .where(where)
        .orderBy(desc(creditRepairs.createdAt))
        .limit(f.limit)
        .offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditRepairs).where(where),
    ]);
    return { items: items.map((x) => ({ ...this.core.view(x.r), subjectName: x.name, documentNo: x.doc })), total: n, limit: f.limit, offset: f.offset };
  }
}
