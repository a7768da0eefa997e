// Reading the catalogue: search with filters and facets over what the actor may see (published resources
// for every reader, drafts and retired ones for their managers), one resource with its versions and
// pending draft, and the published shape the data store and the gateway use.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import type { Page } from '../../../platform/http/paging';
import type { DataItem, ResourceDataShape } from '../contracts';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import type { CatalogueAccess } from './catalogue.access';
import type { CatalogueDirectory } from './catalogue.directory';
import { fieldsOf, iso, type ResourceFields, type ResourceFilter, type ResourceRow, type ResourceSummary, type ResourceView, summaryOf, toMember, type VersionSummary } from './catalogue.core';
import { resourceQuery } from './catalogue.rules';
import { shareMembers, shareResources, shareResourceVersions } from './catalogue.schema';

export class CatalogueReading {
  constructor(
    private readonly deps: ShareDeps,
    private readonly access: CatalogueAccess,
    private readonly directory: CatalogueDirectory,
  ) {}

  private get db() {
    return this.deps.db;
  }

  // ---- resources: reading ----------------------------------------------------------------------------------

  /** Visibility: published resources for everyone with catalogue.read; drafts and retired ones for their managers. */
  private async visibleCondition(actor: Actor): Promise<SQL | undefined> {
    const ids = await this.access.manageableOrgIds(actor);
    if (ids === undefined) return undefined;
    if (!ids.length) return eq(shareResources.state, 'published');
    return or(eq(shareResources.state, 'published'), inArray(shareResources.providerOrgId, ids));
  }

  private filterConditions(f: Partial<ResourceFilter>, skip?: 'category' | 'grade' | 'sharingType' | 'providerMemberId'): SQL[] {
    const conds: SQL[] = [];
    if (f.category && skip !== 'category') conds.push(eq(shareResources.category, f.category));
    if (f.basicKind) conds.push(eq(shareResources.basicKind, f.basicKind));
    if (f.grade && skip !== 'grade') conds.push(eq(shareResources.grade, f.grade));
    if (f.sharingType && skip !== 'sharingType') conds.push(eq(shareResources.sharingType, f.sharingType));
    if (f.providerMemberId && skip !== 'providerMemberId') conds.push(eq(shareResources.providerMemberId, f.providerMemberId));
    if (f.state) conds.push(eq(shareResources.state, f.state));
    if (f.q?.trim()) {
      const q = f.q.trim();
      const tsq = resourceQuery(q);
      const byCode = sql`${shareResources.code} = ${q.toUpperCase()}`;
      conds.push(tsq ? or(byCode, sql`${shareResources.searchVector} @@ ${tsq}::tsquery`)! : byCode);
    }
    return conds;
  }

