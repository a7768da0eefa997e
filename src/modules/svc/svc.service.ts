// The service catalogue: items (draft → published → retired, with immutable versions), zones, district
// sub-halls, bundles, synonyms, and the search behind the portal. Owner-scoped: staff see and change
// the items of the organisations their role covers (OrgService.visibleIds).
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Actor, requirePermission } from '../../platform/auth/actor';
import { definePermission } from '../../platform/auth/permissions';
import { type Db, type DbOrTx, inTransaction, rows, type Tx } from '../../platform/db/client';
import { errors, type FieldError } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import type { Org, OrgService } from '../org';
import { validateFormDefinition } from './form';
import { validateMaterials } from './materials';
import { EDITABLE_KEYS, type ApplicantType, type HandlingMode, type ItemDefinition, type ItemKind, type ItemStatus, ITEM_KINDS } from './model';
import { documentVector, highlight, orQuery, planQuery, synonymTable, type Segment, lexeme } from '../../platform/search';
import { svcBundleItems, svcBundles, svcHallItems, svcHalls, svcItems, svcItemVersions, svcSynonyms, svcZones } from './svc.schema';

export const SVC = {
  itemRead: definePermission('svc.item.read', '查看政务服务事项', 'View service items (including drafts)'),
  itemWrite: definePermission('svc.item.write', '编辑政务服务事项', 'Create and edit service items'),
  itemPublish: definePermission('svc.item.publish', '发布和下线政务服务事项', 'Publish and retire service items'),
  catalogueManage: definePermission('svc.catalogue.manage', '管理事项目录结构', 'Manage zones, sub-halls, bundles and search synonyms'),
} as const;

type ItemRow = typeof svcItems.$inferSelect;

export interface ItemSummary {
  id: string;
  code: string;
  name: string;
  kind: ItemKind;
  applicantType: ApplicantType;
  mode: HandlingMode;
  legalDays: number;
  promisedDays: number;
  owner: { id: string; code: string; name: string } | null;
  districtCode: string | null;
  zones: string[];
  status: ItemStatus;
  version: number | null;
  popularity: number;
  isDemo: boolean;
}

export interface Item extends ItemSummary, ItemDefinition {
  pending: Partial<ItemDefinition> | null;
  createdAt: string;
  updatedAt: string;
}

export interface SearchHit extends ItemSummary {
  score: number;
  highlight: Segment[];
}

export interface ItemFilter {
  q?: string;
  department?: string;
  district?: string;
  zone?: string;
  applicant?: ApplicantType;
  mode?: HandlingMode;
  status?: ItemStatus;
  limit: number;
  offset: number;
}

export interface SearchPage extends Page<SearchHit> {
  /** Abbreviations found in the query and what they were expanded to. */
  expanded: { term: string; expansions: string[] }[];
}

export interface NewItem extends Partial<ItemDefinition> {
  name: string;
  kind: ItemKind;
  applicantType: ApplicantType;
  legalDays: number;
  promisedDays: number;
  mode: HandlingMode;
  ownerOrgId: string;
}

const OWNER_KINDS = new Set(['department', 'subunit', 'district']);

export function definitionOf(r: ItemRow): ItemDefinition {
  return {
    name: r.name,
    kind: r.kind as ItemKind,
    applicantType: r.applicantType as ApplicantType,
    legalDays: r.legalDays,
    promisedDays: r.promisedDays,
    mode: r.mode as HandlingMode,
    description: r.description,
    keywords: r.keywords,
    materials: r.materials as ItemDefinition['materials'],
    form: r.form as ItemDefinition['form'],
    fees: r.fees as ItemDefinition['fees'],
    legalBasis: r.legalBasis,
    zones: r.zones,
  };
}

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

