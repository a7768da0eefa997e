// The data resource catalogue and the exchange directory (X-Road-style members and subsystems).
//
// A resource row holds its current published version (or its first draft before it is ever published).
// Editing a published resource opens version n+1 as a pending draft in share_resource_versions; the
// published version stays what the data store, the gateway and consumers see until the draft is published.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { type Actor, can, canSeeOrgPath, requirePermission, visibility } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { shanghaiDate } from '../../../platform/calendar';
import { type DbOrTx, inTransaction, rows } from '../../../platform/db/client';
import { AppError, errors, type FieldError } from '../../../platform/http/problem';
import { likeEscape, type Page } from '../../../platform/http/paging';
import { bigrams, documentVector, lexeme, unigrams } from '../../../platform/search';
import type { DataItem, ResourceDataShape } from '../contracts';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import { shareMembers, shareResources, shareResourceVersions, shareSubsystems } from './catalogue.schema';

export const MEMBER_LEVELS = ['city', 'district', 'province', 'national'] as const;
export const CATEGORIES = ['basic', 'thematic', 'departmental'] as const;
export const BASIC_KINDS = ['population', 'legal_person', 'natural_resources', 'credit', 'certificates'] as const;
export const FORMATS = ['table', 'file', 'api'] as const;
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const SHARING_METHODS = ['interface', 'file', 'query'] as const;
export const OPENING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const GRADES = ['core', 'important', 'general'] as const;
export const RESOURCE_STATES = ['draft', 'published', 'retired'] as const;
export const ITEM_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;
export const PERSONAL_KINDS = ['id_number', 'name', 'phone', 'address', 'date_of_birth', 'account'] as const;
export const ITEM_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Resource code: <division code>-<provider member code>-<5-digit serial>, e.g. 370200-MZJ-00012. */
export const RESOURCE_CODE = /^\d{6}-[A-Z0-9-]{2,20}-\d{5}$/;

export type MemberLevel = (typeof MEMBER_LEVELS)[number];
type MemberRow = typeof shareMembers.$inferSelect;
type SubsystemRow = typeof shareSubsystems.$inferSelect;
type ResourceRow = typeof shareResources.$inferSelect;

export interface Member {
  id: string;
  instance: string;
  class: string;
  code: string;
  name: string;
  nameEn: string | null;
  level: MemberLevel;
  orgId: string | null;
  external: boolean;
  contact: string | null;
  /** instance/class/code */
  xroadId: string;
  createdAt: string;
}

export interface Subsystem {
  id: string;
  memberId: string;
  code: string;
  name: string;
  description: string | null;
  xroadId: string;
  createdAt: string;
}

/** The editable catalogue fields of a resource (what a version snapshot holds). */
export interface ResourceFields {
  name: string;
  summary: string;
  category: (typeof CATEGORIES)[number];
  basicKind: (typeof BASIC_KINDS)[number] | null;
  classification: string;
  format: (typeof FORMATS)[number];
  items: DataItem[];
  sharingType: (typeof SHARING_TYPES)[number];
  sharingCondition: string | null;
  sharingMethod: (typeof SHARING_METHODS)[number];
  openingType: (typeof OPENING_TYPES)[number];
  updateCycle: (typeof UPDATE_CYCLES)[number];
  relatedCodes: string[];
  grade: (typeof GRADES)[number];
  legalBasis: string | null;
  providerSubsystemId: string | null;
}

const FIELD_KEYS: (keyof ResourceFields)[] = [
  'name', 'summary', 'category', 'basicKind', 'classification', 'format', 'items', 'sharingType', 'sharingCondition',
  'sharingMethod', 'openingType', 'updateCycle', 'relatedCodes', 'grade', 'legalBasis', 'providerSubsystemId',
];

export type NewResource = Partial<ResourceFields> & Pick<ResourceFields, 'name' | 'category' | 'format' | 'sharingType' | 'sharingMethod' | 'openingType' | 'updateCycle' | 'grade'> & { providerMemberId?: string };

