// The decisions on a request: the bureau's compliance check, the provider's answer (recorded by the bureau
// for an upstream provider), the bureau's core-grade approval, and the final approval that creates the
// gateway grant in the same transaction.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { RowFilter } from '../contracts';
import { SHARE } from '../share.permissions';
import type { ResourceInfo } from './directory';
import type { RequestCore } from './requests.core';
import type { AnswerInput, Opts, RequestRow, StepKind } from './requests.model';
import { shareRequests } from './requests.schema';

export class RequestDecisions {
  constructor(private readonly core: RequestCore) {}

  private get deps() {
    return this.core.deps;
  }

  private get db() {
    return this.core.deps.db;
  }

  private get directory() {
    return this.core.directory;
  }

  // ---- the bureau's compliance check --------------------------------------------------------------------

  async compliance(actor: Actor, id: string, input: { decision: 'pass' | 'return'; reason?: string; providerMemberId?: string }, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestReview);
    if (!this.core.isBureau(actor)) throw errors.forbidden('compliance checks are the bureau\'s');
    const now = opts.now ?? new Date();
    const settings = await this.core.settings();
    const r0 = await this.core.load(this.db, id);
    let provider = r0.providerMemberId ? await this.directory.member(r0.providerMemberId) : null;
    if (input.providerMemberId) {
      if (r0.kind !== 'demand') throw errors.field('/body/providerMemberId', 'only a demand is routed to a provider');
      provider = await this.directory.member(input.providerMemberId);
      if (!provider) throw errors.unprocessable('unknown provider', [{ path: '/body/providerMemberId', message: 'not a member' }]);
    }
    if (input.decision === 'pass' && !provider) throw errors.unprocessable('route the demand to a provider first', [{ path: '/body/providerMemberId', message: 'required for a demand without a provider' }]);
    const reason = input.decision === 'return' ? this.core.requireReason(input.reason, 'returning a request') : (input.reason?.trim() || null);
    const cal = await this.deps.calendar.calendar();
    return inTransaction(this.db, async (tx) => {
      const r = await this.core.load(tx, id, true);
      if (r.state !== 'compliance') throw errors.conflict(`the request is ${r.state}, not waiting for the compliance check`);
      const step = (await this.core.openStep(tx, id))!;
      await this.core.closeStep(tx, step, actor, now, input.decision, reason);
      let next: Partial<RequestRow>;
      if (input.decision === 'return') {
        next = { state: 'returned', currentStep: null, decisionReason: reason, updatedAt: now };
        await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'returned', at: now, actor, data: { reason } });
      } else {
        const days = r.needsPublication ? settings.providerDaysUnpublished : settings.providerDaysServable;
        const kind: StepKind = provider!.external ? 'upstream' : 'provider';
        const s = await this.core.startStep(tx, cal, id, kind, provider!.id, days, now);
        next = { state: 'provider', currentStep: kind, providerMemberId: provider!.id, providerLevel: provider!.level, updatedAt: now };
        await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'compliance_pass', at: now, actor, targetMemberId: provider!.id, data: { reason, nextStep: kind, dueDate: s.dueDate } });
      }
      const [u] = await tx.update(shareRequests).set(next).where(eq(shareRequests.id, id)).returning();
      await recordAudit(tx, actor, { action: `share.request.compliance.${input.decision}`, entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: u.state, providerMemberId: u.providerMemberId }, note: reason ? { reason } : undefined });
      return u;
    });
  }

  // ---- the provider's answer ----------------------------------------------------------------------------

  async answer(actor: Actor, id: string, input: AnswerInput, opts: Opts = {}): Promise<RequestRow> {
    const now = opts.now ?? new Date();
    const settings = await this.core.settings();
    const r0 = await this.core.load(this.db, id);
    if (r0.state !== 'provider') throw errors.conflict(`the request is ${r0.state}, not waiting for the provider`);
    const provider = (await this.directory.member(r0.providerMemberId!))!;
    let recordedFrom: { name: string; organisation?: string; answeredAt: string } | null = null;
    if (provider.external) {
      if (!this.core.isBureau(actor)) throw errors.forbidden('the bureau records the answers of upstream providers');
      if (!input.recordedFrom) throw errors.unprocessable('record who answered upstream and when', [{ path: '/body/recordedFrom', message: 'required for an upstream provider' }]);
      const at = new Date(input.recordedFrom.answeredAt);
      if (Number.isNaN(at.getTime()) || at > now || at < r0.submittedAt) throw errors.field('/body/recordedFrom/answeredAt', 'between the submission and now');
      recordedFrom = input.recordedFrom;
    } else {
      requirePermission(actor, SHARE.requestAnswer);
      if (!(await this.core.actsFor(actor, SHARE.requestAnswer, provider))) throw errors.forbidden('only the provider answers this request');
      if (input.recordedFrom) throw errors.field('/body/recordedFrom', 'only for upstream providers');
    }
    // The provider's answer counts from when it was given: for an upstream answer, when the province answered.
    const answeredAt = recordedFrom ? new Date(recordedFrom.answeredAt) : now;
    let reason: string | null = input.reason?.trim() || null;
    let resource: ResourceInfo | null = null;
    let fields: string[] = [];
    let filter: RowFilter = (r0.rowFilter as RowFilter) ?? [];
    if (input.decision === 'refuse') reason = this.core.requireReason(input.reason, 'a refusal');
    else {
      const resourceId = r0.resourceId ?? input.resourceId;
      if (!resourceId) throw errors.unprocessable('name the resource that answers the demand', [{ path: '/body/resourceId', message: 'required when approving a demand' }]);
      if (r0.resourceId && input.resourceId && input.resourceId !== r0.resourceId) throw errors.field('/body/resourceId', 'the request is for another resource');
      resource = await this.directory.resource(resourceId);
      if (!resource) throw errors.unprocessable('unknown resource', [{ path: '/body/resourceId', message: 'not in the catalogue' }]);
      if (resource.providerMemberId !== provider.id) throw errors.unprocessable('the resource belongs to another provider', [{ path: '/body/resourceId', message: 'not this provider\'s resource' }]);
      if (resource.state !== 'published') throw errors.unprocessable('publish the resource before approving', [{ path: '/body/resourceId', message: `the resource is ${resource.state}` }]);
      fields = input.fields?.length ? input.fields : r0.fields;
      const asked = new Set(r0.fields);
      const beyond = fields.map((f, i) => ({ f, i })).filter(({ f }) => !asked.has(f));
      if (r0.kind === 'resource' && beyond.length) throw errors.unprocessable('approve no more fields than were asked for', beyond.map(({ f, i }) => ({ path: `/body/fields/${i}`, message: `${f} was not requested` })));
      this.core.validateFields(resource, fields, '/body/fields');
      if (input.rowFilter) filter = input.rowFilter;
      this.core.validateFilter(resource, filter, '/body/rowFilter');
      (input.clearFields ?? []).forEach((f, i) => {
        if (!fields.includes(f)) throw errors.unprocessable('clear fields must be approved fields', [{ path: `/body/clearFields/${i}`, message: `${f} is not approved` }]);
      });
      if (input.expiresAt && !(new Date(input.expiresAt) > now)) throw errors.field('/body/expiresAt', 'must be in the future');
    }
    const cal = await this.deps.calendar.calendar();
    const answerDays = cal.workingDaysBetween(shanghaiDate(r0.submittedAt), shanghaiDate(answeredAt));
    const bureau = resource?.grade === 'core' ? await this.core.bureauMember(settings) : null;
    return inTransaction(this.db, async (tx) => {
      const r = await this.core.load(tx, id, true);
      if (r.state !== 'provider') throw errors.conflict(`the request is ${r.state}, not waiting for the provider`);
      const step = (await this.core.openStep(tx, id))!;
      await this.core.closeStep(tx, step, actor, answeredAt, input.decision, reason, recordedFrom);
      const base = { answeredAt, answerDays, updatedAt: now, decisionReason: reason };
      let u: RequestRow;
      if (input.decision === 'refuse') {
        [u] = await tx.update(shareRequests).set({ ...base, state: 'refused', currentStep: null, closedAt: now }).where(eq(shareRequests.id, id)).returning();
        await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'refused', at: now, actor, data: { reason, by: 'provider', recordedFrom } });
      } else {
        const terms = {
          quotaPerDay: input.quotaPerDay ?? settings.defaultQuotaPerDay,
          ratePerMinute: input.ratePerMinute ?? settings.defaultRatePerMinute,
          expiresAt: input.expiresAt ?? new Date(now.getTime() + settings.defaultGrantDays * 86_400_000).toISOString(),
          clearFields: input.clearFields ?? [],
        };
        const set = { ...base, resourceId: resource!.id, approvedFields: fields, rowFilter: filter, terms };
        await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'answered', at: now, actor, data: { decision: 'approve', fields, recordedFrom } });
        if (bureau) {
          const s = await this.core.startStep(tx, cal, id, 'core_approval', bureau.id, settings.coreApprovalDays, now);
          [u] = await tx.update(shareRequests).set({ ...set, state: 'core_approval', currentStep: 'core_approval' }).where(eq(shareRequests.id, id)).returning();
          await this.core.event(tx, { requestId: id, stepId: s.id, kind: 'core_review', at: now, actor, targetMemberId: bureau.id, data: { dueDate: s.dueDate } });
        } else {
          [u] = await tx.update(shareRequests).set(set).where(eq(shareRequests.id, id)).returning();
          u = await this.approve(tx, actor, u, now);
        }
      }
      await recordAudit(tx, actor, {
        action: `share.request.answer.${input.decision}`,
        entityType: 'share_request',
        entityId: id,
        orgId: provider.orgId,
        before: { state: r.state },
        after: { state: u.state, approvedFields: u.approvedFields, grantId: u.grantId },
        note: { reason, recordedFrom, answerDays },
      });
      return u;
    });
  }

  /** Final approval: the grant is created in the caller's transaction. */
  private async approve(tx: Tx, actor: Actor, r: RequestRow, now: Date): Promise<RequestRow> {
    const terms = r.terms as { quotaPerDay: number; ratePerMinute: number; expiresAt: string; clearFields?: string[] };
    const grant = await this.core.grants.createGrant(
      tx,
      {
        requestId: r.id,
        consumerSubsystemId: r.consumerSubsystemId,
        resourceId: r.resourceId!,
        fields: r.approvedFields ?? r.fields,
        clearFields: terms.clearFields ?? [],
        rowFilter: (r.rowFilter as RowFilter) ?? [],
        purpose: r.purpose,
        quotaPerDay: terms.quotaPerDay,
        ratePerMinute: terms.ratePerMinute,
        expiresAt: new Date(terms.expiresAt),
      },
      actor.userId,
    );
    const [u] = await tx.update(shareRequests).set({ state: 'approved', currentStep: null, grantId: grant.id, closedAt: now, updatedAt: now }).where(eq(shareRequests.id, r.id)).returning();
    await this.core.event(tx, { requestId: r.id, kind: 'approved', at: now, actor, data: { grantId: grant.id, fields: u.approvedFields } });
    return u;
  }

  // ---- core-grade approval ------------------------------------------------------------------------------

  async coreApproval(actor: Actor, id: string, input: { decision: 'approve' | 'refuse'; reason?: string }, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestReview);
    if (!this.core.isBureau(actor)) throw errors.forbidden('core-grade approval is the bureau\'s');
    const now = opts.now ?? new Date();
    const reason = input.decision === 'refuse' ? this.core.requireReason(input.reason, 'a refusal') : (input.reason?.trim() || null);
    return inTransaction(this.db, async (tx) => {
      const r = await this.core.load(tx, id, true);
      if (r.state !== 'core_approval') throw errors.conflict(`the request is ${r.state}, not waiting for core-grade approval`);
      const step = (await this.core.openStep(tx, id))!;
      await this.core.closeStep(tx, step, actor, now, input.decision, reason);
      let u: RequestRow;
      if (input.decision === 'refuse') {
        [u] = await tx.update(shareRequests).set({ state: 'refused', currentStep: null, decisionReason: reason, closedAt: now, updatedAt: now }).where(eq(shareRequests.id, id)).returning();
        await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'refused', at: now, actor, data: { reason, by: 'bureau' } });
      } else u = await this.approve(tx, actor, r, now);
      await recordAudit(tx, actor, { action: `share.request.core.${input.decision}`, entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: u.state, grantId: u.grantId }, note: reason ? { reason } : undefined });
      return u;
    });
  }
}
