// The repair itself, shared by the rooms of the repair service: what it is built from, the day it is, the
// penalty it is for, its history, who may see it, and how it and its materials and deliveries look.
import type { Logger } from 'pino';
import { and, eq } from 'drizzle-orm';
import { can, type Actor } from '../../platform/auth/actor';
import type { CalendarService } from '../../platform/calendar';
import type { Db, Tx } from '../../platform/db/client';
import { AppError, errors } from '../../platform/http/problem';
import type { JobQueue } from '../../platform/jobs/queue';
import type { OrgService } from '../org';
import type { Notifier } from '../../platform/notify';
import { CREDIT } from './credit.permissions';
import { creditOutbox, creditRecords, creditRepairEvents, creditRepairMaterials, creditRepairs } from './credit.schema';
import type { CreditService } from './credit.service';
import type { RecordRow, RepairRow } from './repair.rules';

export interface RepairDeps {
  db: Db;
  credit: CreditService;
  orgs: OrgService;
  calendar: CalendarService;
  queue: JobQueue;
  notifier: Notifier;
  log: Logger;
  masterKey: Buffer;
  /** Seconds before the first retry of a failed delivery (doubles each attempt). */
  retryBaseSeconds?: number;
  /** Seconds a claimed delivery stays reserved: a worker that dies while sending leaves it for this long (default 60). */
  deliveryLeaseSeconds?: number;
  fetch?: typeof fetch;
}

export class RepairCore {
  readonly db: Db;
  constructor(readonly d: RepairDeps) {
    this.db = d.db;
  }

  today() {
    return this.d.credit.today();
  }

  async penalty(id: string): Promise<RecordRow | null> {
    const [r] = await this.db.select().from(creditRecords).where(and(eq(creditRecords.id, id), eq(creditRecords.kind, 'penalty')));
    return r ?? null;
  }

  async event(tx: Tx, actor: Actor, repairId: string, action: string, from: string | null, to: string, reason: string | null) {
    await tx.insert(creditRepairEvents).values({ repairId, action, fromState: from, toState: to, actorId: actor.userId, actorName: actor.displayName, reason });
  }

  async row(id: string): Promise<RepairRow> {
    const [r] = await this.db.select().from(creditRepairs).where(eq(creditRepairs.id, id));
    if (!r) throw errors.notFound('repair');
    return r;
  }

  async deciderScope(actor: Actor): Promise<string[] | undefined> {
    return this.d.orgs.visibleIds(actor, CREDIT.repairDecide);
  }

  /** The repair if the actor is its applicant organisation or decides for its department; else 404. */
  async visible(actor: Actor, id: string, side?: 'applicant' | 'staff'): Promise<RepairRow> {
    const r = await this.row(id);
    const applicant = actor.kind === 'enterprise' && actor.orgId === r.applicantOrgId;
    let staff = false;
    if (!applicant && can(actor, CREDIT.repairDecide)) {
      const ids = await this.deciderScope(actor);
      staff = !ids || ids.includes(r.deciderOrgId);
    }
    const reader = !applicant && !staff && can(actor, CREDIT.profileRead);
    if (side === 'applicant' && !applicant) throw applicantOrStaffError(staff || reader);
    if (side === 'staff' && !staff) {
      if (applicant || reader) throw errors.forbidden('only the deciding department may decide this repair');
      throw errors.notFound('repair');
    }
    if (!side && !applicant && !staff && !reader) throw errors.notFound('repair');
    return r;
  }

  view(r: RepairRow) {
    const today = this.today();
    const overdue = (r.state === 'submitted' && !!r.acceptDue && today > r.acceptDue) || ((r.state === 'accepted' || r.state === 'resubmitted') && !!r.decideDue && today > r.decideDue);
    return {
      id: r.id,
      penaltyId: r.penaltyId,
      state: r.state,
      statement: r.statement,
      commitmentText: r.commitmentText,
      commitmentAccepted: true,
      subjectCode: r.subjectCode,
      createdAt: r.createdAt.toISOString(),
      submittedAt: r.submittedAt?.toISOString() ?? null,
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      acceptDue: r.acceptDue,
      decideDue: r.decideDue,
      deadlines: { accept: r.acceptDue, decide: r.decideDue },
      overdue,
      onTime: r.onTime,
      handlingDays: r.handlingDays,
      reason: r.lastReason,
    };
  }
}

export function applicantOrStaffError(isStaff: boolean): AppError {
  return isStaff ? errors.forbidden('only the applying enterprise may do this') : errors.notFound('repair');
}

export function materialView(m: typeof creditRepairMaterials.$inferSelect) {
  return { id: m.id, key: m.key, fileName: m.fileName, contentType: m.contentType, size: m.size, createdAt: m.createdAt.toISOString() };
}

export function outboxView(o: typeof creditOutbox.$inferSelect) {
  return {
    id: o.id,
    event: o.event,
    repairId: o.repairId,
    endpointId: o.endpointId,
    endpointName: o.endpointName,
    url: o.url,
    status: o.status,
    attempts: o.attempts,
    lastError: o.lastError,
    lastStatus: o.lastStatus,
    nextAttemptAt: o.status === 'pending' ? o.nextAttemptAt.toISOString() : null,
    deliveredAt: o.deliveredAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
  };
}