export interface ResourceSummary {
  id: string;
  code: string;
  name: string;
  state: string;
  version: number;
  draftVersion: number | null;
  category: string;
  basicKind: string | null;
  grade: string;
  sharingType: string;
  openingType: string;
  updateCycle: string;
  format: string;
  providerMemberId: string;
  providerName: string;
  providerOrgId: string | null;
  publishDate: string | null;
  itemCount: number;
  updatedAt: string;
}

export type ResourceView = Omit<ResourceSummary, keyof ResourceFields> & ResourceFields & {
  providerMember: Member;
  providerSubsystem: Subsystem | null;
  /** The X-Road service id: <subsystem id>/<resource code>; null when the provider has no subsystem yet. */
  xroadServiceId: string | null;
  /** The pending draft (version draftVersion) when the caller may manage the resource. */
  draft: (ResourceFields & { version: number; note: string | null; updatedAt: string }) | null;
  versions: VersionSummary[];
  canManage: boolean;
  createdAt: string;
};

export interface VersionSummary {
  version: number;
  state: string;
  note: string | null;
  changedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

export interface ResourceFilter {
  q?: string;
  category?: string;
  basicKind?: string;
  grade?: string;
  sharingType?: string;
  providerMemberId?: string;
  state?: string;
  limit: number;
  offset: number;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function memberXroadId(m: Pick<MemberRow, 'instance' | 'class' | 'code'>): string {
  return `${m.instance}/${m.class}/${m.code}`;
}

function toMember(r: MemberRow): Member {
  return {
    id: r.id,
    instance: r.instance,
    class: r.class,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    level: r.level as MemberLevel,
    orgId: r.orgId,
    external: r.external,
    contact: r.contact,
    xroadId: memberXroadId(r),
    createdAt: r.createdAt.toISOString(),
  };
}

function toSubsystem(s: SubsystemRow, m: Pick<MemberRow, 'instance' | 'class' | 'code'>): Subsystem {
  return { id: s.id, memberId: s.memberId, code: s.code, name: s.name, description: s.description, xroadId: `${memberXroadId(m)}/${s.code}`, createdAt: s.createdAt.toISOString() };
}

function fieldsOf(r: ResourceRow): ResourceFields {
  return {
    name: r.name,
    summary: r.summary,
    category: r.category as ResourceFields['category'],
    basicKind: r.basicKind as ResourceFields['basicKind'],
    classification: r.classification,
    format: r.format as ResourceFields['format'],
    items: (r.items ?? []) as DataItem[],
    sharingType: r.sharingType as ResourceFields['sharingType'],
    sharingCondition: r.sharingCondition,
    sharingMethod: r.sharingMethod as ResourceFields['sharingMethod'],
    openingType: r.openingType as ResourceFields['openingType'],
    updateCycle: r.updateCycle as ResourceFields['updateCycle'],
    relatedCodes: r.relatedCodes ?? [],
    grade: r.grade as ResourceFields['grade'],
    legalBasis: r.legalBasis,
    providerSubsystemId: r.providerSubsystemId,
  };
}

function summaryOf(r: ResourceRow, providerName: string): ResourceSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    state: r.state,
    version: r.version,
    draftVersion: r.draftVersion,
    category: r.category,
    basicKind: r.basicKind,
    grade: r.grade,
    sharingType: r.sharingType,
    openingType: r.openingType,
    updateCycle: r.updateCycle,
    format: r.format,
    providerMemberId: r.providerMemberId,
    providerName,
    providerOrgId: r.providerOrgId,
    publishDate: r.publishDate,
    itemCount: ((r.items ?? []) as DataItem[]).length,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The search document: name and code (A), item labels and names (B), summary (C), classification and provider (D). */
export function resourceVector(code: string, f: Pick<ResourceFields, 'name' | 'summary' | 'classification' | 'items'>, providerName: string): string {
  return documentVector([
    { text: f.name, weight: 'A' },
    { text: code, weight: 'A' },
    { text: f.items.map((i) => `${i.label} ${i.name}`).join(' '), weight: 'B' },
    { text: f.summary, weight: 'C' },
    { text: `${f.classification} ${providerName}`, weight: 'D' },
  ]);
}

/** Every bigram of the query must be present (unigrams for a one-character query); null when nothing searchable. */
export function resourceQuery(q: string): string | null {
  const grams = [...new Set(bigrams(q))];
  const use = grams.length ? grams : unigrams(q);
  if (!use.length) return null;
  return use.map(lexeme).join(' & ');
}

/** The semantic problems that stop a version from being published (paths into the resource body). */
export function publishProblems(f: ResourceFields, known: { relatedCodes: Set<string> }): FieldError[] {
  const errs: FieldError[] = [];
  if (!f.items.length) errs.push({ path: '/items', message: 'a resource needs at least one data item' });
  const seen = new Set<string>();
  let keys = 0;
  let changes = 0;
  f.items.forEach((it, i) => {
    if (!ITEM_NAME.test(it.name)) errs.push({ path: `/items/${i}/name`, message: 'must be lower snake case ASCII starting with a letter (at most 63 characters)' });
    else if (seen.has(it.name)) errs.push({ path: `/items/${i}/name`, message: `duplicate item name ${it.name}` });
    seen.add(it.name);
    if (!it.label?.trim()) errs.push({ path: `/items/${i}/label`, message: 'required' });
    if (it.key) {
      keys++;
      if (it.required === false) errs.push({ path: `/items/${i}/required`, message: 'a key item is always required' });
      if (it.type === 'boolean' || it.type === 'decimal') errs.push({ path: `/items/${i}/type`, message: 'a key item cannot be boolean or decimal' });
    }
    if (it.change) {
      changes++;
      if (it.type !== 'date' && it.type !== 'datetime') errs.push({ path: `/items/${i}/type`, message: 'the change item must be a date or datetime' });
    }
  });
  if (f.items.length && keys === 0) errs.push({ path: '/items', message: 'at least one item must be part of the record key' });
  if (changes > 1) errs.push({ path: '/items', message: 'at most one change item' });
  if (f.category === 'basic' && !f.basicKind) errs.push({ path: '/basicKind', message: 'required for a basic resource' });
  if (f.category !== 'basic' && f.basicKind) errs.push({ path: '/basicKind', message: 'only basic resources have a basic kind' });
  const needsBasis = f.sharingType !== 'unconditional' || f.openingType === 'none';
  if (needsBasis && !f.legalBasis?.trim()) errs.push({ path: '/legalBasis', message: `required when sharing is ${f.sharingType} or opening is ${f.openingType}` });
  if (f.sharingType === 'conditional' && !f.sharingCondition?.trim()) errs.push({ path: '/sharingCondition', message: 'required for conditional sharing' });
  f.relatedCodes.forEach((c, i) => {
    if (!known.relatedCodes.has(c)) errs.push({ path: `/relatedCodes/${i}`, message: `no resource ${c}` });
  });
  if (!f.classification.trim()) errs.push({ path: '/classification', message: 'required' });
  if (!f.summary.trim()) errs.push({ path: '/summary', message: 'required' });
  return errs;
}

function divisionOfInstance(instance: string): string {
  const m = /^CN-(\d{6})$/.exec(instance);
  return m ? m[1] : '100000';
}

export class ResourceCatalogue {
  constructor(readonly deps: ShareDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ---- who may manage what ----------------------------------------------------------------------------------

  /** The bureau (city-scoped grant management or catalogue management) manages every resource and the directory. */
  isBureau(actor: Actor): boolean {
    return visibility(actor, SHARE.catalogueManage).all || visibility(actor, SHARE.grantManage).all;
  }

  private async orgPath(orgId: string | null, db: DbOrTx): Promise<string | null> {
    if (!orgId) return null;
    return this.deps.orgs.pathOf(orgId, db);
  }

  /** True when the actor may manage resources (and subsystems) of a provider organisation. */
  async canManageOrg(actor: Actor, orgId: string | null, db: DbOrTx = this.db): Promise<boolean> {
    if (!can(actor, SHARE.catalogueManage) && !can(actor, SHARE.grantManage)) return false;
    if (this.isBureau(actor)) return true;
    if (!orgId) return false;
    return canSeeOrgPath(visibility(actor, SHARE.catalogueManage), await this.orgPath(orgId, db));
  }

  /** Organisation ids whose non-published resources the actor sees; undefined: all. */
  private async manageableOrgIds(actor: Actor): Promise<string[] | undefined> {
    if (this.isBureau(actor)) return undefined;
    if (!can(actor, SHARE.catalogueManage)) return [];
    return (await this.deps.orgs.visibleIds(actor, SHARE.catalogueManage)) ?? undefined;
  }

  // ---- members ---------------------------------------------------------------------------------------------

  async listMembers(actor: Actor, f: { q?: string; level?: string; external?: boolean; orgId?: string; limit: number; offset: number }): Promise<Page<Member & { subsystems: number }>> {
    requirePermission(actor, SHARE.catalogueRead);
    const conds: SQL[] = [];
    if (f.level) conds.push(eq(shareMembers.level, f.level));
    if (f.external !== undefined) conds.push(eq(shareMembers.external, f.external));
    if (f.orgId) conds.push(eq(shareMembers.orgId, f.orgId));
    if (f.q?.trim()) {
      const q = f.q.trim();
      const pat = `%${likeEscape(q)}%`;
      conds.push(or(sql`${shareMembers.code} = ${q.toUpperCase()}`, sql`${shareMembers.name} like ${pat}`, sql`lower(${shareMembers.nameEn}) like ${pat.toLowerCase()}`)!);
    }
    const where = conds.length ? and(...conds) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db
        .select({ m: shareMembers, subsystems: sql<number>`(select count(*) from share_subsystems s where s.member_id = "share_members"."id")::int` })
        .from(shareMembers)
        .where(where)
        .orderBy(sql`case ${shareMembers.level} when 'city' then 0 when 'district' then 1 when 'province' then 2 else 3 end`, asc(shareMembers.external), asc(shareMembers.code))
        .limit(f.limit)
        .offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareMembers).where(where),
    ]);
    return { items: items.map((r) => ({ ...toMember(r.m), subsystems: r.subsystems })), total: n, limit: f.limit, offset: f.offset };
  }

