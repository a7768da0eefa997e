// Staff work on items: create, edit (a draft in place, a published item as pending changes), publish
// as immutable versions, retire, delete a never-published draft; reading an item, its versions, the
// counts and the export pages.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import { type DbOrTx, inTransaction, type Tx } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import type { Org } from '../org';
import { EDITABLE_KEYS, type ItemDefinition } from './model';
import { type CatalogueCore, definitionOf, type Item, type ItemFilter, type ItemRow, type NewItem, SVC } from './svc.core';
import { svcBundleItems, svcHallItems, svcItems, svcItemVersions } from './svc.schema';

const OWNER_KINDS = new Set(['department', 'subunit', 'district']);

function withDefaults(i: NewItem): ItemDefinition {
  return {
    name: i.name.trim(),
    kind: i.kind,
    applicantType: i.applicantType,
    legalDays: i.legalDays,
    promisedDays: i.promisedDays,
    mode: i.mode,
    description: i.description ?? '',
    keywords: i.keywords ?? [],
    materials: i.materials ?? [],
    form: i.form ?? { fields: [] },
    fees: i.fees ?? { free: true, items: [] },
    legalBasis: i.legalBasis ?? '',
    zones: i.zones ?? [],
  };
}

export class CatalogueItems {
  constructor(private readonly core: CatalogueCore) {}

  /**
   * Everything a write needs from outside the item's transaction, read before it opens: the actor's
   * scope check and the owner organisation. (The owner of an item never changes.)
   */
  private async writeContext(actor: Actor, id: string, permission: string): Promise<{ owner: Org | null; owners: Map<string, Org> }> {
    const scope = await this.core.ownerScope(actor, permission);
    const [pre] = await this.core.db.select({ ownerOrgId: svcItems.ownerOrgId }).from(svcItems).where(eq(svcItems.id, id));
    if (!pre || (scope && !scope.includes(pre.ownerOrgId))) throw errors.notFound('service item');
    const owner = await this.core.orgs.byId(pre.ownerOrgId);
    await this.core.prepare();
    return { owner, owners: owner ? new Map([[owner.id, owner]]) : new Map() };
  }

  private async loadForWrite(tx: Tx, id: string): Promise<ItemRow> {
    const [r] = await tx.select().from(svcItems).where(eq(svcItems.id, id)).for('update');
    if (!r) throw errors.notFound('service item');
    return r;
  }

  async create(actor: Actor, input: NewItem): Promise<Item> {
    const scope = await this.core.ownerScope(actor, SVC.itemWrite);
    const owner = await this.core.orgs.byId(input.ownerOrgId);
    if (!owner || !OWNER_KINDS.has(owner.kind)) throw errors.field('/body/ownerOrgId', 'not a department or district');
    if (scope && !scope.includes(owner.id)) throw errors.forbidden('the owner is outside your scope');
    const def = withDefaults(input);
    const errs = await this.core.validateDefinition(def);
    if (errs.length) throw errors.validation(errs);
    const districtCode = await this.core.districtOf(owner);
    await this.core.prepare();
    return inTransaction(this.core.db, async (tx) => {
      const [dup] = await tx.select({ id: svcItems.id }).from(svcItems).where(and(eq(svcItems.ownerOrgId, owner.id), eq(svcItems.name, def.name)));
      if (dup) throw errors.conflict(`${owner.name} already has an item named ${def.name}`);
      const code = await this.core.nextCode(tx, owner.code, def.kind);
      const [row] = await tx
        .insert(svcItems)
        .values({ ...def, code, ownerOrgId: owner.id, districtCode, status: 'draft', searchVector: await this.core.vectorOf(def, code, owner.name) })
        .returning();
      await recordAudit(tx, actor, { action: 'svc.item.create', entityType: 'svc_item', entityId: row.id, orgId: owner.id, after: { code, ...def } });
      return this.core.toItem(row, new Map([[owner.id, owner]]));
    });
  }

