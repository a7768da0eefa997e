// Submission: completeness (form and required materials), the deadline in working days, automatic
// approval (秒批) for auto items; resubmission after a correction, withdrawal, and the rating afterwards.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { errors, type FieldError } from '../../../platform/http/problem';
import { validateFormValues } from '../form';
import { type AutoOutcome, type AutoRule, decisionDocument, runRule } from './auto';
import { svcAutoRules, svcRatings } from './applications.schema';
import { canTransition, type State } from './states';
import { type ApplicationCore, type ApplicationView, type AppRow, type ItemVersion, type PreparedSubmit, toView } from './applications.core';

const endOfShanghaiDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`);

export class ApplicationSubmission {
  constructor(private readonly core: ApplicationCore) {}

  /** Full form check and required materials; certificate-only materials are waived only while no wallet exists (with one they come through it). */
  private async completeness(r: AppRow, v: ItemVersion): Promise<{ values: Record<string, unknown>; materials: string[]; waived: string[] }> {
    const check = validateFormValues(v.form, r.data as Record<string, unknown>, '/data');
    const have = new Set((await this.core.materialRows(r.id)).map((m) => m.materialKey));
    const errs: FieldError[] = [...check.errors];
    const waived: string[] = [];
    for (const m of v.materials) {
      if (!m.required || have.has(m.key)) continue;
      if (!m.upload && m.certificateType && !this.core.d.wallet.available) waived.push(m.key);
      else errs.push({ path: `/materials/${m.key}`, message: `${m.name} is required` });
    }
    if (errs.length) throw errors.validation(errs, 'the application is not complete');
    return { values: check.values, materials: [...have], waived };
  }

  private async deadline(promisedDays: number) {
    const start = new Date();
    const dueDate = await this.core.d.calendar.addWorkingDays(shanghaiDate(start), promisedDays);
    return { start, dueDate, dueAt: endOfShanghaiDay(dueDate) };
  }

  async submit(actor: Actor, id: string): Promise<ApplicationView> {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    if (r.bundleApplicationId && r.state === 'draft') throw errors.conflict('this application is part of a "one thing" bundle; submit the bundle application', { currentState: r.state, bundleApplicationId: r.bundleApplicationId });
    const prepared = await this.prepareSubmit(acting, r);
    return inTransaction(this.core.db, async (tx) => toView(await this.applySubmit(tx, prepared)));
  }

  /**
   * Checks and reads for a submission, before any transaction: the transition is allowed, the form and the
   * required materials are complete (400 listing every problem), the deadline, and for 秒批 items the rule
   * evaluated on the facts. `acting` is the already resolved actor (applicant, or agent for them).
   */
  async prepareSubmit(acting: Actor, r: AppRow): Promise<PreparedSubmit> {
    if (!canTransition(r.state as State, 'submit')) throw errors.conflict(`cannot submit an application that is ${r.state}`, { currentState: r.state, action: 'submit' });
    const v = await this.core.versionOf(r);
    const { values, materials, waived } = await this.completeness(r, v);
    const due = await this.deadline(v.promisedDays);
    let outcome: AutoOutcome | null = null;
    if (v.mode === 'auto') {
      const [rule] = await this.core.db.select().from(svcAutoRules).where(eq(svcAutoRules.itemId, r.itemId));
      const today = shanghaiDate();
      if (rule?.enabled) {
        const facts = await this.core.d.facts.load({ applicantId: r.applicantId, applicantKind: r.applicantKind, itemId: r.itemId, applicationId: r.id, data: values, materials, today });
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
    let cur = await this.core.lock(tx, r.id);
    cur = await this.core.transition(tx, acting, cur, 'submit', waived.length ? `免提交（由部门核验）：${waived.join(', ')}` : null, {
      data: values,
      submittedAt: due.start,
      clockStartedAt: due.start,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      auto: outcome,
    });
    await this.core.d.catalogue.bumpPopularity(tx, r.itemId);
    if (outcome?.outcome === 'approved') {
      const system = { ...systemActor('auto-approval'), displayName: '自动审批（秒批）', onBehalfOf: `rule:${r.itemCode}@v${r.itemVersion}` };
      const document = decisionDocument(cur, outcome);
      cur = await this.core.transition(tx, system, cur, 'auto_approve', outcome.reason, { decidedAt: new Date(), decision: document });
    } else if (outcome) {
      await recordAudit(tx, systemActor('auto-approval'), { action: 'svc.application.auto_fallback', entityType: 'svc_application', entityId: r.id, orgId: r.ownerOrgId, note: { reason: outcome.reason } });
    }
    return cur;
  }

  async resubmit(actor: Actor, id: string): Promise<ApplicationView> {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    if (!canTransition(r.state as State, 'resubmit')) throw errors.conflict(`cannot resubmit an application that is ${r.state}`, { currentState: r.state, action: 'resubmit' });
    const v = await this.core.versionOf(r);
    const { values } = await this.completeness(r, v);
    const due = await this.deadline(v.promisedDays);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      return toView(await this.core.transition(tx, acting, cur, 'resubmit', null, { data: values, clockStartedAt: due.start, dueDate: due.dueDate, dueAt: due.dueAt }));
    });
  }

  async withdraw(actor: Actor, id: string, reason: string | null): Promise<ApplicationView> {
    const r = await this.core.row(id);
    const acting = await this.core.applicantActor(actor, r);
    return inTransaction(this.core.db, async (tx) => {
      const cur = await this.core.lock(tx, id);
      return toView(await this.core.transition(tx, acting, cur, 'withdraw', reason));
    });
  }

  async rate(actor: Actor, id: string, input: { score: number; comment?: string }) {
    const r = await this.core.row(id);
    if (actor.userId !== r.applicantId && actor.userId !== r.agentId) throw errors.notFound('application');
    const acting = await this.core.applicantActor(actor, r);
    if (r.state !== 'completed') throw errors.conflict(`an application can be rated once it is completed; it is ${r.state}`, { currentState: r.state });
    return inTransaction(this.core.db, async (tx) => {
      const inserted = await tx.insert(svcRatings).values({ applicationId: id, applicantId: r.applicantId, ownerOrgId: r.ownerOrgId, score: input.score, comment: input.comment ?? '' }).onConflictDoNothing().returning();
      if (!inserted.length) throw errors.conflict('this application has already been rated');
      await recordAudit(tx, acting, { action: 'svc.application.rate', entityType: 'svc_application', entityId: id, orgId: r.ownerOrgId, after: { score: input.score } });
      return { applicationId: id, score: input.score, comment: input.comment ?? '' };
    });
  }
}
