// The holiday calendar as a service: edits (audited) and the working-day arithmetic other modules use
// for deadlines. The table is small (a few dozen rows a year), so each process keeps it in memory:
// reloaded after its own edits at once, and after CACHE_TTL_MS for edits made by another process.
import { asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.service';
import { type Actor, requirePermission } from '../auth/actor';
import { definePermission } from '../auth/permissions';
import { type Db, inTransaction } from '../db/client';
import { errors } from '../http/problem';
import { calendarDays } from './calendar.schema';
import { OFFICIAL_SCHEDULES } from './holidays';
import { type CalendarEntry, type DayKind, isValidDate, WorkingCalendar } from './working-days';

export const CALENDAR_MANAGE = definePermission('calendar.manage', '管理节假日日历', 'Manage the holiday calendar');
export const CACHE_TTL_MS = 60_000;

export class CalendarService {
  private cached: { cal: WorkingCalendar; at: number } | null = null;
  private loading: Promise<WorkingCalendar> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Drop the in-memory copy; the next question reloads it. */
  invalidate(): void {
    this.cached = null;
  }

  async calendar(): Promise<WorkingCalendar> {
    if (this.cached && this.now() - this.cached.at < CACHE_TTL_MS) return this.cached.cal;
    if (!this.loading) {
      this.loading = (async () => {
        const rows = await this.db.select().from(calendarDays);
        const cal = new WorkingCalendar(rows.map((r) => ({ date: r.day, kind: r.kind as DayKind })));
        this.cached = { cal, at: this.now() };
        return cal;
      })().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  async isWorkingDay(date: string): Promise<boolean> {
    return (await this.calendar()).isWorkingDay(date);
  }

  async addWorkingDays(from: string, n: number): Promise<string> {
    return (await this.calendar()).addWorkingDays(from, n);
  }

  async workingDaysBetween(a: string, b: string): Promise<number> {
    return (await this.calendar()).workingDaysBetween(a, b);
  }

  async list(year: number): Promise<CalendarEntry[]> {
    const rows = await this.db
      .select()
      .from(calendarDays)
      .where(sql`${calendarDays.day} >= ${`${year}-01-01`}::date and ${calendarDays.day} <= ${`${year}-12-31`}::date`)
      .orderBy(asc(calendarDays.day));
    return rows.map((r) => ({ date: r.day, kind: r.kind as DayKind, name: r.name }));
  }

  async set(actor: Actor, input: CalendarEntry): Promise<{ entry: CalendarEntry; created: boolean }> {
    requirePermission(actor, CALENDAR_MANAGE);
    if (!isValidDate(input.date)) throw errors.field('/body/date', 'not a calendar date (YYYY-MM-DD)');
    const name = input.name.trim();
    if (!name) throw errors.field('/body/name', 'is required');
    const result = await inTransaction(this.db, async (tx) => {
      const [before] = await tx.select().from(calendarDays).where(eq(calendarDays.day, input.date)).for('update');
      await tx
        .insert(calendarDays)
        .values({ day: input.date, kind: input.kind, name, updatedBy: actor.userId, updatedAt: new Date() })
        .onConflictDoUpdate({ target: calendarDays.day, set: { kind: input.kind, name, updatedBy: actor.userId, updatedAt: new Date() } });
      await recordAudit(tx, actor, {
        action: before ? 'calendar.update' : 'calendar.create',
        entityType: 'calendar_day',
        entityId: input.date,
        before: before ? { kind: before.kind, name: before.name } : null,
        after: { kind: input.kind, name },
      });
      return { entry: { date: input.date, kind: input.kind, name }, created: !before };
    });
    this.invalidate();
    return result;
  }

  async remove(actor: Actor, date: string): Promise<void> {
    requirePermission(actor, CALENDAR_MANAGE);
    if (!isValidDate(date)) throw errors.field('/params/date', 'not a calendar date (YYYY-MM-DD)');
    await inTransaction(this.db, async (tx) => {
      const [before] = await tx.delete(calendarDays).where(eq(calendarDays.day, date)).returning();
      if (!before) throw errors.notFound(`calendar entry ${date}`);
      await recordAudit(tx, actor, { action: 'calendar.delete', entityType: 'calendar_day', entityId: date, before: { kind: before.kind, name: before.name } });
    });
    this.invalidate();
  }

  /** Seed the official schedules; never overwrites a date an administrator already entered. */
  async seedOfficial(): Promise<{ inserted: number }> {
    let inserted = 0;
    for (const { entries } of Object.values(OFFICIAL_SCHEDULES)) {
      const r = await this.db
        .insert(calendarDays)
        .values(entries.map((e) => ({ day: e.date, kind: e.kind, name: e.name })))
        .onConflictDoNothing()
        .returning({ day: calendarDays.day });
      inserted += r.length;
    }
    if (inserted) this.invalidate();
    return { inserted };
  }
}
