// Applications (SVC): drafts, materials, submission with automatic approval, the staff workflow, deadlines
// in working days, notifications, satisfaction, proxy authorisations. Every state change goes through
// transition(): the table in states.ts decides, the history row, the audit entry and the notification are
// written in the same transaction. PGlite has one connection: everything a write needs (item version,
// facts, calendar, grants) is read before its transaction opens; inside, only `tx` is used.
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, can, requirePermission, systemActor } from '../../../platform/auth/actor';
import type { AuthService } from '../../../platform/auth/auth.service';
import { definePermission } from '../../../platform/auth/permissions';
import type { CalendarService } from '../../../platform/calendar';
import { shanghaiDate } from '../../../platform/calendar';
import { type Db, inTransaction, type Tx } from '../../../platform/db/client';
import { deleteBlob, getBlob, putBlob, readLimited, sniffType } from '../../../platform/files/blobs';
import { AppError, errors, type FieldError } from '../../../platform/http/problem';
import { NotificationInbox } from '../../../platform/notify';
import type { Page } from '../../../platform/http/paging';
import type { OrgService } from '../../org';
import { validateFormValues } from '../form';
import type { CatalogueService } from '../svc.service';
import { svcItems } from '../svc.schema';
import { type AutoOutcome, type AutoRule, autoRuleProblems, decisionDocument, runRule } from './auto';
import { svcApplicationEvents, svcApplicationMaterials, svcApplications, svcAutoRules, svcProxyGrants, svcRatings } from './applications.schema';
import { type CertificateRef, type CertificateWallet, FactRegistry, type Notifier } from './ports';
import { type Action, canTransition, CLOCK_RUNNING, type State, STATE_LABELS, type Transition, TRANSITIONS } from './states';

export const APP = {
  handle: definePermission('svc.application.handle', '办理政务服务申请', 'Handle applications (worklist, decisions, statistics)'),
} as const;

export type AppRow = typeof svcApplications.$inferSelect;
export type ItemVersion = NonNullable<Awaited<ReturnType<CatalogueService['version']>>>;

export interface PreparedDraft {
  itemId: string;
  v: ItemVersion;
  actor: Actor;
  acting: Actor;
  applicant: { id: string; name: string; kind: string };
  data: Record<string, unknown>;
}

export interface PreparedSubmit {
  r: AppRow;
  acting: Actor;
  values: Record<string, unknown>;
  waived: string[];
  due: { start: Date; dueDate: string; dueAt: Date };
  outcome: AutoOutcome | null;
}

