// Account administration on top of the platform's auth machinery: scoped user lists, role
// management, API key lists. Scope rules: a department administrator manages accounts of their
// organisation subtree only; only city-wide administrators grant city-wide roles.
import { and, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Actor, requirePermission, visibility } from '../../platform/auth/actor';
import { apiKeys, roleAssignments, roles, users } from '../../platform/auth/auth.schema';
import { type AuthService, type NewUser, type PublicUser, toPublic } from '../../platform/auth/auth.service';
import { allPermissions, isKnownPermission, P, type RoleScope } from '../../platform/auth/permissions';
import { type Db, inTransaction } from '../../platform/db/client';
import { likeEscape, type Page } from '../../platform/http/paging';
import { errors } from '../../platform/http/problem';
import type { OrgService } from '../org';
import { oidcClients } from './identity.schema';

export interface RoleView {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: RoleScope;
  permissions: string[];
  builtin: boolean;
}

export class IdentityService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
    private readonly orgs: OrgService,
  ) {}

  async listUsers(
    actor: Actor,
    f: { q?: string; kind?: string; orgId?: string; role?: string; limit: number; offset: number },
  ): Promise<Page<PublicUser & { orgName: string | null; orgNameEn: string | null }>> {
    requirePermission(actor, P.userRead);
    const conds: SQL[] = [];
    const visible = await this.orgs.visibleIds(actor, P.userRead);
    if (visible) conds.push(visible.length ? inArray(users.orgId, visible) : sql`false`);
    if (f.kind) conds.push(eq(users.kind, f.kind));
    if (f.orgId) conds.push(eq(users.orgId, f.orgId));
    if (f.q) {
      const pat = `%${likeEscape(f.q)}%`;
      conds.push(or(ilike(users.username, pat), ilike(users.displayName, pat))!);
    }
    if (f.role) conds.push(sql`exists (select 1 from role_assignments ra where ra.user_id = ${users.id} and ra.role_code = ${f.role})`);
    const where = conds.length ? and(...conds) : undefined;
    const rows = await this.db.select().from(users).where(where).orderBy(desc(users.createdAt), users.username).limit(f.limit).offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
    const ids = rows.map((r) => r.id);
    const ra = ids.length ? await this.db.select().from(roleAssignments).where(inArray(roleAssignments.userId, ids)) : [];
    const orgMap = await this.orgs.namesOf(rows.map((r) => r.orgId).filter((x): x is string => !!x));
    return {
      items: rows.map((r) => ({
        ...toPublic(
          r,
          ra.filter((a) => a.userId === r.id).map((a) => a.roleCode),
        ),
        orgName: r.orgId ? (orgMap.get(r.orgId)?.name ?? null) : null,
        orgNameEn: r.orgId ? (orgMap.get(r.orgId)?.nameEn ?? null) : null,
      })),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }

  /** Users outside the actor's scope are "not found", so their existence does not leak. */
  private async assertUserInScope(actor: Actor, userId: string, permission: string) {
    const u = await this.auth.getUser(userId);
    if (!u) throw errors.notFound('user');
    const visible = await this.orgs.visibleIds(actor, permission);
    if (visible && !(u.orgId && visible.includes(u.orgId))) throw errors.notFound('user');
    return u;
  }

  private async assertRolesGrantable(actor: Actor, roleCodes: string[]) {
    if (visibility(actor, P.userWrite).all) return;
    const rs = roleCodes.length ? await this.db.select().from(roles).where(inArray(roles.code, roleCodes)) : [];
    const tooWide = rs.filter((r) => r.scope === 'city');
    if (tooWide.length) throw errors.forbidden(`only city-wide administrators grant ${tooWide.map((r) => r.code).join(', ')}`);
  }

  async createUser(actor: Actor, input: NewUser): Promise<PublicUser> {
    requirePermission(actor, P.userWrite);
    const visible = await this.orgs.visibleIds(actor, P.userWrite);
    if (visible && !(input.orgId && visible.includes(input.orgId))) {
      throw errors.forbidden('you can only create accounts in your own organisation or its sub-units');
    }
    if (input.orgId && !(await this.orgs.byId(input.orgId))) throw errors.field('/orgId', 'no such organisation');
    await this.assertRolesGrantable(actor, input.roles);
    return this.auth.createUser(actor, input);
  }

  async updateUser(actor: Actor, id: string, patch: { displayName?: string; status?: 'active' | 'disabled'; orgId?: string | null; unlock?: boolean }) {
    requirePermission(actor, P.userWrite);
    await this.assertUserInScope(actor, id, P.userWrite);
    if (patch.orgId) {
      const visible = await this.orgs.visibleIds(actor, P.userWrite);
      if (visible && !visible.includes(patch.orgId)) throw errors.forbidden('the target organisation is outside your scope');
      if (!(await this.orgs.byId(patch.orgId))) throw errors.field('/orgId', 'no such organisation');
    }
    if (id === actor.userId && patch.status === 'disabled') throw errors.field('/status', 'you cannot disable your own account');
    return this.auth.updateUser(actor, id, patch);
  }

  async setRoles(actor: Actor, id: string, roleCodes: string[]) {
    requirePermission(actor, P.userWrite);
    await this.assertUserInScope(actor, id, P.userWrite);
    await this.assertRolesGrantable(actor, roleCodes);
    if (id === actor.userId && actor.roles.includes('admin') && !roleCodes.includes('admin')) {
      throw errors.field('/roles', 'you cannot remove your own administrator role');
    }
    return this.auth.setRoles(actor, id, roleCodes);
  }

  async getUser(actor: Actor, id: string) {
    requirePermission(actor, P.userRead);
    return this.assertUserInScope(actor, id, P.userRead);
  }

  // ---- roles ----

  async listRoles(): Promise<RoleView[]> {
    const r = await this.db.select().from(roles).orderBy(desc(roles.builtin), roles.code);
    return r.map((x) => ({ code: x.code, nameZh: x.nameZh, nameEn: x.nameEn, scope: x.scope as RoleScope, permissions: x.permissions, builtin: x.builtin }));
  }

  permissions() {
    return allPermissions();
  }

  async createRole(actor: Actor, input: { code: string; nameZh: string; nameEn: string; scope: RoleScope; permissions: string[] }): Promise<RoleView> {
    requirePermission(actor, P.roleWrite);
    const unknown = input.permissions.filter((p) => !isKnownPermission(p));
    if (unknown.length) throw errors.field('/permissions', `unknown permission(s): ${unknown.join(', ')}`);
    return inTransaction(this.db, async (tx) => {
      const [dup] = await tx.select().from(roles).where(eq(roles.code, input.code));
      if (dup) throw errors.conflict(`role ${input.code} already exists`);
      const [r] = await tx.insert(roles).values({ ...input, builtin: false }).returning();
      await recordAudit(tx, actor, { action: 'role.create', entityType: 'role', entityId: r.code, after: input });
      return { ...input, builtin: false };
    });
  }

  async updateRole(actor: Actor, code: string, patch: { nameZh?: string; nameEn?: string; permissions?: string[] }): Promise<RoleView> {
    requirePermission(actor, P.roleWrite);
    const unknown = (patch.permissions ?? []).filter((p) => !isKnownPermission(p));
    if (unknown.length) throw errors.field('/permissions', `unknown permission(s): ${unknown.join(', ')}`);
    return inTransaction(this.db, async (tx) => {
      const [r] = await tx.select().from(roles).where(eq(roles.code, code)).for('update');
      if (!r) throw errors.notFound('role');
      if (r.builtin && patch.permissions) throw errors.conflict('built-in roles keep their permissions; create a custom role instead');
      const [u] = await tx.update(roles).set(patch).where(eq(roles.code, code)).returning();
      await recordAudit(tx, actor, { action: 'role.update', entityType: 'role', entityId: code, before: { nameZh: r.nameZh, nameEn: r.nameEn, permissions: r.permissions }, after: patch });
      return { code: u.code, nameZh: u.nameZh, nameEn: u.nameEn, scope: u.scope as RoleScope, permissions: u.permissions, builtin: u.builtin };
    });
  }

  // ---- API keys ----

  async listApiKeys(actor: Actor, f: { limit: number; offset: number }) {
    requirePermission(actor, P.apiKeyManage);
    const items = await this.db
      .select({
        id: apiKeys.id,
        prefix: apiKeys.prefix,
        name: apiKeys.name,
        userId: apiKeys.userId,
        username: users.username,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .orderBy(desc(apiKeys.createdAt))
      .limit(f.limit)
      .offset(f.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(apiKeys);
    return { items, total: n, limit: f.limit, offset: f.offset };
  }

  async createApiKey(actor: Actor, input: { name: string; userId: string; scopes: string[]; expiresInDays?: number }) {
    requirePermission(actor, P.apiKeyManage);
    const unknown = input.scopes.filter((p) => !isKnownPermission(p));
    if (unknown.length) throw errors.field('/scopes', `unknown permission(s): ${unknown.join(', ')}`);
    return this.auth.createApiKey(actor, {
      name: input.name,
      userId: input.userId,
      scopes: input.scopes,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
    });
  }

  async revokeApiKey(actor: Actor, id: string) {
    requirePermission(actor, P.apiKeyManage);
    return this.auth.revokeApiKey(actor, id);
  }

  async oidcClientCount(): Promise<number> {
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(oidcClients).where(isNull(oidcClients.disabledAt));
    return n;
  }

  async counts() {
    const byKind = await this.db.select({ kind: users.kind, n: sql<number>`count(*)::int` }).from(users).groupBy(users.kind);
    const [{ sessionsActive }] = await this.db.execute<{ sessionsActive: number }>(sql`select count(*)::int as "sessionsActive" from sessions where expires_at > now()`).then((r) => (r as unknown as { rows: { sessionsActive: number }[] }).rows);
    const [{ keys }] = await this.db.select({ keys: sql<number>`count(*)::int` }).from(apiKeys).where(isNull(apiKeys.revokedAt));
    return { users: Object.fromEntries(byKind.map((x) => [x.kind, x.n])) as Record<string, number>, sessionsActive, apiKeysActive: keys };
  }

  /**
   * Active citizen accounts with a verified ID number, for jobs that confirm eligibility from data (无感认证):
   * the clear ID number (decrypted here, for that legal purpose only) and the last sign-in as evidence of
   * activity. Read in pages of `batch` so a large city does not load every account at once.
   */
  async *activeCitizens(batch = 500): AsyncGenerator<{ id: string; idNumber: string; lastLoginAt: Date | null }> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db
        .select({ id: users.id, idNumberEnc: users.idNumberEnc, lastLoginAt: users.lastLoginAt })
        .from(users)
        .where(and(eq(users.kind, 'citizen'), eq(users.status, 'active'), sql`${users.idNumberEnc} is not null`, sql`${users.id} > ${after}`))
        .orderBy(users.id)
        .limit(batch);
      for (const r of rows) {
        const idNumber = this.auth.revealIdNumber(r);
        if (idNumber) yield { id: r.id, idNumber, lastLoginAt: r.lastLoginAt };
      }
      if (rows.length < batch) return;
      after = rows[rows.length - 1].id;
    }
  }
}
