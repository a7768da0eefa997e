// What every room of the request workflow shares: the catalogue port, the grant issuer, the notifier, the
// settings and the bureau's member, who acts for whom, and the steps and events every transition writes.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Actor, can, canSeeOrgPath, visibility } from '../../../platform/auth/actor';
import { shanghaiDate, type WorkingCalendar } from '../../../platform/calendar';
import type { DbOrTx, Tx } from '../../../platform/db/client';
import { AppError, errors } from '../../../platform/http/problem';
import { InAppNotifier, type Notifier } from '../../../platform/notify';
import type { ResourceCatalogue } from '../catalogue';
import type { GrantIssuer, RowFilter } from '../contracts';
import type { ShareDeps } from '../deps';
import type { Gateway } from '../gateway';
import { SHARE } from '../share.permissions';
import { type MemberInfo, type RequestDirectory, type ResourceInfo, tableDirectory } from './directory';
import { endOfShanghaiDay, REASON_MIN, type RequestRow, type RequestSettings, type StepKind, type StepRow } from './requests.model';
import { shareRequestEvents, shareRequests, shareRequestSteps } from './requests.schema';
import { loadSettings } from './requests.settings';

export type RequestDeps = ShareDeps & { catalogue: ResourceCatalogue; gateway: Gateway };

export class RequestCore {
  readonly notifier: Notifier = new InAppNotifier();
  private directoryImpl: RequestDirectory | null = null;

  constructor(readonly deps: RequestDeps) {}

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

  get grants(): GrantIssuer {
    return this.deps.gateway;
  }

  // ---- settings -------------------------------------------------------------------------------------------

  settings(db: DbOrTx = this.db): Promise<RequestSettings> {
    return loadSettings(db);
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
  async scope(actor: Actor, permission: string): Promise<{ all: boolean; memberIds: string[] }> {
    const all = visibility(actor, SHARE.requestReview).all || visibility(actor, permission).all;
    const m = actor.orgId ? await this.directory.memberOfOrg(actor.orgId) : null;
    return { all, memberIds: m ? [m.id] : [] };
  }

  /** True when the actor works for the member's organisation (or a unit above it within its grant). */
  async actsFor(actor: Actor, permission: string, member: MemberInfo | null): Promise<boolean> {
    if (!member?.orgId || !can(actor, permission)) return false;
    const v = visibility(actor, permission);
    if (v.all) return actor.orgId === member.orgId;
    return canSeeOrgPath(v, await this.deps.orgs.pathOf(member.orgId));
  }

  isBureau(actor: Actor): boolean {
    return can(actor, SHARE.requestReview) && visibility(actor, SHARE.requestReview).all;
  }

  async load(tx: DbOrTx, id: string, lock = false): Promise<RequestRow> {
    const q = tx.select().from(shareRequests).where(eq(shareRequests.id, id));
    const [r] = lock ? await q.for('update') : await q;
    if (!r) throw errors.notFound(`request ${id}`);
    return r;
  }

  async openStep(tx: DbOrTx, requestId: string): Promise<StepRow | null> {
    const [s] = await tx
      .select()
      .from(shareRequestSteps)
      .where(and(eq(shareRequestSteps.requestId, requestId), isNull(shareRequestSteps.answeredAt)))
      .orderBy(desc(shareRequestSteps.startedAt))
      .limit(1);
    return s ?? null;
  }

  /** `cal` is loaded before the transaction: nothing inside a transaction may wait for another connection (PGlite has one). */
  async startStep(tx: Tx, cal: WorkingCalendar, requestId: string, kind: StepKind, assigneeMemberId: string | null, workingDays: number, at: Date): Promise<StepRow> {
    const dueDate = cal.addWorkingDays(shanghaiDate(at), workingDays);
    const [s] = await tx
      .insert(shareRequestSteps)
      .values({ requestId, kind, assigneeMemberId, startedAt: at, dueDate, dueAt: endOfShanghaiDay(dueDate), workingDays })
      .returning();
    return s;
  }

  async event(tx: Tx, e: { requestId: string; stepId?: string | null; kind: string; at: Date; actor?: Actor | null; targetMemberId?: string | null; data?: Record<string, unknown> }) {
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

  async closeStep(tx: Tx, step: StepRow, actor: Actor, at: Date, outcome: string, reason: string | null, recordedFrom: unknown = null) {
    const [closed] = await tx
      .update(shareRequestSteps)
      .set({ answeredAt: at, outcome, reason, recordedBy: actor.userId, recordedFrom })
      .where(and(eq(shareRequestSteps.id, step.id), isNull(shareRequestSteps.answeredAt)))
      .returning({ id: shareRequestSteps.id });
    if (!closed) throw errors.conflict('the step was answered meanwhile');
  }

  requireReason(reason: string | undefined, what: string): string {
    const r = (reason ?? '').trim();
    if (r.length < REASON_MIN) throw errors.unprocessable(`${what} needs a reason of at least ${REASON_MIN} characters`, [{ path: '/body/reason', message: `required, at least ${REASON_MIN} characters` }]);
    return r;
  }

  // ---- submitting ---------------------------------------------------------------------------------------

  validateFields(resource: ResourceInfo, fields: string[], path: string) {
    const known = new Set(resource.items);
    const bad = fields.map((f, i) => ({ f, i })).filter(({ f }) => !known.has(f));
    if (bad.length) throw errors.unprocessable('fields must be data items of the resource', bad.map(({ f, i }) => ({ path: `${path}/${i}`, message: `${f} is not an item of ${resource.code}` })));
    if (new Set(fields).size !== fields.length) throw errors.field(path, 'fields repeat');
  }

  validateFilter(resource: ResourceInfo, filter: RowFilter, path: string) {
    const known = new Set(resource.items);
    filter.forEach((c, i) => {
      if (!known.has(c.column)) throw errors.unprocessable('row filter columns must be data items of the resource', [{ path: `${path}/${i}/column`, message: `${c.column} is not an item of ${resource.code}` }]);
    });
  }
}
