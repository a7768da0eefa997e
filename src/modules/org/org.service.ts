// Organisations: the tree of city, districts, departments, sub-units and enterprises, with subtree
// visibility for scoped roles. Other modules use this service, never the table.
import { and, asc, eq, ilike, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Actor, canSeeOrgPath, requirePermission, visibility, type Visibility } from '../../platform/auth/actor';
import type { OrgResolver } from '../../platform/auth/auth.service';
import { P } from '../../platform/auth/permissions';
import { type Db, type DbOrTx, inTransaction } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import { likeEscape, type Page } from '../../platform/http/paging';
import { creditCodeProblem } from '../../platform/ids';
import { organisations } from './org.schema';

export type OrgRow = typeof organisations.$inferSelect;
export type OrgKind = 'city' | 'district' | 'department' | 'subunit' | 'enterprise';
export const ORG_KINDS: OrgKind[] = ['city', 'district', 'department', 'subunit', 'enterprise'];

export interface Org {
  id: string;
  code: string;
  kind: OrgKind;
  name: string;
  nameEn: string | null;
  parentId: string | null;
  divisionCode: string;
  creditCode: string | null;
  status: string;
  path: string;
  createdAt: string;
}

export interface NewOrg {
  code: string;
  kind: OrgKind;
  name: string;
  nameEn?: string | null;
  parentId?: string | null;
  divisionCode?: string;
  creditCode?: string | null;
  isDemo?: boolean;
}

// Which kinds may sit under which: keeps the tree meaningful (no department under an enterprise).
const ALLOWED_PARENT: Record<OrgKind, (OrgKind | null)[]> = {
  city: [null],
  district: ['city'],
  department: ['city', 'district'],
  subunit: ['department', 'subunit', 'district'],
  enterprise: ['city', 'district'],
};

export function toOrg(r: OrgRow): Org {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind as OrgKind,
    name: r.name,
    nameEn: r.nameEn,
    parentId: r.parentId,
    divisionCode: r.divisionCode,
    creditCode: r.creditCode,
    status: r.status,
    path: r.path,
    createdAt: r.createdAt.toISOString(),
  };
}

export class OrgService implements OrgResolver {
  constructor(private readonly db: Db) {}

  // ---- resolver for scoped roles ----
  /** `db`: the caller's transaction when it has one open (PGlite has a single connection). */
  async pathOf(orgId: string, db: DbOrTx = this.db): Promise<string | null> {
    const [r] = await db.select({ path: organisations.path }).from(organisations).where(eq(organisations.id, orgId));
    return r?.path ?? null;
  }

  async districtPathOf(orgId: string): Promise<string | null> {
    const [r] = await this.db.select().from(organisations).where(eq(organisations.id, orgId));
    if (!r) return null;
    if (r.kind === 'district') return r.path;
    const ids = r.path.split('/').filter(Boolean);
    if (ids.length === 0) return null;
    const ancestors = await this.db
      .select()
      .from(organisations)
      .where(and(eq(organisations.kind, 'district'), sql`${organisations.id} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`));
    return ancestors[0]?.path ?? null;
  }

  /** Ids of every organisation the actor may see for a permission; undefined means all. */
  async visibleIds(actor: Actor, permission: string): Promise<string[] | undefined> {
    const v = visibility(actor, permission);
    if (v.all) return undefined;
    const conds = v.prefixes.map((p) => sql`${organisations.path} like ${likeEscape(p) + '%'}`);
    if (v.self && actor.orgId) conds.push(sql`${organisations.id} = ${actor.orgId}::uuid`);
    if (!conds.length) return [];
    const r = await this.db.select({ id: organisations.id }).from(organisations).where(or(...conds));
    return r.map((x) => x.id);
  }

  private visibilityCondition(v: Visibility, actor: Actor): SQL | undefined {
    if (v.all) return undefined;
    const conds = v.prefixes.map((p) => sql`${organisations.path} like ${likeEscape(p) + '%'}`);
    if (v.self && actor.orgId) conds.push(sql`${organisations.id} = ${actor.orgId}::uuid`);
    return conds.length ? or(...conds) : sql`false`;
  }

  async list(
    actor: Actor,
    f: { kind?: OrgKind; parentId?: string; q?: string; divisionCode?: string; limit: number; offset: number },
  ): Promise<Page<Org>> {
    requirePermission(actor, P.orgRead);
    const conds: (SQL | undefined)[] = [this.visibilityCondition(visibility(actor, P.orgRead), actor)];
    if (f.kind) conds.push(eq(organisations.kind, f.kind));
    if (f.parentId) conds.push(eq(organisations.parentId, f.parentId));
    if (f.divisionCode) conds.push(eq(organisations.divisionCode, f.divisionCode));
    if (f.q) {
      const pat = `%${likeEscape(f.q)}%`;
      conds.push(or(ilike(organisations.name, pat), ilike(organisations.nameEn, pat), ilike(organisations.code, pat)));
    }
    const where = and(...conds.filter(Boolean));
    const items = await this.db
      .select()
      .from(organisations)
      .where(where)
      .orderBy(asc(organisations.path), asc(organisations.code))
      .limit(f.limit)
      .offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(organisations).where(where);
    return { items: items.map(toOrg), total: n, limit: f.limit, offset: f.offset };
  }

