// Search and browse: the staff list and the portal search (Chinese bigrams, synonyms, typo tolerance,
// highlights), a published item for the portal, and the browse facets (departments, sub-halls, zones,
// bundles).
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { rows } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import { highlight, lexeme, orQuery, planQuery } from '../../platform/search';
import type { FormDefinition } from './form';
import { type CatalogueCore, type Item, type ItemFilter, type SearchPage, SVC } from './svc.core';
import { svcBundleItems, svcBundles, svcHallItems, svcHalls, svcItems } from './svc.schema';

export class CatalogueSearch {
  constructor(private readonly core: CatalogueCore) {}

  /** Staff list/search: drafts included, limited to the actor's owners. */
  async list(actor: Actor, f: ItemFilter): Promise<SearchPage> {
    const scope = await this.core.ownerScope(actor, SVC.itemRead);
    return this.search(f, { scope, publishedOnly: false });
  }

  /** Portal search and browse: published items only. */
  async publicSearch(f: Omit<ItemFilter, 'status'>): Promise<SearchPage> {
    return this.search(f, { publishedOnly: true });
  }

  private async filterConditions(f: ItemFilter, o: { scope?: string[]; publishedOnly: boolean }): Promise<SQL[] | null> {
    const conds: SQL[] = [];
    if (o.publishedOnly) conds.push(sql`i.status = 'published'`);
    else if (f.status) conds.push(sql`i.status = ${f.status}`);
    if (o.scope) {
      if (!o.scope.length) return null;
      conds.push(sql`i.owner_org_id in (${sql.join(o.scope.map((x) => sql`${x}::uuid`), sql`, `)})`);
    }
    if (f.department) {
      const org = await this.core.orgs.byCode(f.department);
      if (!org) return null;
      conds.push(sql`i.owner_org_id = ${org.id}::uuid`);
    }
    if (f.district) {
      conds.push(sql`(i.district_code = ${f.district} or i.id in (select hi.item_id from svc_hall_items hi join svc_halls h on h.id = hi.hall_id where h.district_code = ${f.district}))`);
    }
    if (f.zone) conds.push(sql`i.zones @> array[${f.zone}]::text[]`);
    if (f.applicant === 'person' || f.applicant === 'enterprise') conds.push(sql`i.applicant_type in (${f.applicant}, 'both')`);
    else if (f.applicant) conds.push(sql`i.applicant_type = 'both'`);
    if (f.mode) conds.push(sql`i.mode = ${f.mode}`);
    return conds;
  }

  async search(f: ItemFilter, o: { scope?: string[]; publishedOnly: boolean }): Promise<SearchPage> {
    const empty: SearchPage = { items: [], total: 0, limit: f.limit, offset: f.offset, expanded: [] };
    const conds = await this.filterConditions(f, o);
    if (!conds) return empty;
    const plan = f.q?.trim() ? planQuery(f.q, await this.core.synonyms()) : null;
    if (f.q?.trim() && !plan) return empty;
    const cols = sql`i.id, i.code, i.name, i.kind, i.applicant_type as "applicantType", i.mode, i.legal_days as "legalDays", i.promised_days as "promisedDays",
      i.owner_org_id as "ownerOrgId", i.district_code as "districtCode", i.zones, i.status, i.version, i.popularity, i.is_demo as "isDemo"`;
    type Row = Parameters<CatalogueCore['summary']>[0] & { score: number; total: number };
    let result: Row[];
    if (!plan) {
      result = await rows<Row>(
        this.core.db,
        sql`select ${cols}, 0::float8 as score, count(*) over() as total from svc_items i
            where ${and(...conds) ?? sql`true`} order by i.popularity desc, i.code limit ${f.limit} offset ${f.offset}`,
      );
    } else {
      const orq = orQuery(plan.allGrams);
      const matchCols = plan.alternatives.map((a, n) => sql`(${sql.join(a.grams.map((g) => sql`(i.search_vector @@ ${lexeme(g)}::tsquery)::int`), sql` + `)}) as ${sql.raw(`m${n}`)}`);
      const enough = plan.alternatives.map((a, n) => sql`${sql.raw(`c.m${n}`)} >= ${a.minMatch}`);
      const ratio = plan.alternatives.map((a, n) => sql`${sql.raw(`c.m${n}`)}::float8 / ${a.grams.length}`);
      const texts = plan.alternatives.map((a) => a.text);
      const typed = f.q!.trim();
      result = await rows<Row>(
        this.core.db,
        sql`with c as (
              select i.id, ts_rank(i.search_vector, ${orq}::tsquery) as r, ${sql.join(matchCols, sql`, `)}
              from svc_items i
              where i.search_vector @@ ${orq}::tsquery and ${and(...conds) ?? sql`true`}
            )
            select ${cols},
              (c.r + 2.0 * greatest(${sql.join(ratio, sql`, `)}, 0)
                + case when i.name in (${sql.join([typed, ...texts].map((t) => sql`${t}`), sql`, `)}) then 6 else 0 end
                + case when starts_with(i.name, ${typed}) or ${sql.join(texts.map((t) => sql`starts_with(i.name, ${t})`), sql` or `)} then 2 else 0 end
                + case when strpos(i.name, ${typed}) > 0 or ${sql.join(texts.map((t) => sql`strpos(i.name, ${t}) > 0`), sql` or `)} then 1.5 else 0 end
                + ln(1 + i.popularity) * 0.05)::float8 as score,
              count(*) over() as total
            from c join svc_items i on i.id = c.id
            where ${sql.join(enough, sql` or `)}
            order by score desc, i.popularity desc, i.code
            limit ${f.limit} offset ${f.offset}`,
      );
    }
    const owners = await this.core.orgs.namesOf(result.map((r) => r.ownerOrgId));
    const needles = plan ? [...plan.allGrams, ...plan.alternatives.map((a) => a.text)] : [];
    return {
      items: result.map((r) => ({ ...this.core.summary(r, owners), score: Number(r.score), highlight: plan ? highlight(r.name, needles) : [{ text: r.name, match: false }] })),
      total: Number(result[0]?.total ?? 0),
      limit: f.limit,
      offset: f.offset,
      expanded: plan?.expanded ?? [],
    };
  }

