// The audit trail: append-only, each entry chained to the previous one by hash.
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    /** Whom the actor acted for (a relative applying on behalf of an elder, a system acting for a user). */
    onBehalfOf: text('on_behalf_of'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    /** Organisation the record belongs to, so department staff can be shown their own trail. */
    orgId: uuid('org_id'),
    summary: jsonb('summary').$type<{ before?: unknown; after?: unknown; [k: string]: unknown }>().notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_actor_idx').on(t.actorId, t.seq),
    index('audit_action_idx').on(t.action, t.seq),
    index('audit_org_idx').on(t.orgId, t.seq),
    index('audit_at_idx').on(t.at),
  ],
);
