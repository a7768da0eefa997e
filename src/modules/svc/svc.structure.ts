// The catalogue's structure (svc.catalogue.manage): themed zones, the city items a district sub-hall
// handles, "one thing" bundles, and the search synonyms.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../platform/auth/actor';
import { inTransaction, rows } from '../../platform/db/client';
import { errors, type FieldError } from '../../platform/http/problem';
import { validateFormDefinition } from './form';
import type { ItemDefinition } from './model';
import { type CatalogueCore, SVC } from './svc.core';
import { svcBundleItems, svcBundles, svcHallItems, svcHalls, svcItems, svcSynonyms, svcZones } from './svc.schema';

export class CatalogueStructure {
  constructor(private readonly core: CatalogueCore) {}

  async upsertZone(actor: Actor, z: { code: string; name: string; nameEn: string; category: string; sort?: number; active?: boolean }) {
    requirePermission(actor, SVC.catalogueManage);
    const out = await inTransaction(this.core.db, async (tx) => {
      const [before] = await tx.select().from(svcZones).where(eq(svcZones.code, z.code));
      const [clash] = await tx.select().from(svcZones).where(eq(svcZones.name, z.name));
      if (clash && clash.code !== z.code) throw errors.conflict(`zone name ${z.name} is used by ${clash.code}`);
      const [row] = await tx
        .insert(svcZones)
        .values({ code: z.code, name: z.name, nameEn: z.nameEn, category: z.category, sort: z.sort ?? 100, active: z.active ?? true })
        .onConflictDoUpdate({ target: svcZones.code, set: { name: z.name, nameEn: z.nameEn, category: z.category, sort: z.sort ?? before?.sort ?? 100, active: z.active ?? true } })
        .returning();
      await recordAudit(tx, actor, { action: before ? 'svc.zone.update' : 'svc.zone.create', entityType: 'svc_zone', entityId: row.id, before: before ?? null, after: row });
      return { zone: row, created: !before };
    });
    this.core.forgetZones();
    return out;
  }

