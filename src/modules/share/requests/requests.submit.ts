// The consumer's side: submitting a request or a demand (to the bureau's compliance check), resubmitting a
// returned one, withdrawing an open or returned one.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import type { MemberInfo, ResourceInfo } from './directory';
import type { RequestCore } from './requests.core';
import { OPEN_STATES, type Opts, type RequestRow, type SubmitInput } from './requests.model';
import { shareRequests } from './requests.schema';

export class RequestSubmissions {
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

  async submit(actor: Actor, input: SubmitInput, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const sub = await this.directory.subsystem(input.consumerSubsystemId);
    if (!sub) throw errors.unprocessable('unknown subsystem', [{ path: '/body/consumerSubsystemId', message: 'not a registered subsystem' }]);
    const consumer = await this.directory.member(sub.memberId);
    if (!(await this.core.actsFor(actor, SHARE.requestCreate, consumer)) && !this.core.isBureau(actor)) throw errors.forbidden('the subsystem belongs to another member');
    if (!input.scenario.trim()) throw errors.field('/body/scenario', 'required');
    if (!input.fields.length) throw errors.field('/body/fields', 'at least one field');

    let resource: ResourceInfo | null = null;
    let provider: MemberInfo | null = null;
    let needsPublication = true;
    if (input.kind === 'resource') {
      if (!input.resourceId) throw errors.field('/body/resourceId', 'required for a resource request');
      resource = await this.directory.resource(input.resourceId);
      if (!resource || resource.state === 'retired') throw errors.unprocessable('unknown or retired resource', [{ path: '/body/resourceId', message: 'not a resource in the catalogue' }]);
      this.core.validateFields(resource, input.fields, '/body/fields');
      this.core.validateFilter(resource, input.rowFilter ?? [], '/body/rowFilter');
      provider = await this.directory.member(resource.providerMemberId);
      needsPublication = !resource.servable;
      if (provider && provider.id === consumer!.id) throw errors.unprocessable('a member does not request its own resource', [{ path: '/body/resourceId', message: 'your own resource' }]);
    } else {
      if (!input.demandTitle?.trim()) throw errors.field('/body/demandTitle', 'required for a demand');
      if (input.providerMemberId) {
        provider = await this.directory.member(input.providerMemberId);
        if (!provider) throw errors.unprocessable('unknown provider', [{ path: '/body/providerMemberId', message: 'not a member' }]);
      }
    }
    const settings = await this.core.settings();
    const bureau = await this.core.bureauMember(settings);
    const cal = await this.deps.calendar.calendar();
    return inTransaction(this.db, async (tx) => {
      const [r] = await tx
        .insert(shareRequests)
        .values({
          kind: input.kind,
          resourceId: resource?.id ?? null,
          demandTitle: input.kind === 'demand' ? input.demandTitle!.trim() : null,
          demandDescription: input.kind === 'demand' ? (input.demandDescription ?? null) : null,
          providerMemberId: provider?.id ?? null,
          providerLevel: provider?.level ?? null,
          consumerMemberId: consumer!.id,
          consumerSubsystemId: sub.id,
          scenario: input.scenario.trim(),
          fields: input.fields,
          purpose: input.purpose,
          legalBasis: input.legalBasis,
          rowFilter: input.rowFilter ?? [],
          state: 'compliance',
          currentStep: 'compliance',
          needsPublication,
          createdBy: actor.userId,
          submittedAt: now,
          updatedAt: now,
        })
        .returning();
      const step = await this.core.startStep(tx, cal, r.id, 'compliance', bureau.id, settings.complianceDays, now);
      await this.core.event(tx, { requestId: r.id, stepId: step.id, kind: 'submitted', at: now, actor, data: { dueDate: step.dueDate } });
      await recordAudit(tx, actor, { action: 'share.request.submit', entityType: 'share_request', entityId: r.id, orgId: consumer!.orgId, after: { kind: r.kind, resourceId: r.resourceId, scenario: r.scenario, fields: r.fields } });
      return r;
    });
  }

  /** The consumer resubmits a returned request, optionally with changes. */
  async resubmit(actor: Actor, id: string, patch: Partial<Pick<SubmitInput, 'fields' | 'purpose' | 'legalBasis' | 'rowFilter' | 'scenario'>>, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const r0 = await this.core.load(this.db, id);
    if (!(await this.core.actsFor(actor, SHARE.requestCreate, await this.directory.member(r0.consumerMemberId)))) throw errors.forbidden('only the consumer resubmits its request');
    if (r0.resourceId && (patch.fields || patch.rowFilter)) {
      const res = (await this.directory.resource(r0.resourceId))!;
      if (patch.fields) this.core.validateFields(res, patch.fields, '/body/fields');
      if (patch.rowFilter) this.core.validateFilter(res, patch.rowFilter, '/body/rowFilter');
    }
    const settings = await this.core.settings();
    const bureau = await this.core.bureauMember(settings);
    const cal = await this.deps.calendar.calendar();
    return inTransaction(this.db, async (tx) => {
      const r = await this.core.load(tx, id, true);
      if (r.state !== 'returned') throw errors.conflict(`a ${r.state} request cannot be resubmitted`);
      const [u] = await tx
        .update(shareRequests)
        .set({ ...patch, scenario: patch.scenario?.trim() ?? r.scenario, state: 'compliance', currentStep: 'compliance', submittedAt: now, updatedAt: now, decisionReason: null, closedAt: null })
        .where(eq(shareRequests.id, id))
        .returning();
      const step = await this.core.startStep(tx, cal, id, 'compliance', bureau.id, settings.complianceDays, now);
      await this.core.event(tx, { requestId: id, stepId: step.id, kind: 'resubmitted', at: now, actor, data: { changed: Object.keys(patch) } });
      await recordAudit(tx, actor, { action: 'share.request.resubmit', entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: 'compliance', ...patch } });
      return u;
    });
  }

  // ---- withdrawal ---------------------------------------------------------------------------------------

  async withdraw(actor: Actor, id: string, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const r0 = await this.core.load(this.db, id);
    if (!(await this.core.actsFor(actor, SHARE.requestCreate, await this.directory.member(r0.consumerMemberId)))) throw errors.forbidden('only the consumer withdraws its request');
    return inTransaction(this.db, async (tx) => {
      const r = await this.core.load(tx, id, true);
      if (!([...OPEN_STATES, 'returned'] as string[]).includes(r.state)) throw errors.conflict(`a ${r.state} request cannot be withdrawn`);
      const step = await this.core.openStep(tx, id);
      if (step) await this.core.closeStep(tx, step, actor, now, 'withdrawn', null);
      const [u] = await tx.update(shareRequests).set({ state: 'withdrawn', currentStep: null, closedAt: now, updatedAt: now }).where(eq(shareRequests.id, id)).returning();
      await this.core.event(tx, { requestId: id, stepId: step?.id, kind: 'withdrawn', at: now, actor });
      await recordAudit(tx, actor, { action: 'share.request.withdraw', entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: 'withdrawn' } });
      return u;
    });
  }
}