  async getMember(actor: Actor, id: string): Promise<Member & { subsystems: Subsystem[]; canManage: boolean }> {
    requirePermission(actor, SHARE.catalogueRead);
    const m = await this.member(id);
    if (!m) throw errors.notFound('member');
    const subs = await this.db.select().from(shareSubsystems).where(eq(shareSubsystems.memberId, id)).orderBy(asc(shareSubsystems.code));
    return { ...toMember(m), subsystems: subs.map((s) => toSubsystem(s, m)), canManage: await this.canManageOrg(actor, m.orgId) };
  }

  /** Register an external (upstream) provider such as a provincial department or a ministry. The bureau only. */
  async createExternalMember(actor: Actor, input: { instance: string; class: string; code: string; name: string; nameEn?: string | null; level: MemberLevel; contact?: string | null }): Promise<Member> {
    if (!this.isBureau(actor)) throw errors.forbidden('only the data bureau registers external members');
    return inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select({ id: shareMembers.id }).from(shareMembers).where(and(eq(shareMembers.instance, input.instance), eq(shareMembers.class, input.class), eq(shareMembers.code, input.code)));
      if (dup) throw errors.conflict(`member ${input.instance}/${input.class}/${input.code} already exists`, { id: dup.id });
      const [m] = await tx
        .insert(shareMembers)
        .values({ instance: input.instance, class: input.class, code: input.code, name: input.name, nameEn: input.nameEn ?? null, level: input.level, contact: input.contact ?? null, external: true, orgId: null })
        .returning();
      await recordAudit(tx, actor, { action: 'share.member.create', entityType: 'share_member', entityId: m.id, after: { xroadId: memberXroadId(m), name: m.name, level: m.level } });
      return toMember(m);
    });
  }

  async member(id: string, db: DbOrTx = this.db): Promise<MemberRow | null> {
    const [m] = await db.select().from(shareMembers).where(eq(shareMembers.id, id));
    return m ?? null;
  }

  /** The member row of an organisation on this platform (departments and districts have one each). */
  async memberOfOrg(orgId: string, db: DbOrTx = this.db): Promise<Member | null> {
    const [m] = await db.select().from(shareMembers).where(eq(shareMembers.orgId, orgId)).orderBy(asc(shareMembers.createdAt)).limit(1);
    return m ? toMember(m) : null;
  }

  async isExternal(memberId: string): Promise<boolean> {
    const m = await this.member(memberId);
    return !!m?.external;
  }

  // ---- subsystems ------------------------------------------------------------------------------------------

  async listSubsystems(actor: Actor, f: { memberId?: string; limit: number; offset: number }): Promise<Page<Subsystem & { memberName: string; memberCode: string }>> {
    requirePermission(actor, SHARE.catalogueRead);
    const where = f.memberId ? eq(shareSubsystems.memberId, f.memberId) : undefined;
    const [items, [{ n }]] = await Promise.all([
      this.db.select({ s: shareSubsystems, m: shareMembers }).from(shareSubsystems).innerJoin(shareMembers, eq(shareMembers.id, shareSubsystems.memberId)).where(where).orderBy(asc(shareMembers.code), asc(shareSubsystems.code)).limit(f.limit).offset(f.offset),
      this.db.select({ n: sql<number>`count(*)::int` }).from(shareSubsystems).where(where),
    ]);
    return { items: items.map((r) => ({ ...toSubsystem(r.s, r.m), memberName: r.m.name, memberCode: r.m.code })), total: n, limit: f.limit, offset: f.offset };
  }

  /** A subsystem is registered by the bureau, or by a department for its own member. */
  async createSubsystem(actor: Actor, input: { memberId: string; code: string; name: string; description?: string | null }): Promise<Subsystem> {
    const m = await this.member(input.memberId);
    if (!m) throw errors.unprocessable('unknown member', [{ path: '/body/memberId', message: 'no such member' }]);
    if (!(await this.canManageOrg(actor, m.orgId))) throw errors.forbidden('you may register subsystems of your own organisation only');
    return inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select({ id: shareSubsystems.id }).from(shareSubsystems).where(and(eq(shareSubsystems.memberId, m.id), eq(shareSubsystems.code, input.code)));
      if (dup) throw errors.conflict(`subsystem ${memberXroadId(m)}/${input.code} already exists`, { id: dup.id });
      const [s] = await tx.insert(shareSubsystems).values({ memberId: m.id, code: input.code, name: input.name, description: input.description ?? null }).returning();
      await recordAudit(tx, actor, { action: 'share.subsystem.create', entityType: 'share_subsystem', entityId: s.id, orgId: m.orgId, after: { xroadId: `${memberXroadId(m)}/${s.code}`, name: s.name } });
      return toSubsystem(s, m);
    });
  }

  /** A subsystem with its member (what the gateway and the requests need to name a consumer). */
  async subsystem(id: string, db: DbOrTx = this.db): Promise<(Subsystem & { member: Member }) | null> {
    const [r] = await db.select({ s: shareSubsystems, m: shareMembers }).from(shareSubsystems).innerJoin(shareMembers, eq(shareMembers.id, shareSubsystems.memberId)).where(eq(shareSubsystems.id, id));
    return r ? { ...toSubsystem(r.s, r.m), member: toMember(r.m) } : null;
  }

  /** CN-370200/GOV/MZJ/funeral-registry */
  xroadId(sub: { code: string; member: Pick<Member, 'instance' | 'class' | 'code'> }): string {
    return `${memberXroadId(sub.member)}/${sub.code}`;
  }

  /** CN-370200/GOV/MZJ/funeral-registry/370200-MZJ-00012 */
  xroadServiceId(sub: { code: string; member: Pick<Member, 'instance' | 'class' | 'code'> }, resourceCode: string): string {
    return `${this.xroadId(sub)}/${resourceCode}`;
  }

  // ---- resources: reading ----------------------------------------------------------------------------------

  /** Visibility: published resources for everyone with catalogue.read; drafts and retired ones for their managers. */
  private async visibleCondition(actor: Actor): Promise<SQL | undefined> {
    const ids = await this.manageableOrgIds(actor);
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

  private async row(id: string, db: DbOrTx = this.db): Promise<ResourceRow | null> {
    const [r] = await db.select().from(shareResources).where(eq(shareResources.id, id));
    return r ?? null;
  }

  async get(actor: Actor, id: string): Promise<ResourceView> {
    requirePermission(actor, SHARE.catalogueRead);
    const r = await this.row(id);
    if (!r) throw errors.notFound('resource');
    const canManage = await this.canManageOrg(actor, r.providerOrgId);
    if (r.state !== 'published' && !canManage) throw errors.notFound('resource');
    return this.view(r, canManage);
  }

  private async view(r: ResourceRow, canManage: boolean, db: DbOrTx = this.db): Promise<ResourceView> {
    const provider = (await this.member(r.providerMemberId, db))!;
    const sub = r.providerSubsystemId ? await this.subsystem(r.providerSubsystemId, db) : null;
    const versions = await db.select().from(shareResourceVersions).where(eq(shareResourceVersions.resourceId, r.id)).orderBy(desc(shareResourceVersions.version));
    const pending = r.draftVersion && canManage ? versions.find((v) => v.version === r.draftVersion) : undefined;
    return {
      ...summaryOf(r, provider.name),
      ...fieldsOf(r),
      providerMember: toMember(provider),
      providerSubsystem: sub,
      xroadServiceId: sub ? this.xroadServiceId(sub, r.code) : null,
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

  // ---- resources: writing ----------------------------------------------------------------------------------

  private async nextCode(tx: DbOrTx, provider: MemberRow): Promise<string> {
    const prefix = `${divisionOfInstance(provider.instance)}-${provider.code}-`;
    const [r] = await rows<{ n: number | null }>(tx, sql`select max(substring(code from ${prefix.length + 1}::int)::int) as n from share_resources where code like ${likeEscape(prefix) + '%'}`);
    return `${prefix}${String((r?.n ?? 0) + 1).padStart(5, '0')}`;
  }

  private async checkSubsystem(tx: DbOrTx, subsystemId: string | null | undefined, providerMemberId: string, path: string) {
    if (!subsystemId) return;
    const [s] = await tx.select({ memberId: shareSubsystems.memberId }).from(shareSubsystems).where(eq(shareSubsystems.id, subsystemId));
    if (!s || s.memberId !== providerMemberId) throw errors.unprocessable('the serving subsystem must belong to the provider', [{ path, message: "not a subsystem of the provider" }]);
  }

  /** A new resource, as draft version 1. Departments create for their own member; the bureau for any. */
  async create(actor: Actor, input: NewResource, opts: { code?: string } = {}): Promise<ResourceView> {
    requirePermission(actor, SHARE.catalogueManage);
    let providerMemberId = input.providerMemberId;
    if (!providerMemberId) {
      const own = actor.orgId ? await this.memberOfOrg(actor.orgId) : null;
      if (!own) throw errors.field('/body/providerMemberId', 'required (your organisation is not a member of the exchange)');
      providerMemberId = own.id;
    }
    const provider = await this.member(providerMemberId);
    if (!provider) throw errors.unprocessable('unknown provider', [{ path: '/body/providerMemberId', message: 'no such member' }]);
    if (!(await this.canManageOrg(actor, provider.orgId))) throw errors.forbidden('you may catalogue resources of your own organisation only');
    const fields = this.complete(input);
    return inTransaction(this.db, async (tx) => {
      await this.checkSubsystem(tx, fields.providerSubsystemId, provider.id, '/body/providerSubsystemId');
      const code = opts.code ?? (await this.nextCode(tx, provider));
      const [r] = await tx
        .insert(shareResources)
        .values({ ...fields, code, version: 1, state: 'draft', providerMemberId: provider.id, providerOrgId: provider.orgId, searchVector: resourceVector(code, fields, provider.name), createdBy: actor.userId })
        .returning();
      await tx.insert(shareResourceVersions).values({ resourceId: r.id, version: 1, snapshot: fields, state: 'draft', changedBy: actor.userId, note: 'created' });
      await recordAudit(tx, actor, { action: 'share.resource.create', entityType: 'share_resource', entityId: r.id, orgId: provider.orgId, after: { code, name: r.name, version: 1 } });
      return this.view(r, true, tx);
    });
  }

  private complete(input: Partial<ResourceFields> & Pick<ResourceFields, 'name' | 'category' | 'format' | 'sharingType' | 'sharingMethod' | 'openingType' | 'updateCycle' | 'grade'>): ResourceFields {
    return {
      name: input.name.trim(),
      summary: input.summary ?? '',
      category: input.category,
      basicKind: input.basicKind ?? null,
      classification: input.classification ?? '',
      format: input.format,
      items: (input.items ?? []).map(normaliseItem),
      sharingType: input.sharingType,
      sharingCondition: input.sharingCondition ?? null,
      sharingMethod: input.sharingMethod,
      openingType: input.openingType,
      updateCycle: input.updateCycle,
      relatedCodes: input.relatedCodes ?? [],
      grade: input.grade,
      legalBasis: input.legalBasis ?? null,
      providerSubsystemId: input.providerSubsystemId ?? null,
    };
  }

  private async managed(actor: Actor, tx: DbOrTx, id: string): Promise<ResourceRow> {
    requirePermission(actor, SHARE.catalogueManage);
    const [r] = await tx.select().from(shareResources).where(eq(shareResources.id, id)).for('update');
    if (!r) throw errors.notFound('resource');
    if (!(await this.canManageOrg(actor, r.providerOrgId, tx))) {
      if (r.state === 'published') throw errors.forbidden('you may manage resources of your own organisation only');
      throw errors.notFound('resource');
    }
    return r;
  }

  /**
   * Edit: a never-published draft is edited in place; a published resource gets (or updates) its pending
   * draft version n+1, leaving the published version untouched until publish.
   */
  async update(actor: Actor, id: string, patch: Partial<ResourceFields> & { note?: string }): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('a retired resource cannot be edited');
      const { note, ...changes } = patch;
      const base: ResourceFields =
        r.draftVersion != null
          ? ((await tx.select().from(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.draftVersion))))[0].snapshot as ResourceFields)
          : fieldsOf(r);
      const next: ResourceFields = { ...base };
      for (const k of FIELD_KEYS) if (k in changes) (next as unknown as Record<string, unknown>)[k] = (changes as Record<string, unknown>)[k] ?? null;
      next.items = (next.items ?? []).map(normaliseItem);
      next.relatedCodes = next.relatedCodes ?? [];
      next.summary = next.summary ?? '';
      next.classification = next.classification ?? '';
      await this.checkSubsystem(tx, next.providerSubsystemId, r.providerMemberId, '/body/providerSubsystemId');
      let version: number;
      if (r.state === 'draft') {
        version = r.version;
        const provider = (await this.member(r.providerMemberId, tx))!;
        await tx.update(shareResources).set({ ...next, searchVector: resourceVector(r.code, next, provider.name), updatedAt: new Date() }).where(eq(shareResources.id, id));
        await tx.update(shareResourceVersions).set({ snapshot: next, changedBy: actor.userId, note: note ?? null }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
      } else if (r.draftVersion != null) {
        version = r.draftVersion;
        await tx.update(shareResourceVersions).set({ snapshot: next, changedBy: actor.userId, note: note ?? null }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
        await tx.update(shareResources).set({ updatedAt: new Date() }).where(eq(shareResources.id, id));
      } else {
        const [{ max }] = await rows<{ max: number }>(tx, sql`select coalesce(max(version), 0)::int as max from share_resource_versions where resource_id = ${id}::uuid`);
        version = max + 1;
        await tx.insert(shareResourceVersions).values({ resourceId: id, version, snapshot: next, state: 'draft', changedBy: actor.userId, note: note ?? null });
        await tx.update(shareResources).set({ draftVersion: version, updatedAt: new Date() }).where(eq(shareResources.id, id));
      }
      await recordAudit(tx, actor, { action: 'share.resource.edit', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { version: r.version, state: r.state }, after: { draftVersion: version, changed: Object.keys(changes) } });
      return this.view((await this.row(id, tx))!, true, tx);
    });
  }

  /** Publish the draft (first or pending): validated; the published snapshot is replaced. */
  async publish(actor: Actor, id: string): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('a retired resource cannot be published');
      if (r.state === 'published' && r.draftVersion == null) throw errors.conflict('nothing to publish: the resource has no pending draft');
      const version = r.state === 'draft' ? r.version : r.draftVersion!;
      const [v] = await tx.select().from(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, version)));
      const fields = r.state === 'draft' ? fieldsOf(r) : (v.snapshot as ResourceFields);
      const codes = fields.relatedCodes.length ? await tx.select({ code: shareResources.code }).from(shareResources).where(and(inArray(shareResources.code, fields.relatedCodes), sql`${shareResources.id} <> ${id}::uuid`)) : [];
      const problems = publishProblems(fields, { relatedCodes: new Set(codes.map((c) => c.code)) });
      if (problems.length) throw new AppError(422, 'unprocessable', 'Cannot publish', `version ${version} cannot be published: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
      const provider = (await this.member(r.providerMemberId, tx))!;
      const now = new Date();
      await tx
        .update(shareResources)
        .set({ ...fields, version, draftVersion: null, state: 'published', publishDate: r.publishDate ?? shanghaiDate(now), searchVector: resourceVector(r.code, fields, provider.name), updatedAt: now })
        .where(eq(shareResources.id, id));
      await tx.update(shareResourceVersions).set({ state: 'superseded' }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.state, 'published')));
      await tx.update(shareResourceVersions).set({ state: 'published', publishedAt: now, snapshot: fields }).where(eq(shareResourceVersions.id, v.id));
      await recordAudit(tx, actor, { action: 'share.resource.publish', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { version: r.version, state: r.state }, after: { version, state: 'published' } });
      return this.view((await this.row(id, tx))!, true, tx);
    });
  }

  /** Retire: no longer offered (existing grants are the gateway's business). A pending draft is dropped. */
  async retire(actor: Actor, id: string, reason?: string): Promise<ResourceView> {
    return inTransaction(this.db, async (tx) => {
      const r = await this.managed(actor, tx, id);
      if (r.state === 'retired') throw errors.conflict('already retired');
      if (r.draftVersion != null) await tx.delete(shareResourceVersions).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.draftVersion)));
      await tx.update(shareResourceVersions).set({ state: 'retired' }).where(and(eq(shareResourceVersions.resourceId, id), eq(shareResourceVersions.version, r.version)));
      await tx.update(shareResources).set({ state: 'retired', draftVersion: null, updatedAt: new Date() }).where(eq(shareResources.id, id));
      await recordAudit(tx, actor, { action: 'share.resource.retire', entityType: 'share_resource', entityId: id, orgId: r.providerOrgId, before: { state: r.state, version: r.version }, after: { state: 'retired' }, note: reason ? { reason } : undefined });
      return this.view((await this.row(id, tx))!, true, tx);
    });
  }

  // ---- directory seed (reference-like) ---------------------------------------------------------------------

  /** One member per department and district organisation of the platform; idempotent. */
  async ensureOrgMembers(instance: string): Promise<number> {
    const orgs = await this.deps.orgs.byKinds(['department', 'district']);
    const existing = new Set((await this.db.select({ orgId: shareMembers.orgId }).from(shareMembers)).map((m) => m.orgId));
    let created = 0;
    for (const o of orgs) {
      if (existing.has(o.id)) continue;
      const level: MemberLevel = o.kind === 'district' || o.divisionCode !== divisionOfInstance(instance) ? 'district' : 'city';
      const r = await this.db.insert(shareMembers).values({ instance, class: 'GOV', code: o.code, name: o.name, nameEn: o.nameEn, level, orgId: o.id, external: false }).onConflictDoNothing().returning({ id: shareMembers.id });
      created += r.length;
    }
    return created;
  }
}

function normaliseItem(i: DataItem): DataItem {
  const out: DataItem = { name: i.name, label: i.label, type: i.type };
  if (i.key) out.key = true;
  if (i.required || i.key) out.required = true;
  if (i.personal) out.personal = i.personal;
  if (i.change) out.change = true;
  return out;
}