  /**
   * Edit an item. A draft changes in place; a published or retired item collects the edits as pending
   * changes, which the public does not see until the next publication makes them a new version.
   */
  async update(actor: Actor, id: string, patch: Partial<ItemDefinition>): Promise<Item> {
    const { owner, owners } = await this.writeContext(actor, id, SVC.itemWrite);
    return inTransaction(this.core.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      const current = definitionOf(r);
      const base = r.status === 'draft' ? current : { ...current, ...((r.pending as Partial<ItemDefinition> | null) ?? {}) };
      const next: ItemDefinition = { ...base, ...patch, name: (patch.name ?? base.name).trim() };
      const errs = await this.core.validateDefinition(next);
      if (errs.length) throw errors.validation(errs);
      if (next.name !== r.name) {
        const [dup] = await tx.select({ id: svcItems.id }).from(svcItems).where(and(eq(svcItems.ownerOrgId, r.ownerOrgId), eq(svcItems.name, next.name)));
        if (dup && dup.id !== id) throw errors.conflict(`the owner already has an item named ${next.name}`);
      }
      let row: ItemRow;
      if (r.status === 'draft') {
        [row] = await tx
          .update(svcItems)
          .set({ ...next, searchVector: await this.core.vectorOf(next, r.code, owner?.name ?? ''), updatedAt: new Date() })
          .where(eq(svcItems.id, id))
          .returning();
      } else {
        const pending = Object.fromEntries(EDITABLE_KEYS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k])).map((k) => [k, next[k]]));
        [row] = await tx
          .update(svcItems)
          .set({ pending: Object.keys(pending).length ? pending : null, updatedAt: new Date() })
          .where(eq(svcItems.id, id))
          .returning();
      }
      await recordAudit(tx, actor, {
        action: 'svc.item.update',
        entityType: 'svc_item',
        entityId: id,
        orgId: r.ownerOrgId,
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, base[k as keyof ItemDefinition]])),
        after: patch,
        note: { status: r.status, pending: r.status !== 'draft' },
      });
      return this.core.toItem(row, owners);
    });
  }

  /** Publish: a draft becomes version 1; a published or retired item with pending edits becomes the next version. */
  async publish(actor: Actor, id: string): Promise<Item> {
    const { owner, owners } = await this.writeContext(actor, id, SVC.itemPublish);
    return inTransaction(this.core.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      const pending = r.pending as Partial<ItemDefinition> | null;
      if (r.status === 'published' && !pending) throw errors.conflict('the item is published and has no changes to publish');
      const def: ItemDefinition = { ...definitionOf(r), ...(pending ?? {}) };
      const changed = r.version === null || !!pending;
      const version = changed ? (r.version ?? 0) + 1 : r.version!;
      const errs = await this.core.validateDefinition(def);
      if (errs.length) throw errors.validation(errs, 'the item cannot be published as it is: fix these first');
      const [row] = await tx
        .update(svcItems)
        .set({ ...def, status: 'published', version, pending: null, searchVector: await this.core.vectorOf(def, r.code, owner?.name ?? ''), updatedAt: new Date() })
        .where(eq(svcItems.id, id))
        .returning();
      if (changed) await tx.insert(svcItemVersions).values({ itemId: id, version, snapshot: this.core.snapshot(row), publishedBy: actor.userId });
      await recordAudit(tx, actor, { action: 'svc.item.publish', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { status: r.status, version: r.version }, after: { status: 'published', version }, note: pending ? { changed: Object.keys(pending) } : undefined });
      return this.core.toItem(row, owners);
    });
  }

  async retire(actor: Actor, id: string, reason: string): Promise<Item> {
    const { owners } = await this.writeContext(actor, id, SVC.itemPublish);
    return inTransaction(this.core.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      if (r.status !== 'published') throw errors.conflict(`only a published item can be retired (this one is ${r.status})`);
      const [row] = await tx.update(svcItems).set({ status: 'retired', updatedAt: new Date() }).where(eq(svcItems.id, id)).returning();
      await recordAudit(tx, actor, { action: 'svc.item.retire', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { status: r.status }, after: { status: 'retired' }, note: { reason } });
      return this.core.toItem(row, owners);
    });
  }

  /** Only a never-published draft can be deleted (versions are kept for the applications made under them). */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.writeContext(actor, id, SVC.itemWrite);
    await inTransaction(this.core.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      if (r.version !== null) throw errors.conflict('a published item is retired, not deleted');
      await tx.delete(svcHallItems).where(eq(svcHallItems.itemId, id));
      await tx.delete(svcBundleItems).where(eq(svcBundleItems.itemId, id));
      await tx.delete(svcItems).where(eq(svcItems.id, id));
      await recordAudit(tx, actor, { action: 'svc.item.delete', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { code: r.code, name: r.name } });
    });
  }

  async get(actor: Actor, id: string): Promise<Item & { versions: { version: number; publishedAt: string }[] }> {
    const scope = await this.core.ownerScope(actor, SVC.itemRead);
    const [r] = await this.core.db.select().from(svcItems).where(eq(svcItems.id, id));
    if (!r || (scope && !scope.includes(r.ownerOrgId))) throw errors.notFound('service item');
    const versions = await this.core.db
      .select({ version: svcItemVersions.version, publishedAt: svcItemVersions.publishedAt })
      .from(svcItemVersions)
      .where(eq(svcItemVersions.itemId, id))
      .orderBy(asc(svcItemVersions.version));
    return { ...(await this.core.toItem(r, await this.core.orgs.namesOf([r.ownerOrgId]))), versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString() })) };
  }

  /** A published version as it was published: what an application made under it must use. No actor: versions are public facts. */
  async version(itemId: string, version: number): Promise<(ItemDefinition & { code: string; ownerOrgId: string; districtCode: string | null; version: number; publishedAt: string }) | null> {
    const [v] = await this.core.db
      .select()
      .from(svcItemVersions)
      .where(and(eq(svcItemVersions.itemId, itemId), eq(svcItemVersions.version, version)));
    return v ? { ...(v.snapshot as ItemDefinition & { code: string; ownerOrgId: string; districtCode: string | null }), version: v.version, publishedAt: v.publishedAt.toISOString() } : null;
  }

  /** Count a use of an item (applications call this); feeds the search ranking. */
  async bumpPopularity(tx: DbOrTx, itemId: string, by = 1): Promise<void> {
    await tx.update(svcItems).set({ popularity: sql`${svcItems.popularity} + ${by}` }).where(eq(svcItems.id, itemId));
  }

  /** Items by owner and status, for the console statistics. */
  async counts(actor: Actor): Promise<{ byStatus: Record<string, number>; departments: number; districts: number }> {
    const scope = await this.core.ownerScope(actor, SVC.itemRead);
    const where = scope ? (scope.length ? inArray(svcItems.ownerOrgId, scope) : sql`false`) : undefined;
    const r = await this.core.db.select({ status: svcItems.status, district: sql<boolean>`${svcItems.districtCode} is not null`, n: sql<number>`count(*)::int` }).from(svcItems).where(where).groupBy(svcItems.status, sql`${svcItems.districtCode} is not null`);
    const byStatus: Record<string, number> = {};
    let departments = 0;
    let districts = 0;
    for (const x of r) {
      byStatus[x.status] = (byStatus[x.status] ?? 0) + Number(x.n);
      if (x.district) districts += Number(x.n);
      else departments += Number(x.n);
    }
    return { byStatus, departments, districts };
  }

  /** Items in code order after `afterCode`, for streaming exports. */
  async exportPage(scope: string[] | undefined, afterCode: string, limit: number, f: Pick<ItemFilter, 'status' | 'department' | 'district'>): Promise<ItemRow[]> {
    const conds: SQL[] = [sql`${svcItems.code} > ${afterCode}`];
    if (scope) conds.push(scope.length ? inArray(svcItems.ownerOrgId, scope) : sql`false`);
    if (f.status) conds.push(eq(svcItems.status, f.status));
    if (f.district) conds.push(eq(svcItems.districtCode, f.district));
    if (f.department) {
      const org = await this.core.orgs.byCode(f.department);
      conds.push(org ? eq(svcItems.ownerOrgId, org.id) : sql`false`);
    }
    return this.core.db.select().from(svcItems).where(and(...conds)).orderBy(asc(svcItems.code)).limit(limit);
  }
}