  async get(actor: Actor, id: string): Promise<Org> {
    requirePermission(actor, P.orgRead);
    const [r] = await this.db.select().from(organisations).where(eq(organisations.id, id));
    if (!r || !canSeeOrgPath(visibility(actor, P.orgRead), r.path)) throw errors.notFound('organisation');
    return toOrg(r);
  }

  /** Look-ups other modules need without an actor's visibility (e.g. naming the org on a record). */
  async byId(id: string): Promise<Org | null> {
    const [r] = await this.db.select().from(organisations).where(eq(organisations.id, id));
    return r ? toOrg(r) : null;
  }

  async byCode(code: string, db: DbOrTx = this.db): Promise<Org | null> {
    const [r] = await db.select().from(organisations).where(eq(organisations.code, code));
    return r ? toOrg(r) : null;
  }

  /** Organisations by code (those that exist), for modules that hold codes rather than ids. */
  async byCodes(codes: string[], db: DbOrTx = this.db): Promise<Map<string, Org>> {
    if (!codes.length) return new Map();
    const r = await db.select().from(organisations).where(inArray(organisations.code, [...new Set(codes)]));
    return new Map(r.map((x) => [x.code, toOrg(x)]));
  }

  /** Every organisation of these kinds, by code (e.g. the government side: departments and districts). */
  async byKinds(kinds: OrgKind[]): Promise<Org[]> {
    const r = await this.db.select().from(organisations).where(inArray(organisations.kind, kinds)).orderBy(organisations.code);
    return r.map(toOrg);
  }

  /** Organisations by id (those that exist): name the organisations of a page of rows in one call. */
  async namesOf(ids: string[], db: DbOrTx = this.db): Promise<Map<string, Org>> {
    if (!ids.length) return new Map();
    const r = await db
      .select()
      .from(organisations)
      .where(sql`${organisations.id} in (${sql.join([...new Set(ids)].map((i) => sql`${i}::uuid`), sql`, `)})`);
    return new Map(r.map((x) => [x.id, toOrg(x)]));
  }

  /**
   * Organisations of these kinds that carry a unified social credit code, optionally only those inside
   * the subtrees at these path prefixes (a scoped grant's); e.g. the government bodies that publish
   * under their own code.
   */
  async withCreditCode(kinds: OrgKind[], under?: string[], db: DbOrTx = this.db): Promise<Org[]> {
    if (!kinds.length || (under && !under.length)) return [];
    const conds: (SQL | undefined)[] = [isNotNull(organisations.creditCode), inArray(organisations.kind, kinds)];
    if (under) conds.push(or(...under.map((p) => sql`${organisations.path} like ${likeEscape(p) + '%'}`)));
    const r = await db
      .select()
      .from(organisations)
      .where(and(...conds))
      .orderBy(asc(organisations.code));
    return r.map(toOrg);
  }

