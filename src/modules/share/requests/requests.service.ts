// Asking for data: requests and demands, the deadline workflow with escalation, and the dashboard.
//
// A request walks: compliance (the bureau, N working days) → the provider's answer (5 working days when
// the resource is servable, 10 when it must first be published) → core-grade approval by the bureau →
// approved (a gateway grant in the same transaction) | refused | returned (the consumer may resubmit) |
// withdrawn. Upstream providers (province, ministry) are answered through the bureau, which records who
// answered and when; their waiting time is measured like anyone else's.
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, can, canSeeOrgPath, requirePermission, visibility } from '../../../platform/auth/actor';
import { users } from '../../../platform/auth/auth.schema';
import { isValidDate, shanghaiDate, type WorkingCalendar } from '../../../platform/calendar';
import { type DbOrTx, inTransaction, rows, type Tx } from '../../../platform/db/client';
import { appMeta } from '../../../platform/db/meta.schema';
import { AppError, errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import { InAppNotifier, type Notifier } from '../../../platform/notify';
import type { ResourceCatalogue } from '../catalogue';
import type { GrantIssuer, RowFilter } from '../contracts';
import type { ShareDeps } from '../deps';
import type { Gateway } from '../gateway';
import { SHARE } from '../share.permissions';
import { type MemberInfo, type ProviderLevel, type RequestDirectory, type ResourceInfo, tableDirectory } from './directory';
import { shareRequestEvents, shareRequests, shareRequestSteps } from './requests.schema';

export type RequestState = 'compliance' | 'provider' | 'core_approval' | 'approved' | 'refused' | 'returned' | 'withdrawn';
export const OPEN_STATES: RequestState[] = ['compliance', 'provider', 'core_approval'];
export const REQUEST_STATES: RequestState[] = [...OPEN_STATES, 'approved', 'refused', 'returned', 'withdrawn'];
export type StepKind = 'compliance' | 'provider' | 'upstream' | 'core_approval';

/** A refusal or a return must say why in at least this many characters. */
export const REASON_MIN = 5;
const SETTINGS_KEY = 'share.requests.settings';
export const ESCALATION_JOB = 'share.requests.escalate';

export interface RequestSettings {
  complianceDays: number;
  /** Provider's time when the resource is published with a dataset on the platform. */
  providerDaysServable: number;
  /** Provider's time when it must first publish (a draft resource, a demand). */
  providerDaysUnpublished: number;
  coreApprovalDays: number;
  /** Level 2 (the bureau) this many working days after the due date. */
  escalateToBureauAfterDays: number;
  /** Level 3 (the upper level) this many working days after level 2. */
  escalateToUpperAfterDays: number;
  /** The bureau's member (level 2 target, assignee of compliance and core approval); null: the member of org DSJ. */
  bureauMemberId: string | null;
  /** The upper level's member (level 3 target, e.g. 山东省大数据局); null: no level 3. */
  upperMemberId: string | null;
  /** Grant defaults when the provider's answer gives none. */
  defaultQuotaPerDay: number;
  defaultRatePerMinute: number;
  defaultGrantDays: number;
}

export const DEFAULT_SETTINGS: RequestSettings = {
  complianceDays: 2,
  providerDaysServable: 5,
  providerDaysUnpublished: 10,
  coreApprovalDays: 2,
  escalateToBureauAfterDays: 2,
  escalateToUpperAfterDays: 3,
  bureauMemberId: null,
  upperMemberId: null,
  defaultQuotaPerDay: 10_000,
  defaultRatePerMinute: 600,
  defaultGrantDays: 365,
};

export interface SubmitInput {
  kind: 'resource' | 'demand';
  resourceId?: string;
  demandTitle?: string;
  demandDescription?: string;
  providerMemberId?: string;
  consumerSubsystemId: string;
  scenario: string;
  fields: string[];
  purpose: string;
  legalBasis: string;
  rowFilter?: RowFilter;
}

export interface AnswerInput {
  decision: 'approve' | 'refuse';
  fields?: string[];
  /** Personal fields the provider lets through unmasked (a subset of the approved fields; never for core grade). */
  clearFields?: string[];
  reason?: string;
  rowFilter?: RowFilter;
  quotaPerDay?: number;
  ratePerMinute?: number;
  expiresAt?: string;
  /** For a demand: the resource the provider catalogued and published for it. */
  resourceId?: string;
  /** For an upstream provider (recorded by the bureau): who answered there, and when. */
  recordedFrom?: { name: string; organisation?: string; answeredAt: string };
}

export interface ListQuery {
  box?: 'mine' | 'review' | 'provider' | 'all';
  state?: RequestState;
  overdue?: boolean;
  providerMemberId?: string;
  scenario?: string;
  limit: number;
  offset: number;
}

type RequestRow = typeof shareRequests.$inferSelect;
type StepRow = typeof shareRequestSteps.$inferSelect;
type Opts = { now?: Date };

/** The end of a Shanghai calendar date, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

export class ShareRequests {
  readonly notifier: Notifier = new InAppNotifier();
  private directoryImpl: RequestDirectory | null = null;

  constructor(readonly deps: ShareDeps & { catalogue: ResourceCatalogue; gateway: Gateway }) {}

  private get db() {
    return this.deps.db;
  }

  /** The catalogue seen through the port the workflow needs (see ./directory.ts). */
  get directory(): RequestDirectory {
    this.directoryImpl ??= tableDirectory(this.deps.db);
    return this.directoryImpl;
  }

  useDirectory(d: RequestDirectory): void {
    this.directoryImpl = d;
  }

  private get grants(): GrantIssuer {
    return this.deps.gateway;
  }

  // ---- settings -------------------------------------------------------------------------------------------

  async settings(db: DbOrTx = this.db): Promise<RequestSettings> {
    const [r] = await db.select().from(appMeta).where(eq(appMeta.key, SETTINGS_KEY));
    return { ...DEFAULT_SETTINGS, ...((r?.value as Partial<RequestSettings>) ?? {}) };
  }

  async putSettings(actor: Actor, patch: Partial<RequestSettings>): Promise<RequestSettings> {
    requirePermission(actor, SHARE.requestReview);
    if (!visibility(actor, SHARE.requestReview).all) throw errors.forbidden('only the bureau sets the deadlines');
    for (const k of ['bureauMemberId', 'upperMemberId'] as const) {
      const id = patch[k];
      if (id && !(await this.directory.member(id))) throw errors.unprocessable(`${k} is not a known member`, [{ path: `/body/${k}`, message: 'unknown member' }]);
    }
    const before = await this.settings();
    const after = { ...before, ...patch };
    await inTransaction(this.db, async (tx) => {
      await tx.insert(appMeta).values({ key: SETTINGS_KEY, value: after }).onConflictDoUpdate({ target: appMeta.key, set: { value: after, updatedAt: new Date() } });
      await recordAudit(tx, actor, { action: 'share.settings.update', entityType: 'share_settings', before, after });
    });
    return after;
  }

  /** The bureau's member: the configured one, else the member of the organisation coded DSJ. */
  async bureauMember(settings?: RequestSettings): Promise<MemberInfo> {
    const s = settings ?? (await this.settings());
    if (s.bureauMemberId) {
      const m = await this.directory.member(s.bureauMemberId);
      if (m) return m;
    }
    const org = await this.deps.orgs.byCode('DSJ');
    const m = org ? await this.directory.memberOfOrg(org.id) : null;
    if (!m) throw new AppError(500, 'misconfigured', 'No bureau member', 'the bureau (DSJ) is not an exchange member; set bureauMemberId');
    return m;
  }

  // ---- who may see and do what ------------------------------------------------------------------------

  /** The members the actor acts for; `all` for the bureau (city-scoped review) and city-wide readers. */
  private async scope(actor: Actor, permission: string): Promise<{ all: boolean; memberIds: string[] }> {
    const all = visibility(actor, SHARE.requestReview).all || visibility(actor, permission).all;
    const m = actor.orgId ? await this.directory.memberOfOrg(actor.orgId) : null;
    return { all, memberIds: m ? [m.id] : [] };
  }

  /** True when the actor works for the member's organisation (or a unit above it within its grant). */
  private async actsFor(actor: Actor, permission: string, member: MemberInfo | null): Promise<boolean> {
    if (!member?.orgId || !can(actor, permission)) return false;
    const v = visibility(actor, permission);
    if (v.all) return actor.orgId === member.orgId;
    return canSeeOrgPath(v, await this.deps.orgs.pathOf(member.orgId));
  }

  private isBureau(actor: Actor): boolean {
    return can(actor, SHARE.requestReview) && visibility(actor, SHARE.requestReview).all;
  }

  private async load(tx: DbOrTx, id: string, lock = false): Promise<RequestRow> {
    const q = tx.select().from(shareRequests).where(eq(shareRequests.id, id));
    const [r] = lock ? await q.for('update') : await q;
    if (!r) throw errors.notFound(`request ${id}`);
    return r;
  }

  private async openStep(tx: DbOrTx, requestId: string): Promise<StepRow | null> {
    const [s] = await tx
      .select()
      .from(shareRequestSteps)
      .where(and(eq(shareRequestSteps.requestId, requestId), isNull(shareRequestSteps.answeredAt)))
      .orderBy(desc(shareRequestSteps.startedAt))
      .limit(1);
    return s ?? null;
  }

  /** `cal` is loaded before the transaction: nothing inside a transaction may wait for another connection (PGlite has one). */
  private async startStep(tx: Tx, cal: WorkingCalendar, requestId: string, kind: StepKind, assigneeMemberId: string | null, workingDays: number, at: Date): Promise<StepRow> {
    const dueDate = cal.addWorkingDays(shanghaiDate(at), workingDays);
    const [s] = await tx
      .insert(shareRequestSteps)
      .values({ requestId, kind, assigneeMemberId, startedAt: at, dueDate, dueAt: endOfShanghaiDay(dueDate), workingDays })
      .returning();
    return s;
  }

  private async event(tx: Tx, e: { requestId: string; stepId?: string | null; kind: string; at: Date; actor?: Actor | null; targetMemberId?: string | null; data?: Record<string, unknown> }) {
    await tx.insert(shareRequestEvents).values({
      requestId: e.requestId,
      stepId: e.stepId ?? null,
      kind: e.kind,
      at: e.at,
      actorUserId: e.actor?.userId ?? null,
      targetMemberId: e.targetMemberId ?? null,
      data: e.data ?? {},
    });
  }

  private async closeStep(tx: Tx, step: StepRow, actor: Actor, at: Date, outcome: string, reason: string | null, recordedFrom: unknown = null) {
    const [closed] = await tx
      .update(shareRequestSteps)
      .set({ answeredAt: at, outcome, reason, recordedBy: actor.userId, recordedFrom })
      .where(and(eq(shareRequestSteps.id, step.id), isNull(shareRequestSteps.answeredAt)))
      .returning({ id: shareRequestSteps.id });
    if (!closed) throw errors.conflict('the step was answered meanwhile');
  }

  private requireReason(reason: string | undefined, what: string): string {
    const r = (reason ?? '').trim();
    if (r.length < REASON_MIN) throw errors.unprocessable(`${what} needs a reason of at least ${REASON_MIN} characters`, [{ path: '/body/reason', message: `required, at least ${REASON_MIN} characters` }]);
    return r;
  }

  // ---- submitting ---------------------------------------------------------------------------------------

  private validateFields(resource: ResourceInfo, fields: string[], path: string) {
    const known = new Set(resource.items);
    const bad = fields.map((f, i) => ({ f, i })).filter(({ f }) => !known.has(f));
    if (bad.length) throw errors.unprocessable('fields must be data items of the resource', bad.map(({ f, i }) => ({ path: `${path}/${i}`, message: `${f} is not an item of ${resource.code}` })));
    if (new Set(fields).size !== fields.length) throw errors.field(path, 'fields repeat');
  }

  private validateFilter(resource: ResourceInfo, filter: RowFilter, path: string) {
    const known = new Set(resource.items);
    filter.forEach((c, i) => {
      if (!known.has(c.column)) throw errors.unprocessable('row filter columns must be data items of the resource', [{ path: `${path}/${i}/column`, message: `${c.column} is not an item of ${resource.code}` }]);
    });
  }

  async submit(actor: Actor, input: SubmitInput, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const sub = await this.directory.subsystem(input.consumerSubsystemId);
    if (!sub) throw errors.unprocessable('unknown subsystem', [{ path: '/body/consumerSubsystemId', message: 'not a registered subsystem' }]);
    const consumer = await this.directory.member(sub.memberId);
    if (!(await this.actsFor(actor, SHARE.requestCreate, consumer)) && !this.isBureau(actor)) throw errors.forbidden('the subsystem belongs to another member');
    if (!input.scenario.trim()) throw errors.field('/body/scenario', 'required');
    if (!input.fields.length) throw errors.field('/body/fields', 'at least one field');

    let resource: ResourceInfo | null = null;
    let provider: MemberInfo | null = null;
    let needsPublication = true;
    if (input.kind === 'resource') {
      if (!input.resourceId) throw errors.field('/body/resourceId', 'required for a resource request');
      resource = await this.directory.resource(input.resourceId);
      if (!resource || resource.state === 'retired') throw errors.unprocessable('unknown or retired resource', [{ path: '/body/resourceId', message: 'not a resource in the catalogue' }]);
      this.validateFields(resource, input.fields, '/body/fields');
      this.validateFilter(resource, input.rowFilter ?? [], '/body/rowFilter');
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
    const settings = await this.settings();
    const bureau = await this.bureauMember(settings);
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
      const step = await this.startStep(tx, cal, r.id, 'compliance', bureau.id, settings.complianceDays, now);
      await this.event(tx, { requestId: r.id, stepId: step.id, kind: 'submitted', at: now, actor, data: { dueDate: step.dueDate } });
      await recordAudit(tx, actor, { action: 'share.request.submit', entityType: 'share_request', entityId: r.id, orgId: consumer!.orgId, after: { kind: r.kind, resourceId: r.resourceId, scenario: r.scenario, fields: r.fields } });
      return r;
    });
  }

  /** The consumer resubmits a returned request, optionally with changes. */
  async resubmit(actor: Actor, id: string, patch: Partial<Pick<SubmitInput, 'fields' | 'purpose' | 'legalBasis' | 'rowFilter' | 'scenario'>>, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const r0 = await this.load(this.db, id);
    if (!(await this.actsFor(actor, SHARE.requestCreate, await this.directory.member(r0.consumerMemberId)))) throw errors.forbidden('only the consumer resubmits its request');
    if (r0.resourceId && (patch.fields || patch.rowFilter)) {
      const res = (await this.directory.resource(r0.resourceId))!;
      if (patch.fields) this.validateFields(res, patch.fields, '/body/fields');
      if (patch.rowFilter) this.validateFilter(res, patch.rowFilter, '/body/rowFilter');
    }
    const settings = await this.settings();
    const bureau = await this.bureauMember(settings);
    const cal = await this.deps.calendar.calendar();
    return inTransaction(this.db, async (tx) => {
      const r = await this.load(tx, id, true);
      if (r.state !== 'returned') throw errors.conflict(`a ${r.state} request cannot be resubmitted`);
      const [u] = await tx
        .update(shareRequests)
        .set({ ...patch, scenario: patch.scenario?.trim() ?? r.scenario, state: 'compliance', currentStep: 'compliance', submittedAt: now, updatedAt: now, decisionReason: null, closedAt: null })
        .where(eq(shareRequests.id, id))
        .returning();
      const step = await this.startStep(tx, cal, id, 'compliance', bureau.id, settings.complianceDays, now);
      await this.event(tx, { requestId: id, stepId: step.id, kind: 'resubmitted', at: now, actor, data: { changed: Object.keys(patch) } });
      await recordAudit(tx, actor, { action: 'share.request.resubmit', entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: 'compliance', ...patch } });
      return u;
    });
  }

  // ---- the bureau's compliance check --------------------------------------------------------------------

  async compliance(actor: Actor, id: string, input: { decision: 'pass' | 'return'; reason?: string; providerMemberId?: string }, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestReview);
    if (!this.isBureau(actor)) throw errors.forbidden('compliance checks are the bureau\'s');
    const now = opts.now ?? new Date();
    const settings = await this.settings();
    const r0 = await this.load(this.db, id);
    let provider = r0.providerMemberId ? await this.directory.member(r0.providerMemberId) : null;
    if (input.providerMemberId) {
      if (r0.kind !== 'demand') throw errors.field('/body/providerMemberId', 'only a demand is routed to a provider');
      provider = await this.directory.member(input.providerMemberId);
      if (!provider) throw errors.unprocessable('unknown provider', [{ path: '/body/providerMemberId', message: 'not a member' }]);
    }
    if (input.decision === 'pass' && !provider) throw errors.unprocessable('route the demand to a provider first', [{ path: '/body/providerMemberId', message: 'required for a demand without a provider' }]);
    const reason = input.decision === 'return' ? this.requireReason(input.reason, 'returning a request') : (input.reason?.trim() || null);
    const cal = await this.deps.calendar.calendar();
    return inTransaction(this.db, async (tx) => {
      const r = await this.load(tx, id, true);
      if (r.state !== 'compliance') throw errors.conflict(`the request is ${r.state}, not waiting for the compliance check`);
      const step = (await this.openStep(tx, id))!;
      await this.closeStep(tx, step, actor, now, input.decision, reason);
      let next: Partial<RequestRow>;
      if (input.decision === 'return') {
        next = { state: 'returned', currentStep: null, decisionReason: reason, updatedAt: now };
        await this.event(tx, { requestId: id, stepId: step.id, kind: 'returned', at: now, actor, data: { reason } });
      } else {
        const days = r.needsPublication ? settings.providerDaysUnpublished : settings.providerDaysServable;
        const kind: StepKind = provider!.external ? 'upstream' : 'provider';
        const s = await this.startStep(tx, cal, id, kind, provider!.id, days, now);
        next = { state: 'provider', currentStep: kind, providerMemberId: provider!.id, providerLevel: provider!.level, updatedAt: now };
        await this.event(tx, { requestId: id, stepId: step.id, kind: 'compliance_pass', at: now, actor, targetMemberId: provider!.id, data: { reason, nextStep: kind, dueDate: s.dueDate } });
      }
      const [u] = await tx.update(shareRequests).set(next).where(eq(shareRequests.id, id)).returning();
      await recordAudit(tx, actor, { action: `share.request.compliance.${input.decision}`, entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: u.state, providerMemberId: u.providerMemberId }, note: reason ? { reason } : undefined });
      return u;
    });
  }

  // ---- the provider's answer ----------------------------------------------------------------------------

  async answer(actor: Actor, id: string, input: AnswerInput, opts: Opts = {}): Promise<RequestRow> {
    const now = opts.now ?? new Date();
    const settings = await this.settings();
    const r0 = await this.load(this.db, id);
    if (r0.state !== 'provider') throw errors.conflict(`the request is ${r0.state}, not waiting for the provider`);
    const provider = (await this.directory.member(r0.providerMemberId!))!;
    let recordedFrom: { name: string; organisation?: string; answeredAt: string } | null = null;
    if (provider.external) {
      if (!this.isBureau(actor)) throw errors.forbidden('the bureau records the answers of upstream providers');
      if (!input.recordedFrom) throw errors.unprocessable('record who answered upstream and when', [{ path: '/body/recordedFrom', message: 'required for an upstream provider' }]);
      const at = new Date(input.recordedFrom.answeredAt);
      if (Number.isNaN(at.getTime()) || at > now || at < r0.submittedAt) throw errors.field('/body/recordedFrom/answeredAt', 'between the submission and now');
      recordedFrom = input.recordedFrom;
    } else {
      requirePermission(actor, SHARE.requestAnswer);
      if (!(await this.actsFor(actor, SHARE.requestAnswer, provider))) throw errors.forbidden('only the provider answers this request');
      if (input.recordedFrom) throw errors.field('/body/recordedFrom', 'only for upstream providers');
    }
    // The provider's answer counts from when it was given: for an upstream answer, when the province answered.
    const answeredAt = recordedFrom ? new Date(recordedFrom.answeredAt) : now;
    let reason: string | null = input.reason?.trim() || null;
    let resource: ResourceInfo | null = null;
    let fields: string[] = [];
    let filter: RowFilter = (r0.rowFilter as RowFilter) ?? [];
    if (input.decision === 'refuse') reason = this.requireReason(input.reason, 'a refusal');
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
      this.validateFields(resource, fields, '/body/fields');
      if (input.rowFilter) filter = input.rowFilter;
      this.validateFilter(resource, filter, '/body/rowFilter');
      (input.clearFields ?? []).forEach((f, i) => {
        if (!fields.includes(f)) throw errors.unprocessable('clear fields must be approved fields', [{ path: `/body/clearFields/${i}`, message: `${f} is not approved` }]);
      });
      if (input.expiresAt && !(new Date(input.expiresAt) > now)) throw errors.field('/body/expiresAt', 'must be in the future');
    }
    const cal = await this.deps.calendar.calendar();
    const answerDays = cal.workingDaysBetween(shanghaiDate(r0.submittedAt), shanghaiDate(answeredAt));
    const bureau = resource?.grade === 'core' ? await this.bureauMember(settings) : null;
    return inTransaction(this.db, async (tx) => {
      const r = await this.load(tx, id, true);
      if (r.state !== 'provider') throw errors.conflict(`the request is ${r.state}, not waiting for the provider`);
      const step = (await this.openStep(tx, id))!;
      await this.closeStep(tx, step, actor, answeredAt, input.decision, reason, recordedFrom);
      const base = { answeredAt, answerDays, updatedAt: now, decisionReason: reason };
      let u: RequestRow;
      if (input.decision === 'refuse') {
        [u] = await tx.update(shareRequests).set({ ...base, state: 'refused', currentStep: null, closedAt: now }).where(eq(shareRequests.id, id)).returning();
        await this.event(tx, { requestId: id, stepId: step.id, kind: 'refused', at: now, actor, data: { reason, by: 'provider', recordedFrom } });
      } else {
        const terms = {
          quotaPerDay: input.quotaPerDay ?? settings.defaultQuotaPerDay,
          ratePerMinute: input.ratePerMinute ?? settings.defaultRatePerMinute,
          expiresAt: input.expiresAt ?? new Date(now.getTime() + settings.defaultGrantDays * 86_400_000).toISOString(),
          clearFields: input.clearFields ?? [],
        };
        const set = { ...base, resourceId: resource!.id, approvedFields: fields, rowFilter: filter, terms };
        await this.event(tx, { requestId: id, stepId: step.id, kind: 'answered', at: now, actor, data: { decision: 'approve', fields, recordedFrom } });
        if (bureau) {
          const s = await this.startStep(tx, cal, id, 'core_approval', bureau.id, settings.coreApprovalDays, now);
          [u] = await tx.update(shareRequests).set({ ...set, state: 'core_approval', currentStep: 'core_approval' }).where(eq(shareRequests.id, id)).returning();
          await this.event(tx, { requestId: id, stepId: s.id, kind: 'core_review', at: now, actor, targetMemberId: bureau.id, data: { dueDate: s.dueDate } });
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
    const grant = await this.grants.createGrant(
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
    await this.event(tx, { requestId: r.id, kind: 'approved', at: now, actor, data: { grantId: grant.id, fields: u.approvedFields } });
    return u;
  }

  // ---- core-grade approval ------------------------------------------------------------------------------

  async coreApproval(actor: Actor, id: string, input: { decision: 'approve' | 'refuse'; reason?: string }, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestReview);
    if (!this.isBureau(actor)) throw errors.forbidden('core-grade approval is the bureau\'s');
    const now = opts.now ?? new Date();
    const reason = input.decision === 'refuse' ? this.requireReason(input.reason, 'a refusal') : (input.reason?.trim() || null);
    return inTransaction(this.db, async (tx) => {
      const r = await this.load(tx, id, true);
      if (r.state !== 'core_approval') throw errors.conflict(`the request is ${r.state}, not waiting for core-grade approval`);
      const step = (await this.openStep(tx, id))!;
      await this.closeStep(tx, step, actor, now, input.decision, reason);
      let u: RequestRow;
      if (input.decision === 'refuse') {
        [u] = await tx.update(shareRequests).set({ state: 'refused', currentStep: null, decisionReason: reason, closedAt: now, updatedAt: now }).where(eq(shareRequests.id, id)).returning();
        await this.event(tx, { requestId: id, stepId: step.id, kind: 'refused', at: now, actor, data: { reason, by: 'bureau' } });
      } else u = await this.approve(tx, actor, r, now);
      await recordAudit(tx, actor, { action: `share.request.core.${input.decision}`, entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: u.state, grantId: u.grantId }, note: reason ? { reason } : undefined });
      return u;
    });
  }

  // ---- withdrawal ---------------------------------------------------------------------------------------

  async withdraw(actor: Actor, id: string, opts: Opts = {}): Promise<RequestRow> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const r0 = await this.load(this.db, id);
    if (!(await this.actsFor(actor, SHARE.requestCreate, await this.directory.member(r0.consumerMemberId)))) throw errors.forbidden('only the consumer withdraws its request');
    return inTransaction(this.db, async (tx) => {
      const r = await this.load(tx, id, true);
      if (!([...OPEN_STATES, 'returned'] as string[]).includes(r.state)) throw errors.conflict(`a ${r.state} request cannot be withdrawn`);
      const step = await this.openStep(tx, id);
      if (step) await this.closeStep(tx, step, actor, now, 'withdrawn', null);
      const [u] = await tx.update(shareRequests).set({ state: 'withdrawn', currentStep: null, closedAt: now, updatedAt: now }).where(eq(shareRequests.id, id)).returning();
      await this.event(tx, { requestId: id, stepId: step?.id, kind: 'withdrawn', at: now, actor });
      await recordAudit(tx, actor, { action: 'share.request.withdraw', entityType: 'share_request', entityId: id, before: { state: r.state }, after: { state: 'withdrawn' } });
      return u;
    });
  }

  // ---- reading ------------------------------------------------------------------------------------------

  async list(actor: Actor, q: ListQuery, opts: Opts = {}): Promise<Page<Record<string, unknown>>> {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const sc = await this.scope(actor, SHARE.requestCreate);
    const box = q.box ?? (sc.all ? 'all' : 'mine');
    const conds: SQL[] = [];
    const mine = sc.memberIds.length ? sc.memberIds : ['00000000-0000-0000-0000-000000000000'];
    if (box === 'mine') conds.push(inArray(shareRequests.consumerMemberId, mine));
    else if (box === 'provider') conds.push(inArray(shareRequests.providerMemberId, mine));
    else if (box === 'review') {
      if (!this.isBureau(actor)) throw errors.forbidden('the review box is the bureau\'s');
      conds.push(or(inArray(shareRequests.state, ['compliance', 'core_approval']), eq(shareRequests.currentStep, 'upstream'))!);
    } else if (!sc.all) conds.push(or(inArray(shareRequests.consumerMemberId, mine), inArray(shareRequests.providerMemberId, mine))!);
    if (q.state) conds.push(eq(shareRequests.state, q.state));
    if (q.providerMemberId) conds.push(eq(shareRequests.providerMemberId, q.providerMemberId));
    if (q.scenario) conds.push(eq(shareRequests.scenario, q.scenario));
    if (q.overdue !== undefined) {
      const overdue = sql`exists (select 1 from share_request_steps s where s.request_id = ${shareRequests.id} and s.answered_at is null and s.due_at < ${now.toISOString()}::timestamptz)`;
      conds.push(q.overdue ? overdue : sql`not ${overdue}`);
    }
    const where = conds.length ? and(...conds) : undefined;
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(shareRequests).where(where);
    const items = await this.db.select().from(shareRequests).where(where).orderBy(desc(shareRequests.submittedAt), asc(shareRequests.id)).limit(q.limit).offset(q.offset);
    const steps = items.length
      ? await this.db.select().from(shareRequestSteps).where(and(inArray(shareRequestSteps.requestId, items.map((i) => i.id)), isNull(shareRequestSteps.answeredAt)))
      : [];
    const open = new Map(steps.map((s) => [s.requestId, s]));
    const names = await this.names(items);
    return { items: items.map((r) => this.view(r, names, open.get(r.id) ?? null, now)), total: n, limit: q.limit, offset: q.offset };
  }

  private async names(items: RequestRow[], extraMembers: (string | null)[] = []) {
    const memberIds = [...new Set([...items.flatMap((r) => [r.consumerMemberId, r.providerMemberId]), ...extraMembers].filter((x): x is string => !!x))];
    const resourceIds = [...new Set(items.map((r) => r.resourceId).filter((x): x is string => !!x))];
    return { members: await this.directory.members(memberIds), resources: await this.directory.resources(resourceIds) };
  }

  private view(r: RequestRow, names: { members: Map<string, MemberInfo>; resources: Map<string, ResourceInfo> }, open: StepRow | null, now: Date) {
    const m = (id: string | null) => {
      const x = id ? names.members.get(id) : undefined;
      return id ? { id, code: x?.code ?? null, name: x?.name ?? null, level: x?.level ?? null, external: x?.external ?? false } : null;
    };
    const res = r.resourceId ? names.resources.get(r.resourceId) : undefined;
    return {
      ...r,
      resource: r.resourceId ? { id: r.resourceId, code: res?.code ?? null, name: res?.name ?? null, grade: res?.grade ?? null } : null,
      provider: m(r.providerMemberId),
      consumer: m(r.consumerMemberId),
      dueDate: open?.dueDate ?? null,
      overdue: open ? open.dueAt < now : false,
      escalationLevel: open?.escalationLevel ?? 0,
    };
  }

  async get(actor: Actor, id: string, opts: Opts = {}) {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const r = await this.load(this.db, id);
    const sc = await this.scope(actor, SHARE.requestCreate);
    if (!sc.all && !sc.memberIds.some((m) => m === r.consumerMemberId || m === r.providerMemberId)) throw errors.notFound(`request ${id}`);
    const steps = await this.db.select().from(shareRequestSteps).where(eq(shareRequestSteps.requestId, id)).orderBy(asc(shareRequestSteps.startedAt));
    const events = await this.db.select().from(shareRequestEvents).where(eq(shareRequestEvents.requestId, id)).orderBy(asc(shareRequestEvents.at), asc(shareRequestEvents.id));
    const names = await this.names([r], [...steps.map((s) => s.assigneeMemberId), ...events.map((e) => e.targetMemberId)]);
    const open = steps.find((s) => !s.answeredAt) ?? null;
    const memberName = (mid: string | null) => (mid ? (names.members.get(mid)?.name ?? null) : null);
    const cal = await this.deps.calendar.calendar();
    const sub = await this.directory.subsystem(r.consumerSubsystemId);
    return {
      ...this.view(r, names, open, now),
      consumerSubsystem: sub,
      actions: await this.actionsFor(actor, r),
      steps: steps.map((s) => ({
        ...s,
        daysTaken: cal.workingDaysBetween(shanghaiDate(s.startedAt), shanghaiDate(s.answeredAt ?? now)),
        assignee: s.assigneeMemberId ? { id: s.assigneeMemberId, name: memberName(s.assigneeMemberId) } : null,
        overdue: !s.answeredAt && s.dueAt < now,
        escalations: events.filter((e) => e.kind === 'escalated' && e.stepId === s.id).map((e) => ({ level: (e.data as { level: number }).level, at: e.at, targetMemberId: e.targetMemberId, target: memberName(e.targetMemberId) })),
      })),
      events: events.map((e) => ({ ...e, target: memberName(e.targetMemberId) })),
    };
  }

  /** What the actor may do with the request now (the console shows these buttons). */
  private async actionsFor(actor: Actor, r: RequestRow): Promise<string[]> {
    const out: string[] = [];
    const bureau = this.isBureau(actor);
    const consumer = await this.actsFor(actor, SHARE.requestCreate, await this.directory.member(r.consumerMemberId));
    if (r.state === 'compliance' && bureau) out.push('compliance');
    if (r.state === 'provider' && r.providerMemberId) {
      const p = await this.directory.member(r.providerMemberId);
      if (p?.external ? bureau : await this.actsFor(actor, SHARE.requestAnswer, p)) out.push('answer');
    }
    if (r.state === 'core_approval' && bureau) out.push('core-approval');
    if (consumer && ([...OPEN_STATES, 'returned'] as string[]).includes(r.state)) out.push('withdraw');
    if (consumer && r.state === 'returned') out.push('resubmit');
    return out;
  }

  // ---- escalation ---------------------------------------------------------------------------------------

  /**
   * Raise the escalation level of every overdue open step: 1 once its due date has passed (the assignee is
   * reminded), 2 after `escalateToBureauAfterDays` more working days (the bureau), 3 after
   * `escalateToUpperAfterDays` more (the upper level). Each level is raised once, by a conditional update,
   * so running twice (or on two nodes) does not escalate twice.
   */
  async escalate(opts: Opts = {}): Promise<{ checked: number; escalated: number }> {
    const now = opts.now ?? new Date();
    const today = shanghaiDate(now);
    const settings = await this.settings();
    const cal = await this.deps.calendar.calendar();
    const bureau = await this.bureauMember(settings);
    let checked = 0;
    let escalated = 0;
    let after: SQL = sql`true`;
    for (;;) {
      // Keyset pages over (due_at, id): rows escalated meanwhile cannot shift the pages.
      const due = await this.db
        .select()
        .from(shareRequestSteps)
        .where(and(isNull(shareRequestSteps.answeredAt), lt(shareRequestSteps.dueAt, now), lt(shareRequestSteps.escalationLevel, 3), after))
        .orderBy(asc(shareRequestSteps.dueAt), asc(shareRequestSteps.id))
        .limit(200);
      if (!due.length) break;
      checked += due.length;
      const last = due[due.length - 1];
      after = sql`(${shareRequestSteps.dueAt}, ${shareRequestSteps.id}) > (${last.dueAt.toISOString()}::timestamptz, ${last.id}::uuid)`;
      for (const s of due) {
        const level2From = cal.addWorkingDays(s.dueDate, settings.escalateToBureauAfterDays);
        const level3From = cal.addWorkingDays(level2From, settings.escalateToUpperAfterDays);
        const target = today > level3From && settings.upperMemberId ? 3 : today > level2From ? 2 : 1;
        if (target <= s.escalationLevel) continue;
        const targets: Record<number, string | null> = { 1: s.assigneeMemberId, 2: bureau.id, 3: settings.upperMemberId };
        // An external member has no inbox here: the bureau, which chases it, is told instead (the event names the member).
        const targetMember = targets[target] ? await this.directory.member(targets[target]!) : null;
        const notified = targetMember?.external ? bureau : targetMember;
        const done = await inTransaction(this.db, async (tx) => {
          const [u] = await tx
            .update(shareRequestSteps)
            .set({ escalationLevel: target, lastEscalatedAt: now })
            .where(and(eq(shareRequestSteps.id, s.id), isNull(shareRequestSteps.answeredAt), lt(shareRequestSteps.escalationLevel, target)))
            .returning({ id: shareRequestSteps.id });
          if (!u) return false;
          const [req] = await tx.select().from(shareRequests).where(eq(shareRequests.id, s.requestId));
          for (let level = s.escalationLevel + 1; level <= target; level++) {
            const targetMemberId = targets[level];
            await this.event(tx, { requestId: s.requestId, stepId: s.id, kind: 'escalated', at: now, targetMemberId, data: { level, step: s.kind, dueDate: s.dueDate } });
            if (level === target && notified) await this.notifyMember(tx, notified, req, s, level);
          }
          return true;
        });
        if (done) escalated++;
      }
      if (due.length < 200) break;
    }
    return { checked, escalated };
  }

  private async notifyMember(tx: Tx, m: MemberInfo, r: RequestRow, s: StepRow, level: number) {
    if (!m.orgId) return; // external members have no inbox here: the event is the record
    const staff = await tx.select({ id: users.id }).from(users).where(and(eq(users.orgId, m.orgId), eq(users.kind, 'staff'))).limit(50);
    const what = ['', '催办提醒', '逾期督办（大数据局）', '逾期上报（上级）'][level];
    for (const u of staff) {
      await this.notifier.notify(tx, {
        userId: u.id,
        kind: 'share.request.escalated',
        title: `${what}：${r.scenario}`,
        body: `数据共享申请（${r.scenario}）的${STEP_LABELS[s.kind as StepKind] ?? s.kind}环节已于 ${s.dueDate} 到期，请尽快办理。Request ${r.id}: step ${s.kind} was due ${s.dueDate} (escalation level ${level}).`,
      });
    }
  }

  // ---- the dashboard ------------------------------------------------------------------------------------

  async dashboard(actor: Actor, q: { from?: string; to?: string } = {}, opts: Opts = {}) {
    requirePermission(actor, SHARE.statsRead);
    for (const k of ['from', 'to'] as const) if (q[k] && !isValidDate(q[k])) throw errors.field(`/querystring/${k}`, 'not a calendar date');
    const now = opts.now ?? new Date();
    const sc = await this.scope(actor, SHARE.statsRead);
    const ids = sc.memberIds.length ? sc.memberIds : ['00000000-0000-0000-0000-000000000000'];
    const idList = sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `);
    const conds: SQL[] = [sql`true`];
    if (!sc.all) conds.push(sql`(r.consumer_member_id in (${idList}) or r.provider_member_id in (${idList}))`);
    if (q.from) conds.push(sql`r.submitted_at >= ${`${q.from}T00:00:00+08:00`}::timestamptz`);
    if (q.to) conds.push(sql`r.submitted_at <= ${`${q.to}T23:59:59.999+08:00`}::timestamptz`);
    const where = sql.join(conds, sql` and `);
    const open = sql`r.state in ('compliance', 'provider', 'core_approval')`;
    const nowTs = sql`${now.toISOString()}::timestamptz`;

    const byProvider = await rows<{ provider_member_id: string | null; n: number }>(this.db, sql`select r.provider_member_id, count(*)::int as n from share_requests r where ${where} and ${open} group by 1 order by 2 desc, 1 limit 50`);
    const byLevel = await rows<{ level: string | null; n: number }>(this.db, sql`select r.provider_level as level, count(*)::int as n from share_requests r where ${where} and ${open} group by 1 order by 2 desc`);
    const pct = sql`count(*)::int as n, percentile_cont(0.5) within group (order by r.answer_days)::float8 as median, percentile_cont(0.9) within group (order by r.answer_days)::float8 as p90, avg(r.answer_days)::float8 as mean`;
    const [overall] = await rows<{ n: number; median: number | null; p90: number | null; mean: number | null }>(this.db, sql`select ${pct} from share_requests r where ${where} and r.answer_days is not null`);
    const timeByLevel = await rows<{ level: string; n: number; median: number; p90: number; mean: number }>(this.db, sql`select r.provider_level as level, ${pct} from share_requests r where ${where} and r.answer_days is not null group by 1 order by 1`);
    const overdueBase = sql`from share_request_steps s join share_requests r on r.id = s.request_id where ${where} and s.answered_at is null and s.due_at < ${nowTs}`;
    const [{ total: overdueTotal }] = await rows<{ total: number }>(this.db, sql`select count(*)::int as total ${overdueBase}`);
    const overdueByStep = await rows<{ step: string; n: number }>(this.db, sql`select s.kind as step, count(*)::int as n ${overdueBase} group by 1 order by 2 desc, 1`);
    const overdueByProvider = await rows<{ provider_member_id: string | null; n: number; max_level: number }>(this.db, sql`select r.provider_member_id, count(*)::int as n, max(s.escalation_level)::int as max_level ${overdueBase} group by 1 order by 2 desc, 1 limit 50`);
    // Scenarios blocked by a missing resource: open demands and open requests for resources without a servable dataset.
    const blocked = await rows<{ resource_id: string | null; demand_title: string | null; provider_member_id: string | null; scenarios: number; requests: number; consumers: number; scenario_names: string[] }>(
      this.db,
      sql`select r.resource_id, case when r.resource_id is null then r.demand_title end as demand_title, min(r.provider_member_id::text)::uuid as provider_member_id,
                 count(distinct r.scenario)::int as scenarios, count(*)::int as requests, count(distinct r.consumer_member_id)::int as consumers,
                 (array_agg(distinct r.scenario order by r.scenario))[1:50] as scenario_names
          from share_requests r where ${where} and ${open} and r.needs_publication
          group by 1, 2 order by 4 desc, 5 desc limit 50`,
    );
    const recent = await rows<{ id: number; request_id: string; kind: string; at: Date; data: Record<string, unknown>; scenario: string; resource_id: string | null; demand_title: string | null; provider_member_id: string | null; consumer_member_id: string; provider_level: string | null; answer_days: number | null }>(
      this.db,
      sql`select e.id, e.request_id, e.kind, e.at, e.data, r.scenario, r.resource_id, r.demand_title, r.provider_member_id, r.consumer_member_id, r.provider_level, r.answer_days
          from share_request_events e join share_requests r on r.id = e.request_id
          where ${where} and e.kind in ('approved', 'refused', 'returned') order by e.at desc, e.id desc limit 10`,
    );
    const memberIds = [...byProvider, ...overdueByProvider, ...blocked].map((x) => x.provider_member_id).concat(recent.flatMap((x) => [x.provider_member_id, x.consumer_member_id]));
    const members = await this.directory.members([...new Set(memberIds.filter((x): x is string => !!x))]);
    const resources = await this.directory.resources([...new Set([...blocked, ...recent].map((x) => x.resource_id).filter((x): x is string => !!x))]);
    const member = (id: string | null) => (id ? { id, code: members.get(id)?.code ?? null, name: members.get(id)?.name ?? null } : null);
    const num = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(Number(x) * 100) / 100);
    return {
      scope: sc.all ? 'all' : 'own',
      open: {
        total: byLevel.reduce((a, b) => a + b.n, 0),
        byProvider: byProvider.map((x) => ({ provider: member(x.provider_member_id), count: x.n })),
        byLevel: byLevel.map((x) => ({ level: (x.level ?? 'unrouted') as ProviderLevel | 'unrouted', count: x.n })),
      },
      answerTime: {
        n: overall.n,
        medianDays: num(overall.median),
        p90Days: num(overall.p90),
        meanDays: num(overall.mean),
        byLevel: timeByLevel.map((x) => ({ level: x.level, n: x.n, medianDays: num(x.median), p90Days: num(x.p90), meanDays: num(x.mean) })),
      },
      overdue: {
        total: overdueTotal,
        byStep: overdueByStep.map((x) => ({ step: x.step, count: x.n })),
        byProvider: overdueByProvider.map((x) => ({ provider: member(x.provider_member_id), count: x.n, maxEscalationLevel: x.max_level })),
      },
      blockedScenarios: blocked.map((x) => ({
        resource: x.resource_id ? { id: x.resource_id, code: resources.get(x.resource_id)?.code ?? null, name: resources.get(x.resource_id)?.name ?? null } : null,
        demandTitle: x.demand_title,
        provider: member(x.provider_member_id),
        scenarioCount: x.scenarios,
        requestCount: x.requests,
        consumerCount: x.consumers,
        scenarios: x.scenario_names,
      })),
      recent: recent.map((x) => ({
        requestId: x.request_id,
        decision: x.kind,
        at: new Date(x.at),
        scenario: x.scenario,
        reason: (x.data?.reason as string | undefined) ?? null,
        resource: x.resource_id ? { id: x.resource_id, name: resources.get(x.resource_id)?.name ?? null } : null,
        demandTitle: x.demand_title,
        provider: member(x.provider_member_id),
        providerLevel: x.provider_level,
        answerDays: x.answer_days,
        consumer: member(x.consumer_member_id),
      })),
    };
  }
}

export const STEP_LABELS: Record<StepKind, string> = { compliance: '合规审核', provider: '提供方答复', upstream: '上级部门答复', core_approval: '核心数据审批' };
