// The working-day calendar: dates that differ from the weekday/weekend rule (public holidays and
// make-up working days 调休上班). Any date not listed is a working day from Monday to Friday.
import { date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const calendarDays = pgTable('calendar_days', {
  /** A date in Asia/Shanghai, YYYY-MM-DD. */
  day: date('day', { mode: 'string' }).primaryKey(),
  /** holiday (a day off, even on a weekday) | workday (a make-up working day, even on a weekend) */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});
