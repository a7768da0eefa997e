// "One thing" bundle applications (一件事): one shared form, fanned out into one member application per item
// of the bundle, and followed as one. The members are ordinary applications (same workflow, worklist,
// automatic approval) carrying `bundle_application_id`; the bundle's combined state is derived from theirs.
// Creation and submission are all-or-nothing: every member is prepared and checked first (reads only), then
// one transaction writes them all, so a problem in one member leaves nothing written.
import { asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Actor } from '../../../platform/auth/actor';
import { type Db, inTransaction } from '../../../platform/db/client';
import { AppError, errors, type FieldError } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { type FormDefinition, validateFormValues } from '../form';
import type { CatalogueService } from '../svc.service';
import { svcApplications, svcBundleApplications } from './applications.schema';
import type { ApplicationService, AppRow, PreparedDraft, PreparedSubmit } from './applications.service';
import { canTransition, STATE_LABELS, type State, TRANSITIONS } from './states';

type BundleRow = typeof svcBundleApplications.$inferSelect;

export const BUNDLE_STATES = ['draft', 'in_progress', 'correction_requested', 'completed', 'rejected', 'withdrawn'] as const;
export type BundleState = (typeof BUNDLE_STATES)[number];

export const BUNDLE_STATE_LABELS: Record<BundleState, string> = {
  draft: '草稿',
  in_progress: '办理中',
  correction_requested: '待补正',
  completed: '已办结',
  rejected: '未予批准',
  withdrawn: '已撤回',
};

export interface BundleMemberView {
  id: string;
  itemId: string;
  itemCode: string;
  itemName: string;
  state: State;
  stateLabel: string;
}

export interface BundleApplicationView {
  id: string;
  bundleCode: string;
  bundleName: string;
  state: BundleState;
  stateLabel: string;
  applicant: { id: string; name: string; kind: string };
  agentId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  applications: BundleMemberView[];
}

type MemberState = Pick<AppRow, 'state' | 'decision'>;

/** A member's outcome once settled: approved (approved, or completed after an approval), rejected, withdrawn. */
function settled(m: MemberState): 'done' | 'rejected' | 'withdrawn' | null {
  if (m.state === 'approved') return 'done';
  if (m.state === 'rejected') return 'rejected';
  if (m.state === 'withdrawn') return 'withdrawn';
  if (m.state === 'completed') return (m.decision as { decision?: string } | null)?.decision === 'rejected' ? 'rejected' : 'done';
  return null;
}

/**
 * The combined state, from the members': draft while all are drafts; withdrawn when all are withdrawn;
 * correction_requested when any member waits for a correction; once every member is settled, rejected when
 * any was rejected, else completed (members approved or completed; withdrawn ones do not count); otherwise
 * in_progress.
 */
export function bundleState(members: MemberState[]): BundleState {
  if (!members.length || members.every((m) => m.state === 'draft')) return 'draft';
  if (members.every((m) => m.state === 'withdrawn')) return 'withdrawn';
  if (members.some((m) => m.state === 'correction_requested')) return 'correction_requested';
  const outcomes = members.map(settled);
  if (outcomes.every((o) => o !== null)) return outcomes.includes('rejected') ? 'rejected' : 'completed';
  return 'in_progress';
}

/** bundle form values → one member's form values, through the member's fieldMap (bundle key → item key). */
export function mapToMember(values: Record<string, unknown>, fieldMap: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(fieldMap)) if (values[from] !== undefined) out[to] = values[from];
  return out;
}

const problemsOf = (e: unknown): FieldError[] | null => (e instanceof AppError && e.status < 500 && e.status !== 403 && e.status !== 404 ? (e.errors ?? [{ path: '', message: e.message }]) : null);

export class BundleApplicationService {
  constructor(
    private readonly db: Db,
    private readonly applications: ApplicationService,
    private readonly catalogue: CatalogueService,
  ) {}

  // ---- reading ----------------------------------------------------------------------------------------

  private async bundleRow(id: string): Promise<BundleRow> {
    const [b] = await this.db.select().from(svcBundleApplications).where(eq(svcBundleApplications.id, id));
    if (!b) throw errors.notFound('bundle application');
    return b;
  }