export class CatalogueService {
  private synonymsCache: ReturnType<typeof synonymTable> | null = null;
  private zonesCache: Map<string, { name: string; nameEn: string; category: string }> | null = null;
  private districtCodes: Set<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgService,
  ) {}

  // ---- look-ups shared by the rest of the module ------------------------------------------------

  async zoneMap(): Promise<Map<string, { name: string; nameEn: string; category: string }>> {
    if (!this.zonesCache) {
      const r = await this.db.select().from(svcZones);
      this.zonesCache = new Map(r.map((z) => [z.code, { name: z.name, nameEn: z.nameEn, category: z.category }]));
    }
    return this.zonesCache;
  }

  async synonyms() {
    if (!this.synonymsCache) {
      const r = await this.db.select().from(svcSynonyms);
      this.synonymsCache = synonymTable(new Map(r.map((s) => [s.term, s.expansions])));
    }
    return this.synonymsCache;
  }

  invalidateCaches() {
    this.synonymsCache = null;
    this.zonesCache = null;
    this.districtCodes = null;
  }

  private async districts(): Promise<Set<string>> {
    if (!this.districtCodes) this.districtCodes = new Set((await this.orgs.publicCity()).districts.map((d) => d.code));
    return this.districtCodes;
  }

  /** The district whose sub-hall an owner belongs to, or null for a city-level owner. */
  async districtOf(owner: Org): Promise<string | null> {
    if (owner.kind === 'district') return owner.code;
    return (await this.districts()).has(owner.divisionCode) ? owner.divisionCode : null;
  }

  /** The tsvector literal of an item: name and code (A), keywords (B), owner and zone names (C), description (D). */
  async vectorOf(def: ItemDefinition, code: string, ownerName: string): Promise<string> {
    const zones = await this.zoneMap();
    return documentVector([
      { text: `${def.name} ${code}`, weight: 'A' },
      { text: def.keywords.join(' '), weight: 'B' },
      { text: [ownerName, ...def.zones.map((z) => zones.get(z)?.name ?? '')].join(' '), weight: 'C' },
      { text: def.description, weight: 'D' },
    ]);
  }

  async validateDefinition(def: ItemDefinition, base = '/body'): Promise<FieldError[]> {
    const errs: FieldError[] = [];
    if (!def.name || def.name.length > 100) errs.push({ path: `${base}/name`, message: 'between 1 and 100 characters' });
    if (!(def.kind in ITEM_KINDS)) errs.push({ path: `${base}/kind`, message: 'unknown kind' });
    if (def.promisedDays > def.legalDays) errs.push({ path: `${base}/promisedDays`, message: 'the promised time limit cannot exceed the legal one' });
    if (def.legalDays < 0 || def.promisedDays < 0) errs.push({ path: `${base}/legalDays`, message: 'time limits are working days, zero or more' });
    const zones = await this.zoneMap();
    def.zones.forEach((z, i) => {
      if (!zones.has(z)) errs.push({ path: `${base}/zones/${i}`, message: `no zone ${z}` });
    });
    errs.push(...validateMaterials(def.materials, `${base}/materials`));
    errs.push(...validateFormDefinition(def.form, `${base}/form`));
    if (!def.fees.free && !def.fees.items.length) errs.push({ path: `${base}/fees`, message: 'list the fees, or mark the item free' });
    return errs;
  }

  /** Next code for an owner and kind: <owner code>-<kind code>-<4-digit serial>. Call inside the writing transaction. */
  async nextCode(tx: DbOrTx, ownerCode: string, kind: ItemKind): Promise<string> {
    const prefix = `${ownerCode}-${ITEM_KINDS[kind].code}-`;
    await tx.execute(sql`select pg_advisory_xact_lock(7020100, hashtext(${prefix}))`);
    const [r] = await rows<{ n: number | null }>(
      tx,
      sql`select max((substring(code from ${prefix.length + 1}::int))::int) as n from svc_items where starts_with(code, ${prefix}) and substring(code from ${prefix.length + 1}::int) ~ '^[0-9]+$'`,
    );
    return `${prefix}${String((r?.n ?? 0) + 1).padStart(4, '0')}`;
  }

  // ---- staff: items ------------------------------------------------------------------------------

  private async ownerScope(actor: Actor, permission: string): Promise<string[] | undefined> {
    requirePermission(actor, permission);
    return this.orgs.visibleIds(actor, permission);
  }

  /** Warm the caches transactions need: PGlite has one connection, so nothing may query outside an open transaction. */
  async prepare(): Promise<void> {
    await this.zoneMap();
    await this.districts();
  }

  /**
   * Everything a write needs from outside the item's transaction, read before it opens: the actor's
   * scope check and the owner organisation. (The owner of an item never changes.)
   */
  private async writeContext(actor: Actor, id: string, permission: string): Promise<{ owner: Org | null; owners: Map<string, Org> }> {
    const scope = await this.ownerScope(actor, permission);
    const [pre] = await this.db.select({ ownerOrgId: svcItems.ownerOrgId }).from(svcItems).where(eq(svcItems.id, id));
    if (!pre || (scope && !scope.includes(pre.ownerOrgId))) throw errors.notFound('service item');
    const owner = await this.orgs.byId(pre.ownerOrgId);
    await this.prepare();
    return { owner, owners: owner ? new Map([[owner.id, owner]]) : new Map() };
  }

  private async loadForWrite(tx: Tx, id: string): Promise<ItemRow> {
    const [r] = await tx.select().from(svcItems).where(eq(svcItems.id, id)).for('update');
    if (!r) throw errors.notFound('service item');
    return r;
  }

  async create(actor: Actor, input: NewItem): Promise<Item> {
    const scope = await this.ownerScope(actor, SVC.itemWrite);
    const owner = await this.orgs.byId(input.ownerOrgId);
    if (!owner || !OWNER_KINDS.has(owner.kind)) throw errors.field('/body/ownerOrgId', 'not a department or district');
    if (scope && !scope.includes(owner.id)) throw errors.forbidden('the owner is outside your scope');
    const def = withDefaults(input);
    const errs = await this.validateDefinition(def);
    if (errs.length) throw errors.validation(errs);
    const districtCode = await this.districtOf(owner);
    await this.prepare();
    return inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select({ id: svcItems.id }).from(svcItems).where(and(eq(svcItems.ownerOrgId, owner.id), eq(svcItems.name, def.name)));
      if (dup) throw errors.conflict(`${owner.name} already has an item named ${def.name}`);
      const code = await this.nextCode(tx, owner.code, def.kind);
      const [row] = await tx
        .insert(svcItems)
        .values({ ...def, code, ownerOrgId: owner.id, districtCode, status: 'draft', searchVector: await this.vectorOf(def, code, owner.name) })
        .returning();
      await recordAudit(tx, actor, { action: 'svc.item.create', entityType: 'svc_item', entityId: row.id, orgId: owner.id, after: { code, ...def } });
      return this.toItem(row, new Map([[owner.id, owner]]));
    });
  }

  /**
   * Edit an item. A draft changes in place; a published or retired item collects the edits as pending
   * changes, which the public does not see until the next publication makes them a new version.
   */
  async update(actor: Actor, id: string, patch: Partial<ItemDefinition>): Promise<Item> {
    const { owner, owners } = await this.writeContext(actor, id, SVC.itemWrite);
    return inTransaction(this.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      const current = definitionOf(r);
      const base = r.status === 'draft' ? current : { ...current, ...((r.pending as Partial<ItemDefinition> | null) ?? {}) };
      const next: ItemDefinition = { ...base, ...patch, name: (patch.name ?? base.name).trim() };
      const errs = await this.validateDefinition(next);
      if (errs.length) throw errors.validation(errs);
      if (next.name !== r.name) {
        const [dup] = await tx.select({ id: svcItems.id }).from(svcItems).where(and(eq(svcItems.ownerOrgId, r.ownerOrgId), eq(svcItems.name, next.name)));
        if (dup && dup.id !== id) throw errors.conflict(`the owner already has an item named ${next.name}`);
      }
      let row: ItemRow;
      if (r.status === 'draft') {
        [row] = await tx
          .update(svcItems)
          .set({ ...next, searchVector: await this.vectorOf(next, r.code, owner?.name ?? ''), updatedAt: new Date() })
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
      return this.toItem(row, owners);
    });
  }

  /** Publish: a draft becomes version 1; a published or retired item with pending edits becomes the next version. */
  async publish(actor: Actor, id: string): Promise<Item> {
    const { owner, owners } = await this.writeContext(actor, id, SVC.itemPublish);
    return inTransaction(this.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      const pending = r.pending as Partial<ItemDefinition> | null;
      if (r.status === 'published' && !pending) throw errors.conflict('the item is published and has no changes to publish');
      const def: ItemDefinition = { ...definitionOf(r), ...(pending ?? {}) };
      const changed = r.version === null || !!pending;
      const version = changed ? (r.version ?? 0) + 1 : r.version!;
      const errs = await this.validateDefinition(def);
      if (errs.length) throw errors.validation(errs, 'the item cannot be published as it is: fix these first');
      const [row] = await tx
        .update(svcItems)
        .set({ ...def, status: 'published', version, pending: null, searchVector: await this.vectorOf(def, r.code, owner?.name ?? ''), updatedAt: new Date() })
        .where(eq(svcItems.id, id))
        .returning();
      if (changed) await tx.insert(svcItemVersions).values({ itemId: id, version, snapshot: this.snapshot(row), publishedBy: actor.userId });
      await recordAudit(tx, actor, { action: 'svc.item.publish', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { status: r.status, version: r.version }, after: { status: 'published', version }, note: pending ? { changed: Object.keys(pending) } : undefined });
      return this.toItem(row, owners);
    });
  }

  async retire(actor: Actor, id: string, reason: string): Promise<Item> {
    const { owners } = await this.writeContext(actor, id, SVC.itemPublish);
    return inTransaction(this.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      if (r.status !== 'published') throw errors.conflict(`only a published item can be retired (this one is ${r.status})`);
      const [row] = await tx.update(svcItems).set({ status: 'retired', updatedAt: new Date() }).where(eq(svcItems.id, id)).returning();
      await recordAudit(tx, actor, { action: 'svc.item.retire', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { status: r.status }, after: { status: 'retired' }, note: { reason } });
      return this.toItem(row, owners);
    });
  }

  /** Only a never-published draft can be deleted (versions are kept for the applications made under them). */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.writeContext(actor, id, SVC.itemWrite);
    await inTransaction(this.db, async (tx) => {
      const r = await this.loadForWrite(tx, id);
      if (r.version !== null) throw errors.conflict('a published item is retired, not deleted');
      await tx.delete(svcHallItems).where(eq(svcHallItems.itemId, id));
      await tx.delete(svcBundleItems).where(eq(svcBundleItems.itemId, id));
      await tx.delete(svcItems).where(eq(svcItems.id, id));
      await recordAudit(tx, actor, { action: 'svc.item.delete', entityType: 'svc_item', entityId: id, orgId: r.ownerOrgId, before: { code: r.code, name: r.name } });
    });
  }

  async get(actor: Actor, id: string): Promise<Item & { versions: { version: number; publishedAt: string }[] }> {
    const scope = await this.ownerScope(actor, SVC.itemRead);
    const [r] = await this.db.select().from(svcItems).where(eq(svcItems.id, id));
    if (!r || (scope && !scope.includes(r.ownerOrgId))) throw errors.notFound('service item');
    const versions = await this.db
      .select({ version: svcItemVersions.version, publishedAt: svcItemVersions.publishedAt })
      .from(svcItemVersions)
      .where(eq(svcItemVersions.itemId, id))
      .orderBy(asc(svcItemVersions.version));
    return { ...(await this.toItem(r, await this.orgs.namesOf([r.ownerOrgId]))), versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString() })) };
  }

  /** A published version as it was published: what an application made under it must use. No actor: versions are public facts. */
  async version(itemId: string, version: number): Promise<(ItemDefinition & { code: string; ownerOrgId: string; districtCode: string | null; version: number; publishedAt: string }) | null> {
    const [v] = await this.db
      .select()
      .from(svcItemVersions)
      .where(and(eq(svcItemVersions.itemId, itemId), eq(svcItemVersions.version, version)));
    return v ? { ...(v.snapshot as ItemDefinition & { code: string; ownerOrgId: string; districtCode: string | null }), version: v.version, publishedAt: v.publishedAt.toISOString() } : null;
  }

  /** Count a use of an item (applications call this); feeds the search ranking. */
  async bumpPopularity(tx: DbOrTx, itemId: string, by = 1): Promise<void> {
    await tx.update(svcItems).set({ popularity: sql`${svcItems.popularity} + ${by}` }).where(eq(svcItems.id, itemId));
  }

  snapshot(r: ItemRow): Record<string, unknown> {
    return { code: r.code, ownerOrgId: r.ownerOrgId, districtCode: r.districtCode, ...definitionOf(r) };
  }

  async toItem(r: ItemRow, owners: Map<string, Org>): Promise<Item> {
    return { ...this.summary(r, owners), ...definitionOf(r), pending: (r.pending as Partial<ItemDefinition> | null) ?? null, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
  }

  summary(r: Pick<ItemRow, 'id' | 'code' | 'name' | 'kind' | 'applicantType' | 'mode' | 'legalDays' | 'promisedDays' | 'ownerOrgId' | 'districtCode' | 'zones' | 'status' | 'version' | 'popularity' | 'isDemo'>, owners: Map<string, Org>): ItemSummary {
    const o = owners.get(r.ownerOrgId);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind as ItemKind,
      applicantType: r.applicantType as ApplicantType,
      mode: r.mode as HandlingMode,
      legalDays: r.legalDays,
      promisedDays: r.promisedDays,
      owner: o ? { id: o.id, code: o.code, name: o.name } : null,
      districtCode: r.districtCode,
      zones: r.zones,
      status: r.status as ItemStatus,
      version: r.version,
      popularity: r.popularity,
      isDemo: r.isDemo,
    };
  }

  // ---- search and browse -------------------------------------------------------------------------

  /** Staff list/search: drafts included, limited to the actor's owners. */
  async list(actor: Actor, f: ItemFilter): Promise<SearchPage> {
    const scope = await this.ownerScope(actor, SVC.itemRead);
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
      const org = await this.orgs.byCode(f.department);
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
    const plan = f.q?.trim() ? planQuery(f.q, await this.synonyms()) : null;
    if (f.q?.trim() && !plan) return empty;
    const cols = sql`i.id, i.code, i.name, i.kind, i.applicant_type as "applicantType", i.mode, i.legal_days as "legalDays", i.promised_days as "promisedDays",
      i.owner_org_id as "ownerOrgId", i.district_code as "districtCode", i.zones, i.status, i.version, i.popularity, i.is_demo as "isDemo"`;
    type Row = Parameters<CatalogueService['summary']>[0] & { score: number; total: number };
    let result: Row[];
    if (!plan) {
      result = await rows<Row>(
        this.db,
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
        this.db,
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
    const owners = await this.orgs.namesOf(result.map((r) => r.ownerOrgId));
    const needles = plan ? [...plan.allGrams, ...plan.alternatives.map((a) => a.text)] : [];
    return {
      items: result.map((r) => ({ ...this.summary(r, owners), score: Number(r.score), highlight: plan ? highlight(r.name, needles) : [{ text: r.name, match: false }] })),
      total: Number(result[0]?.total ?? 0),
      limit: f.limit,
      offset: f.offset,
      expanded: plan?.expanded ?? [],
    };
  }

  /** A published item by code for the portal (the latest published version's content). */
  async publicItem(code: string): Promise<Item & { bundles: { code: string; name: string }[]; halls: string[] }> {
    const [r] = await this.db.select().from(svcItems).where(and(eq(svcItems.code, code), eq(svcItems.status, 'published')));
    if (!r) throw errors.notFound('service item');
    const bundles = await this.db
      .select({ code: svcBundles.code, name: svcBundles.name })
      .from(svcBundleItems)
      .innerJoin(svcBundles, eq(svcBundles.id, svcBundleItems.bundleId))
      .where(and(eq(svcBundleItems.itemId, r.id), eq(svcBundles.status, 'published')));
    const halls = await this.db.select({ code: svcHalls.districtCode }).from(svcHallItems).innerJoin(svcHalls, eq(svcHalls.id, svcHallItems.hallId)).where(eq(svcHallItems.itemId, r.id));
    const item = await this.toItem(r, await this.orgs.namesOf([r.ownerOrgId]));
    return { ...item, pending: null, bundles, halls: [...new Set([...(r.districtCode ? [r.districtCode] : []), ...halls.map((h) => h.code)])] };
  }

  // ---- browse facets -----------------------------------------------------------------------------

  async departments(): Promise<{ id: string; code: string; name: string; items: number }[]> {
    const r = await rows<{ owner: string; n: number }>(
      this.db,
      sql`select owner_org_id as owner, count(*)::int as n from svc_items where status = 'published' and district_code is null group by owner_org_id`,
    );
    const owners = await this.orgs.namesOf(r.map((x) => x.owner));
    return r
      .map((x) => ({ id: x.owner, code: owners.get(x.owner)?.code ?? '', name: owners.get(x.owner)?.name ?? '', items: Number(x.n) }))
      .sort((a, b) => b.items - a.items || a.code.localeCompare(b.code));
  }

  async halls(): Promise<{ id: string; districtCode: string; name: string; address: string; ownItems: number; cityItems: number }[]> {
    return rows(
      this.db,
      sql`select h.id, h.district_code as "districtCode", h.name, h.address,
            (select count(*)::int from svc_items i where i.district_code = h.district_code and i.status = 'published') as "ownItems",
            (select count(*)::int from svc_hall_items hi join svc_items i on i.id = hi.item_id where hi.hall_id = h.id and i.status = 'published') as "cityItems"
          from svc_halls h order by h.district_code`,
    );
  }

  async zones(category?: string): Promise<{ id: string; code: string; name: string; nameEn: string; category: string; items: number; bundles: { code: string; name: string }[] }[]> {
    const r = await rows<{ id: string; code: string; name: string; nameEn: string; category: string; items: number }>(
      this.db,
      sql`select z.id, z.code, z.name, z.name_en as "nameEn", z.category,
            (select count(*)::int from svc_items i where i.zones @> array[z.code]::text[] and i.status = 'published') as items
          from svc_zones z where z.active ${category ? sql`and z.category = ${category}` : sql``} order by z.sort, z.code`,
    );
    const bundles = await this.db.select({ code: svcBundles.code, name: svcBundles.name, zone: svcBundles.zone }).from(svcBundles).where(eq(svcBundles.status, 'published'));
    return r.map((z) => ({ ...z, items: Number(z.items), bundles: bundles.filter((b) => b.zone === z.code).map(({ code, name }) => ({ code, name })) }));
  }

  async bundles(): Promise<{ id: string; code: string; name: string; description: string; zone: string | null; items: { id: string; code: string; name: string; position: number }[] }[]> {
    const bs = await this.db.select().from(svcBundles).where(eq(svcBundles.status, 'published')).orderBy(asc(svcBundles.code));
    const members = await this.db
      .select({ bundleId: svcBundleItems.bundleId, id: svcItems.id, code: svcItems.code, name: svcItems.name, position: svcBundleItems.position })
      .from(svcBundleItems)
      .innerJoin(svcItems, eq(svcItems.id, svcBundleItems.itemId))
      .orderBy(asc(svcBundleItems.position));
    return bs.map((b) => ({ id: b.id, code: b.code, name: b.name, description: b.description, zone: b.zone, items: members.filter((m) => m.bundleId === b.id).map(({ id, code, name, position }) => ({ id, code, name, position })) }));
  }

  async bundle(code: string) {
    const [b] = await this.db.select().from(svcBundles).where(and(eq(svcBundles.code, code), eq(svcBundles.status, 'published')));
    if (!b) throw errors.notFound('bundle');
    const members = await this.db
      .select({ id: svcItems.id, code: svcItems.code, name: svcItems.name, position: svcBundleItems.position, fieldMap: svcBundleItems.fieldMap, status: svcItems.status })
      .from(svcBundleItems)
      .innerJoin(svcItems, eq(svcItems.id, svcBundleItems.itemId))
      .where(eq(svcBundleItems.bundleId, b.id))
      .orderBy(asc(svcBundleItems.position));
    return { id: b.id, code: b.code, name: b.name, description: b.description, zone: b.zone, form: b.form, items: members.map((m) => ({ ...m, fieldMap: m.fieldMap as Record<string, string> })) };
  }

  // ---- structure: zones, halls, bundles, synonyms (svc.catalogue.manage) --------------------------

  async upsertZone(actor: Actor, z: { code: string; name: string; nameEn: string; category: string; sort?: number; active?: boolean }) {
    requirePermission(actor, SVC.catalogueManage);
    const out = await inTransaction(this.db, async (tx) => {
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
    this.zonesCache = null;
    return out;
  }

  /** Add or remove city items a district sub-hall handles. */
  async setHallItems(actor: Actor, districtCode: string, change: { add?: string[]; remove?: string[] }) {
    requirePermission(actor, SVC.catalogueManage);
    return inTransaction(this.db, async (tx) => {
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
    if (b.zone && !(await this.zoneMap()).has(b.zone)) errs.push({ path: '/body/zone', message: 'no such zone' });
    const ids = b.items.map((x) => x.itemId);
    if (new Set(ids).size !== ids.length) errs.push({ path: '/body/items', message: 'an item is listed twice' });
    const found = ids.length ? await this.db.select({ id: svcItems.id, form: svcItems.form }).from(svcItems).where(inArray(svcItems.id, ids)) : [];
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
    return inTransaction(this.db, async (tx) => {
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
    return this.db.select({ term: svcSynonyms.term, expansions: svcSynonyms.expansions }).from(svcSynonyms).orderBy(asc(svcSynonyms.term));
  }

  async setSynonym(actor: Actor, term: string, expansions: string[]) {
    requirePermission(actor, SVC.catalogueManage);
    const t = term.trim();
    const ex = [...new Set(expansions.map((e) => e.trim()).filter((e) => e && e !== t))];
    if (!ex.length) throw errors.field('/body/expansions', 'give at least one expansion different from the term');
    await inTransaction(this.db, async (tx) => {
      const [before] = await tx.select().from(svcSynonyms).where(eq(svcSynonyms.term, t));
      await tx.insert(svcSynonyms).values({ term: t, expansions: ex }).onConflictDoUpdate({ target: svcSynonyms.term, set: { expansions: ex, updatedAt: new Date() } });
      await recordAudit(tx, actor, { action: 'svc.synonym.set', entityType: 'svc_synonym', entityId: t, before: before?.expansions ?? null, after: ex });
    });
    this.synonymsCache = null;
    return { term: t, expansions: ex };
  }

  async removeSynonym(actor: Actor, term: string) {
    requirePermission(actor, SVC.catalogueManage);
    await inTransaction(this.db, async (tx) => {
      const [before] = await tx.delete(svcSynonyms).where(eq(svcSynonyms.term, term)).returning();
      if (!before) throw errors.notFound(`synonym ${term}`);
      await recordAudit(tx, actor, { action: 'svc.synonym.delete', entityType: 'svc_synonym', entityId: term, before: before.expansions });
    });
    this.synonymsCache = null;
  }

  /** Items by owner and status, for the console statistics. */
  async counts(actor: Actor): Promise<{ byStatus: Record<string, number>; departments: number; districts: number }> {
    const scope = await this.ownerScope(actor, SVC.itemRead);
    const where = scope ? (scope.length ? inArray(svcItems.ownerOrgId, scope) : sql`false`) : undefined;
    const r = await this.db.select({ status: svcItems.status, district: sql<boolean>`${svcItems.districtCode} is not null`, n: sql<number>`count(*)::int` }).from(svcItems).where(where).groupBy(svcItems.status, sql`${svcItems.districtCode} is not null`);
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
      const org = await this.orgs.byCode(f.department);
      conds.push(org ? eq(svcItems.ownerOrgId, org.id) : sql`false`);
    }
    return this.db.select().from(svcItems).where(and(...conds)).orderBy(asc(svcItems.code)).limit(limit);
  }

  orgService(): OrgService {
    return this.orgs;
  }

  database(): Db {
    return this.db;
  }
}