export interface ApplicationView {
  id: string;
  item: { id: string; code: string; name: string; version: number; mode: string };
  ownerOrgId: string;
  applicant: { id: string; name: string; kind: string };
  agentId: string | null;
  /** The "one thing" bundle application this one belongs to (一件事), else null. */
  bundleApplicationId: string | null;
  state: State;
  stateLabel: string;
  data: Record<string, unknown>;
  submittedAt: string | null;
  dueDate: string | null;
  dueAt: string | null;
  overdue: boolean;
  decidedAt: string | null;
  completedAt: string | null;
  claimedBy: { id: string; name: string | null } | null;
  lastReason: string | null;
  auto: AutoOutcome | null;
  decision: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface Deps {
  db: Db;
  catalogue: CatalogueService;
  calendar: CalendarService;
  orgs: OrgService;
  auth: AuthService;
  wallet: CertificateWallet;
  notifier: Notifier;
  facts: FactRegistry;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const endOfShanghaiDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`);

export function isOverdue(r: Pick<AppRow, 'state' | 'dueAt'>, now = new Date()): boolean {
  return !!r.dueAt && CLOCK_RUNNING.includes(r.state as State) && r.dueAt.getTime() < now.getTime();
}

export function toView(r: AppRow): ApplicationView {
  return {
    id: r.id,
    item: { id: r.itemId, code: r.itemCode, name: r.itemName, version: r.itemVersion, mode: r.mode },
    ownerOrgId: r.ownerOrgId,
    applicant: { id: r.applicantId, name: r.applicantName, kind: r.applicantKind },
    agentId: r.agentId,
    bundleApplicationId: r.bundleApplicationId,
    state: r.state as State,
    stateLabel: STATE_LABELS[r.state as State],
    data: r.data as Record<string, unknown>,
    submittedAt: iso(r.submittedAt),
    dueDate: r.dueDate,
    dueAt: iso(r.dueAt),
    overdue: isOverdue(r),
    decidedAt: iso(r.decidedAt),
    completedAt: iso(r.completedAt),
    claimedBy: r.claimedBy ? { id: r.claimedBy, name: r.claimedByName } : null,
    lastReason: r.lastReason,
    auto: (r.auto as AutoOutcome | null) ?? null,
    decision: (r.decision as Record<string, unknown> | null) ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const NOTICE: Record<Action, string> = {
  submit: '您的申请已提交',
  withdraw: '申请已撤回',
  accept: '您的申请已受理',
  request_correction: '您的申请需要补正材料',
  resubmit: '补正材料已提交',
  approve: '您的申请已批准',
  reject: '您的申请未予批准',
  complete: '您的申请已办结',
  auto_approve: '您的申请已自动审批通过（秒批）',
};

export class ApplicationService {
  private readonly inbox: NotificationInbox;

  constructor(private readonly d: Deps) {
    this.inbox = new NotificationInbox(d.db);
  }

  get db(): Db {
    return this.d.db;
  }

  // ---- reading ---------------------------------------------------------------------------------------

  async row(id: string): Promise<AppRow> {
    const [r] = await this.db.select().from(svcApplications).where(eq(svcApplications.id, id));
    if (!r) throw errors.notFound('application');
    return r;
  }

  async lock(tx: Tx, id: string): Promise<AppRow> {
    const [r] = await tx.select().from(svcApplications).where(eq(svcApplications.id, id)).for('update');
    if (!r) throw errors.notFound('application');
    return r;
  }

  /** An active authorisation from principal to agent covering the item, or null. */
  async activeGrant(agentId: string, principalId: string, itemId: string) {
    const rows = await this.db
      .select()
      .from(svcProxyGrants)
      .where(and(eq(svcProxyGrants.agentId, agentId), eq(svcProxyGrants.principalId, principalId), eq(svcProxyGrants.status, 'active'), sql`${svcProxyGrants.expiresAt} > now()`));
    return rows.find((g) => !g.itemIds || g.itemIds.includes(itemId)) ?? null;
  }

  /**
   * Who acts on an applicant-side action: the applicant, or a relative with a valid authorisation (the
   * actor then carries onBehalfOf = the applicant). Strangers get 404; an agent whose authorisation has
   * lapsed gets 403.
   */
  private async applicantActor(actor: Actor, r: AppRow): Promise<Actor> {
    if (actor.userId && actor.userId === r.applicantId) return actor;
    if (actor.userId && (await this.activeGrant(actor.userId, r.applicantId, r.itemId))) return { ...actor, onBehalfOf: r.applicantId };
    if (actor.userId && r.agentId === actor.userId) throw errors.forbidden('you have no valid authorisation to act for this applicant');
    throw errors.notFound('application');
  }

  private async staffScope(actor: Actor): Promise<string[] | undefined> {
    requirePermission(actor, APP.handle);
    return this.d.orgs.visibleIds(actor, APP.handle);
  }

  private async staffRow(actor: Actor, id: string): Promise<AppRow> {
    const scope = await this.staffScope(actor);
    const r = await this.row(id);
    if (r.state === 'draft' || (scope && !scope.includes(r.ownerOrgId))) throw errors.notFound('application');
    return r;
  }

  async get(actor: Actor, id: string): Promise<ApplicationView & { history: unknown[]; materials: unknown[] }> {
    const r = await this.row(id);
    if (can(actor, APP.handle) && actor.kind === 'staff') await this.staffRow(actor, id);
    else await this.applicantActor(actor, r);
    const history = await this.db.select().from(svcApplicationEvents).where(eq(svcApplicationEvents.applicationId, id)).orderBy(asc(svcApplicationEvents.at), asc(svcApplicationEvents.id));
    const materials = await this.materialRows(id);
    return {
      ...toView(r),
      history: history.map((h) => ({ action: h.action, from: h.fromState, to: h.toState, actor: h.actorName, actorId: h.actorId, onBehalfOf: h.onBehalfOf, reason: h.reason, at: h.at.toISOString() })),
      materials: await Promise.all(
        materials.map(async (m) => ({
          key: m.materialKey,
          kind: m.kind,
          fileName: m.fileName,
          contentType: m.contentType,
          size: m.size,
          sha256: m.sha256,
          certificateType: m.certificateType,
          certificateId: m.certificateId,
          // What the wallet verified when the applicant chose the certificate (issuer, identifier, time).
          certificate: m.kind === 'certificate' && m.certificateId && this.d.wallet.describe ? await this.d.wallet.describe(r.applicantId, m.certificateId) : null,
          at: m.createdAt.toISOString(),
        })),
      ),
    };
  }

  private materialRows(id: string) {
    return this.db.select().from(svcApplicationMaterials).where(eq(svcApplicationMaterials.applicationId, id)).orderBy(asc(svcApplicationMaterials.materialKey));
  }

  /** The caller's applications: their own and those they made for someone else. */
  async listMine(actor: Actor, f: { state?: State; limit: number; offset: number }): Promise<Page<ApplicationView>> {
    if (!actor.userId) throw errors.forbidden();
    const conds: SQL[] = [or(eq(svcApplications.applicantId, actor.userId), eq(svcApplications.agentId, actor.userId))!];
    if (f.state) conds.push(eq(svcApplications.state, f.state));
    const where = and(...conds);
    const items = await this.db.select().from(svcApplications).where(where).orderBy(desc(svcApplications.createdAt), asc(svcApplications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(svcApplications).where(where);
    return { items: items.map(toView), total: n, limit: f.limit, offset: f.offset };
  }

  // ---- the one place state changes ----------------------------------------------------------------------

  async transition(tx: Tx, actor: Actor, r: AppRow, action: Action, reason: string | null, patch: Partial<typeof svcApplications.$inferInsert> = {}): Promise<AppRow> {
    const t: Transition = TRANSITIONS[action];
    if (!canTransition(r.state as State, action)) {
      throw errors.conflict(`cannot ${action} an application that is ${r.state}`, { currentState: r.state, action, allowedFrom: t.from });
    }
    if (t.reasonRequired && !reason?.trim()) throw errors.field('/body/reason', `a reason is required to ${action.replace('_', ' ')}`);
    const now = new Date();
    const [next] = await tx
      .update(svcApplications)
      .set({ ...patch, state: t.to, lastReason: reason ?? (t.reasonRequired ? null : r.lastReason), updatedAt: now })
      .where(eq(svcApplications.id, r.id))
      .returning();
    await tx.insert(svcApplicationEvents).values({ applicationId: r.id, action, fromState: r.state, toState: t.to, actorId: actor.userId, actorName: actor.displayName, onBehalfOf: actor.onBehalfOf ?? null, reason, at: now });
    await recordAudit(tx, actor, { action: `svc.application.${action}`, entityType: 'svc_application', entityId: r.id, orgId: r.ownerOrgId, before: { state: r.state }, after: { state: t.to }, note: { reason, item: r.itemCode } });
    const body = `${r.itemName}：${STATE_LABELS[r.state as State]} → ${STATE_LABELS[t.to]}${reason ? `。原因：${reason}` : ''}`;
    await this.d.notifier.notify(tx, { userId: r.applicantId, kind: `application.${action}`, title: NOTICE[action], body, applicationId: r.id });
    if (r.agentId && r.agentId !== r.applicantId) await this.d.notifier.notify(tx, { userId: r.agentId, kind: `application.${action}`, title: `（代办）${NOTICE[action]}`, body, applicationId: r.id });
    return next;
  }

  // ---- applicant side ----------------------------------------------------------------------------------

  private async publishedVersion(itemId: string): Promise<ItemVersion> {
    const [it] = await this.db.select({ status: svcItems.status, version: svcItems.version }).from(svcItems).where(eq(svcItems.id, itemId));
    if (!it || it.status !== 'published' || !it.version) throw errors.notFound('published service item');
    const v = await this.d.catalogue.version(itemId, it.version);
    if (!v) throw errors.notFound('published service item');
    return v;
  }

  async create(actor: Actor, input: { itemId: string; onBehalfOf?: string; data?: Record<string, unknown> }): Promise<ApplicationView> {
    const draft = await this.prepareDraft(actor, input);
    return inTransaction(this.db, async (tx) => toView(await this.insertDraft(tx, draft, null)));
  }

  /**
   * Everything a new draft needs, read and checked before any transaction: the published version, the
   * authorisation when acting for someone (403 without one), the applicant type, the draft values.
   * Bundle applications (bundles.service.ts) prepare all their members first, then insert them together.
   */
  async prepareDraft(actor: Actor, input: { itemId: string; onBehalfOf?: string; data?: Record<string, unknown> }): Promise<PreparedDraft> {
    if (!actor.userId || (actor.kind !== 'citizen' && actor.kind !== 'enterprise')) throw errors.forbidden('applications are made by citizens and enterprises');
    const v = await this.publishedVersion(input.itemId);
    let acting = actor;
    let applicant = { id: actor.userId, name: actor.displayName, kind: actor.kind as string };
    if (input.onBehalfOf && input.onBehalfOf !== actor.userId) {
      if (!(await this.activeGrant(actor.userId, input.onBehalfOf, input.itemId))) throw errors.forbidden('you have no valid authorisation to apply for this person (for this item)');
      const b = await this.d.auth.getUser(input.onBehalfOf);
      if (!b) throw errors.forbidden('you have no valid authorisation to apply for this person');
      applicant = { id: b.id, name: b.displayName, kind: b.kind };
      acting = { ...actor, onBehalfOf: b.id };
    }
    const fits = v.applicantType === 'both' || (v.applicantType === 'person' && applicant.kind === 'citizen') || (v.applicantType === 'enterprise' && applicant.kind === 'enterprise');
    if (!fits) throw errors.unprocessable(`${v.name} is for ${v.applicantType === 'person' ? 'persons' : 'enterprises'}; the applicant is ${applicant.kind === 'citizen' ? 'a person' : 'an enterprise'}`);
    const data = input.data ? this.checkDraftData(v, input.data) : {};
    return { itemId: input.itemId, v, actor, acting, applicant, data };
  }

  /** Insert a prepared draft (and its audit entry) in the caller's transaction. */
  async insertDraft(tx: Tx, p: PreparedDraft, bundleApplicationId: string | null, createdAt?: Date): Promise<AppRow> {
    const { v, applicant, acting } = p;
    const [r] = await tx
      .insert(svcApplications)
      .values({ itemId: p.itemId, itemVersion: v.version, itemCode: v.code, itemName: v.name, ownerOrgId: v.ownerOrgId, districtCode: v.districtCode, mode: v.mode, applicantId: applicant.id, applicantKind: applicant.kind, applicantName: applicant.name, agentId: acting.onBehalfOf ? p.actor.userId : null, bundleApplicationId, data: p.data, ...(createdAt ? { createdAt, updatedAt: createdAt } : {}) })
      .returning();
    await recordAudit(tx, acting, { action: 'svc.application.create', entityType: 'svc_application', entityId: r.id, orgId: v.ownerOrgId, after: { item: v.code, version: v.version, bundleApplicationId } });
    return r;
  }

  /** Drafts may be incomplete: every problem except a missing required value is reported. */
  checkDraftData(v: ItemVersion, data: Record<string, unknown>): Record<string, unknown> {
    const check = validateFormValues(v.form, data, '/data');
    const errs = check.errors.filter((e) => e.message !== 'is required');
    if (errs.length) throw errors.validation(errs);
    return check.values;
  }

  async updateData(actor: Actor, id: string, data: Record<string, unknown>): Promise<ApplicationView> {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    if (r.state !== 'draft' && r.state !== 'correction_requested') throw errors.conflict(`the form can be changed in a draft or while a correction is requested; the application is ${r.state}`, { currentState: r.state });
    const v = await this.versionOf(r);
    const values = this.checkDraftData(v, data);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      if (cur.state !== r.state) throw errors.conflict(`the application is now ${cur.state}`, { currentState: cur.state });
      const [next] = await tx.update(svcApplications).set({ data: values, updatedAt: new Date() }).where(eq(svcApplications.id, id)).returning();
      await recordAudit(tx, acting, { action: 'svc.application.update', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { fields: Object.keys(values) } });
      return toView(next);
    });
  }

  async versionOf(r: AppRow): Promise<ItemVersion> {
    const v = await this.d.catalogue.version(r.itemId, r.itemVersion);
    if (!v) throw new Error(`item version ${r.itemId}@${r.itemVersion} is missing`);
    return v;
  }

  private editableForMaterials(r: AppRow) {
    if (r.state !== 'draft' && r.state !== 'correction_requested') throw errors.conflict(`materials can be changed in a draft or while a correction is requested; the application is ${r.state}`, { currentState: r.state });
  }

  /** The size limit of an upload for a material (the route's body limit), or a 4xx. */
  async uploadLimit(actor: Actor, id: string, key: string): Promise<number> {
    const r = await this.row(id);
    await this.applicantActor(actor, r);
    this.editableForMaterials(r);
    const m = (await this.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.upload) throw errors.unprocessable(`${m.name} is accepted only as an electronic certificate`);
    return Math.floor(m.upload.maxSizeMb * 1024 * 1024);
  }

  async upload(actor: Actor, id: string, key: string, input: { stream: Readable; contentType: string; fileName: string }) {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    this.editableForMaterials(r);
    const m = (await this.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.upload) throw errors.unprocessable(`${m.name} is accepted only as an electronic certificate`);
    const ext = (input.fileName.match(/\.([A-Za-z0-9]{1,5})$/)?.[1] ?? '').toLowerCase().replace('jpeg', 'jpg');
    const allowed = m.upload.types as string[];
    if (!allowed.includes(ext)) throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `${m.name} accepts ${allowed.join(', ')}; the file is ${ext || 'of unknown type'}`);
    const bytes = await readLimited(input.stream, Math.floor(m.upload.maxSizeMb * 1024 * 1024));
    if (!bytes.length) throw errors.field('/body', 'the file is empty');
    const sniffed = sniffType(bytes);
    const matches = sniffed === ext || (sniffed === 'docx' && ext === 'ofd');
    if (!matches) throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `the content is not a ${ext} file`);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      this.editableForMaterials(cur);
      await this.detachMaterial(tx, id, key);
      const blob = await putBlob(tx, { bytes, contentType: input.contentType, fileName: input.fileName, createdBy: actor.userId });
      await tx.insert(svcApplicationMaterials).values({ applicationId: id, materialKey: key, kind: 'upload', blobId: blob.id, fileName: input.fileName, contentType: input.contentType, size: blob.size, sha256: blob.sha256 });
      await recordAudit(tx, acting, { action: 'svc.application.material', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key, size: blob.size, sha256: blob.sha256 } });
      return { key, kind: 'upload', fileName: input.fileName, size: blob.size, sha256: blob.sha256 };
    });
  }

  /** Remove what is attached to a material (and its stored file), before something replaces it. */
  private async detachMaterial(tx: Tx, id: string, key: string): Promise<void> {
    const [old] = await tx.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
    if (!old) return;
    await tx.delete(svcApplicationMaterials).where(eq(svcApplicationMaterials.id, old.id));
    if (old.blobId) await deleteBlob(tx, old.blobId);
  }

  async attachCertificate(actor: Actor, id: string, key: string, ref: CertificateRef) {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    this.editableForMaterials(r);
    const m = (await this.versionOf(r)).materials.find((x) => x.key === key);
    if (!m) throw errors.notFound(`material ${key}`);
    if (!m.certificateType) throw errors.unprocessable(`${m.name} cannot be replaced by an electronic certificate`);
    if (ref.certificateTypeName !== m.certificateType) throw errors.field('/body/certificateTypeName', `${m.name} takes a ${m.certificateType}`);
    const answer = await this.d.wallet.resolve(r.applicantId, ref);
    if (!answer.ok) throw new AppError(answer.reason === 'wallet-unavailable' ? 503 : 422, answer.reason, 'Certificate not usable', answer.message);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      this.editableForMaterials(cur);
      await this.detachMaterial(tx, id, key);
      await tx.insert(svcApplicationMaterials).values({ applicationId: id, materialKey: key, kind: 'certificate', certificateType: ref.certificateTypeName, certificateId: ref.certificateId });
      await recordAudit(tx, acting, { action: 'svc.application.material', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key, certificate: ref.certificateTypeName } });
      return { key, kind: 'certificate', certificateType: ref.certificateTypeName, certificateId: ref.certificateId };
    });
  }

  async removeMaterial(actor: Actor, id: string, key: string): Promise<void> {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    this.editableForMaterials(r);
    await inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      this.editableForMaterials(cur);
      const [old] = await tx.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
      if (!old) throw errors.notFound(`material ${key}`);
      await tx.delete(svcApplicationMaterials).where(eq(svcApplicationMaterials.id, old.id));
      if (old.blobId) await deleteBlob(tx, old.blobId);
      await recordAudit(tx, acting, { action: 'svc.application.material.remove', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { key } });
    });
  }

  async download(actor: Actor, id: string, key: string) {
    const r = await this.row(id);
    if (actor.kind === 'staff' && can(actor, APP.handle)) await this.staffRow(actor, id);
    else await this.applicantActor(actor, r);
    const [m] = await this.db.select().from(svcApplicationMaterials).where(and(eq(svcApplicationMaterials.applicationId, id), eq(svcApplicationMaterials.materialKey, key)));
    if (!m?.blobId) throw errors.notFound(`uploaded material ${key}`);
    const blob = await getBlob(this.db, m.blobId);
    if (!blob) throw errors.notFound(`uploaded material ${key}`);
    return blob;
  }

  /** Full form check and required materials; certificate-only materials are waived only while no wallet exists (with one they come through it). */
  private async completeness(r: AppRow, v: ItemVersion): Promise<{ values: Record<string, unknown>; materials: string[]; waived: string[] }> {
    const check = validateFormValues(v.form, r.data as Record<string, unknown>, '/data');
    const have = new Set((await this.materialRows(r.id)).map((m) => m.materialKey));
    const errs: FieldError[] = [...check.errors];
    const waived: string[] = [];
    for (const m of v.materials) {
      if (!m.required || have.has(m.key)) continue;
      if (!m.upload && m.certificateType && !this.d.wallet.available) waived.push(m.key);
      else errs.push({ path: `/materials/${m.key}`, message: `${m.name} is required` });
    }
    if (errs.length) throw errors.validation(errs, 'the application is not complete');
    return { values: check.values, materials: [...have], waived };
  }

  private async deadline(promisedDays: number) {
    const start = new Date();
    const dueDate = await this.d.calendar.addWorkingDays(shanghaiDate(start), promisedDays);
    return { start, dueDate, dueAt: endOfShanghaiDay(dueDate) };
  }

  async submit(actor: Actor, id: string): Promise<ApplicationView> {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    if (r.bundleApplicationId && r.state === 'draft') throw errors.conflict('this application is part of a "one thing" bundle; submit the bundle application', { currentState: r.state, bundleApplicationId: r.bundleApplicationId });
    const prepared = await this.prepareSubmit(acting, r);
    return inTransaction(this.db, async (tx) => toView(await this.applySubmit(tx, prepared)));
  }

  /**
   * Checks and reads for a submission, before any transaction: the transition is allowed, the form and the
   * required materials are complete (400 listing every problem), the deadline, and for 秒批 items the rule
   * evaluated on the facts. `acting` is the already resolved actor (applicant, or agent for them).
   */
  async prepareSubmit(acting: Actor, r: AppRow): Promise<PreparedSubmit> {
    if (!canTransition(r.state as State, 'submit')) throw errors.conflict(`cannot submit an application that is ${r.state}`, { currentState: r.state, action: 'submit' });
    const v = await this.versionOf(r);
    const { values, materials, waived } = await this.completeness(r, v);
    const due = await this.deadline(v.promisedDays);
    let outcome: AutoOutcome | null = null;
    if (v.mode === 'auto') {
      const [rule] = await this.db.select().from(svcAutoRules).where(eq(svcAutoRules.itemId, r.itemId));
      const today = shanghaiDate();
      if (rule?.enabled) {
        const facts = await this.d.facts.load({ applicantId: r.applicantId, applicantKind: r.applicantKind, itemId: r.itemId, applicationId: r.id, data: values, materials, today });
        outcome = runRule(rule.rule as AutoRule, facts, today);
      } else {
        outcome = { outcome: 'manual', reason: '该事项尚未配置自动审批规则', ruleDescription: '', evaluatedAt: new Date().toISOString(), trace: [] };
      }
    }
    return { r, acting, values, waived, due, outcome };
  }

  /** The submission itself (and the automatic decision) in the caller's transaction. */
  async applySubmit(tx: Tx, p: PreparedSubmit): Promise<AppRow> {
    const { r, acting, values, waived, due, outcome } = p;
    let cur = await this.lock(tx, r.id);
    cur = await this.transition(tx, acting, cur, 'submit', waived.length ? `免提交（由部门核验）：${waived.join(', ')}` : null, {
      data: values,
      submittedAt: due.start,
      clockStartedAt: due.start,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      auto: outcome,
    });
    await this.d.catalogue.bumpPopularity(tx, r.itemId);
    if (outcome?.outcome === 'approved') {
      const system = { ...systemActor('auto-approval'), displayName: '自动审批（秒批）', onBehalfOf: `rule:${r.itemCode}@v${r.itemVersion}` };
      const document = decisionDocument(cur, outcome);
      cur = await this.transition(tx, system, cur, 'auto_approve', outcome.reason, { decidedAt: new Date(), decision: document });
    } else if (outcome) {
      await recordAudit(tx, systemActor('auto-approval'), { action: 'svc.application.auto_fallback', entityType: 'svc_application', entityId: r.id, orgId: r.ownerOrgId, note: { reason: outcome.reason } });
    }
    return cur;
  }

  async resubmit(actor: Actor, id: string): Promise<ApplicationView> {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    if (!canTransition(r.state as State, 'resubmit')) throw errors.conflict(`cannot resubmit an application that is ${r.state}`, { currentState: r.state, action: 'resubmit' });
    const v = await this.versionOf(r);
    const { values } = await this.completeness(r, v);
    const due = await this.deadline(v.promisedDays);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      return toView(await this.transition(tx, acting, cur, 'resubmit', null, { data: values, clockStartedAt: due.start, dueDate: due.dueDate, dueAt: due.dueAt }));
    });
  }

  async withdraw(actor: Actor, id: string, reason: string | null): Promise<ApplicationView> {
    const r = await this.row(id);
    const acting = await this.applicantActor(actor, r);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      return toView(await this.transition(tx, acting, cur, 'withdraw', reason));
    });
  }

  async rate(actor: Actor, id: string, input: { score: number; comment?: string }) {
    const r = await this.row(id);
    if (actor.userId !== r.applicantId && actor.userId !== r.agentId) throw errors.notFound('application');
    const acting = await this.applicantActor(actor, r);
    if (r.state !== 'completed') throw errors.conflict(`an application can be rated once it is completed; it is ${r.state}`, { currentState: r.state });
    return inTransaction(this.db, async (tx) => {
      const inserted = await tx.insert(svcRatings).values({ applicationId: id, applicantId: r.applicantId, ownerOrgId: r.ownerOrgId, score: input.score, comment: input.comment ?? '' }).onConflictDoNothing().returning();
      if (!inserted.length) throw errors.conflict('this application has already been rated');
      await recordAudit(tx, acting, { action: 'svc.application.rate', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, after: { score: input.score } });
      return { applicationId: id, score: input.score, comment: input.comment ?? '' };
    });
  }

  // ---- staff side -------------------------------------------------------------------------------------

  async worklist(actor: Actor, f: { state?: State; itemId?: string; bundleApplicationId?: string; overdue?: boolean; claimed?: 'me' | 'unclaimed'; limit: number; offset: number }): Promise<Page<ApplicationView> & { overdueCount: number }> {
    const scope = await this.staffScope(actor);
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
    const items = await this.db.select().from(svcApplications).where(where).orderBy(asc(svcApplications.dueAt), asc(svcApplications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(svcApplications).where(where);
    const [{ o }] = await this.db.select({ o: sql<number>`count(*)::int` }).from(svcApplications).where(and(...base, overdueCond));
    return { items: items.map(toView), total: n, limit: f.limit, offset: f.offset, overdueCount: o };
  }

  async claim(actor: Actor, id: string, claim: boolean): Promise<ApplicationView> {
    await this.staffRow(actor, id);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
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
    await this.staffRow(actor, id);
    return inTransaction(this.db, async (tx) => {
      const cur = await this.lock(tx, id);
      if (cur.claimedBy && cur.claimedBy !== actor.userId) throw errors.conflict(`claimed by ${cur.claimedByName}`, { claimedBy: cur.claimedBy, currentState: cur.state });
      const now = new Date();
      const patch: Partial<typeof svcApplications.$inferInsert> = {};
      if (action === 'approve' || action === 'reject') {
        patch.decidedAt = now;
        patch.decision = { kind: 'officer', decision: action === 'approve' ? 'approved' : 'rejected', by: actor.displayName, reason, decidedAt: now.toISOString(), text: `${action === 'approve' ? '准予' : '不予'}办理：${cur.itemName}${reason ? `。理由：${reason}` : ''}` };
      }
      if (action === 'complete') patch.completedAt = now;
      return toView(await this.transition(tx, actor, cur, action, reason, patch));
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
    const scope = await this.staffScope(actor);
    const where = and(sql`${svcApplications.state} <> 'draft'`, scope ? (scope.length ? inArray(svcApplications.ownerOrgId, scope) : sql`false`) : undefined);
    const rows = await this.db.select({ state: svcApplications.state, dueAt: svcApplications.dueAt, decidedAt: svcApplications.decidedAt, auto: sql<boolean>`(${svcApplications.decision}->>'kind') = 'auto_approval'` }).from(svcApplications).where(where);
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
    const scope = await this.staffScope(actor);
    const rows = await this.db
      .select({ ownerOrgId: svcRatings.ownerOrgId, score: svcRatings.score, n: sql<number>`count(*)::int` })
      .from(svcRatings)
      .where(scope ? (scope.length ? inArray(svcRatings.ownerOrgId, scope) : sql`false`) : undefined)
      .groupBy(svcRatings.ownerOrgId, svcRatings.score);
    const orgs = await this.d.orgs.namesOf(rows.map((r) => r.ownerOrgId));
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
    await this.d.catalogue.get(actor, itemId); // svc.item.read in the owner's scope
    const [r] = await this.db.select().from(svcAutoRules).where(eq(svcAutoRules.itemId, itemId));
    if (!r) throw errors.notFound('automatic-approval rule');
    return { itemId, rule: r.rule as AutoRule, enabled: r.enabled, updatedAt: r.updatedAt.toISOString() };
  }

  async setRule(actor: Actor, itemId: string, rule: AutoRule, enabled = true) {
    requirePermission(actor, 'svc.item.write');
    const item = await this.d.catalogue.get(actor, itemId);
    const problems = autoRuleProblems(rule);
    if (problems.length) throw errors.validation(problems.map((p) => ({ path: `/body/rule${p.split(':')[0]}`, message: p })));
    return inTransaction(this.db, async (tx) => this.writeRule(tx, actor, itemId, item.owner?.id ?? null, rule, enabled));
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

  // ---- notifications -----------------------------------------------------------------------------------

  /** The signed-in person's notices (the platform's inbox; every module notifies through it). */
  notifications(actor: Actor, f: { unread?: boolean; limit: number; offset: number }) {
    return this.inbox.list(actor, f);
  }

  markRead(actor: Actor, id: string | 'all'): Promise<{ updated: number }> {
    return this.inbox.markRead(actor, id);
  }

  // ---- proxy authorisations (亲友代办): A requests, B confirms -----------------------------------------

  async requestProxy(actor: Actor, input: { principal: string; relation: string; itemIds?: string[]; expiresAt: string }) {
    if (!actor.userId || actor.kind !== 'citizen') throw errors.forbidden('only citizens act for relatives');
    const expires = new Date(input.expiresAt);
    if (!(expires.getTime() > Date.now())) throw errors.field('/body/expiresAt', 'must be in the future');
    if (expires.getTime() > Date.now() + 5 * 366 * 86400_000) throw errors.field('/body/expiresAt', 'at most five years ahead');
    const p = input.principal.trim();
    const row = /^\d{17}[\dXx]$/.test(p) ? await this.d.auth.findByIdNumber(p.toUpperCase()) : await this.d.auth.findByUsername(p);
    if (!row || row.kind !== 'citizen') throw errors.field('/body/principal', 'no citizen with that username or ID number');
    if (row.id === actor.userId) throw errors.field('/body/principal', 'you cannot authorise yourself');
    return inTransaction(this.db, async (tx) => {
      const [g] = await tx.insert(svcProxyGrants).values({ principalId: row.id, agentId: actor.userId!, relation: input.relation, itemIds: input.itemIds?.length ? input.itemIds : null, expiresAt: expires }).returning();
      await recordAudit(tx, actor, { action: 'svc.proxy.request', entityType: 'svc_proxy_grant', entityId: g.id, after: { principal: row.id, relation: input.relation, items: input.itemIds ?? 'all', expiresAt: expires.toISOString() } });
      await this.d.notifier.notify(tx, { userId: row.id, kind: 'proxy.request', title: '亲友代办授权待您确认', body: `${actor.displayName}（${input.relation}）申请为您代办政务服务事项，请确认或拒绝。` });
      return grantView(g);
    });
  }

  async proxyGrants(actor: Actor) {
    if (!actor.userId) throw errors.forbidden();
    const rows = await this.db.select().from(svcProxyGrants).where(or(eq(svcProxyGrants.agentId, actor.userId), eq(svcProxyGrants.principalId, actor.userId))).orderBy(desc(svcProxyGrants.createdAt));
    // Each side sees who the other is: the person asked must know who wants to act for them.
    const names = await this.d.auth.displayNames(rows.flatMap((g) => [g.principalId, g.agentId]));
    return { items: rows.map((g) => ({ ...grantView(g), principalName: names.get(g.principalId) ?? null, agentName: names.get(g.agentId) ?? null })) };
  }

  async decideProxy(actor: Actor, id: string, decision: 'confirm' | 'decline' | 'revoke') {
    if (!actor.userId) throw errors.forbidden();
    return inTransaction(this.db, async (tx) => {
      const [g] = await tx.select().from(svcProxyGrants).where(eq(svcProxyGrants.id, id)).for('update');
      if (!g || (g.principalId !== actor.userId && g.agentId !== actor.userId)) throw errors.notFound('authorisation');
      if (decision !== 'revoke' && g.principalId !== actor.userId) throw errors.forbidden('only the person being represented confirms or declines');
      const allowed = decision === 'revoke' ? ['pending', 'active'] : ['pending'];
      if (!allowed.includes(g.status)) throw errors.conflict(`the authorisation is ${g.status}`, { currentState: g.status });
      const status = decision === 'confirm' ? 'active' : decision === 'decline' ? 'declined' : 'revoked';
      const [next] = await tx
        .update(svcProxyGrants)
        .set({ status, ...(decision === 'confirm' ? { confirmedAt: new Date() } : { revokedAt: new Date() }) })
        .where(eq(svcProxyGrants.id, id))
        .returning();
      await recordAudit(tx, actor, { action: `svc.proxy.${decision}`, entityType: 'svc_proxy_grant', entityId: id, before: { status: g.status }, after: { status } });
      const other = actor.userId === g.principalId ? g.agentId : g.principalId;
      await this.d.notifier.notify(tx, { userId: other, kind: `proxy.${decision}`, title: `亲友代办授权已${decision === 'confirm' ? '确认' : decision === 'decline' ? '拒绝' : '撤销'}`, body: `${actor.displayName} ${decision === 'confirm' ? '确认了' : decision === 'decline' ? '拒绝了' : '撤销了'}代办授权。` });
      return grantView(next);
    });
  }
}

function grantView(g: typeof svcProxyGrants.$inferSelect) {
  const expired = g.expiresAt.getTime() <= Date.now();
  return {
    id: g.id,
    principalId: g.principalId,
    agentId: g.agentId,
    relation: g.relation,
    itemIds: g.itemIds,
    scope: g.itemIds ? 'items' : 'all',
    expiresAt: g.expiresAt.toISOString(),
    status: g.status === 'active' && expired ? 'expired' : g.status,
    createdAt: g.createdAt.toISOString(),
    confirmedAt: iso(g.confirmedAt),
    revokedAt: iso(g.revokedAt),
  };
}