  private members(bundleIds: string[]): Promise<AppRow[]> {
    if (!bundleIds.length) return Promise.resolve([]);
    return this.db.select().from(svcApplications).where(inArray(svcApplications.bundleApplicationId, bundleIds)).orderBy(asc(svcApplications.createdAt), asc(svcApplications.id));
  }

  /**
   * Who acts on a bundle: the applicant, or a relative whose active authorisation covers every member item
   * (then acting for the applicant). A stranger gets 404; the agent who made it, without a valid
   * authorisation now, 403.
   */
  private async bundleActor(actor: Actor, b: BundleRow, members: AppRow[]): Promise<Actor> {
    if (actor.userId && actor.userId === b.applicantId) return actor;
    if (actor.userId) {
      let covered = members.length > 0;
      for (const m of members) if (!(await this.applications.activeGrant(actor.userId, b.applicantId, m.itemId))) covered = false;
      if (covered) return { ...actor, onBehalfOf: b.applicantId };
      if (b.agentId === actor.userId) throw errors.forbidden('you have no valid authorisation to act for this applicant');
    }
    throw errors.notFound('bundle application');
  }

  private view(b: BundleRow, members: AppRow[]): BundleApplicationView {
    const state = bundleState(members);
    return {
      id: b.id,
      bundleCode: b.bundleCode,
      bundleName: b.bundleName,
      state,
      stateLabel: BUNDLE_STATE_LABELS[state],
      applicant: { id: b.applicantId, name: b.applicantName, kind: b.applicantKind },
      agentId: b.agentId,
      data: b.data as Record<string, unknown>,
      createdAt: b.createdAt.toISOString(),
      updatedAt: b.updatedAt.toISOString(),
      submittedAt: b.submittedAt ? b.submittedAt.toISOString() : null,
      applications: members.map((m) => ({ id: m.id, itemId: m.itemId, itemCode: m.itemCode, itemName: m.itemName, state: m.state as State, stateLabel: STATE_LABELS[m.state as State] })),
    };
  }

  async get(actor: Actor, id: string): Promise<BundleApplicationView> {
    const b = await this.bundleRow(id);
    const members = await this.members([id]);
    await this.bundleActor(actor, b, members);
    return this.view(b, members);
  }