  /** A published item by code for the portal (the latest published version's content). */
  async publicItem(code: string): Promise<Item & { bundles: { code: string; name: string }[]; halls: string[] }> {
    const [r] = await this.core.db.select().from(svcItems).where(and(eq(svcItems.code, code), eq(svcItems.status, 'published')));
    if (!r) throw errors.notFound('service item');
    const bundles = await this.core.db
      .select({ code: svcBundles.code, name: svcBundles.name })
      .from(svcBundleItems)
      .innerJoin(svcBundles, eq(svcBundles.id, svcBundleItems.bundleId))
      .where(and(eq(svcBundleItems.itemId, r.id), eq(svcBundles.status, 'published')));
    const halls = await this.core.db.select({ code: svcHalls.districtCode }).from(svcHallItems).innerJoin(svcHalls, eq(svcHalls.id, svcHallItems.hallId)).where(eq(svcHallItems.itemId, r.id));
    const item = await this.core.toItem(r, await this.core.orgs.namesOf([r.ownerOrgId]));
    return { ...item, pending: null, bundles, halls: [...new Set([...(r.districtCode ? [r.districtCode] : []), ...halls.map((h) => h.code)])] };
  }

  // ---- browse facets -----------------------------------------------------------------------------

  async departments(): Promise<{ id: string; code: string; name: string; items: number }[]> {
    const r = await rows<{ owner: string; n: number }>(
      this.core.db,
      sql`select owner_org_id as owner, count(*)::int as n from svc_items where status = 'published' and district_code is null group by owner_org_id`,
    );
    const owners = await this.core.orgs.namesOf(r.map((x) => x.owner));
    return r
      .map((x) => ({ id: x.owner, code: owners.get(x.owner)?.code ?? '', name: owners.get(x.owner)?.name ?? '', items: Number(x.n) }))
      .sort((a, b) => b.items - a.items || a.code.localeCompare(b.code));
  }

  async halls(): Promise<{ id: string; districtCode: string; name: string; address: string; ownItems: number; cityItems: number }[]> {
    return rows(
      this.core.db,
      sql`select h.id, h.district_code as "districtCode", h.name, h.address,
            (select count(*)::int from svc_items i where i.district_code = h.district_code and i.status = 'published') as "ownItems",
            (select count(*)::int from svc_hall_items hi join svc_items i on i.id = hi.item_id where hi.hall_id = h.id and i.status = 'published') as "cityItems"
          from svc_halls h order by h.district_code`,
    );
  }

  async zones(category?: string): Promise<{ id: string; code: string; name: string; nameEn: string; category: string; items: number; bundles: { code: string; name: string }[] }[]> {
    const r = await rows<{ id: string; code: string; name: string; nameEn: string; category: string; items: number }>(
      this.core.db,
      sql`select z.id, z.code, z.name, z.name_en as "nameEn", z.category,
            (select count(*)::int from svc_items i where i.zones @> array[z.code]::text[] and i.status = 'published') as items
          from svc_zones z where z.active ${category ? sql`and z.category = ${category}` : sql``} order by z.sort, z.code`,
    );
    const bundles = await this.core.db.select({ code: svcBundles.code, name: svcBundles.name, zone: svcBundles.zone }).from(svcBundles).where(eq(svcBundles.status, 'published'));
    return r.map((z) => ({ ...z, items: Number(z.items), bundles: bundles.filter((b) => b.zone === z.code).map(({ code, name }) => ({ code, name })) }));
  }

  async bundles(): Promise<{ id: string; code: string; name: string; description: string; zone: string | null; items: { id: string; code: string; name: string; position: number }[] }[]> {
    const bs = await this.core.db.select().from(svcBundles).where(eq(svcBundles.status, 'published')).orderBy(asc(svcBundles.code));
    const members = await this.core.db
      .select({ bundleId: svcBundleItems.bundleId, id: svcItems.id, code: svcItems.code, name: svcItems.name, position: svcBundleItems.position })
      .from(svcBundleItems)
      .innerJoin(svcItems, eq(svcItems.id, svcBundleItems.itemId))
      .orderBy(asc(svcBundleItems.position));
    return bs.map((b) => ({ id: b.id, code: b.code, name: b.name, description: b.description, zone: b.zone, items: members.filter((m) => m.bundleId === b.id).map(({ id, code, name, position }) => ({ id, code, name, position })) }));
  }

  async bundle(code: string) {
    const [b] = await this.core.db.select().from(svcBundles).where(and(eq(svcBundles.code, code), eq(svcBundles.status, 'published')));
    if (!b) throw errors.notFound('bundle');
    const members = await this.core.db
      .select({ id: svcItems.id, code: svcItems.code, name: svcItems.name, position: svcBundleItems.position, fieldMap: svcBundleItems.fieldMap, status: svcItems.status })
      .from(svcBundleItems)
      .innerJoin(svcItems, eq(svcItems.id, svcBundleItems.itemId))
      .where(eq(svcBundleItems.bundleId, b.id))
      .orderBy(asc(svcBundleItems.position));
    return { id: b.id, code: b.code, name: b.name, description: b.description, zone: b.zone, form: b.form as FormDefinition, items: members.map((m) => ({ ...m, fieldMap: m.fieldMap as Record<string, string> })) };
  }
}
