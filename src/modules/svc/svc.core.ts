// The catalogue's shared core: permissions, item types, the look-ups (zones, synonyms, districts) with
// their caches, and what every room needs to check, number, index and show an item. The rooms
// (svc.items.ts, svc.search.ts, svc.structure.ts) work on top of it; svc.service.ts composes them.
import { sql } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../platform/auth/actor';
import { definePermission } from '../../platform/auth/permissions';
import { type Db, type DbOrTx, rows } from '../../platform/db/client';
import type { FieldError } from '../../platform/http/problem';
import type { Page } from '../../platform/http/paging';
import type { Org, OrgService } from '../org';
import { validateFormDefinition } from './form';
import { validateMaterials } from './materials';
import { type ApplicantType, type HandlingMode, type ItemDefinition, type ItemKind, type ItemStatus, ITEM_KINDS } from './model';
import { documentVector, synonymTable, type Segment } from '../../platform/search';
import { svcItems, svcSynonyms, svcZones } from './svc.schema';

export const SVC = {
  itemRead: definePermission('svc.item.read', '查看政务服务事项', 'View service items (including drafts)'),
  itemWrite: definePermission('svc.item.write', '编辑政务服务事项', 'Create and edit service items'),
  itemPublish: definePermission('svc.item.publish', '发布和下线政务服务事项', 'Publish and retire service items'),
  catalogueManage: definePermission('svc.catalogue.manage', '管理事项目录结构', 'Manage zones, sub-halls, bundles and search synonyms'),
} as const;

export type ItemRow = typeof svcItems.$inferSelect;

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

export class CatalogueCore {
  private synonymsCache: ReturnType<typeof synonymTable> | null = null;
  private zonesCache: Map<string, { name: string; nameEn: string; category: string }> | null = null;
  private districtCodes: Set<string> | null = null;

  constructor(
    readonly db: Db,
    readonly orgs: OrgService,
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

  /** After a zone changes: the next look-up reads them again. */
  forgetZones() {
    this.zonesCache = null;
  }

  /** After a synonym changes: the next search reads them again. */
  forgetSynonyms() {
    this.synonymsCache = null;
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

  async ownerScope(actor: Actor, permission: string): Promise<string[] | undefined> {
    requirePermission(actor, permission);
    return this.orgs.visibleIds(actor, permission);
  }

  /** Warm the caches transactions need: PGlite has one connection, so nothing may query outside an open transaction. */
  async prepare(): Promise<void> {
    await this.zoneMap();
    await this.districts();
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

  orgService(): OrgService {
    return this.orgs;
  }

  database(): Db {
    return this.db;
  }
}
