// The in-app inbox every module notifies people through. The table keeps the name it had when the
// service hall owned it (renaming it is a migration for the messaging module to make when it takes the
// channel over, with SMS and other deliveries).
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notifications = pgTable(
  'svc_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    applicationId: uuid('application_id'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('svc_notifications_user_idx').on(t.userId, t.createdAt)],
);
