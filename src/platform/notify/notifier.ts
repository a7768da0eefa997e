// Notifying people: modules hand a notice to a Notifier inside their writing transaction, so a change
// that rolls back notifies no one; people read their notices through the inbox.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import type { Db, Tx } from '../db/client';
import { errors } from '../http/problem';
import { notifications } from './notifications.schema';

export interface Notice {
  userId: string;
  kind: string;
  title: string;
  body: string;
  /** The application the notice is about, when there is one (the portal links to it). */
  applicationId?: string | null;
}

/** Delivers notices inside the writing transaction (so a rolled-back change notifies no one). */
export interface Notifier {
  notify(tx: Tx, notice: Notice): Promise<void>;
}

/** The in-app inbox (`GET /api/notifications`); an SMS notifier can wrap or replace it later. */
export class InAppNotifier implements Notifier {
  async notify(tx: Tx, n: Notice): Promise<void> {
    await tx.insert(notifications).values({ userId: n.userId, kind: n.kind, title: n.title, body: n.body, applicationId: n.applicationId ?? null });
  }
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  applicationId: string | null;
  read: boolean;
  createdAt: string;
}

/** A person's own notices: newest first, paged, with the unread count; marking them read. */
export class NotificationInbox {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, f: { unread?: boolean; limit: number; offset: number }): Promise<{ items: NotificationView[]; total: number; unread: number; limit: number; offset: number }> {
    if (!actor.userId) throw errors.forbidden();
    const mine = eq(notifications.userId, actor.userId);
    const where = and(mine, f.unread ? isNull(notifications.readAt) : undefined);
    const items = await this.db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(where);
    const [{ u }] = await this.db.select({ u: sql<number>`count(*)::int` }).from(notifications).where(and(mine, isNull(notifications.readAt)));
    return {
      items: items.map((x) => ({ id: x.id, kind: x.kind, title: x.title, body: x.body, applicationId: x.applicationId, read: !!x.readAt, createdAt: x.createdAt.toISOString() })),
      total: n,
      unread: u,
      limit: f.limit,
      offset: f.offset,
    };
  }

  async markRead(actor: Actor, id: string | 'all'): Promise<{ updated: number }> {
    if (!actor.userId) throw errors.forbidden();
    const mine = eq(notifications.userId, actor.userId);
    const r = await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(mine, isNull(notifications.readAt), id === 'all' ? undefined : eq(notifications.id, id)))
      .returning({ id: notifications.id });
    if (id !== 'all' && !r.length) {
      const [exists] = await this.db.select({ id: notifications.id }).from(notifications).where(and(mine, eq(notifications.id, id)));
      if (!exists) throw errors.notFound('notification');
    }
    return { updated: r.length };
  }
}