  /** Add or remove city items a district sub-hall handles. */
  async setHallItems(actor: Actor, districtCode: string, change: { add?: string[]; remove?: string[] }) {
    requirePermission(actor, SVC.catalogueManage);
    return inTransaction(this.core.db, async (tx) => {
      const [hall] = await tx.select().from(svcHalls).where(eq(svcHalls.districtCode, districtCode));
      if (!hall) throw errors.notFound(`sub-hall ${districtCode}`);
      const add = [...new Set(change.add ?? [])];
      if (add.length) {
        const found = await tx.select({ id: svcItems.id, districtCode: svcItems.districtCode }).from(svcItems).where(inArray(svcItems.id, add));
        const problems: FieldError[] = [];
        add.forEach((id, i) => {
          const it = found.find((x) => x.id === id);
          if (!it) problems.push({ path: `/body/add/${i}`, message: 'no such item' });
          else if (it.districtCode) problems.push({ path: `/body/add/${i}`, message: 'only city-level items are handled by a sub-hall; district items belong to their own' });
        });
        if (problems.length) throw errors.validation(problems);
        await tx.insert(svcHallItems).values(add.map((itemId) => ({ hallId: hall.id, itemId }))).onConflictDoNothing();
      }
      if (change.remove?.length) await tx.delete(svcHallItems).where(and(eq(svcHallItems.hallId, hall.id), inArray(svcHallItems.itemId, change.remove)));
      await recordAudit(tx, actor, { action: 'svc.hall.items', entityType: 'svc_hall', entityId: hall.id, orgId: hall.districtOrgId, note: { add, remove: change.remove ?? [] } });
      const [{ n }] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from svc_hall_items where hall_id = ${hall.id}::uuid`);
      return { districtCode, cityItems: Number(n) };
    });
  }

  async upsertBundle(actor: Actor, b: { code: string; name: string; description?: string; zone?: string | null; form?: ItemDefinition['form']; items: { itemId: string; fieldMap?: Record<string, string> }[]; status?: 'published' | 'retired' }) {
    requirePermission(actor, SVC.catalogueManage);
    const errs: FieldError[] = validateFormDefinition(b.form ?? { fields: [] }, '/body/form');
    if (b.zone && !(await this.core.zoneMap()).has(b.zone)) errs.push({ path: '/body/zone', message: 'no such zone' });
    const ids = b.items.map((x) => x.itemId);
    if (new Set(ids).size !== ids.length) errs.push({ path: '/body/items', message: 'an item is listed twice' });
    const found = ids.length ? await this.core.db.select({ id: svcItems.id, form: svcItems.form }).from(svcItems).where(inArray(svcItems.id, ids)) : [];
    const bundleKeys = new Set((b.form?.fields ?? []).map((f) => f.key));
    b.items.forEach((m, i) => {
      const it = found.find((x) => x.id === m.itemId);
      if (!it) return errs.push({ path: `/body/items/${i}/itemId`, message: 'no such item' });
      const itemKeys = new Set(((it.form as ItemDefinition['form']).fields ?? []).map((f) => f.key));
      for (const [from, to] of Object.entries(m.fieldMap ?? {})) {
        if (!bundleKeys.has(from)) errs.push({ path: `/body/items/${i}/fieldMap/${from}`, message: 'not a field of the bundle form' });
        if (!itemKeys.has(to)) errs.push({ path: `/body/items/${i}/fieldMap/${from}`, message: `the item has no field ${to}` });
      }
    });
    if (errs.length) throw errors.validation(errs);
    return inTransaction(this.core.db, async (tx) => {
      const [before] = await tx.select().from(svcBundles).where(eq(svcBundles.code, b.code));
      const values = { code: b.code, name: b.name, description: b.description ?? '', zone: b.zone ?? null, form: b.form ?? { fields: [] }, status: b.status ?? 'published', updatedAt: new Date() };
      const [row] = before
        ? await tx.update(svcBundles).set(values).where(eq(svcBundles.id, before.id)).returning()
        : await tx.insert(svcBundles).values(values).returning();
      await tx.delete(svcBundleItems).where(eq(svcBundleItems.bundleId, row.id));
      if (b.items.length) await tx.insert(svcBundleItems).values(b.items.map((m, position) => ({ bundleId: row.id, itemId: m.itemId, position, fieldMap: m.fieldMap ?? {} })));
      await recordAudit(tx, actor, { action: before ? 'svc.bundle.update' : 'svc.bundle.create', entityType: 'svc_bundle', entityId: row.id, before: before ?? null, after: { ...values, items: b.items } });
      return { id: row.id, code: row.code, created: !before };
    });
  }

  async listSynonyms(): Promise<{ term: string; expansions: string[] }[]> {
    return this.core.db.select({ term: svcSynonyms.term, expansions: svcSynonyms.expansions }).from(svcSynonyms).orderBy(asc(svcSynonyms.term));
  }

  async setSynonym(actor: Actor, term: string, expansions: string[]) {
    requirePermission(actor, SVC.catalogueManage);
    const t = term.trim();
    const ex = [...new Set(expansions.map((e) => e.trim()).filter((e) => e && e !== t))];
    if (!ex.length) throw errors.field('/body/expansions', 'give at least one expansion different from the term');
    await inTransaction(this.core.db, async (tx) => {
      const [before] = await tx.select().from(svcSynonyms).where(eq(svcSynonyms.term, t));
      await tx.insert(svcSynonyms).values({ term: t, expansions: ex }).onConflictDoUpdate({ target: svcSynonyms.term, set: { expansions: ex, updatedAt: new Date() } });
      await recordAudit(tx, actor, { action: 'svc.synonym.set', entityType: 'svc_synonym', entityId: t, before: before?.expansions ?? null, after: ex });
    });
    this.core.forgetSynonyms();
    return { term: t, expansions: ex };
  }

  async removeSynonym(actor: Actor, term: string) {
    requirePermission(actor, SVC.catalogueManage);
    await inTransaction(this.core.db, async (tx) => {
      const [before] = await tx.delete(svcSynonyms).where(eq(svcSynonyms.term, term)).returning();
      if (!before) throw errors.notFound(`synonym ${term}`);
      await recordAudit(tx, actor, { action: 'svc.synonym.delete', entityType: 'svc_synonym', entityId: term, before: before.expansions });
    });
    this.core.forgetSynonyms();
  }
}
