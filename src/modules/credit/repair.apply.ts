// The enterprise side of a repair: its penalties with whether and when repair is possible, the generated
// commitment letter, starting an application, and the materials it carries.
import type { Readable } from 'node:stream';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import { inTransaction, type Db } from '../../platform/db/client';
import { deleteBlob, getBlob, putBlob, readLimited, sniffType } from '../../platform/files/blobs';
import { AppError, errors } from '../../platform/http/problem';
import { creditRecords, creditRepairMaterials, creditRepairs } from './credit.schema';
import { recordView } from './credit.views';
import { materialView, type RepairCore, type RepairDeps } from './repair.core';
import { MATERIAL_MAX_BYTES, MATERIAL_TYPES, OPEN, type RecordRow, REPAIR_MATERIALS } from './repair.rules';

export class RepairApplications {
  private readonly d: RepairDeps;
  private readonly db: Db;
  constructor(private readonly core: RepairCore) {
    this.d = core.d;
    this.db = core.db;
  }

  /** The enterprise's own credit code, or 403: repair is for an enterprise acting for itself. */
  private async ownCode(actor: Actor): Promise<string> {
    if (actor.kind !== 'enterprise' || !actor.orgId) throw errors.forbidden('credit repair is applied for by an enterprise account');
    const org = await this.d.orgs.byId(actor.orgId);
    if (!org?.creditCode) throw errors.forbidden('your organisation has no unified social credit code');
    return org.creditCode;
  }

  eligibility(p: RecordRow, openRepairId: string | null, today = this.core.today()) {
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
    const today = this.core.today();
    return { items: items.map((p) => ({ ...recordView(p, false), repair: this.eligibility(p, open.get(p.id) ?? null, today) })), total: n, limit: f.limit, offset: f.offset };
  }

  private async ownPenalty(actor: Actor, penaltyId: string): Promise<RecordRow> {
    const code = await this.ownCode(actor);
    const p = await this.core.penalty(penaltyId);
    // Another subject's penalty is answered as absent, not forbidden: its existence is not the caller's business.
    if (!p || p.subjectCode !== code) throw errors.notFound('penalty');
    return p;
  }

  commitmentText(p: RecordRow, date = this.core.today()): string {
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
      await this.core.event(tx, actor, row.id, 'create', null, 'draft', null);
      await recordAudit(tx, actor, { action: 'credit.repair.create', entityType: 'credit_repair', entityId: row.id, orgId: p.orgId, after: { penaltyId: p.id } });
      return row;
    });
    return this.core.view(r);
  }

  async uploadMaterial(actor: Actor, id: string, key: string, file: { stream: Readable; fileName: string; contentType: string }) {
    const spec = REPAIR_MATERIALS[key];
    if (!spec) {
      file.stream.resume();
      throw errors.field('/body/key', `unknown material; one of ${Object.keys(REPAIR_MATERIALS).join(', ')}`);
    }
    const r = await this.core.visible(actor, id, 'applicant');
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
    await this.core.visible(actor, id);
    const [m] = await this.db.select().from(creditRepairMaterials).where(and(eq(creditRepairMaterials.id, materialId), eq(creditRepairMaterials.repairId, id)));
    if (!m) throw errors.notFound('material');
    const b = await getBlob(this.db, m.blobId);
    if (!b) throw errors.notFound('material');
    return { bytes: b.bytes, contentType: b.contentType, fileName: m.fileName };
  }
}
