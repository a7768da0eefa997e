// Deadlines: the escalation sweep over overdue open steps (reminder, the bureau, the upper level), each level
// raised once, and the notices to the staff of the member concerned.
import { and, asc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { staffOf } from '../../../platform/auth/accounts';
import { shanghaiDate } from '../../../platform/calendar';
import { inTransaction, type Tx } from '../../../platform/db/client';
import type { MemberInfo } from './directory';
import type { RequestCore } from './requests.core';
import { type Opts, type RequestRow, STEP_LABELS, type StepKind, type StepRow } from './requests.model';
import { shareRequests, shareRequestSteps } from './requests.schema';

export class RequestDeadlines {
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

  /**
   * Raise the escalation level of every overdue open step: 1 once its due date has passed (the assignee is
   * reminded), 2 after `escalateToBureauAfterDays` more working days (the bureau), 3 after
   * `escalateToUpperAfterDays` more (the upper level). Each level is raised once, by a conditional update,
   * so running twice (or on two nodes) does not escalate twice.
   */
  async escalate(opts: Opts = {}): Promise<{ checked: number; escalated: number }> {
    const now = opts.now ?? new Date();
    const today = shanghaiDate(now);
    const settings = await this.core.settings();
    const cal = await this.deps.calendar.calendar();
    const bureau = await this.core.bureauMember(settings);
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
            await this.core.event(tx, { requestId: s.requestId, stepId: s.id, kind: 'escalated', at: now, targetMemberId, data: { level, step: s.kind, dueDate: s.dueDate } });
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
    const staff = await staffOf(tx, m.orgId, 50);
    const what = ['', '催办提醒', '逾期督办（大数据局）', '逾期上报（上级）'][level];
    for (const userId of staff) {
      await this.core.notifier.notify(tx, {
        userId,
        kind: 'share.request.escalated',
        title: `${what}：${r.scenario}`,
        body: `数据共享申请（${r.scenario}）的${STEP_LABELS[s.kind as StepKind] ?? s.kind}环节已于 ${s.dueDate} 到期，请尽快办理。Request ${r.id}: step ${s.kind} was due ${s.dueDate} (escalation level ${level}).`,
      });
    }
  }
}