  /** My bundle applications: my own and those I made for someone else, newest first. */
  async listMine(actor: Actor, f: { limit: number; offset: number }): Promise<Page<BundleApplicationView>> {
    if (!actor.userId) throw errors.forbidden();
    const where = or(eq(svcBundleApplications.applicantId, actor.userId), eq(svcBundleApplications.agentId, actor.userId));
    const rows = await this.db.select().from(svcBundleApplications).where(where).orderBy(desc(svcBundleApplications.createdAt), asc(svcBundleApplications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(svcBundleApplications).where(where);
    const members = await this.members(rows.map((r) => r.id));
    return { items: rows.map((r) => this.view(r, members.filter((m) => m.bundleApplicationId === r.id))), total: n, limit: f.limit, offset: f.offset };
  }

  // ---- writing ----------------------------------------------------------------------------------------

  /** The bundle form's values as a draft: every problem except a missing required value → 422. */
  private checkBundleData(form: FormDefinition, data: Record<string, unknown>, full: boolean): Record<string, unknown> {
    const check = validateFormValues(form, data, '/data');
    const errs = full ? check.errors : check.errors.filter((e) => e.message !== 'is required');
    if (errs.length) throw errors.unprocessable('the bundle form has invalid values', errs);
    return check.values;
  }

  async create(actor: Actor, input: { bundleCode: string; data: Record<string, unknown>; onBehalfOf?: string }): Promise<BundleApplicationView> {
    if (!actor.userId || (actor.kind !== 'citizen' && actor.kind !== 'enterprise')) throw errors.forbidden('applications are made by citizens and enterprises');
    const bundle = await this.catalogue.bundle(input.bundleCode);
    if (!bundle.items.length) throw errors.unprocessable(`${bundle.name} has no member items`);
    const values = this.checkBundleData(bundle.form as FormDefinition, input.data, false);
    // Prepare every member (authorisation, applicant type, mapped values) before writing anything.
    const drafts: PreparedDraft[] = [];
    const problems: FieldError[] = [];
    for (const [i, m] of bundle.items.entries()) {
      if (m.status !== 'published') {
        problems.push({ path: `/applications/${i}`, message: `${m.name} is not published` });
        continue;
      }
      try {
        drafts.push(await this.applications.prepareDraft(actor, { itemId: m.id, onBehalfOf: input.onBehalfOf, data: mapToMember(values, m.fieldMap) }));
      } catch (e) {
        const p = problemsOf(e);
        if (!p) throw e; // 403 without an authorisation for a member: the whole bundle is refused
        problems.push(...p.map((x) => ({ path: `/applications/${i}${x.path}`, message: `${m.name}: ${x.message}` })));
      }
    }
    if (problems.length) throw errors.unprocessable(`${bundle.name} cannot be started for this applicant`, problems);
    const first = drafts[0];
    return inTransaction(this.db, async (tx) => {
      const [b] = await tx
        .insert(svcBundleApplications)
        .values({ bundleId: bundle.id, bundleCode: bundle.code, bundleName: bundle.name, applicantId: first.applicant.id, applicantKind: first.applicant.kind, applicantName: first.applicant.name, agentId: first.acting.onBehalfOf ? actor.userId : null, data: values })
        .returning();
      const members: AppRow[] = [];
      // Members keep the bundle's order (creation times one millisecond apart; lists sort by them).
      const base = Date.now();
      for (const [i, d] of drafts.entries()) members.push(await this.applications.insertDraft(tx, d, b.id, new Date(base + i)));
      await recordAudit(tx, first.acting, { action: 'svc.bundle_application.create', entityType: 'svc_bundle_application', entityId: b.id, after: { bundle: bundle.code, applications: members.map((m) => m.id) } });
      return this.view(b, members);
    });
  }

  /** Change the shared values while every member is a draft; they are mapped again into each member. */
  async update(actor: Actor, id: string, data: Record<string, unknown>): Promise<BundleApplicationView> {
    const b = await this.bundleRow(id);
    const members = await this.members([id]);
    const acting = await this.bundleActor(actor, b, members);
    if (!members.every((m) => m.state === 'draft')) throw errors.conflict(`the shared form can be changed while every member is a draft; the bundle is ${bundleState(members)}`, { currentState: bundleState(members) });
    const bundle = await this.catalogue.bundle(b.bundleCode);
    const values = this.checkBundleData(bundle.form as FormDefinition, data, false);
    const next: { id: string; data: Record<string, unknown> }[] = [];
    const problems: FieldError[] = [];
    for (const [i, m] of members.entries()) {
      const fieldMap = bundle.items.find((x) => x.id === m.itemId)?.fieldMap ?? {};
      try {
        next.push({ id: m.id, data: this.applications.checkDraftData(await this.applications.versionOf(m), { ...(m.data as Record<string, unknown>), ...mapToMember(values, fieldMap) }) });
      } catch (e) {
        const p = problemsOf(e);
        if (!p) throw e;
        problems.push(...p.map((x) => ({ path: `/applications/${i}${x.path}`, message: `${m.itemName}: ${x.message}` })));
      }
    }
    if (problems.length) throw errors.unprocessable('the values do not fit every member item', problems);
    return inTransaction(this.db, async (tx) => {
      const written: AppRow[] = [];
      for (const n of next) {
        const cur = await this.applications.lock(tx, n.id);
        if (cur.state !== 'draft') throw errors.conflict(`a member is now ${cur.state}`, { currentState: cur.state });
        const [row] = await tx.update(svcApplications).set({ data: n.data, updatedAt: new Date() }).where(eq(svcApplications.id, n.id)).returning();
        written.push(row);
      }
      const [row] = await tx.update(svcBundleApplications).set({ data: values, updatedAt: new Date() }).where(eq(svcBundleApplications.id, id)).returning();
      await recordAudit(tx, acting, { action: 'svc.bundle_application.update', entityType: 'svc_bundle_application', entityId: id, note: { fields: Object.keys(values) } });
      return this.view(row, written);
    });
  }

  /**
   * Submit every member at once. Each member's form and required materials are checked first; if any is
   * incomplete → 422 with the problems of each member (`members`) and nothing is submitted. 秒批 members are
   * decided by their rules as single applications are.
   */
  async submit(actor: Actor, id: string): Promise<BundleApplicationView> {
    const b = await this.bundleRow(id);
    const members = await this.members([id]);
    const acting = await this.bundleActor(actor, b, members);
    const state = bundleState(members);
    if (state !== 'draft' || !members.every((m) => canTransition(m.state as State, 'submit'))) throw errors.conflict(`cannot submit a bundle application that is ${state}`, { currentState: state, action: 'submit' });
    const bundle = await this.catalogue.bundle(b.bundleCode);
    const prepared: PreparedSubmit[] = [];
    const report: { applicationId: string; itemCode: string; itemName: string; errors: FieldError[] }[] = [];
    const shared = validateFormValues(bundle.form as FormDefinition, b.data as Record<string, unknown>, '/data').errors;
    for (const m of members) {
      try {
        prepared.push(await this.applications.prepareSubmit(acting, m));
      } catch (e) {
        const p = problemsOf(e);
        if (!p) throw e;
        report.push({ applicationId: m.id, itemCode: m.itemCode, itemName: m.itemName, errors: p });
      }
    }
    if (shared.length || report.length) {
      const flat = [...shared, ...report.flatMap((r) => r.errors.map((x) => ({ path: `/applications/${members.findIndex((m) => m.id === r.applicationId)}${x.path}`, message: `${r.itemName}: ${x.message}` })))];
      throw new AppError(422, 'unprocessable', 'Cannot process', 'the bundle application is not complete; nothing was submitted', flat, { members: report });
    }
    return inTransaction(this.db, async (tx) => {
      const written: AppRow[] = [];
      for (const p of prepared) written.push(await this.applications.applySubmit(tx, p));
      const [row] = await tx.update(svcBundleApplications).set({ submittedAt: new Date(), updatedAt: new Date() }).where(eq(svcBundleApplications.id, id)).returning();
      await recordAudit(tx, acting, { action: 'svc.bundle_application.submit', entityType: 'svc_bundle_application', entityId: id, note: { applications: written.map((w) => ({ id: w.id, state: w.state })) } });
      return this.view(row, written);
    });
  }

  /** Withdraw every member that can still be withdrawn (before a decision); decided members keep their decision. */
  async withdraw(actor: Actor, id: string, reason: string | null): Promise<BundleApplicationView> {
    const b = await this.bundleRow(id);
    const members = await this.members([id]);
    const acting = await this.bundleActor(actor, b, members);
    const open = members.filter((m) => canTransition(m.state as State, 'withdraw'));
    const state = bundleState(members);
    if (!open.length) throw errors.conflict(`cannot withdraw a bundle application that is ${state}`, { currentState: state, action: 'withdraw', allowedFrom: TRANSITIONS.withdraw.from });
    return inTransaction(this.db, async (tx) => {
      for (const m of open) {
        const cur = await this.applications.lock(tx, m.id);
        if (canTransition(cur.state as State, 'withdraw')) await this.applications.transition(tx, acting, cur, 'withdraw', reason);
      }
      const [row] = await tx.update(svcBundleApplications).set({ withdrawnAt: new Date(), updatedAt: new Date() }).where(eq(svcBundleApplications.id, id)).returning();
      const after = await tx.select().from(svcApplications).where(eq(svcApplications.bundleApplicationId, id)).orderBy(asc(svcApplications.createdAt), asc(svcApplications.id));
      await recordAudit(tx, acting, { action: 'svc.bundle_application.withdraw', entityType: 'svc_bundle_application', entityId: id, before: { state }, after: { state: bundleState(after) }, note: { reason } });
      return this.view(row, after);
    });
  }
}
