// The applications' shared core: permissions, row and view types, reading and locking a row, who may act
// (applicant, authorised relative, staff in scope), and transition() — the one place state changes: the
// table in states.ts decides, the history row, the audit entry and the notification are written in the
// same transaction. The rooms (applications.drafts/materials/submit/staff/proxy.ts) build on it.
import { and, asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import type { AuthService } from '../../../platform/auth/auth.service';
import { definePermission } from '../../../platform/auth/permissions';
import type { CalendarService } from '../../../platform/calendar';
import { type Db, type Tx } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { OrgService } from '../../org';
import type { CatalogueService } from '../svc.service';
import type { AutoOutcome } from './auto';
import { svcApplicationEvents, svcApplicationMaterials, svcApplications, svcProxyGrants } from './applications.schema';
import { type CertificateWallet, FactRegistry, type Notifier } from './ports';
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

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

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

export class ApplicationCore {
  constructor(readonly d: Deps) {}

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
  async applicantActor(actor: Actor, r: AppRow): Promise<Actor> {
    if (actor.userId && actor.userId === r.applicantId) return actor;
    if (actor.userId && (await this.activeGrant(actor.userId, r.applicantId, r.itemId))) return { ...actor, onBehalfOf: r.applicantId };
    if (actor.userId && r.agentId === actor.userId) throw errors.forbidden('you have no valid authorisation to act for this applicant');
    throw errors.notFound('application');
  }

  async staffScope(actor: Actor): Promise<string[] | undefined> {
    requirePermission(actor, APP.handle);
    return this.d.orgs.visibleIds(actor, APP.handle);
  }

  async staffRow(actor: Actor, id: string): Promise<AppRow> {
    const scope = await this.staffScope(actor);
    const r = await this.row(id);
    if (r.state === 'draft' || (scope && !scope.includes(r.ownerOrgId))) throw errors.notFound('application');
    return r;
  }

  materialRows(id: string) {
    return this.db.select().from(svcApplicationMaterials).where(eq(svcApplicationMaterials.applicationId, id)).orderBy(asc(svcApplicationMaterials.materialKey));
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

  async versionOf(r: AppRow): Promise<ItemVersion> {
    const v = await this.d.catalogue.version(r.itemId, r.itemVersion);
    if (!v) throw new Error(`item version ${r.itemId}@${r.itemVersion} is missing`);
    return v;
  }

  editableForMaterials(r: AppRow) {
    if (r.state !== 'draft' && r.state !== 'correction_requested') throw errors.conflict(`materials can be changed in a draft or while a correction is requested; the application is ${r.state}`, { currentState: r.state });
  }
}
