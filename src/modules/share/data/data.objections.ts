// Objections (疑义): raised by a consumer on a record's column, answered by the provider (accepted: a
// correction follows, marked by the next load that changes the column), resolved and closed.
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import { iso, type ObjectionRow } from './data.core';
import type { DataReading } from './data.reading';
import { shareObjections } from './data.schema';
import type { DataTables } from './data.tables';

export class DataObjections {
  constructor(
    private readonly tables: DataTables,
    private readonly reading: DataReading,
  ) {}

  private get deps() {
    return this.tables.deps;
  }

  private get db() {
    return this.deps.db;
  }

  // ---- objections (疑义) -----------------------------------------------------------------------------------

  /** The value at raise time is shown to the provider's side only (a consumer may hold it masked). */
  private objectionView(o: ObjectionRow, showValue = false) {
    return {
      id: o.id,
      resourceId: o.resourceId,
      recordKey: o.recordKey,
      column: o.column,
      description: o.description,
      valueAtRaise: showValue ? o.valueAtRaise : null,
      state: o.state,
      raisedBy: o.raisedBy,
      raisedOrgId: o.raisedOrgId,
      providerOrgId: o.providerOrgId,
      accepted: o.accepted,
      answer: o.answer,
      answeredAt: iso(o.answeredAt),
      correctedLoadId: o.correctedLoadId,
      correctedAt: iso(o.correctedAt),
      resolveNote: o.resolveNote,
      closedAt: iso(o.closedAt),
      createdAt: o.createdAt.toISOString(),
    };
  }

  async raiseObjection(actor: Actor, resourceId: string, input: { recordKey: string; column: string; description: string }) {
    requirePermission(actor, SHARE.requestCreate);
    const shape = await this.tables.requireShape(resourceId);
    if (!shape.items.some((i) => i.name === input.column)) throw errors.field('/column', 'not a column of the resource');
    const keys = shape.items.filter((i) => i.key).map((i) => i.name);
    const parts = input.recordKey.split('|');
    if (parts.length !== keys.length) throw errors.field('/recordKey', `expected ${keys.join('|')}`);
    const rec = await this.reading.lookup(resourceId, Object.fromEntries(keys.map((k, i) => [k, parts[i]])), [input.column], []);
    if (!rec) throw errors.notFound('record');
    const v = rec[input.column];
    return inTransaction(this.db, async (tx) => {
      const [o] = await tx
        .insert(shareObjections)
        .values({ resourceId, providerOrgId: shape.providerOrgId, recordKey: input.recordKey, column: input.column, description: input.description, valueAtRaise: v === null || v === undefined ? null : String(v), raisedBy: actor.userId, raisedOrgId: actor.orgId })
        .returning();
      await recordAudit(tx, actor, { action: 'share.objection.raise', entityType: 'share_objection', entityId: o.id, orgId: shape.providerOrgId, after: { resourceId, column: input.column } });
      return this.objectionView(o);
    });
  }

  async listObjections(actor: Actor, f: { box: 'raised' | 'received' | 'all'; state?: string; resourceId?: string; limit: number; offset: number }) {
    if (!can(actor, SHARE.requestCreate) && !can(actor, SHARE.requestAnswer)) throw errors.forbidden('requires share.request.create or share.request.answer');
    const conds: SQL[] = [];
    const raisedIds = can(actor, SHARE.requestCreate) ? await this.deps.orgs.visibleIds(actor, SHARE.requestCreate) : [];
    const receivedIds = can(actor, SHARE.requestAnswer) ? await this.deps.orgs.visibleIds(actor, SHARE.requestAnswer) : [];
    const side = (col: typeof shareObjections.raisedOrgId | typeof shareObjections.providerOrgId, ids: string[] | undefined): SQL | undefined => (ids === undefined ? sql`true` : ids.length ? inArray(col, ids) : undefined);
    const raised = side(shareObjections.raisedOrgId, raisedIds);
    const received = side(shareObjections.providerOrgId, receivedIds);
    const mine = actor.userId ? eq(shareObjections.raisedBy, actor.userId) : undefined;
    let scope: SQL | undefined;
    if (f.box === 'raised') scope = or(...[raised, mine].filter((x): x is SQL => !!x));
    else if (f.box === 'received') scope = received;
    else scope = or(...[raised, received, mine].filter((x): x is SQL => !!x));
    if (!scope) return { items: [], total: 0, limit: f.limit, offset: f.offset };
    conds.push(scope);
    if (f.state) conds.push(eq(shareObjections.state, f.state));
    if (f.resourceId) conds.push(eq(shareObjections.resourceId, f.resourceId));
    const where = and(...conds);
    const items = await this.db.select().from(shareObjections).where(where).orderBy(desc(shareObjections.createdAt), desc(shareObjections.id)).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(shareObjections).where(where);
    return { items: items.map((o) => this.objectionView(o, receivedIds === undefined || (!!o.providerOrgId && receivedIds.includes(o.providerOrgId)))), total: n, limit: f.limit, offset: f.offset };
  }

  private async providerObjection(actor: Actor, id: string): Promise<ObjectionRow> {
    requirePermission(actor, SHARE.requestAnswer);
    const [o] = await this.db.select().from(shareObjections).where(eq(shareObjections.id, id));
    if (!o) throw errors.notFound('objection');
    if (!(await this.tables.canProvide(actor, o.providerOrgId, SHARE.requestAnswer))) throw errors.forbidden('only the providing department answers an objection');
    return o;
  }

  async answerObjection(actor: Actor, id: string, input: { accepted: boolean; answer: string }) {
    const o = await this.providerObjection(actor, id);
    if (o.state !== 'raised') throw errors.conflict(`the objection is ${o.state}, not raised`);
    return inTransaction(this.db, async (tx) => {
      const [u] = await tx
        .update(shareObjections)
        .set({ state: input.accepted ? 'answered' : 'rejected', accepted: input.accepted, answer: input.answer, answeredBy: actor.userId, answeredAt: new Date() })
        .where(and(eq(shareObjections.id, id), eq(shareObjections.state, 'raised')))
        .returning();
      if (!u) throw errors.conflict('the objection was answered meanwhile');
      await recordAudit(tx, actor, { action: 'share.objection.answer', entityType: 'share_objection', entityId: id, orgId: o.providerOrgId, before: { state: o.state }, after: { state: u.state, accepted: input.accepted } });
      return this.objectionView(u, true);
    });
  }

  /** answered → corrected (fixed by hand), corrected | rejected → closed. */
  async resolveObjection(actor: Actor, id: string, input: { note: string }) {
    const o = await this.providerObjection(actor, id);
    const next = o.state === 'answered' ? 'corrected' : o.state === 'corrected' || o.state === 'rejected' ? 'closed' : null;
    if (!next) throw errors.conflict(`an objection that is ${o.state} cannot be resolved`);
    return inTransaction(this.db, async (tx) => {
      const [u] = await tx
        .update(shareObjections)
        .set({ state: next, resolveNote: input.note, ...(next === 'corrected' ? { correctedAt: new Date() } : { closedAt: new Date() }) })
        .where(and(eq(shareObjections.id, id), eq(shareObjections.state, o.state)))
        .returning();
      if (!u) throw errors.conflict('the objection changed meanwhile');
      await recordAudit(tx, actor, { action: 'share.objection.resolve', entityType: 'share_objection', entityId: id, orgId: o.providerOrgId, before: { state: o.state }, after: { state: next } });
      return this.objectionView(u, true);
    });
  }
}
