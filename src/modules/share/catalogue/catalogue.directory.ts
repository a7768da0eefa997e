// The exchange directory: X-Road-style members (the platform's departments and districts, and external
// upstream providers the bureau registers) and their subsystems, with their X-Road ids.
import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { type DbOrTx, inTransaction } from '../../../platform/db/client';
import { errors } from '../../../platform/http/problem';
import { likeEscape, type Page } from '../../../platform/http/paging';
import type { ShareDeps } from '../deps';
import { SHARE } from '../share.permissions';
import type { CatalogueAccess } from './catalogue.access';
import { divisionOfInstance, type Member, type MemberLevel, type MemberRow, memberXroadId, type Subsystem, toMember, toSubsystem } from './catalogue.core';
import { shareMembers, shareSubsystems } from './catalogue.schema';

export class CatalogueDirectory {
  constructor(
    private readonly deps: ShareDeps,
    private readonly access: CatalogueAccess,
  ) {}

  private get db() {
    return this.deps.db;
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
    return { ...toMember(m), subsystems: subs.map((s) => toSubsystem(s, m)), canManage: await this.access.canManageOrg(actor, m.orgId) };
  }

  /** Register an external (upstream) provider such as a provincial department or a ministry. The bureau only. */
  async createExternalMember(actor: Actor, input: { instance: string; class: string; code: string; name: string; nameEn?: string | null; level: MemberLevel; contact?: string | null }): Promise<Member> {
    if (!this.access.isBureau(actor)) throw errors.forbidden('only the data bureau registers external members');
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
    if (!(await this.access.canManageOrg(actor, m.orgId))) throw errors.forbidden('you may register subsystems of your own organisation only');
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
