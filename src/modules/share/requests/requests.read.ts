// Reading requests: the boxes (mine, provider, review, all) with each open step's due date and escalation,
// and one request with its steps, timeline and the actions the reader may take now.
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import type { MemberInfo, ResourceInfo } from './directory';
import type { RequestCore } from './requests.core';
import { type ListQuery, OPEN_STATES, type Opts, type RequestRow, type StepRow } from './requests.model';
import { shareRequestEvents, shareRequests, shareRequestSteps } from './requests.schema';

export class RequestReading {
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

  // ---- reading ------------------------------------------------------------------------------------------

  async list(actor: Actor, q: ListQuery, opts: Opts = {}) {
    requirePermission(actor, SHARE.requestCreate);
    const now = opts.now ?? new Date();
    const sc = await this.core.scope(actor, SHARE.requestCreate);
    const box = q.box ?? (sc.all ? 'all' : 'mine');
    const conds: SQL[] = [];
    const mine = sc.memberIds.length ? sc.memberIds : ['00000000-0000-0000-0000-000000000000'];
    if (box === 'mine') conds.push(inArray(shareRequests.consumerMemberId, mine));
    else if (box === 'provider') conds.push(inArray(shareRequests.providerMemberId, mine));
    else if (box === 'review') {
      if (!this.core.isBureau(actor)) throw errors.forbidden('the review box is the bureau\'s');
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
    const r = await this.core.load(this.db, id);
    const sc = await this.core.scope(actor, SHARE.requestCreate);
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
    const bureau = this.core.isBureau(actor);
    const consumer = await this.core.actsFor(actor, SHARE.requestCreate, await this.directory.member(r.consumerMemberId));
    if (r.state === 'compliance' && bureau) out.push('compliance');
    if (r.state === 'provider' && r.providerMemberId) {
      const p = await this.directory.member(r.providerMemberId);
      if (p?.external ? bureau : await this.core.actsFor(actor, SHARE.requestAnswer, p)) out.push('answer');
    }
    if (r.state === 'core_approval' && bureau) out.push('core-approval');
    if (consumer && ([...OPEN_STATES, 'returned'] as string[]).includes(r.state)) out.push('withdraw');
    if (consumer && r.state === 'returned') out.push('resubmit');
    return out;
  }
}
