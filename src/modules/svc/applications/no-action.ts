// 无感认证 (no-action authentication): a recurring job confirms, from data the platform holds, that each
// person an item covers is still eligible — without them applying — and records the evidence. Only when
// the data is missing is the person asked to act (an in-app notification). One row per (item, person,
// period) under a unique index: running the job again in the same period changes nothing.
//
// The eligibility rule for the seeded item 企业职工养老保险待遇领取资格认证 (annual pension qualification):
// covered = citizens of statutory pension age by their ID number (men 60, women 55); confirmed when the
// platform saw the person alive and active in the last 365 days (a sign-in); otherwise they are asked to
// confirm in person or by face recognition. Other data sources (medical visits, travel) plug in later.
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import { systemActor } from '../../../platform/auth/actor';
import { shanghaiDate } from '../../../platform/calendar';
import { type Db, inTransaction } from '../../../platform/db/client';
import { parseCitizenId } from '../../../platform/ids';
import type { IdentityService } from '../../identity';
import { svcItems } from '../svc.schema';
import { wholeYears } from './logic';
import { svcNoActionChecks } from './applications.schema';
import type { Notifier } from './ports';

export const NO_ACTION_JOB = 'svc.no_action.run';
const ACTIVE_WITHIN_MS = 365 * 86400_000;

export class NoActionAuthentication {
  constructor(
    private readonly db: Db,
    private readonly identity: IdentityService,
    private readonly notifier: Notifier,
  ) {}

  /** Run every 无感认证 item for the period (default: the current year in Asia/Shanghai). */
  async run(period = shanghaiDate().slice(0, 4), now = new Date()): Promise<{ items: number; confirmed: number; needsAction: number; skipped: number }> {
    const items = await this.db.select({ id: svcItems.id, name: svcItems.name, ownerOrgId: svcItems.ownerOrgId }).from(svcItems).where(and(eq(svcItems.mode, 'no_action'), eq(svcItems.status, 'published')));
    const people: { id: string; idNumber: string; lastLoginAt: Date | null }[] = [];
    for await (const p of this.identity.activeCitizens()) people.push(p);
    const today = shanghaiDate(now);
    const out = { items: items.length, confirmed: 0, needsAction: 0, skipped: 0 };
    for (const item of items) {
      const done = new Set((await this.db.select({ userId: svcNoActionChecks.userId }).from(svcNoActionChecks).where(and(eq(svcNoActionChecks.itemId, item.id), eq(svcNoActionChecks.period, period)))).map((r) => r.userId));
      for (const p of people) {
        if (done.has(p.id)) {
          out.skipped++;
          continue;
        }
        const info = parseCitizenId(p.idNumber);
        if (!info) continue;
        const age = wholeYears(info.birthDate, today) ?? 0;
        if (age < (info.sex === 'male' ? 60 : 55)) continue; // not covered by this item
        const active = !!p.lastLoginAt && now.getTime() - p.lastLoginAt.getTime() < ACTIVE_WITHIN_MS;
        const evidence = { rule: 'statutory pension age by ID number; activity seen within 365 days', age, sex: info.sex, lastActivity: p.lastLoginAt?.toISOString() ?? null, checkedAt: now.toISOString() };
        const outcome = active ? 'confirmed' : 'needs_action';
        await inTransaction(this.db, async (tx) => {
          const inserted = await tx.insert(svcNoActionChecks).values({ itemId: item.id, userId: p.id, period, outcome, evidence }).onConflictDoNothing().returning({ id: svcNoActionChecks.id });
          if (!inserted.length) return;
          await recordAudit(tx, systemActor('no-action-authentication'), { action: `svc.no_action.${outcome}`, entityType: 'svc_no_action_check', entityId: inserted[0].id, orgId: item.ownerOrgId, note: { item: item.name, period } });
          await this.notifier.notify(
            tx,
            active
              ? { userId: p.id, kind: 'no_action.confirmed', title: `${item.name}：已自动完成`, body: `根据已有数据，您 ${period} 年度的${item.name}已自动完成，无需办理。` }
              : { userId: p.id, kind: 'no_action.needs_action', title: `${item.name}：请您确认`, body: `缺少可用于自动认证的数据，请在 ${period} 年内通过人脸识别或到窗口完成${item.name}。` },
          );
          if (active) out.confirmed++;
          else out.needsAction++;
        });
      }
    }
    return out;
  }

  async checks(userId: string) {
    return this.db.select().from(svcNoActionChecks).where(eq(svcNoActionChecks.userId, userId)).orderBy(sql`${svcNoActionChecks.createdAt} desc`);
  }
}
