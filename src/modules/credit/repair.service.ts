// Credit repair (信用修复): the enterprise applies for one of its published penalties once the minimum
// publication period has passed, confirms a generated commitment letter, uploads proof of performance
// and submits; the deciding department accepts, may ask for more material, and approves or rejects
// within working-day limits. Approval withdraws the record from publication and writes outbox
// deliveries in the same transaction; the outbox worker sends them to configured endpoints, durably,
// with retries, and marks the repair synced when every delivery has landed.
import { createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { recordAudit } from '../../platform/audit/audit.service';
import { can, systemActor, type Actor } from '../../platform/auth/actor';
import type { CalendarService } from '../../platform/calendar';
import { decrypt, encrypt } from '../../platform/crypto/secrets';
import { inTransaction, rows as rawRows, type Db, type Tx } from '../../platform/db/client';
import { deleteBlob, getBlob, putBlob, readLimited, sniffType } from '../../platform/files/blobs';
import { AppError, errors } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import type { JobQueue } from '../../platform/jobs/queue';
import type { OrgService } from '../org';
import type { Notifier } from '../../platform/notify';
import { creditEndpoints, creditOutbox, creditRecords, creditRepairEvents, creditRepairMaterials, creditRepairs } from './credit.schema';
import { CREDIT, type CreditService, recordView } from './credit.service';

export const OUTBOX_JOB = 'credit.outbox.deliver';
export const EXPIRE_JOB = 'credit.publication.expire';

/** Materials an application may carry (STANDARDS.md "Credit repair"); proof of performance is required. */
export const REPAIR_MATERIALS: Record<string, { zh: string; required: boolean }> = {
  performance_proof: { zh: '履行法定义务、纠正违法行为的证明（如罚款缴纳凭证、整改报告）', required: true },
  application_form: { zh: '信用修复申请书', required: false },
  licence: { zh: '营业执照', required: false },
  agent_id: { zh: '经办人身份证明', required: false },
  authorisation: { zh: '法定代表人身份证明或授权委托书', required: false },
};
export const MATERIAL_MAX_BYTES = 10 * 1024 * 1024;
const MATERIAL_TYPES = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png' } as const;

export const REPAIR_STATES = ['draft', 'submitted', 'accepted', 'material_requested', 'resubmitted', 'rejected', 'withdrawn', 'synced'] as const;
export type RepairState = (typeof REPAIR_STATES)[number];
const OPEN: RepairState[] = ['draft', 'submitted', 'accepted', 'material_requested', 'resubmitted'];

/** Which action moves which state; anything else is a 409. */
const TRANSITIONS: Record<string, { from: RepairState[]; to: RepairState; side: 'applicant' | 'staff' }> = {
  submit: { from: ['draft'], to: 'submitted', side: 'applicant' },
  resubmit: { from: ['material_requested'], to: 'resubmitted', side: 'applicant' },
  accept: { from: ['submitted'], to: 'accepted', side: 'staff' },
  'request-material': { from: ['accepted', 'resubmitted'], to: 'material_requested', side: 'staff' },
  approve: { from: ['accepted', 'resubmitted'], to: 'withdrawn', side: 'staff' },
  reject: { from: ['submitted', 'accepted', 'resubmitted'], to: 'rejected', side: 'staff' },
};

const NOTICE: Record<string, string> = {
  submit: '信用修复申请已提交',
  accept: '信用修复申请已受理',
  'request-material': '信用修复申请需补充材料',
  resubmit: '信用修复补充材料已提交',
  approve: '信用修复申请已通过，相关信息已停止公示',
  reject: '信用修复申请未通过',
};

type RepairRow = typeof creditRepairs.$inferSelect;
type RecordRow = typeof creditRecords.$inferSelect;

export interface RepairDeps {
  db: Db;
  credit: CreditService;
  orgs: OrgService;
  calendar: CalendarService;
  queue: JobQueue;
  notifier: Notifier;
  log: Logger;
  masterKey: Buffer;
  /** Seconds before the first retry of a failed delivery (doubles each attempt). */
  retryBaseSeconds?: number;
  /** Seconds a claimed delivery stays reserved: a worker that dies while sending leaves it for this long (default 60). */
  deliveryLeaseSeconds?: number;
  fetch?: typeof fetch;
}

export class RepairService {
  private readonly db: Db;
  constructor(private readonly d: RepairDeps) {
    this.db = d.db;
  }

  private today() {
    return this.d.credit.today();
  }

  /** The enterprise's own credit code, or 403: repair is for an enterprise acting for itself. */
  private async ownCode(actor: Actor): Promise<string> {
    if (actor.kind !== 'enterprise' || !actor.orgId) throw errors.forbidden('credit repair is applied for by an enterprise account');
    const org = await this.d.orgs.byId(actor.orgId);
    if (!org?.creditCode) throw errors.forbidden('your organisation has no unified social credit code');
    return org.creditCode;
  }

  private async penalty(id: string): Promise<RecordRow | null> {
    const [r] = await this.db.select().from(creditRecords).where(and(eq(creditRecords.id, id), eq(creditRecords.kind, 'penalty')));
    return r ?? null;
  }

  eligibility(p: RecordRow, openRepairId: string | null, today = this.today()) {
    if (p.status !== 'published') return { eligible: false, eligibleFrom: null, reason: p.status === 'repaired' ? 'already-repaired' : 'not-in-publication', openRepairId };
    if (openRepairId) return { eligible: false, eligibleFrom: p.repairableFrom, reason: 'open-application', openRepairId };
    if (p.repairableFrom && today < p.repairableFrom) return { eligible: false, eligibleFrom: p.repairableFrom, reason: 'minimum-period', openRepairId };
    return { eligible: true, eligibleFrom: p.repairableFrom, reason: null, openRepairId };
  }

  private async openRepairs(penaltyIds: string[]): Promise<Map<string, string>> {
    if (!penaltyIds.length) return new Map();
    const r = await this.db
      .select({ id: creditRepairs.id, penaltyId: creditRepairs.penaltyId })
      .from(creditRepairs)
      .where(and(inArray(creditRepairs.penaltyId, penaltyIds), inArray(creditRepairs.state, OPEN)));
    return new Map(r.map((x) => [x.penaltyId, x.id]));
  }

  async myPenalties(actor: Actor, f: { limit: number; offset: number }) {
    const code = await this.ownCode(actor);
    const where = and(eq(creditRecords.subjectCode, code), eq(creditRecords.kind, 'penalty'));
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(creditRecords).where(where).orderBy(desc(creditRecords.decisionDate)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditRecords).where(where),
    ]);
    const open = await this.openRepairs(items.map((p) => p.id));
    const today = this.today();
    return { items: items.map((p) => ({ ...recordView(p, false), repair: this.eligibility(p, open.get(p.id) ?? null, today) })), total: n, limit: f.limit, offset: f.offset };
  }

  private async ownPenalty(actor: Actor, penaltyId: string): Promise<RecordRow> {
    const code = await this.ownCode(actor);
    const p = await this.penalty(penaltyId);
    // Another subject's penalty is answered as absent, not forbidden: its existence is not the caller's business.
    if (!p || p.subjectCode !== code) throw errors.notFound('penalty');
    return p;
  }

  commitmentText(p: RecordRow, date = this.today()): string {
    const rec = p.record as Record<string, string>;
    return [
      '信用修复承诺书',
      '',
      `本单位${p.subjectName}（统一社会信用代码：${p.subjectCode}）因${rec.CF_WFXW ?? '违法行为'}，于 ${p.decisionDate} 被${rec.CF_CFJG ?? ''}作出行政处罚（决定书文号：${p.docNo}）。现申请信用修复，郑重承诺：`,
      '一、已全面履行行政处罚决定规定的义务，已纠正违法行为、消除不良影响；',
      '二、提交的申请材料真实、准确、完整，如有虚假，愿承担相应法律责任；',
      '三、今后严格遵守法律法规，依法诚信经营，自觉接受监督；',
      '四、如违反承诺，自愿接受相关部门依法依规作出的处理，并同意将违背承诺情况纳入信用记录。',
      '',
      `承诺单位：${p.subjectName}`,
      `日期：${date}`,
    ].join('\n');
  }

  async commitment(actor: Actor, penaltyId: string) {
    const p = await this.ownPenalty(actor, penaltyId);
    return { text: this.commitmentText(p) };
  }

  async create(actor: Actor, input: { penaltyId: string; commitmentAccepted: boolean; statement: string }) {
    if (input.commitmentAccepted !== true) throw errors.field('/body/commitmentAccepted', 'the commitment letter must be accepted');
    const p = await this.ownPenalty(actor, input.penaltyId);
    const open = await this.openRepairs([p.id]);
    const el = this.eligibility(p, open.get(p.id) ?? null);
    if (!el.eligible) throw errors.conflict(`repair is not possible now (${el.reason}${el.eligibleFrom ? `, from ${el.eligibleFrom}` : ''})`, { repair: el });
    const text = this.commitmentText(p);
    const r = await inTransaction(this.db, async (tx) => {
      const [row] = await tx
        .insert(creditRepairs)
        .values({ penaltyId: p.id, deciderOrgId: p.orgId, applicantId: actor.userId!, applicantOrgId: actor.orgId!, subjectCode: p.subjectCode, statement: input.statement.trim(), commitmentText: text, commitmentAcceptedAt: new Date() })
        .returning();
      await this.event(tx, actor, row.id, 'create', null, 'draft', null);
      await recordAudit(tx, actor, { action: 'credit.repair.create', entityType: 'credit_repair', entityId: row.id, orgId: p.orgId, after: { penaltyId: p.id } });
      return row;
    });
    return this.view(r);
  }

  private async event(tx: Tx, actor: Actor, repairId: string, action: string, from: string | null, to: string, reason: string | null) {
    await tx.insert(creditRepairEvents).values({ repairId, action, fromState: from, toState: to, actorId: actor.userId, actorName: actor.displayName, reason });
  }

  private async row(id: string): Promise<RepairRow> {
    const [r] = await this.db.select().from(creditRepairs).where(eq(creditRepairs.id, id));
    if (!r) throw errors.notFound('repair');
    return r;
  }

  private async deciderScope(actor: Actor): Promise<string[] | undefined> {
    return this.d.orgs.visibleIds(actor, CREDIT.repairDecide);
  }

  /** The repair if the actor is its applicant organisation or decides for its department; else 404. */
  private async visible(actor: Actor, id: string, side?: 'applicant' | 'staff'): Promise<RepairRow> {
    const r = await this.row(id);
    const applicant = actor.kind === 'enterprise' && actor.orgId === r.applicantOrgId;
    let staff = false;
    if (!applicant && can(actor, CREDIT.repairDecide)) {
      const ids = await this.deciderScope(actor);
      staff = !ids || ids.includes(r.deciderOrgId);
    }
    const reader = !applicant && !staff && can(actor, CREDIT.profileRead);
    if (side === 'applicant' && !applicant) throw applicantOrStaffError(staff || reader);
    if (side === 'staff' && !staff) {
      if (applicant || reader) throw errors.forbidden('only the deciding department may decide this repair');
      throw errors.notFound('repair');
    }
    if (!side && !applicant && !staff && !reader) throw errors.notFound('repair');
    return r;
  }

  async uploadMaterial(actor: Actor, id: string, key: string, file: { stream: Readable; fileName: string; contentType: string }) {
    const spec = REPAIR_MATERIALS[key];
    if (!spec) {
      file.stream.resume();
      throw errors.field('/body/key', `unknown material; one of ${Object.keys(REPAIR_MATERIALS).join(', ')}`);
    }
    const r = await this.visible(actor, id, 'applicant');
    if (r.state !== 'draft' && r.state !== 'material_requested') {
      file.stream.resume();
      throw errors.conflict(`materials can be changed in draft or after a request for material, not when ${r.state}`);
    }
    const bytes = await readLimited(file.stream, MATERIAL_MAX_BYTES);
    const type = sniffType(bytes);
    if (type !== 'pdf' && type !== 'jpg' && type !== 'png') throw new AppError(415, 'unsupported-media-type', 'Unsupported file type', 'materials must be PDF, JPEG or PNG');
    return inTransaction(this.db, async (tx) => {
      const [old] = await tx.select().from(creditRepairMaterials).where(and(eq(creditRepairMaterials.repairId, id), eq(creditRepairMaterials.key, key)));
      if (old) {
        await tx.delete(creditRepairMaterials).where(eq(creditRepairMaterials.id, old.id));
        await deleteBlob(tx, old.blobId);
      }
      const blob = await putBlob(tx, { bytes, contentType: MATERIAL_TYPES[type], fileName: file.fileName, createdBy: actor.userId });
      const [m] = await tx.insert(creditRepairMaterials).values({ repairId: id, key, blobId: blob.id, fileName: file.fileName, contentType: blob.contentType, size: blob.size }).returning();
      await recordAudit(tx, actor, { action: 'credit.repair.material', entityType: 'credit_repair', entityId: id, orgId: r.deciderOrgId, note: { key, fileName: file.fileName, size: blob.size, sha256: blob.sha256, replaced: !!old } });
      return materialView(m);
    });
  }

  async downloadMaterial(actor: Actor, id: string, materialId: string) {
    await this.visible(actor, id);
    const [m] = await this.db.select().from(creditRepairMaterials).where(and(eq(creditRepairMaterials.id, materialId), eq(creditRepairMaterials.repairId, id)));
    if (!m) throw errors.notFound('material');
    const b = await getBlob(this.db, m.blobId);
    if (!b) throw errors.notFound('material');
    return { bytes: b.bytes, contentType: b.contentType, fileName: m.fileName };
  }

  /** One state change: checks, deadlines, history, audit and the applicant's notification, together. */
  async act(actor: Actor, id: string, action: keyof typeof TRANSITIONS, reason: string | null) {
    const t = TRANSITIONS[action];
    const r = await this.visible(actor, id, t.side);
    if (!t.from.includes(r.state as RepairState)) throw errors.conflict(`cannot ${action} a repair that is ${r.state}`);
    if ((action === 'request-material' || action === 'reject' || action === 'approve') && !reason?.trim()) throw errors.field('/body/reason', 'a reason is required');
    const settings = await this.d.credit.settings();
    const today = this.today();
    const patch: Partial<typeof creditRepairs.$inferInsert> = { updatedAt: new Date(), lastReason: reason };
    if (action === 'submit') {
      const [proof] = await this.db.select().from(creditRepairMaterials).where(and(eq(creditRepairMaterials.repairId, id), eq(creditRepairMaterials.key, 'performance_proof')));
      if (!proof) throw errors.unprocessable('proof of performance (performance_proof) must be uploaded before submitting', [{ path: '/materials/performance_proof', message: 'required' }]);
      const p = await this.penalty(r.penaltyId);
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
    const penalty = await this.penalty(r.penaltyId);
    const out = await inTransaction(this.db, async (tx) => {
      const [locked] = await tx.select().from(creditRepairs).where(eq(creditRepairs.id, id)).for('update');
      if (locked.state !== r.state) throw errors.conflict('the repair changed meanwhile; reload it');
      const [next] = await tx.update(creditRepairs).set({ ...patch, state: t.to }).where(eq(creditRepairs.id, id)).returning();
      if (action === 'approve') {
        await this.event(tx, actor, id, 'approve', r.state, 'approved', reason);
        // Withdraw from publication at once, in this transaction.
        const [w] = await tx
          .update(creditRecords)
          .set({ status: 'repaired', withdrawnAt: new Date() })
          .where(and(eq(creditRecords.id, r.penaltyId), eq(creditRecords.status, 'published')))
          .returning();
        if (!w) throw errors.conflict('the penalty is no longer in publication');
        await this.event(tx, actor, id, 'withdraw', 'approved', 'withdrawn', null);
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
        await this.event(tx, actor, id, action, r.state, t.to, reason);
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
    const r = await this.visible(actor, id);
    const [events, materials, penalty] = await Promise.all([
      this.db.select().from(creditRepairEvents).where(eq(creditRepairEvents.repairId, id)).orderBy(asc(creditRepairEvents.seq)),
      this.db.select().from(creditRepairMaterials).where(eq(creditRepairMaterials.repairId, id)).orderBy(asc(creditRepairMaterials.createdAt)),
      this.penalty(r.penaltyId),
    ]);
    const deliveries = await this.db.select().from(creditOutbox).where(eq(creditOutbox.repairId, id)).orderBy(asc(creditOutbox.createdAt));
    const dept = await this.d.orgs.byId(r.deciderOrgId);
    return {
      ...this.view(r),
      deptName: dept?.name ?? null,
      penalty: penalty ? recordView(penalty, false) : null,
      materials: materials.map((m) => ({ ...materialView(m), url: `/api/credit/repairs/${id}/materials/${m.id}` })),
      requiredMaterials: Object.entries(REPAIR_MATERIALS).map(([key, v]) => ({ key, name: v.zh, required: v.required })),
      timeline: events.map((e) => ({ at: e.at.toISOString(), action: e.action, from: e.fromState, to: e.toState, state: e.toState, actorName: e.actorName, reason: e.reason })),
      deliveries: deliveries.map(outboxView),
    };
  }

  view(r: RepairRow) {
    const today = this.today();
    const overdue = (r.state === 'submitted' && !!r.acceptDue && today > r.acceptDue) || ((r.state === 'accepted' || r.state === 'resubmitted') && !!r.decideDue && today > r.decideDue);
    return {
      id: r.id,
      penaltyId: r.penaltyId,
      state: r.state,
      statement: r.statement,
      commitmentText: r.commitmentText,
      commitmentAccepted: true,
      subjectCode: r.subjectCode,
      createdAt: r.createdAt.toISOString(),
      submittedAt: r.submittedAt?.toISOString() ?? null,
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      acceptDue: r.acceptDue,
      decideDue: r.decideDue,
      deadlines: { accept: r.acceptDue, decide: r.decideDue },
      overdue,
      onTime: r.onTime,
      handlingDays: r.handlingDays,
      reason: r.lastReason,
    };
  }

  async list(actor: Actor, f: { state?: string; limit: number; offset: number }): Promise<Page<ReturnType<RepairService['view']> & { subjectName: string | null; documentNo: string | null }>> {
    const conds: SQL[] = [];
    if (actor.kind === 'enterprise') conds.push(actor.orgId ? eq(creditRepairs.applicantOrgId, actor.orgId) : sql`false`);
    else if (can(actor, CREDIT.repairDecide)) {
      const ids = await this.deciderScope(actor);
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
    return { items: items.map((x) => ({ ...this.view(x.r), subjectName: x.name, documentNo: x.doc })), total: n, limit: f.limit, offset: f.offset };
  }

  // ---- outbox ----------------------------------------------------------------------------------------------

  async getEndpoints() {
    const items = await this.db.select().from(creditEndpoints).orderBy(asc(creditEndpoints.createdAt), asc(creditEndpoints.name));
    // The secret is never returned; hasSecret says whether one is set.
    return { items: items.map((e) => ({ id: e.id, name: e.name, url: e.url, enabled: e.enabled, hasSecret: !!e.secretEnc })) };
  }

  async putEndpoints(actor: Actor, items: { id?: string; name: string; url: string; enabled: boolean; secret?: string | null }[]) {
    items.forEach((e, i) => {
      let u: URL;
      try {
        u = new URL(e.url);
      } catch {
        throw errors.field(`/body/items/${i}/url`, 'not a URL');
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw errors.field(`/body/items/${i}/url`, 'only http and https endpoints');
    });
    const before = await this.getEndpoints();
    await inTransaction(this.db, async (tx) => {
      const keep = items.filter((e) => e.id).map((e) => e.id!);
      await tx.delete(creditEndpoints).where(keep.length ? sql`${creditEndpoints.id} not in (${sql.join(keep.map((k) => sql`${k}::uuid`), sql`, `)})` : sql`true`);
      for (const e of items) {
        // An omitted secret keeps the stored one; an empty string removes it.
        const secret = e.secret === undefined ? {} : { secretEnc: e.secret ? encrypt(this.d.masterKey, e.secret, 'credit.endpoint') : null };
        if (e.id) await tx.update(creditEndpoints).set({ name: e.name, url: e.url, enabled: e.enabled, ...secret }).where(eq(creditEndpoints.id, e.id));
        else await tx.insert(creditEndpoints).values({ name: e.name, url: e.url, enabled: e.enabled, ...secret });
      }
      await recordAudit(tx, actor, { action: 'credit.endpoints.update', entityType: 'credit_endpoints', before: before.items, after: items.map(({ secret, ...rest }) => ({ ...rest, secretSet: secret === undefined ? 'unchanged' : !!secret })) });
    });
    return this.getEndpoints();
  }

  async listOutbox(f: { status?: string; limit: number; offset: number }) {
    const where = f.status ? eq(creditOutbox.status, f.status) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select().from(creditOutbox).where(where).orderBy(desc(creditOutbox.createdAt)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(creditOutbox).where(where),
    ]);
    return { items: items.map(outboxView), total: n, limit: f.limit, offset: f.offset };
  }

  /**
   * Deliver what is due. Rows are claimed with a lease (skip locked), so two workers never send the same
   * row at once and a crashed worker's row is retried after the lease; the receiver gets the row id as
   * Idempotency-Key, so a retry after a lost answer is recognisable as the same delivery.
   */
  async deliverDue(max = 50): Promise<{ delivered: number; failed: number; retrying: number }> {
    const res = { delivered: 0, failed: 0, retrying: 0 };
    const doFetch = this.d.fetch ?? fetch;
    for (;;) {
      const claimed = await rawRows<{ id: string }>(
        this.db,
        sql`update credit_outbox set status = 'sending', lease_until = now() + make_interval(secs => ${this.d.deliveryLeaseSeconds ?? 60}), attempts = attempts + 1
            where id in (select id from credit_outbox
                         where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now())
                         order by next_attempt_at limit 10 for update skip locked)
            returning id`,
      );
      if (!claimed.length) break;
      for (const { id } of claimed) {
        const [row] = await this.db.select().from(creditOutbox).where(eq(creditOutbox.id, id));
        const [endpoint] = await this.db.select({ secretEnc: creditEndpoints.secretEnc }).from(creditEndpoints).where(eq(creditEndpoints.id, row.endpointId));
        const body = JSON.stringify({ id: row.id, ...(row.payload as object) });
        const signature: Record<string, string> = endpoint?.secretEnc ? { 'x-dq-signature': `sha256=${createHmac('sha256', decrypt(this.d.masterKey, endpoint.secretEnc, 'credit.endpoint')).update(body).digest('hex')}` } : {};
        let status: number | null = null;
        let error: string | null = null;
        try {
          const resp = await doFetch(row.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': row.id, 'x-dq-event': row.event, ...signature },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          status = resp.status;
          await resp.arrayBuffer().catch(() => undefined);
          if (!resp.ok) error = `HTTP ${resp.status}`;
        } catch (err) {
          error = (err as Error).message.slice(0, 500);
        }
        if (!error) {
          // Delivered and, with the repair's last delivery, synced: in one transaction, so a crash between
          // the two never leaves a repair whose every delivery landed waiting for ever.
          await inTransaction(this.db, async (tx) => {
            if (row.repairId) await tx.select({ id: creditRepairs.id }).from(creditRepairs).where(eq(creditRepairs.id, row.repairId)).for('update');
            await tx.update(creditOutbox).set({ status: 'delivered', deliveredAt: new Date(), lastStatus: status, lastError: null, leaseUntil: null }).where(eq(creditOutbox.id, id));
            if (row.repairId) await this.markSynced(tx, row.repairId);
          });
          res.delivered++;
        } else if (row.attempts >= row.maxAttempts) {
          await this.db.update(creditOutbox).set({ status: 'failed', lastStatus: status, lastError: error, leaseUntil: null }).where(eq(creditOutbox.id, id));
          this.d.log.error({ outboxId: id, url: row.url, error }, 'credit outbox delivery failed for good');
          res.failed++;
        } else {
          const delay = (this.d.retryBaseSeconds ?? 30) * 2 ** (row.attempts - 1);
          await this.db
            .update(creditOutbox)
            .set({ status: 'pending', lastStatus: status, lastError: error, leaseUntil: null, nextAttemptAt: new Date(Date.now() + delay * 1000) })
            .where(eq(creditOutbox.id, id));
          res.retrying++;
        }
        if (res.delivered + res.failed + res.retrying >= max) return res;
      }
    }
    return res;
  }

  /**
   * When every delivery of an approved repair has landed, the repair is synced. Runs in the delivery's
   * transaction, which holds the repair's row lock: two deliveries of one repair landing at once see
   * each other's outcome.
   */
  private async markSynced(tx: Tx, repairId: string) {
    const [{ open }] = await rawRows<{ open: number }>(tx, sql`select count(*)::int as open from credit_outbox where repair_id = ${repairId} and status <> 'delivered'`);
    if (open > 0) return;
    const actor = systemActor('credit.outbox');
    const [r] = await tx.update(creditRepairs).set({ state: 'synced', updatedAt: new Date() }).where(and(eq(creditRepairs.id, repairId), eq(creditRepairs.state, 'withdrawn'))).returning();
    if (!r) return;
    await this.event(tx, actor, repairId, 'sync', 'withdrawn', 'synced', null);
    await recordAudit(tx, actor, { action: 'credit.repair.sync', entityType: 'credit_repair', entityId: repairId, orgId: r.deciderOrgId });
  }
}

function applicantOrStaffError(isStaff: boolean): AppError {
  return isStaff ? errors.forbidden('only the applying enterprise may do this') : errors.notFound('repair');
}

const shanghai = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

function materialView(m: typeof creditRepairMaterials.$inferSelect) {
  return { id: m.id, key: m.key, fileName: m.fileName, contentType: m.contentType, size: m.size, createdAt: m.createdAt.toISOString() };
}

function outboxView(o: typeof creditOutbox.$inferSelect) {
  return {
    id: o.id,
    event: o.event,
    repairId: o.repairId,
    endpointId: o.endpointId,
    endpointName: o.endpointName,
    url: o.url,
    status: o.status,
    attempts: o.attempts,
    lastError: o.lastError,
    lastStatus: o.lastStatus,
    nextAttemptAt: o.status === 'pending' ? o.nextAttemptAt.toISOString() : null,
    deliveredAt: o.deliveredAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
  };
}
