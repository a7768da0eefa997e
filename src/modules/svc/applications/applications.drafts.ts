// Reading an application (its history and materials) and the caller's list; starting a draft (alone or
// as a member of a bundle), checking its values, filling its form.
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, can } from '../../../platform/auth/actor';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { validateFormValues } from '../form';
import { svcItems } from '../svc.schema';
import { svcApplicationEvents, svcApplications, svcRatings } from './applications.schema';
import type { ResolvedCertificate } from './ports';
import type { State } from './states';
import { APP, type ApplicationCore, type ApplicationView, type AppRow, type ItemVersion, type PreparedDraft, toView } from './applications.core';

/** One state change of an application, as its detail shows it. */
export interface ApplicationHistoryEntry {
  action: string;
  from: string;
  to: string;
  actor: string;
  actorId: string | null;
  onBehalfOf: string | null;
  reason: string | null;
  at: string;
}

/** An attached material (an upload or an electronic certificate), as the detail shows it. */
export interface ApplicationMaterialView {
  key: string;
  kind: string;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  certificateType: string | null;
  certificateId: string | null;
  certificate: ResolvedCertificate | null;
  at: string;
}

/** The applicant's rating once given (a completed application is rated at most once). */
export interface ApplicationRating {
  score: number;
  comment: string;
  at: string;
}

export type ApplicationDetail = ApplicationView & { history: ApplicationHistoryEntry[]; materials: ApplicationMaterialView[]; rating: ApplicationRating | null };

export class ApplicationDrafts {
  constructor(private readonly core: ApplicationCore) {}

  async get(actor: Actor, id: string): Promise<ApplicationDetail> {
    const r = await this.core.row(id);
    if (can(actor, APP.handle) && actor.kind === 'staff') await this.core.staffRow(actor, id);
    else await this.core.applicantActor(actor, r);
    const history = await this.core.db.select().from(svcApplicationEvents).where(eq(svcApplicationEvents.applicationId, id)).orderBy(asc(svcApplicationEvents.at), asc(svcApplicationEvents.id));
    const materials = await this.core.materialRows(id);
    const [rating] = await this.core.db.select().from(svcRatings).where(eq(svcRatings.applicationId, id));
    return {
      ...toView(r),
      rating: rating ? { score: rating.score, comment: rating.comment, at: rating.createdAt.toISOString() } : null,
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
          certificate: m.kind === 'certificate' && m.certificateId && this.core.d.wallet.describe ? await this.core.d.wallet.describe(r.applicantId, m.certificateId) : null,
          at: m.createdAt.toISOString(),
        })),
      ),
    };
  }

  /** The caller's applications: their own and those they made for someone else. */
  async listMine(actor: Actor, f: { state?: State; limit: number; offset: number }): Promise<Page<ApplicationView>> {
    if (!actor.userId) throw errors.forbidden();
    const conds: SQL[] = [or(eq(svcApplications.applicantId, actor.userId), eq(svcApplications.agentId, actor.userId))!];
    if (f.state) conds.push(eq(svcApplications.state, f.state));
    const where = and(...conds);
    const items = await this.core.db.select().from(svcApplications).where(where).orderBy(desc(svcApplications.createdAt), asc(svcApplications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.core.db.select({ n: sql<number>`count(*)::int` }).from(svcApplications).where(where);
    return { items: items.map(toView), total: n, limit: f.limit, offset: f.offset };
  }

  private async publishedVersion(itemId: string): Promise<ItemVersion> {
    const [it] = await this.core.db.select({ status: svcItems.status, version: svcItems.version }).from(svcItems).where(eq(svcItems.id, itemId));
    if (!it || it.status !== 'published' || !it.version) throw errors.notFound('published service item');
    const v = await this.core.d.catalogue.version(itemId, it.version);
    if (!v) throw errors.notFound('published service item');
    return v;
  }

  async create(actor: Actor, input: { itemId: string; onBehalfOf?: string; data?: Record<string, unknown> }): Promise<ApplicationView> {
    const draft = await this.prepareDraft(actor, input);
    return inTransaction(this.core.db, async (tx) => toView(await this.insertDraft(tx, draft, null)));
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
      if (!(await this.core.activeGrant(actor.userId, input.onBehalfOf, input.itemId))) throw errors.forbidden('you have no valid authorisation to apply for this person (for this item)');
      const b = await this.core.d.auth.getUser(input.onBehalfOf);
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
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    if (r.state !== 'draft' && r.state !== 'correction_requested') throw errors.conflict(`the form can be changed in a draft or while a correction is requested; the application is ${r.state}`, { currentState: r.state });
    const v = await this.core.versionOf(r);
    const values = this.checkDraftData(v, data);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      if (cur.state !== r.state) throw errors.conflict(`the application is now ${cur.state}`, { currentState: cur.state });
      const [next] = await tx.update(svcApplications).set({ data: values, updatedAt: new Date() }).where(eq(svcApplications.id, id)).returning();
      await recordAudit(tx, acting, { action: 'svc.application.update', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, note: { fields: Object.keys(values) } });
      return toView(next);
    });
  }
}