  async create(actor: Actor, input: NewOrg, tx?: DbOrTx): Promise<Org> {
    requirePermission(actor, P.orgWrite);
    const problems: { path: string; message: string }[] = [];
    if (!/^[A-Za-z0-9_-]{2,40}$/.test(input.code)) problems.push({ path: '/code', message: 'use 2-40 letters, digits, _ or -' });
    if (input.divisionCode && !/^\d{6}$/.test(input.divisionCode)) problems.push({ path: '/divisionCode', message: 'a GB/T 2260 division code has 6 digits' });
    if (input.creditCode) {
      const p = creditCodeProblem(input.creditCode);
      if (p) problems.push({ path: '/creditCode', message: `not a valid GB 32100 credit code (${p})` });
    }
    if (input.kind === 'enterprise' && !input.creditCode) problems.push({ path: '/creditCode', message: 'an enterprise is identified by its unified social credit code' });
    if (problems.length) throw errors.validation(problems);

    const run = async (t: DbOrTx) => {
      let parent: OrgRow | undefined;
      if (input.parentId) {
        [parent] = await t.select().from(organisations).where(eq(organisations.id, input.parentId));
        if (!parent) throw errors.field('/parentId', 'no such organisation');
      }
      if (!ALLOWED_PARENT[input.kind].includes((parent?.kind as OrgKind | undefined) ?? null)) {
        throw errors.field('/parentId', `a ${input.kind} cannot sit under ${parent ? `a ${parent.kind}` : 'nothing'}`);
      }
      // Scoped creators may only add inside what they can see.
      if (parent && !canSeeOrgPath(visibility(actor, P.orgWrite), parent.path)) throw errors.forbidden('the parent organisation is outside your scope');
      if (!parent && !visibility(actor, P.orgWrite).all) throw errors.forbidden('only city-wide administrators create top-level organisations');
      const [dup] = await t.select({ id: organisations.id }).from(organisations).where(eq(organisations.code, input.code));
      if (dup) throw errors.conflict(`organisation code ${input.code} already exists`);
      if (input.creditCode) {
        const [dupC] = await t.select({ id: organisations.id }).from(organisations).where(eq(organisations.creditCode, input.creditCode));
        if (dupC) throw errors.conflict(`credit code ${input.creditCode} is already registered`);
      }
      const id = crypto.randomUUID();
      const path = `${parent?.path ?? '/'}${id}/`;
      const [row] = await t
        .insert(organisations)
        .values({
          id,
          code: input.code,
          kind: input.kind,
          name: input.name,
          nameEn: input.nameEn ?? null,
          parentId: parent?.id ?? null,
          path,
          divisionCode: input.divisionCode ?? parent?.divisionCode ?? '000000',
          creditCode: input.creditCode ?? null,
          isDemo: input.isDemo ?? false,
        })
        .returning();
      const org = toOrg(row);
      await recordAudit(t, actor, { action: 'org.create', entityType: 'organisation', entityId: id, orgId: id, after: org });
      return org;
    };
    return tx ? run(tx) : inTransaction(this.db, run);
  }

  async update(actor: Actor, id: string, patch: { name?: string; nameEn?: string | null; status?: 'active' | 'inactive'; creditCode?: string }): Promise<Org> {
    requirePermission(actor, P.orgWrite);
    if (patch.creditCode !== undefined) {
      const p = creditCodeProblem(patch.creditCode);
      if (p) throw errors.field('/creditCode', `not a valid GB 32100 credit code (${p})`);
    }
    return inTransaction(this.db, async (tx) => {
      const [r] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
      if (!r || !canSeeOrgPath(visibility(actor, P.orgWrite), r.path)) throw errors.notFound('organisation');
      if (patch.creditCode !== undefined && patch.creditCode !== r.creditCode) {
        const [dupC] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.creditCode, patch.creditCode));
        if (dupC) throw errors.conflict(`credit code ${patch.creditCode} is already registered`);
      }
      const [u] = await tx
        .update(organisations)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(organisations.id, id))
        .returning();
      const before = toOrg(r);
      const after = toOrg(u);
      await recordAudit(tx, actor, {
        action: 'org.update',
        entityType: 'organisation',
        entityId: id,
        orgId: id,
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof Org]])),
        after: Object.fromEntries(Object.keys(patch).map((k) => [k, after[k as keyof Org]])),
      });
      return after;
    });
  }

  async countsByKind(): Promise<Record<string, number>> {
    const r = await this.db.select({ kind: organisations.kind, n: sql<number>`count(*)::int` }).from(organisations).groupBy(organisations.kind);
    return Object.fromEntries(r.map((x) => [x.kind, x.n]));
  }

  /** Organisations (of any kind) inside each district, for the big screen. */
  async countsByDistrict(): Promise<{ code: string; name: string; nameEn: string | null; count: number }[]> {
    const districts = await this.db.select().from(organisations).where(eq(organisations.kind, 'district')).orderBy(asc(organisations.code));
    const out: { code: string; name: string; nameEn: string | null; count: number }[] = [];
    for (const d of districts) {
      const [{ n }] = await this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(organisations)
        .where(sql`${organisations.path} like ${likeEscape(d.path) + '%'} and ${organisations.id} <> ${d.id}::uuid`);
      out.push({ code: d.code, name: d.name, nameEn: d.nameEn, count: n });
    }
    return out;
  }

  async publicCity(): Promise<{ city: { name: string; nameEn: string | null; divisionCode: string } | null; districts: { code: string; name: string; nameEn: string | null }[]; departmentsCount: number }> {
    const [city] = await this.db.select().from(organisations).where(eq(organisations.kind, 'city')).limit(1);
    const districts = await this.db
      .select({ code: organisations.code, name: organisations.name, nameEn: organisations.nameEn })
      .from(organisations)
      .where(and(eq(organisations.kind, 'district'), eq(organisations.status, 'active')))
      .orderBy(asc(organisations.code));
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(organisations).where(eq(organisations.kind, 'department'));
    return { city: city ? { name: city.name, nameEn: city.nameEn, divisionCode: city.divisionCode } : null, districts, departmentsCount: n };
  }
}