  async list(actor: Actor, f: ResourceFilter): Promise<Page<ResourceSummary>> {
    requirePermission(actor, SHARE.catalogueRead);
    const vis = await this.visibleCondition(actor);
    const conds = [...(vis ? [vis] : []), ...this.filterConditions(f)];
    const where = conds.length ? and(...conds) : undefined;
    const tsq = f.q?.trim() ? resourceQuery(f.q.trim()) : null;
    const order = tsq ? [sql`ts_rank(${shareResources.searchVector}, ${tsq}::tsquery) desc`, asc(shareResources.code)] : [asc(shareResources.code)];
    const [items, [{ n }]] = await Promise.all([
      this.db
        .select({ r: shareResources, provider: shareMembers.name })
        .from(shareResources)
        .innerJoin(shareMembers, eq(shareMembers.id, shareResources.providerMemberId))
        .where(where)
        .orderBy(...order)
        .limit(f.limit)
        .offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareResources).where(where),
    ]);
    return { items: items.map((x) => summaryOf(x.r, x.provider)), total: n, limit: f.limit, offset: f.offset };
  }

  /** Counts by category, grade, sharing type and provider over what the actor sees (each facet ignores its own filter). */
  async facets(actor: Actor, f: Partial<ResourceFilter>) {
    requirePermission(actor, SHARE.catalogueRead);
    const vis = await this.visibleCondition(actor);
    const count = async (col: SQL, skip: 'category' | 'grade' | 'sharingType' | 'providerMemberId') => {
      const conds = [...(vis ? [vis] : []), ...this.filterConditions(f, skip)];
      const r = await this.db
        .select({ value: sql<string>`${col}`, count: sql<number>`count(*)::int` })
        .from(shareResources)
        .where(conds.length ? and(...conds) : undefined)
        .groupBy(col)
        .orderBy(desc(sql`count(*)`), asc(col));
      return r;
    };
    const [category, grade, sharingType, providers] = [
      await count(sql`${shareResources.category}`, 'category'),
      await count(sql`${shareResources.grade}`, 'grade'),
      await count(sql`${shareResources.sharingType}`, 'sharingType'),
      await count(sql`${shareResources.providerMemberId}`, 'providerMemberId'),
    ];
    const names = providers.length
      ? new Map((await this.db.select({ id: shareMembers.id, name: shareMembers.name, code: shareMembers.code }).from(shareMembers).where(inArray(shareMembers.id, providers.map((p) => p.value)))).map((m) => [m.id, m]))
      : new Map<string, { name: string; code: string }>();
    return {
      category,
      grade,
      sharingType,
      provider: providers.map((p) => ({ value: p.value, name: names.get(p.value)?.name ?? '', code: names.get(p.value)?.code ?? '', count: p.count })),
    };
  }

  async row(id: string, db: DbOrTx = this.db): Promise<ResourceRow | null> {
    const [r] = await db.select().from(shareResources).where(eq(shareResources.id, id));
    return r ?? null;
  }

  async get(actor: Actor, id: string): Promise<ResourceView> {
    requirePermission(actor, SHARE.catalogueRead);
    const r = await this.row(id);
    if (!r) throw errors.notFound('resource');
    const canManage = await this.access.canManageOrg(actor, r.providerOrgId);
    if (r.state !== 'published' && !canManage) throw errors.notFound('resource');
    return this.view(r, canManage);
  }

  async view(r: ResourceRow, canManage: boolean, db: DbOrTx = this.db): Promise<ResourceView> {
    const provider = (await this.directory.member(r.providerMemberId, db))!;
    const sub = r.providerSubsystemId ? await this.directory.subsystem(r.providerSubsystemId, db) : null;
    const versions = await db.select().from(shareResourceVersions).where(eq(shareResourceVersions.resourceId, r.id)).orderBy(desc(shareResourceVersions.version));
    const pending = r.draftVersion && canManage ? versions.find((v) => v.version === r.draftVersion) : undefined;
    return {
      ...summaryOf(r, provider.name),
      ...fieldsOf(r),
      providerMember: toMember(provider),
      providerSubsystem: sub,
      xroadServiceId: sub ? this.directory.xroadServiceId(sub, r.code) : null,
      draft: pending ? { ...(pending.snapshot as ResourceFields), version: pending.version, note: pending.note, updatedAt: pending.createdAt.toISOString() } : null,
      versions: versions.map((v) => ({ version: v.version, state: v.state, note: v.note, changedBy: v.changedBy, createdAt: v.createdAt.toISOString(), publishedAt: iso(v.publishedAt) })),
      canManage,
      createdAt: r.createdAt.toISOString(),
    };
  }

  async versions(actor: Actor, id: string): Promise<{ items: (VersionSummary & { snapshot: ResourceFields })[] }> {
    const v = await this.get(actor, id);
    const rs = await this.db.select().from(shareResourceVersions).where(eq(shareResourceVersions.resourceId, id)).orderBy(desc(shareResourceVersions.version));
    return {
      items: rs
        .filter((x) => v.canManage || x.state !== 'draft')
        .map((x) => ({ version: x.version, state: x.state, note: x.note, changedBy: x.changedBy, createdAt: x.createdAt.toISOString(), publishedAt: iso(x.publishedAt), snapshot: x.snapshot as ResourceFields })),
    };
  }

  /** The published version's data shape, for the data store and the gateway; null unless published. */
  async shape(resourceId: string, db: DbOrTx = this.db): Promise<ResourceDataShape | null> {
    const r = await this.row(resourceId, db);
    if (!r || r.state !== 'published') return null;
    return { resourceId: r.id, code: r.code, name: r.name, grade: r.grade as ResourceDataShape['grade'], providerOrgId: r.providerOrgId ?? '', items: (r.items ?? []) as DataItem[] };
  }

  /** The resource (its current row: the published version, or the first draft) by code. */
  async byCode(code: string, db: DbOrTx = this.db): Promise<(Omit<ResourceSummary, keyof ResourceFields> & ResourceFields) | null> {
    const [x] = await db.select({ r: shareResources, provider: shareMembers.name }).from(shareResources).innerJoin(shareMembers, eq(shareMembers.id, shareResources.providerMemberId)).where(eq(shareResources.code, code));
    return x ? { ...summaryOf(x.r, x.provider), ...fieldsOf(x.r) } : null;
  }
}
